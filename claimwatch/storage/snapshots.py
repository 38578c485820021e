"""Store verbs for the fetch log and versioned snapshots.

Each version's text and HTML are stored as deltas against the previous version, or whole
when the chain is long or the page was rewritten (see ``blobs``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from claimwatch.storage import blobs


@dataclass
class FetchRecord:
    """The outcome of one fetch attempt, as the crawler hands it to storage."""

    source_id: int
    started_at: str
    ms: int
    status: str  # ok (a candidate new version) | not_modified | unchanged | error
    run_id: int | None = None
    http_status: int | None = None
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    raw_hash: str | None = None
    # Only for status "ok":
    text: str | None = None
    text_hash: str | None = None
    title: str | None = None
    published_at: str | None = None
    raw: bytes | None = None


@dataclass(frozen=True)
class SnapshotRow:
    """One stored version of a source (without its text; see ``snapshot_text``)."""

    id: int
    source_id: int
    version: int
    fetched_at: str
    run_id: int | None
    text_hash: str
    title: str | None
    published_at: str | None
    text_len: int
    raw_len: int
    analysed_at: str | None
    claim_count: int | None
    suspect: str | None


_SNAP = """SELECT id, source_id, version, fetched_at, run_id, text_hash, title, published_at,
    text_len, raw_len, analysed_at, claim_count, suspect FROM snapshots"""


class SnapshotsMixin:
    """Fetches and snapshots."""

    def record_fetch(self, rec: FetchRecord) -> tuple[str, int | None]:
        """Log a fetch and, for a changed text, store a new version; one transaction.

        Returns the final status (``ok`` becomes ``unchanged`` when the normalised
        text hash equals the latest version's) and the new version number, if any.
        """
        with self.transaction():
            return self._record(rec)

    def record_fetches(self, recs: list[FetchRecord]) -> list[tuple[str, int | None]]:
        """Several :meth:`record_fetch` in one transaction (cheap for 304s and errors)."""
        with self.transaction():
            return [self._record(rec) for rec in recs]

    def _record(self, rec: FetchRecord) -> tuple[str, int | None]:
        """Log one fetch (and its new version) inside the caller's transaction."""
        snapshot_id = version = None
        status = rec.status
        if status == "ok":
            latest = self.latest_snapshot(rec.source_id)
            if latest is not None and latest.text_hash == rec.text_hash:
                status = "unchanged"
            else:
                snapshot_id, version = self._insert_snapshot(rec, latest)
        self._update_state(rec, status)
        self.db.execute(
            "INSERT INTO fetches (run_id, source_id, started_at, ms, status, http_status,"
            " error, snapshot_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                rec.run_id,
                rec.source_id,
                rec.started_at,
                rec.ms,
                status,
                rec.http_status,
                rec.error,
                snapshot_id,
            ],
        )
        return status, version

    def _insert_snapshot(self, rec: FetchRecord, latest: SnapshotRow | None) -> tuple[int, int]:
        version = 1 if latest is None else latest.version + 1
        text = (rec.text or "").encode("utf-8")
        raw = rec.raw or b""
        base_id, text_z, raw_z = self._compressed(text, raw, latest)
        cur = self.db.execute(
            "INSERT INTO snapshots (source_id, version, fetched_at, run_id, text_hash, title,"
            " published_at, text_len, raw_len, text_z, raw_z, base_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                rec.source_id,
                version,
                rec.started_at,
                rec.run_id,
                rec.text_hash,
                rec.title,
                rec.published_at,
                len(rec.text or ""),
                len(raw),
                text_z,
                raw_z,
                base_id,
            ],
        )
        return int(cur.lastrowid), version

    def _compressed(
        self, text: bytes, raw: bytes, latest: SnapshotRow | None
    ) -> tuple[int | None, bytes, bytes]:
        """(base id, text blob, raw blob): a delta against ``latest``, or whole (no base)."""
        whole = blobs.compress(text), blobs.compress(raw)
        if latest is None:
            return None, *whole
        chain = self._chain(latest.id)
        if len(chain) >= blobs.CHAIN_CAP:
            return None, *whole
        base_text, base_raw = self._inflate(chain)
        delta = blobs.compress(text, base_text), blobs.compress(raw, base_raw)
        if not blobs.worth_delta(sum(map(len, delta)), sum(map(len, whole))):
            return None, *whole
        return latest.id, *delta

    def _update_state(self, rec: FetchRecord, status: str) -> None:
        failed = status == "error"
        changed = status == "ok"
        self.db.execute(
            """UPDATE source_state SET
                 last_fetch_at = ?, last_status = ?, last_error = ?,
                 consecutive_failures = CASE WHEN ? THEN consecutive_failures + 1 ELSE 0 END,
                 etag = CASE WHEN ? THEN etag ELSE COALESCE(?, etag) END,
                 last_modified = CASE WHEN ? THEN last_modified ELSE COALESCE(?, last_modified) END,
                 raw_hash = CASE WHEN ? THEN raw_hash ELSE COALESCE(?, raw_hash) END,
                 last_change_at = CASE WHEN ? THEN ? ELSE last_change_at END
               WHERE source_id = ?""",
            [
                rec.started_at,
                status,
                rec.error if failed else None,
                failed,
                failed,
                rec.etag,
                failed,
                rec.last_modified,
                failed,
                rec.raw_hash,
                changed,
                rec.started_at,
                rec.source_id,
            ],
        )

    def _chain(self, snapshot_id: int) -> list[tuple[bytes, bytes]]:
        """The (text, raw) blobs from a snapshot back to its keyframe, newest first."""
        chain: list[tuple[bytes, bytes]] = []
        sid: int | None = snapshot_id
        while sid is not None:
            text_z, raw_z, sid = self.db.execute(
                "SELECT text_z, raw_z, base_id FROM snapshots WHERE id = ?", [sid]
            ).fetchone()
            chain.append((text_z, raw_z))
        return chain

    @staticmethod
    def _inflate(chain: list[tuple[bytes, bytes]]) -> tuple[bytes, bytes]:
        """The full text and raw HTML at the head of a chain from :meth:`_chain`."""
        text = raw = None
        for text_z, raw_z in reversed(chain):
            text = blobs.decompress(text_z, text)
            raw = blobs.decompress(raw_z, raw)
        return text or b"", raw or b""

    def _blobs(self, snapshot_id: int) -> tuple[bytes, bytes]:
        """The full text and raw HTML of a snapshot, following its delta chain."""
        return self._inflate(self._chain(snapshot_id))

    def snapshot_text(self, snapshot_id: int) -> str:
        """The extracted main text of a version."""
        return self._blobs(snapshot_id)[0].decode("utf-8")

    def snapshot_raw(self, snapshot_id: int) -> bytes:
        """The HTML of a version, as fetched."""
        return self._blobs(snapshot_id)[1]

    def latest_snapshot(self, source_id: int) -> SnapshotRow | None:
        """The newest version of a source, trusted or not."""
        r = self.db.execute(
            _SNAP + " WHERE source_id = ? ORDER BY version DESC LIMIT 1", [source_id]
        ).fetchone()
        return SnapshotRow(*r) if r else None

    def snapshot(self, source_id: int, version: int) -> SnapshotRow | None:
        """Version ``version`` of a source."""
        r = self.db.execute(
            _SNAP + " WHERE source_id = ? AND version = ?", [source_id, version]
        ).fetchone()
        return SnapshotRow(*r) if r else None

    def snapshot_by_id(self, snapshot_id: int) -> SnapshotRow:
        """A snapshot by its id."""
        return SnapshotRow(*self.db.execute(_SNAP + " WHERE id = ?", [snapshot_id]).fetchone())

    def snapshots(self, source_id: int) -> list[SnapshotRow]:
        """All versions of a source, oldest first."""
        rows = self.db.execute(_SNAP + " WHERE source_id = ? ORDER BY version", [source_id])
        return [SnapshotRow(*r) for r in rows.fetchall()]

    def fetches(self, source_id: int, limit: int = 50) -> list[dict[str, Any]]:
        """The newest fetch attempts of a source, newest first."""
        rows = self.db.execute(
            "SELECT f.id, f.started_at, f.ms, f.status, f.http_status, f.error, s.version"
            " FROM fetches f LEFT JOIN snapshots s ON s.id = f.snapshot_id"
            " WHERE f.source_id = ? ORDER BY f.id DESC LIMIT ?",
            [source_id, limit],
        )
        keys = ["id", "started_at", "ms", "status", "http_status", "error", "version"]
        return [dict(zip(keys, r, strict=True)) for r in rows.fetchall()]
