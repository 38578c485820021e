"""Claims and changes through the whole pipeline: crawl -> analyse -> report."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from claimwatch.storage import Store
from tests.site import PARAGRAPHS, article

SHELLS_OLD = PARAGRAPHS[0]
SHELLS_NEW = SHELLS_OLD.replace("more than a million", "more than three million")
NEW_CLAIM = "Russia has agreed to supply North Korea with air-defence systems, officials said."


def crawl(cw, site, paragraphs, **kw) -> dict:
    site.set("/a", article(paragraphs, **kw))
    cw("crawl")
    return cw.json("report", "--format", "json", "--all")


def changes_of_version(cw, version: int) -> list[dict]:
    return [
        c
        for c in cw.json("report", "--format", "json", "--all")["changes"]
        if c["to_version"] == version
    ]


def test_first_version_is_a_silent_baseline(cw, site):
    cw.write_sources({"a": site.url("/a")})
    assert crawl(cw, site, PARAGRAPHS)["changes"] == []
    claims = cw.json("claims", "a", "--format", "json")["claims"]
    assert len(claims) >= 5 and all(c["category"] for c in claims)


def test_numeric_change_added_claim_and_noise(cw, site):
    cw.write_sources({"a": site.url("/a")})
    crawl(cw, site, PARAGRAPHS)
    edited = [SHELLS_NEW] + PARAGRAPHS[1:] + [NEW_CLAIM]
    crawl(cw, site, edited, comments=["Russia is lying about everything"], sidebar=["New post"])
    sig = cw.json("report", "--format", "json")["changes"]
    kinds = sorted((c["kind"], c["significant"]) for c in sig)
    assert kinds == [("added", True), ("changed", True)]
    changed = next(c for c in sig if c["kind"] == "changed")
    assert changed["old_text"] == SHELLS_OLD and changed["new_text"] == SHELLS_NEW
    assert "million" in changed["reason"] and "three" in changed["reason"]
    text = cw("diff", "a").stdout
    assert "three million" in text and "SIGNIFICANT" in text


def test_failure_between_versions_is_invisible_to_the_differ(cw, site):
    cw.write_sources({"a": site.url("/a")})
    crawl(cw, site, PARAGRAPHS)
    site.set("/a", "<html><body><h1>Post not found</h1></body></html>")
    cw("crawl")
    site.set("/a", "", status=500)
    cw("crawl")
    report = crawl(cw, site, PARAGRAPHS + [NEW_CLAIM])
    assert [(c["kind"], c["new_text"]) for c in report["changes"]] == [("added", NEW_CLAIM)]
    assert report["changes"][0]["from_version"] == 1


def test_claim_collapse_is_an_extraction_failure_not_mass_removal(cw, site):
    cw.write_sources({"a": site.url("/a")})
    crawl(cw, site, PARAGRAPHS)
    filler = [
        f"Paragraph {i} describes the weather and local football results in detail today."
        for i in range(12)
    ]
    crawl(cw, site, PARAGRAPHS[:1] + filler)  # long enough for the shrink guard, claims gone
    assert cw.json("report", "--format", "json", "--all")["changes"] == []
    hist = cw.json("history", "a", "--format", "json")["versions"]
    assert hist[-1]["suspect"] and "collapsed" in hist[-1]["suspect"]
    ever = cw("claims", "a", "--ever").stdout
    assert "claims ever seen" in ever and "(gone)" not in ever, "v1 is still the trusted text"
    report = crawl(cw, site, PARAGRAPHS + [NEW_CLAIM])
    assert [c["kind"] for c in report["changes"]] == ["added"], (
        "compared with the last good version"
    )


def test_flip_flop_claim_is_restored_not_new(cw, site):
    cw.write_sources({"a": site.url("/a")})
    crawl(cw, site, PARAGRAPHS)
    crawl(cw, site, PARAGRAPHS[:-1])
    removed = changes_of_version(cw, 2)
    assert [(c["kind"], c["significant"]) for c in removed] == [("removed", True)]
    crawl(cw, site, PARAGRAPHS)
    ever = cw.json("claims", "a", "--ever", "--format", "json")["claims"]
    last = [c for c in ever if c["text"] == PARAGRAPHS[-1]]
    assert len(ever) == len({c["text"] for c in ever}) and last
    assert (last[0]["first_version"], last[0]["last_version"]) == (1, 3)
    back = changes_of_version(cw, 3)
    assert [(c["kind"], c["significant"]) for c in back] == [("added", False)]
    assert back[0]["reason"].startswith("restored")


def test_claims_stored_once_and_lineage_follows_edits(cw, site):
    cw.write_sources({"a": site.url("/a")})
    crawl(cw, site, PARAGRAPHS)
    crawl(cw, site, [SHELLS_NEW] + PARAGRAPHS[1:])
    crawl(cw, site, [SHELLS_NEW] + PARAGRAPHS[1:] + [NEW_CLAIM])
    with Store(cw.db) as store:
        snaps = store.snapshots(store.source("a").id)
        v1, v2, v3 = (store.claims_of(s.id) for s in snaps)
        distinct = store.db.execute("SELECT count(*) FROM claims").fetchone()[0]
        assert distinct == len(v1) + 2, "unchanged claims are not stored again"
        shells = [c for c in v1 if "artillery" in c.text][0]
        assert [c.lineage_id for c in v3 if "artillery" in c.text] == [shells.lineage_id]
        assert SHELLS_NEW in [c.text for c in v3] and len(v2) == len(v1)


def test_report_since_selects_crawls_started_at_or_after(cw, site):
    cw.write_sources({"a": site.url("/a")})
    crawl(cw, site, PARAGRAPHS)
    crawl(cw, site, PARAGRAPHS + [NEW_CLAIM])
    time.sleep(1.05)  # whole-second timestamps: the next crawl starts in a later second
    since = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    crawl(cw, site, [SHELLS_NEW] + PARAGRAPHS[1:] + [NEW_CLAIM])
    recent = cw.json("report", "--format", "json", "--since", since)["changes"]
    assert [c["kind"] for c in recent] == ["changed"]
    assert len(cw.json("report", "--format", "json", "--since", "1h")["changes"]) == 2
    bad = cw("report", "--since", "yesterday-ish", ok=False)
    assert bad.exit_code == 2 and "not a time" in bad.stderr


def test_diff_between_chosen_versions_and_reanalyse(cw, site):
    cw.write_sources({"a": site.url("/a")})
    crawl(cw, site, PARAGRAPHS)
    crawl(cw, site, PARAGRAPHS + [NEW_CLAIM])
    crawl(cw, site, [SHELLS_NEW] + PARAGRAPHS[1:] + [NEW_CLAIM])
    both = cw.json("diff", "a", "--from", "1", "--to", "3", "--format", "json")["changes"]
    assert sorted(c["kind"] for c in both) == ["added", "changed"]
    before = cw.json("report", "--format", "json", "--all")
    with Store(cw.db) as store:
        alerts = store.db.execute("SELECT count(*) FROM alerts").fetchone()[0]
    assert "reanalysed 3 versions" in cw("reanalyse").stdout
    assert cw.json("report", "--format", "json", "--all") == before
    with Store(cw.db) as store:
        assert store.db.execute("SELECT count(*) FROM alerts").fetchone()[0] == alerts
    assert cw("diff", "a", "--to", "1", ok=False).exit_code == 2
    md = cw("report", "--format", "markdown").stdout
    assert md.startswith("# ") and "air\\-defence" in md and "**significant**" in md
