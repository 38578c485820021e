"""``claimwatch demo`` end to end: bundled timeline, loopback server, temporary database."""

from __future__ import annotations

import json
import re
import tempfile

from claimwatch.storage import Store

NUMBER = re.compile(r"\d[\d,.]*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\b", re.I)
HEDGES = {"may", "might", "could", "reportedly", "possibly"}


def numbers(text: str | None) -> list[str]:
    return [n.lower() for n in NUMBER.findall(text or "")]


def words(text: str | None) -> set[str]:
    return set(re.findall(r"[a-z']+", (text or "").lower()))


def test_demo_finds_a_number_a_hedge_an_added_claim_and_ignores_the_sidebar(
    cw, tmp_path, monkeypatch
):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    result = cw("demo", "--format", "json")
    changes = json.loads(result.stdout)["changes"]
    significant = [c for c in changes if c["significant"]]
    assert any(
        c["kind"] == "changed" and numbers(c["old_text"]) != numbers(c["new_text"])
        for c in significant
    ), "a changed number is flagged"
    assert any(
        c["kind"] == "changed"
        and words(c["old_text"]) & HEDGES
        and not words(c["new_text"]) & HEDGES
        for c in significant
    ), "a removed hedge is flagged"
    assert any(c["kind"] == "added" and "Kursk" in c["new_text"] for c in significant)
    assert max(c["to_version"] for c in changes) == 3, "the sidebar-only revision adds nothing"
    narration = result.stderr
    assert re.search(r"4/4 .*\n.*no new version", narration)
    assert list(scratch.iterdir()) == [], "the temporary database is removed"


def test_demo_keeps_its_database_and_writes_the_report_on_request(cw, tmp_path):
    db, report = tmp_path / "demo.db", tmp_path / "demo.md"
    out = cw("demo", "--format", "markdown", "--keep", str(db), "--output", str(report)).stdout
    assert "1/4" in out and "kept the database" in out and "\x1b" not in out
    assert "## peninsula\\-monitor: version 1 → 2" in report.read_text(encoding="utf-8")
    with Store(db) as store:
        assert [v.version for v in store.snapshots(store.source("peninsula-monitor").id)] == [
            1,
            2,
            3,
        ]
    again = cw("demo", "--keep", str(db), ok=False)
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_demo_prints_a_plain_text_report_off_a_terminal(cw):
    out = cw("demo").stdout
    assert "\x1b" not in out
    assert "{+three+}" in out and "[-one-]" in out
    assert "temporary database was removed" in out
