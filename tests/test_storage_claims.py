"""Claim lists on snapshot rows and the per-source claim history, on real SQLite files."""

from __future__ import annotations

import random
import zlib

import pytest

from claimwatch.storage import FetchRecord, Store, claimlist, utcnow
from claimwatch.storage.search import search_claims


def _claim(text: str, pos: int) -> dict:
    return {
        "text": text,
        "position": pos,
        "norm_hash": "h:" + text.lower(),
        "category": "supply" if "shells" in text else "diplomacy",
        "facets": {"numbers": [len(text)]},
    }


def _sentence(n: int) -> str:
    return f"North Korea sent {n} artillery shells to Russia in batch {n}."


def _version(store: Store, sid: int, n: int) -> int:
    """Store a new version of source ``sid`` (its text does not matter here)."""
    text = f"page {sid} version {n}"
    store.record_fetch(
        FetchRecord(sid, utcnow(), 1, "ok", text=text, text_hash=text, raw=text.encode())
    )
    return store.latest_snapshot(sid).id


def _record(store: Store, snapshot_id: int, texts: list[str], lineage: list, suspect=None):
    snap = store.snapshot_by_id(snapshot_id)
    claims = [_claim(t, i) for i, t in enumerate(texts)]
    base = store.baseline(snap.source_id, snap.version)
    store.record_analysis(snap, base, claims, lineage, [], suspect=suspect)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "s.db")
    s.import_sources(
        [{"name": "a", "url": "http://127.0.0.1/a"}, {"name": "b", "url": "http://127.0.0.1/b"}],
        origin="test",
    )
    yield s
    s.close()


def _history(rng: random.Random) -> list[tuple[list[str], str | None]]:
    """Versions of a page: one claim replaced each time, moves, a repeat, a suspect version."""
    texts = [_sentence(i) for i in range(30)]
    out: list[tuple[list[str], str | None]] = [(list(texts), None)]
    fresh = 100
    for v in range(2, 26):
        if v == 9:  # a failed extraction: most claims vanish
            out.append((texts[:5] + ["Only in the suspect version: shells lost."], "collapse"))
            continue
        texts[rng.randrange(len(texts))] = _sentence(fresh)
        fresh += 1
        if v == 12:
            texts.insert(0, texts.pop())  # a claim moves to the top
        if v == 15:
            texts.append(texts[3])  # the same sentence twice on one page
        if v == 18:
            texts[7] = _sentence(0)  # a removed claim comes back
        out.append((list(texts), None))
    return out


def _lineage(rng: random.Random, texts: list[str], earlier: dict[str, int]) -> list:
    """Lineage as the pipeline passes it: carried over (an older claim's id) or None."""
    return [earlier.get(t) if rng.random() < 0.9 else None for t in texts]


def _expected(store: Store, sid: int) -> tuple[dict, dict]:
    """claims_ever and hashes_seen worked out from every trusted version's claims_of."""
    ever: dict[int, dict] = {}
    seen: dict[int, set[str]] = {}
    acc: set[str] = set()
    for snap in store.snapshots(sid):
        seen[snap.version] = set(acc)
        if snap.suspect or snap.analysed_at is None:
            continue
        for c in store.claims_of(snap.id):
            acc.add(c.norm_hash)
            e = ever.setdefault(c.id, {"first_version": snap.version, "pos": c.position})
            e.update(last_version=snap.version, text=c.text, pos=min(e["pos"], c.position))
            e["lineage_id"] = min(e.get("lineage_id", c.lineage_id), c.lineage_id)
            e.setdefault("first_seen", snap.fetched_at)
    return ever, seen


def _check(store: Store, sid: int, recorded: dict[int, list[str]]) -> None:
    for snapshot_id, texts in recorded.items():
        got = store.claims_of(snapshot_id)
        assert [c.text for c in got] == texts
        assert [c.position for c in got] == list(range(len(texts)))
    ever, seen = _expected(store, sid)
    listed = store.claims_ever(sid)
    assert {c["id"]: c["text"] for c in listed} == {i: e["text"] for i, e in ever.items()}
    for c in listed:
        e = ever[c["id"]]
        assert (c["first_version"], c["last_version"]) == (e["first_version"], e["last_version"])
        assert (c["lineage_id"], c["first_seen"]) == (e["lineage_id"], e["first_seen"])
    order = sorted(ever, key=lambda i: (ever[i]["first_version"], ever[i]["pos"], i))
    assert [c["id"] for c in listed] == order
    for version, hashes in seen.items():
        assert store.hashes_seen(sid, version) == hashes


def test_many_versions_with_a_suspect_one_and_a_reanalyse(store):
    rng = random.Random(5)
    a, b = store.source("a").id, store.source("b").id
    history = _history(rng)
    ids: dict[int, int] = {}
    for n in range(len(history)):
        ids[n] = _version(store, a, n)
    other = _version(store, b, 0)
    _record(store, other, [_sentence(0), "Seoul protested."], [None, None])

    def analyse() -> dict[int, list[str]]:
        earlier: dict[str, int] = {}
        for n, (texts, suspect) in enumerate(history):
            lin = [None] * len(texts) if suspect else _lineage(rng, texts, earlier)
            _record(store, ids[n], texts, lin, suspect)
            if not suspect:
                earlier = {c.text: c.lineage_id for c in store.claims_of(ids[n])}
        return {ids[n]: texts for n, (texts, _) in enumerate(history)}

    recorded = analyse()
    _check(store, a, recorded)
    listed = [c["text"] for c in store.claims_ever(a)]
    assert "Only in the suspect version: shells lost." not in listed
    assert store.claims_of(ids[8])[-1].text == "Only in the suspect version: shells lost."
    back = next(c for c in store.claims_ever(a) if c["text"] == _sentence(0))
    assert back["first_version"] == 1 and back["last_version"] >= 18
    before = store.claims_ever(a), store.claims_ever(b)

    assert store.reset_analysis(a) == len(history)
    assert store.claims_ever(a) == [] and store.claims_of(ids[3]) == []
    assert store.claims_ever(b) == before[1], "resetting one source keeps the others"
    rng.seed(5)
    _history(rng)  # same lineage choices as the first analysis
    _check(store, a, analyse())
    assert store.claims_ever(a) == before[0]


def test_search_current_and_history_after_many_versions(store):
    a = store.source("a").id
    kept, dropped = "Pyongyang shipped howitzers by rail.", "Pyongyang shipped howitzers by sea."
    ids = [_version(store, a, n) for n in range(4)]
    _record(store, ids[0], [kept, dropped, _sentence(1)], [None] * 3)
    _record(store, ids[1], [kept, _sentence(1)], [None] * 2)
    _record(store, ids[2], [kept, _sentence(2)], [None] * 2)
    _record(store, ids[3], ["Pyongyang denied howitzers."], [None], suspect="collapse")
    now = {h.text: h for h in search_claims(store, "howitzers")}
    assert set(now) == {kept}, "the suspect version is not the latest trusted one"
    assert (now[kept].first_version, now[kept].version, now[kept].current) == (1, 3, True)
    past = {h.text: h for h in search_claims(store, "howitzers", history=True)}
    assert set(past) == {kept, dropped}
    assert (past[dropped].version, past[dropped].current) == (1, False)
    assert past[dropped].first_seen == store.snapshot_by_id(ids[0]).fetched_at


def test_claim_list_round_trips_and_stays_small():
    rng = random.Random(3)
    fresh = [claimlist.Entry(100 + i, i, 100 + i) for i in range(120)]
    assert claimlist.decode(claimlist.encode(fresh)) == fresh
    assert len(claimlist.encode(fresh)) < 40, "a page stored in reading order is tiny"
    mixed = [claimlist.Entry(rng.randrange(1, 10**7), i, 0) for i in range(200)]
    mixed = [e._replace(lineage_id=e.claim_id - rng.choice([0, 0, 0, 5, -9])) for e in mixed]
    mixed.append(mixed[3]._replace(position=200))  # a repeated claim
    assert claimlist.decode(claimlist.encode(mixed)) == mixed
    gaps = [claimlist.Entry(7, 2, 7), claimlist.Entry(5, 9, 1)]
    assert claimlist.decode(claimlist.encode(gaps)) == gaps
    assert claimlist.decode(claimlist.encode([])) == [] == claimlist.decode(None)


def test_corrupt_claim_list_is_a_clear_error(store):
    a = store.source("a").id
    sid = _version(store, a, 1)
    _record(store, sid, [_sentence(1)], [None])
    store.db.execute("UPDATE snapshots SET claim_list = ? WHERE id = ?", [b"\x78junk", sid])
    with pytest.raises(claimlist.ClaimListError, match="corrupt claim list"):
        store.claims_of(sid)


def test_record_analysis_looks_claims_up_in_batches(store):
    a = store.source("a").id
    texts = [_sentence(i) for i in range(1200)]  # more than one IN (...) chunk
    _record(store, _version(store, a, 1), texts, [None] * len(texts))
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    texts[600] = "A new claim about shells."
    sid = _version(store, a, 2)
    _record(store, sid, texts, [None] * len(texts))
    store.conn.set_trace_callback(None)
    lookups = [s for s in statements if s.startswith("SELECT id, text FROM claims")]
    assert len(lookups) == 3
    # (the trace repeats a statement for each trigger it fires: count distinct ones)
    assert len({s for s in statements if s.startswith("INSERT INTO claims ")}) == 1
    assert [c.text for c in store.claims_of(sid)] == texts


def test_claim_history_grows_far_less_than_a_row_per_claim_per_version(tmp_path):
    """200 versions of a 120-claim page, one claim replaced each time."""
    with Store(tmp_path / "g.db") as store:
        store.import_sources([{"name": "a", "url": "http://127.0.0.1/a"}], origin="test")
        a = store.source("a").id
        rng = random.Random(11)
        texts = [_sentence(i) for i in range(120)]
        for n in range(201):
            if n:
                texts[rng.randrange(120)] = _sentence(1000 + n)
            _record(store, _version(store, a, n), texts, [None] * 120)
        lists = store.db.execute("SELECT sum(length(claim_list)) FROM snapshots").fetchone()[0]
        rows = store.db.execute("SELECT count(*) FROM source_claims").fetchone()[0]
    assert rows == 320, "one history row per distinct claim, not per version"
    # snapshot_claims needed ~3 KB per version for such a page (rows plus index).
    assert lists / 200 < 300


def test_no_claims_norm_index_or_snapshot_claims_table(store):
    names = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master")}
    assert "snapshot_claims" not in names and "claims_norm" not in names
    assert {"source_claims", "source_claims_claim"} <= names


def test_purging_a_source_drops_its_claim_history(store):
    a = store.source("a").id
    _record(store, _version(store, a, 1), [_sentence(1)], [None])
    store.remove_source("a", purge=True)
    assert store.db.execute("SELECT count(*) FROM source_claims").fetchone()[0] == 0


def test_unknown_claim_list_format_is_refused():
    with pytest.raises(claimlist.ClaimListError, match="format 9"):
        claimlist.decode(zlib.compress(bytes([9, 0, 0, 0])))
