"""Golden edits: every kind of claim change, and every kind of edit that is not one."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from claimwatch.differ import diff_claims, extract_claims, load_topic

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
TOPIC = load_topic((ROOT / "claimwatch" / "seeds" / "topic.toml").read_text(encoding="utf-8"))

# A paragraph that makes every test text part of an article about the partnership.
CONTEXT = (
    "Russia and North Korea have deepened their military partnership. "
    "Moscow and Pyongyang signed a treaty. North Korea sends shells to Russia."
)


def _pairs() -> list:
    cases = []
    for name in ("golden_significant.yaml", "golden_minor.yaml", "golden_paraphrase.yaml"):
        for case in yaml.safe_load((DATA / name).read_text(encoding="utf-8")):
            cases.append(pytest.param(case["old"], case["new"], case, id=case["id"]))
            rev = case.get("reverse")
            if rev:
                back = dict(case, **rev)
                cases.append(pytest.param(case["new"], case["old"], back, id=case["id"] + "-back"))
    return cases


def _claims(text: str) -> list:
    return extract_claims(CONTEXT + "\n\n" + text.strip(), TOPIC)


@pytest.mark.parametrize(("old", "new", "case"), _pairs())
def test_sentence_edit(old: str, new: str, case: dict) -> None:
    changes = diff_claims(_claims(old), _claims(new))
    if case["kind"] is None:
        assert all(not c.significant for c in changes), [c.reason for c in changes]
        return
    assert len(changes) == 1, [(c.kind, c.reason) for c in changes]
    change = changes[0]
    assert change.kind == case["kind"]
    assert change.significant is case["significant"], change.reason
    assert change.reason.startswith(case["reason"]), change.reason


def _structure() -> list:
    cases = yaml.safe_load((DATA / "golden_structure.yaml").read_text(encoding="utf-8"))
    return [pytest.param(c, id=c["id"]) for c in cases]


@pytest.mark.parametrize("case", _structure())
def test_structure_edit(case: dict) -> None:
    before = {c.norm_hash for s in case.get("removed_before", []) for c in _claims(s)}
    changes = diff_claims(_claims(case["old"]), _claims(case["new"]), removed_before=before)
    got = [
        [c.kind, c.significant, c.reason] for c in changes if c.significant or c.kind != "changed"
    ]
    got += [
        [c.kind, c.significant, c.reason]
        for c in changes
        if not c.significant and c.kind == "changed"
    ]
    want = case["expect"]
    assert len(got) == len(want), got
    for (kind, sig, reason), (wkind, wsig, wreason) in zip(got, want, strict=True):
        assert (kind, sig) == (wkind, wsig), reason
        assert reason.startswith(wreason), reason
