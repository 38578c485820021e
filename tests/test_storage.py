"""The Store on real SQLite files: migrations, versions, delta compression, state."""

from __future__ import annotations

import os
import random
import sqlite3
import zlib

import pytest

from claimwatch.storage import FetchRecord, Store, StoreError, blobs, utcnow


def _page(i: int) -> str:
    rng = random.Random(7)
    words = ["Russia", "Pyongyang", "shells", "trade", "treaty", "sanctions", "oil", "troops"]
    body = " ".join(
        f"{rng.choice(words)} {rng.randrange(10**6)} {rng.choice(words)}." for _ in range(600)
    )
    return body + f" Edit number {i}."


def _ok(store: Store, sid: int, text: str, raw: bytes | None = None) -> tuple[str, int | None]:
    rec = FetchRecord(
        source_id=sid,
        started_at=utcnow(),
        ms=1,
        status="ok",
        text=text,
        text_hash=str(hash(text)),
        raw=raw or text.encode(),
    )
    return store.record_fetch(rec)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "s.db")
    s.import_sources([{"name": "a", "url": "http://127.0.0.1/a"}], origin="test")
    yield s
    s.close()


def test_open_applies_schema_wal_and_integrity(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"sources", "fetches", "snapshots", "claims", "changes", "alerts"} <= set(
        store.db.table_names()
    )
    assert store.integrity_ok()


def _chains(store: Store) -> dict[int, int]:
    """Blobs inflated to read each version, by version."""
    rows = store.db.execute("SELECT id, version, base_id FROM snapshots").fetchall()
    base = {i: b for i, _, b in rows}
    out = {}
    for i, version, _ in rows:
        n, at = 1, i
        while base[at] is not None:
            n, at = n + 1, base[at]
        out[version] = n
    return out


def test_versions_round_trip_through_delta_chain(store):
    sid = store.source("a").id
    texts = [_page(i) for i in range(blobs.CHAIN_CAP * 2 + 3)]
    for t in texts:
        _ok(store, sid, t)
    snaps = store.snapshots(sid)
    assert [s.version for s in snaps] == list(range(1, len(texts) + 1))
    for snap, text in zip(snaps, texts, strict=True):
        assert store.snapshot_text(snap.id) == text
        assert store.snapshot_raw(snap.id) == text.encode()
    # The chain cap bounds reads; deltas make one-sentence edits cheap.
    chains = _chains(store)
    assert max(chains.values()) == blobs.CHAIN_CAP
    assert [v for v, n in chains.items() if n == 1] == [
        1,
        blobs.CHAIN_CAP + 1,
        2 * blobs.CHAIN_CAP + 1,
    ]
    sizes = store.db.execute("SELECT length(text_z), base_id FROM snapshots").fetchall()
    full = min(size for size, base in sizes if base is None)
    delta = max(size for size, base in sizes if base is not None)
    assert delta * 5 < full


def test_a_rewritten_page_is_stored_whole_and_starts_a_new_chain(store):
    sid = store.source("a").id
    rewritten = " ".join(f"Entirely new report {random.Random(i).random()}." for i in range(400))
    texts = [_page(0), _page(1), _page(2), rewritten, rewritten + " One more sentence."]
    for t in texts:
        _ok(store, sid, t)
    assert list(_chains(store).values()) == [1, 2, 3, 1, 2]
    assert [store.snapshot_text(s.id) for s in store.snapshots(sid)] == texts


def test_same_text_is_unchanged_and_state_tracks_failures(store):
    sid = store.source("a").id
    assert _ok(store, sid, _page(1)) == ("ok", 1)
    assert _ok(store, sid, _page(1)) == ("unchanged", None)
    for _ in range(3):
        store.record_fetch(
            FetchRecord(
                source_id=sid,
                started_at=utcnow(),
                ms=1,
                status="error",
                error="HTTP 500",
                http_status=500,
            )
        )
    src = store.source("a")
    assert src.consecutive_failures == 3 and src.last_error == "HTTP 500"
    assert _ok(store, sid, _page(2)) == ("ok", 2)
    assert store.source("a").consecutive_failures == 0
    statuses = [f["status"] for f in store.fetches(sid)]
    assert statuses == ["ok", "error", "error", "error", "unchanged", "ok"]


def test_import_keeps_disabled_and_removed_sources(store):
    store.set_enabled("a", False)
    store.import_sources([{"name": "a", "url": "http://127.0.0.1/a2"}], origin="f")
    assert store.source("a").enabled is False and store.source("a").url.endswith("a2")
    store.remove_source("a")
    store.import_sources([{"name": "a", "url": "http://127.0.0.1/a"}], origin="f")
    assert store.sources() == []
    assert store.sources(include_removed=True)[0].removed_at


def test_unopenable_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match=str(bad)):
        Store(bad)


def test_a_full_database_gives_store_error_not_a_crash(store):
    sid = store.source("a").id
    store.db.execute("PRAGMA max_page_count = 1")
    os.environ.pop("X", None)
    with pytest.raises(StoreError, match="cannot write"):
        _ok(store, sid, _page(1) * 50)
    assert isinstance(store.conn, sqlite3.Connection)


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: t.replace("Edit number", "Revision number"),  # a change at the end
        lambda t: "Breaking: " + t,  # at the start
        lambda t: t[:4000] + t[4100:],  # a sentence cut from the middle
        lambda t: t + t[:3000],  # text repeated
        lambda t: t[:5000],  # the base continues the version
        lambda t: "",
    ],
)
def test_deltas_round_trip_edits_anywhere(edit):
    base = _page(1).encode()
    data = edit(_page(1)).encode()
    assert blobs.decompress(blobs.compress(data, base), base) == data
    assert blobs.decompress(blobs.compress(base, data), data) == base
    assert blobs.decompress(blobs.compress(data, b""), b"") == data


def test_one_sentence_edit_costs_tens_of_bytes_and_old_deltas_still_read():
    base = _page(1).encode()
    data = base[:4000] + b" Moscow denied every shipment. " + base[4040:]
    assert len(blobs.compress(data, base)) < 60
    # deltas written before trimming compressed the whole version against the previous one
    co = zlib.compressobj(6, zdict=base[-32768:])
    legacy = co.compress(data) + co.flush()
    assert blobs.decompress(legacy, base) == data
