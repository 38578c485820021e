"""Store verbs for claims, claim changes and the alerts written with them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from claimwatch.storage.snapshots import _SNAP, SnapshotRow


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
        """The claims of a version in reading order."""
        rows = self.db.execute(
            "SELECT c.id, sc.position, c.text, c.norm_hash, c.category, c.facets, sc.lineage_id"
            " FROM snapshot_claims sc JOIN claims c ON c.id = sc.claim_id"
            " WHERE sc.snapshot_id = ? ORDER BY sc.position",
            [snapshot_id],
        )
        return [StoredClaim(*r[:5], json.loads(r[5]), r[6]) for r in rows.fetchall()]

    def claims_ever(self, source_id: int) -> list[dict[str, Any]]:
        """Every distinct claim a source has had, with the versions it was first and last in."""
        rows = self.db.execute(
            "SELECT c.id, c.text, c.category, MIN(s.version), MAX(s.version), MIN(s.fetched_at),"
            " MIN(sc.lineage_id) FROM snapshot_claims sc"
            " JOIN snapshots s ON s.id = sc.snapshot_id JOIN claims c ON c.id = sc.claim_id"
            " WHERE s.source_id = ? GROUP BY c.id ORDER BY MIN(s.version), MIN(sc.position)",
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
            "SELECT DISTINCT c.norm_hash FROM snapshot_claims sc"
            " JOIN snapshots s ON s.id = sc.snapshot_id JOIN claims c ON c.id = sc.claim_id"
            " WHERE s.source_id = ? AND s.version < ? AND s.suspect IS NULL",
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
        None for a claim that starts a lineage.
        """
        from claimwatch.storage.store import utcnow

        with self.transaction():
            for claim, lin in zip(claims, lineage, strict=True):
                cid = self._claim_id(claim)
                self.db.execute(
                    "INSERT OR REPLACE INTO snapshot_claims VALUES (?, ?, ?, ?)",
                    [snap.id, claim["position"], cid, lin if lin is not None else cid],
                )
            for ch in changes:
                self._insert_change(snap, baseline, ch)
            self.db.execute(
                "UPDATE snapshots SET analysed_at = ?, claim_count = ?, suspect = ? WHERE id = ?",
                [utcnow(), len(claims), suspect, snap.id],
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

    def _claim_id(self, claim: dict[str, Any]) -> int:
        row = self.db.execute("SELECT id FROM claims WHERE text = ?", [claim["text"]]).fetchone()
        if row:
            return int(row[0])
        cur = self.db.execute(
            "INSERT INTO claims (text, norm_hash, category, facets) VALUES (?, ?, ?, ?)",
            [claim["text"], claim["norm_hash"], claim["category"], json.dumps(claim["facets"])],
        )
        return int(cur.lastrowid)

    def _text_id(self, text: str | None) -> int | None:
        if text is None:
            return None
        row = self.db.execute("SELECT id FROM claims WHERE text = ?", [text]).fetchone()
        return int(row[0]) if row else None

    def _insert_change(self, snap: SnapshotRow, base: SnapshotRow | None, ch: ChangeRecord) -> None:
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
                self._text_id(ch.old_text),
                self._text_id(ch.new_text),
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
            self.db.execute(
                "DELETE FROM snapshot_claims WHERE snapshot_id IN"
                f" (SELECT id FROM snapshots {where})",
                args,
            )
            cur = self.db.execute(
                "UPDATE snapshots SET analysed_at = NULL, claim_count = NULL, suspect = NULL"
                f" {where}",
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
