"""Upgrading a database written with one ``snapshot_claims`` row per claim per version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlite_utils import Database

from claimwatch.storage import Store, blobs
from claimwatch.storage.migrations import migrations
from claimwatch.storage.search import fts_query, search_claims

# The queries of the old layout, as claimwatch ran them before the upgrade.
OLD_CLAIMS_OF = """
SELECT c.id, sc.position, c.text, c.norm_hash, c.category, c.facets, sc.lineage_id
FROM snapshot_claims sc JOIN claims c ON c.id = sc.claim_id
WHERE sc.snapshot_id = ? ORDER BY sc.position"""
OLD_CLAIMS_EVER = """
SELECT c.id, c.text, c.category, MIN(s.version), MAX(s.version), MIN(s.fetched_at),
       MIN(sc.lineage_id) FROM snapshot_claims sc
JOIN snapshots s ON s.id = sc.snapshot_id JOIN claims c ON c.id = sc.claim_id
WHERE s.source_id = ? {trusted} GROUP BY c.id ORDER BY MIN(s.version), MIN(sc.position)"""
OLD_HASHES_SEEN = """
SELECT DISTINCT c.norm_hash FROM snapshot_claims sc
JOIN snapshots s ON s.id = sc.snapshot_id JOIN claims c ON c.id = sc.claim_id
WHERE s.source_id = ? AND s.version < ? AND s.suspect IS NULL"""
OLD_SEARCH = """
WITH hits AS (
    SELECT rowid AS claim_id, bm25(claims_fts) AS rank FROM claims_fts
    WHERE claims_fts MATCH :query
),
latest AS (
    SELECT source_id, MAX(version) AS version FROM snapshots
    WHERE analysed_at IS NOT NULL AND suspect IS NULL GROUP BY source_id
),
held AS (
    SELECT h.claim_id, sn.source_id, MIN(sn.version) AS first_version,
           MAX(sn.version) AS last_version, MIN(sn.fetched_at) AS first_seen
    FROM hits h
    JOIN snapshot_claims sc ON sc.claim_id = h.claim_id
    JOIN snapshots sn ON sn.id = sc.snapshot_id
    WHERE sn.suspect IS NULL
    GROUP BY h.claim_id, sn.source_id
)
SELECT c.text, s.name, held.last_version, held.first_version, held.first_seen,
       held.last_version = latest.version
FROM held
JOIN hits h ON h.claim_id = held.claim_id
JOIN claims c ON c.id = held.claim_id
JOIN sources s ON s.id = held.source_id
LEFT JOIN latest ON latest.source_id = held.source_id
WHERE (:history OR held.last_version = latest.version)
ORDER BY h.rank, s.name, held.first_seen"""

TEXTS = {
    1: "North Korea sent artillery shells to Russia.",
    2: "Russia paid for the shells with oil.",
    3: "The treaty was signed in Pyongyang.",
    4: "Russia paid for the shells with grain.",
    5: "Only a failed extraction saw these shells.",
    6: "Troops from North Korea reached Kursk.",
    7: "Seoul protested the shells deal.",
}
# source -> version -> (claim ids in reading order, lineage ids) or a marker
HISTORY: dict[str, dict[int, object]] = {
    "a": {
        1: ([1, 2, 3], [1, 2, 3]),
        2: ([1, 4, 3], [1, 2, 3]),  # claim 2 edited into claim 4, which keeps its lineage
        3: ([3, 1, 4], [3, 1, 2]),  # claims move
        4: ([5], [5]),  # suspect
        5: ([1, 4, 3, 1], [1, 4, 3, 1]),  # a claim twice; claim 4 now starts its own lineage
        6: ([2, 1, 6], [2, 1, 6]),  # claim 2 comes back
        7: "pending",
    },
    "b": {1: ([1, 7], [1, 7]), 2: ([], [])},
}


def _old_database(path: Path) -> None:
    """A database in the layout before ``m003_claim_lists``, with analysed versions."""
    db = Database(path)
    migrations.apply(db, stop_before="m003_claim_lists")
    for cid, text in TEXTS.items():
        facets = json.dumps({"numbers": [cid]})
        category = "supply" if "shells" in text else "other"
        db.execute(
            "INSERT INTO claims VALUES (?, ?, ?, ?, ?)", [cid, text, f"h{cid}", category, facets]
        )
    for sid, (name, versions) in enumerate(HISTORY.items(), start=1):
        db.execute(
            "INSERT INTO sources (id, name, url, created_at) VALUES (?, ?, ?, '2025-01-01')",
            [sid, name, f"http://127.0.0.1/{name}"],
        )
        for version, entry in versions.items():
            body = blobs.compress(f"{name} {version}".encode())
            analysed = None if entry == "pending" else f"2025-02-0{version}T01:00:00Z"
            ids, lineage = ([], []) if entry == "pending" else entry
            cur = db.execute(
                "INSERT INTO snapshots (source_id, version, fetched_at, text_hash, text_len,"
                " raw_len, text_z, raw_z, analysed_at, claim_count, suspect)"
                " VALUES (?, ?, ?, ?, 1, 1, ?, ?, ?, ?, ?)",
                [
                    sid,
                    version,
                    f"2025-02-0{version}T00:00:00Z",
                    f"{name}{version}",
                    body,
                    body,
                    analysed,
                    None if analysed is None else len(ids),
                    "collapse" if (name, version) == ("a", 4) else None,
                ],
            )
            for pos, (cid, lin) in enumerate(zip(ids, lineage, strict=True)):
                db.execute(
                    "INSERT INTO snapshot_claims VALUES (?, ?, ?, ?)",
                    [cur.lastrowid, pos, cid, lin],
                )
    db.conn.commit()
    db.close()


def _old_answers(path: Path) -> dict:
    """What the old layout's queries return for every source, version and search."""
    db = Database(path)
    snaps = db.execute("SELECT id, source_id, version FROM snapshots").fetchall()
    out = {
        "claims_of": {i: db.execute(OLD_CLAIMS_OF, [i]).fetchall() for i, _, _ in snaps},
        "hashes_seen": {
            (s, v): {r[0] for r in db.execute(OLD_HASHES_SEEN, [s, v])}
            for _, s, v in snaps + [(0, 1, 8), (0, 2, 3)]
        },
        "ever": {
            (s, trusted): db.execute(OLD_CLAIMS_EVER.format(trusted=trusted), [s]).fetchall()
            for s in (1, 2)
            for trusted in ("", "AND s.suspect IS NULL")
        },
        "search": {
            (q, h): db.execute(OLD_SEARCH, {"query": fts_query(q), "history": h}).fetchall()
            for q in ("shells", "Russia", "treaty Pyongyang", "Kursk")
            for h in (0, 1)
        },
    }
    db.close()
    return out


@pytest.fixture
def upgraded(tmp_path: Path):
    path = tmp_path / "old.db"
    _old_database(path)
    old = _old_answers(path)
    with Store(path) as store:
        yield store, old


def test_every_verb_answers_as_before_after_the_upgrade(upgraded):
    store, old = upgraded
    for snapshot_id, rows in old["claims_of"].items():
        got = store.claims_of(snapshot_id)
        want = [(*r[:5], json.loads(r[5]), r[6]) for r in rows]
        assert [tuple(c.__dict__.values()) for c in got] == want
    for (source_id, version), hashes in old["hashes_seen"].items():
        assert store.hashes_seen(source_id, version) == hashes
    for source_id in (1, 2):
        trusted = old["ever"][(source_id, "AND s.suspect IS NULL")]
        assert [tuple(c.values()) for c in store.claims_ever(source_id)] == trusted
    for (query, history), rows in old["search"].items():
        hits = search_claims(store, query, history=bool(history))
        got = [
            (h.text, h.source, h.version, h.first_version, h.first_seen, h.current) for h in hits
        ]
        assert got == [(*r[:5], bool(r[5])) for r in rows], (query, history)


def test_suspect_versions_no_longer_feed_a_sources_claim_history(upgraded):
    store, old = upgraded
    before = {r[1] for r in old["ever"][(1, "")]}
    now = {c["text"] for c in store.claims_ever(1)}
    assert before - now == {TEXTS[5]}
    assert [c.text for c in store.claims_of(store.snapshot(1, 4).id)] == [TEXTS[5]]


def test_upgraded_database_keeps_versions_and_goes_on_analysing(upgraded):
    store, _ = upgraded
    names = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master")}
    assert "snapshot_claims" not in names and "claims_norm" not in names
    a = store.snapshots(1)
    assert [(s.claim_count, s.suspect) for s in a][3:] == [
        (1, "collapse"),
        (4, None),
        (3, None),
        (None, None),
    ]
    assert store.snapshot_text(a[0].id) == "a 1" and store.claims_of(store.snapshot(2, 2).id) == []
    assert [s.version for s in store.pending_snapshots()] == [7]
    claims = [
        {"text": TEXTS[6], "position": 0, "norm_hash": "h6", "category": "other", "facets": {}}
    ]
    store.record_analysis(a[6], store.baseline(1, 7), claims, [6], [])
    kursk = next(c for c in store.claims_ever(1) if c["id"] == 6)
    assert (kursk["first_version"], kursk["last_version"]) == (6, 7)
    assert store.hashes_seen(1, 8) == {"h1", "h2", "h3", "h4", "h6"}
