"""Store verbs for claims, claim changes and the alerts written with them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from claimwatch.storage import claimlist
from claimwatch.storage.snapshots import _SNAP, SnapshotRow

_CHUNK = 500  # values per IN (...) list, well under SQLite's variable limit


@dataclass(frozen=True)
class StoredClaim:
    """A claim of one version, with its lineage across versions."""

    id: int
    position: int
    text: str
    norm_hash: str
    category: str
    facets: dict[str, Any]
    lineage_id: int


@dataclass
class ChangeRecord:
    """A claim change to store: claims are named by their text."""

    kind: str
    old_text: str | None
    new_text: str | None
    significant: bool
    reason: str
    category: str | None = None
    detail: dict[str, Any] | None = None


_CHANGE_SQL = """
SELECT c.id, s.name, s.url, c.kind, oc.text, nc.text, c.significant, c.reason, c.category,
       c.detail, fs.version, ts.version, c.detected_at, r.started_at
FROM changes c
JOIN sources s ON s.id = c.source_id
JOIN snapshots ts ON ts.id = c.to_snapshot
LEFT JOIN snapshots fs ON fs.id = c.from_snapshot
LEFT JOIN claims oc ON oc.id = c.old_claim_id
LEFT JOIN claims nc ON nc.id = c.new_claim_id
LEFT JOIN runs r ON r.id = c.run_id
"""
_CHANGE_KEYS = [
    "id",
    "source",
    "url",
    "kind",
    "old_text",
    "new_text",
    "significant",
    "reason",
    "category",
    "detail",
    "from_version",
    "to_version",
    "detected_at",
    "run_started_at",
]

# Insert a trusted version's claims into its source's history, or widen the versions and
# keep the smallest lineage id and position of the claims it already holds. ``entries`` is
# the version's claim list as JSON: [[claim_id, position, lineage_id], ...].
_HOLD_SQL = """
INSERT INTO source_claims (source_id, claim_id, lineage_id, first_version, last_version,
                           first_seen, min_position)
SELECT :source, json_extract(value, '$[0]'), json_extract(value, '$[2]'), :version, :version,
       :seen, json_extract(value, '$[1]')
FROM json_each(:entries) WHERE true
ON CONFLICT (source_id, claim_id) DO UPDATE SET
    lineage_id = MIN(lineage_id, excluded.lineage_id),
    first_version = MIN(first_version, excluded.first_version),
    last_version = MAX(last_version, excluded.last_version),
    first_seen = MIN(first_seen, excluded.first_seen),
    min_position = MIN(min_position, excluded.min_position)
"""


def _chunks(values: Sequence[Any]) -> Iterator[list[Any]]:
    """``values`` in lists of at most ``_CHUNK``."""
    for i in range(0, len(values), _CHUNK):
        yield list(values[i : i + _CHUNK])


class ClaimsMixin:
    """Claims, changes, alerts."""

    def pending_snapshots(self, source_id: int | None = None) -> list[SnapshotRow]:
        """Versions not analysed yet, in the order they must be analysed."""
        sql = _SNAP + " WHERE analysed_at IS NULL"
        args: list[Any] = []
        if source_id is not None:
            sql += " AND source_id = ?"
            args.append(source_id)
        return [
            SnapshotRow(*r) for r in self.db.execute(sql + " ORDER BY source_id, version", args)
        ]

    def baseline(self, source_id: int, before_version: int) -> SnapshotRow | None:
        """The last trusted, analysed version before ``before_version``."""
        r = self.db.execute(
            _SNAP + " WHERE source_id = ? AND version < ? AND analysed_at IS NOT NULL"
            " AND suspect IS NULL ORDER BY version DESC LIMIT 1",
            [source_id, before_version],
        ).fetchone()
        return SnapshotRow(*r) if r else None

    def claims_of(self, snapshot_id: int) -> list[StoredClaim]:
        """The claims of a version in reading order (suspect versions included)."""
        row = self.db.execute(
            "SELECT claim_list FROM snapshots WHERE id = ?", [snapshot_id]
        ).fetchone()
        entries = claimlist.decode(row[0] if row else None)
        found: dict[int, tuple[Any, ...]] = {}
        for part in _chunks(sorted({e.claim_id for e in entries})):
            rows = self.db.execute(
                "SELECT id, text, norm_hash, category, facets FROM claims"
                f" WHERE id IN ({','.join('?' * len(part))})",
                part,
            )
            found.update((r[0], r[1:]) for r in rows)
        out = []
        for e in entries:
            text, norm_hash, category, facets = found[e.claim_id]
            out.append(
                StoredClaim(
                    e.claim_id,
                    e.position,
                    text,
                    norm_hash,
                    category,
                    json.loads(facets),
                    e.lineage_id,
                )
            )
        return out

    def claims_ever(self, source_id: int) -> list[dict[str, Any]]:
        """Every distinct claim of a source's trusted versions, with its first and last one."""
        rows = self.db.execute(
            "SELECT c.id, c.text, c.category, h.first_version, h.last_version, h.first_seen,"
            " h.lineage_id FROM source_claims h JOIN claims c ON c.id = h.claim_id"
            " WHERE h.source_id = ? ORDER BY h.first_version, h.min_position, c.id",
            [source_id],
        )
        keys = [
            "id",
            "text",
            "category",
            "first_version",
            "last_version",
            "first_seen",
            "lineage_id",
        ]
        return [dict(zip(keys, r, strict=True)) for r in rows.fetchall()]

    def hashes_seen(self, source_id: int, before_version: int) -> set[str]:
        """Normalised hashes of every claim in trusted versions before ``before_version``."""
        rows = self.db.execute(
            "SELECT DISTINCT c.norm_hash FROM source_claims h JOIN claims c ON c.id = h.claim_id"
            " WHERE h.source_id = ? AND h.first_version < ?",
            [source_id, before_version],
        )
        return {r[0] for r in rows.fetchall()}

    def record_analysis(
        self,
        snap: SnapshotRow,
        baseline: SnapshotRow | None,
        claims: Sequence[dict[str, Any]],
        lineage: Sequence[int | None],
        changes: Iterable[ChangeRecord],
        *,
        suspect: str | None = None,
        alert: dict[str, Any] | None = None,
    ) -> None:
        """Store a version's claims and its changes (and their alert) in one transaction.

        ``lineage[i]`` is the lineage id carried over from the baseline for claim i, or
        None for a claim that starts a lineage. A suspect version keeps its claim list
        (``claims_of``) but adds nothing to the source's claim history.
        """
        from claimwatch.storage.store import utcnow

        with self.transaction():
            ids = self._claim_ids(claims)
            by_position = {}  # a repeated position keeps its last claim, as before
            for claim, lin in zip(claims, lineage, strict=True):
                cid = ids[claim["text"]]
                pos = claim["position"]
                by_position[pos] = claimlist.Entry(cid, pos, lin if lin is not None else cid)
            entries = [by_position[p] for p in sorted(by_position)]
            if suspect is None:
                self._hold(snap, entries)
            for ch in changes:
                self._insert_change(snap, baseline, ch, ids)
            self.db.execute(
                "UPDATE snapshots SET analysed_at = ?, claim_count = ?, suspect = ?,"
                " claim_list = ? WHERE id = ?",
                [utcnow(), len(claims), suspect, claimlist.encode(entries), snap.id],
            )
            if alert is not None:
                self.db.execute(
                    "INSERT OR IGNORE INTO alerts (run_id, source_id, kind, payload,"
                    " idempotency_key, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        snap.run_id,
                        snap.source_id,
                        alert["kind"],
                        json.dumps(alert["payload"]),
                        alert["idempotency_key"],
                        utcnow(),
                    ],
                )

    def _claim_ids(self, claims: Sequence[dict[str, Any]]) -> dict[str, int]:
        """Claim id by text, inserting the texts not stored yet (in reading order)."""
        texts = list(dict.fromkeys(c["text"] for c in claims))
        ids: dict[str, int] = {}
        for part in _chunks(texts):
            rows = self.db.execute(
                f"SELECT id, text FROM claims WHERE text IN ({','.join('?' * len(part))})", part
            )
            ids.update((text, int(cid)) for cid, text in rows)
        for claim in claims:
            if claim["text"] not in ids:
                cur = self.db.execute(
                    "INSERT INTO claims (text, norm_hash, category, facets) VALUES (?, ?, ?, ?)",
                    [
                        claim["text"],
                        claim["norm_hash"],
                        claim["category"],
                        json.dumps(claim["facets"]),
                    ],
                )
                ids[claim["text"]] = int(cur.lastrowid)
        return ids

    def _hold(self, snap: SnapshotRow, entries: Sequence[claimlist.Entry]) -> None:
        """Add a trusted version's claims to its source's history, in one statement."""
        self.db.execute(
            _HOLD_SQL,
            {
                "source": snap.source_id,
                "version": snap.version,
                "seen": snap.fetched_at,
                "entries": json.dumps([list(e) for e in entries]),
            },
        )

    def _text_id(self, text: str | None, known: dict[str, int]) -> int | None:
        if text is None:
            return None
        if text in known:
            return known[text]
        row = self.db.execute("SELECT id FROM claims WHERE text = ?", [text]).fetchone()
        return int(row[0]) if row else None

    def _insert_change(
        self, snap: SnapshotRow, base: SnapshotRow | None, ch: ChangeRecord, known: dict[str, int]
    ) -> None:
        self.db.execute(
            "INSERT INTO changes (run_id, source_id, from_snapshot, to_snapshot, kind,"
            " old_claim_id, new_claim_id, significant, reason, category, detail, detected_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                snap.run_id,
                snap.source_id,
                base.id if base else None,
                snap.id,
                ch.kind,
                self._text_id(ch.old_text, known),
                self._text_id(ch.new_text, known),
                int(ch.significant),
                ch.reason,
                ch.category,
                json.dumps(ch.detail or {}),
                snap.fetched_at,
            ],
        )

    def reset_analysis(self, source_id: int | None = None) -> int:
        """Forget claims and changes (of one source, or all) so they can be recomputed."""
        where, args = ("WHERE source_id = ?", [source_id]) if source_id else ("", [])
        with self.transaction():
            self.db.execute(f"DELETE FROM changes {where}", args)
            self.db.execute(f"DELETE FROM source_claims {where}", args)
            cur = self.db.execute(
                "UPDATE snapshots SET analysed_at = NULL, claim_count = NULL, suspect = NULL,"
                f" claim_list = NULL {where}",
                args,
            )
        return cur.rowcount

    def changes(
        self,
        *,
        since: str | None = None,
        sources: Sequence[str] = (),
        significant_only: bool = False,
        to_snapshot: int | None = None,
    ) -> list[dict[str, Any]]:
        """Claim changes with their source and versions, oldest first.

        ``since`` selects changes detected by runs that started at or after it.
        """
        where, args = [], []
        if since:
            where.append("r.started_at >= ?")
            args.append(since)
        if sources:
            where.append(f"s.name IN ({','.join('?' * len(sources))})")
            args.extend(sources)
        if significant_only:
            where.append("c.significant = 1")
        if to_snapshot is not None:
            where.append("c.to_snapshot = ?")
            args.append(to_snapshot)
        sql = _CHANGE_SQL + (" WHERE " + " AND ".join(where) if where else "")
        rows = self.db.execute(sql + " ORDER BY c.id", args).fetchall()
        out = []
        for r in rows:
            d = dict(zip(_CHANGE_KEYS, r, strict=True))
            d["significant"] = bool(d["significant"])
            d["detail"] = json.loads(d["detail"]) if d["detail"] else {}
            out.append(d)
        return out
