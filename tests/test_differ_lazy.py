"""Lazy facets: a version's claims stored thin give exactly the diffs of fully analysed ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimwatch.crawler.extract import extract
from claimwatch.differ import (
    Claim,
    complete_facets,
    diff_claims,
    extract_claims,
    load_topic,
    thin_facets,
)

ROOT = Path(__file__).resolve().parents[1]
TOPIC = load_topic((ROOT / "claimwatch" / "seeds" / "topic.toml").read_text(encoding="utf-8"))
PAGES = sorted(p for p in (ROOT / "tests" / "eval").glob("regress*/*") if p.is_dir())


def _revisions(page: Path) -> list[str]:
    files = sorted(page.glob("r*.html"), key=lambda p: int(p.stem[1:]))
    return [extract(f.read_text(encoding="utf-8")).text for f in files]


def _stored(claims: list[Claim]) -> list[Claim]:
    """As the database gives them back: thin facets through JSON."""
    return [
        Claim(
            c.text,
            c.position,
            c.norm_hash,
            c.category,
            json.loads(json.dumps(thin_facets(c.facets))),
        )
        for c in claims
    ]


def _outcome(changes: list) -> list[tuple]:  # noqa: ANN001 - list of Change
    return [
        (c.kind, c.old and c.old.text, c.new and c.new.text, c.significant, c.reason, c.detail)
        for c in changes
    ]


@pytest.mark.parametrize("page", PAGES, ids=[f"{p.parent.name}/{p.name}" for p in PAGES])
def test_thin_claims_diff_like_full_ones(page: Path) -> None:
    texts = _revisions(page)
    assert len(texts) >= 2
    for old_text, new_text in zip(texts, texts[1:], strict=False):
        eager_old, eager_new = extract_claims(old_text, TOPIC), extract_claims(new_text, TOPIC)
        lazy_old = _stored(extract_claims(old_text, TOPIC, lazy=True))
        lazy_new = extract_claims(new_text, TOPIC, lazy=True)
        assert [(c.text, c.norm_hash, c.category) for c in lazy_new] == [
            (c.text, c.norm_hash, c.category) for c in eager_new
        ]
        expected = _outcome(diff_claims(eager_old, eager_new))
        assert _outcome(diff_claims(lazy_old, lazy_new, topic=TOPIC)) == expected


def test_completed_facets_equal_eager_ones_and_only_unmatched_claims_get_them() -> None:
    text = (
        "Russia sent a million shells to North Korea. Its value is unclear.\n\n"
        "Putin hosted Kim in 2023. The treaty entered into force in December."
    )
    edited = text.replace("a million", "two million")
    eager = extract_claims(text, TOPIC)
    old = _stored(extract_claims(text, TOPIC, lazy=True))
    new = extract_claims(edited, TOPIC, lazy=True)
    assert all("canon" not in c.facets for c in old + new)
    changes = diff_claims(old, new, topic=TOPIC)
    assert [(c.kind, c.reason) for c in changes] == [("changed", "number: a million → two million")]
    # the edited claim on both sides got facets; the untouched ones stayed thin
    assert "canon" in old[0].facets and "canon" in new[0].facets
    assert all("canon" not in c.facets for c in old[1:] + new[1:])
    complete_facets(old, TOPIC)
    assert [c.facets for c in old] == [c.facets for c in eager]
