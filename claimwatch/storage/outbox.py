"""Store verbs for the alert outbox: alerts, their deliveries per hook, and source health.

An alert row is written once (with the changes it reports, or after a crawl for health
alerts). Delivery state lives in ``deliveries``, one row per alert and hook name, created
when the alert is fanned out to a hook. An alert has left the outbox for a hook only when
its delivery row says ``sent``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

HEALTH_KINDS = ("source_failing", "source_recovered")
RETRYABLE = ("failed", "dead")


@dataclass(frozen=True)
class AlertRow:
    """One alert as stored."""

    id: int
    run_id: int | None
    source_id: int | None
    kind: str
    payload: dict[str, Any]
    idempotency_key: str
    created_at: str


@dataclass(frozen=True)
class DeliveryRow:
    """The state of one alert's delivery to one hook, with the alert."""

    id: int
    alert_id: int
    hook: str
    status: str
    attempts: int
    next_attempt_at: str
    last_error: str | None
    created_at: str
    sent_at: str | None
    alert: AlertRow


_ALERT = "SELECT a.id, a.run_id, a.source_id, a.kind, a.payload, a.idempotency_key, a.created_at"
_DELIVERY = (
    "SELECT d.id, d.alert_id, d.hook, d.status, d.attempts, d.next_attempt_at, d.last_error,"
    " d.created_at, d.sent_at, a.id, a.run_id, a.source_id, a.kind, a.payload,"
    " a.idempotency_key, a.created_at FROM deliveries d JOIN alerts a ON a.id = d.alert_id"
)


def _alert(r: Sequence[Any]) -> AlertRow:
    return AlertRow(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6])


def _delivery(r: Sequence[Any]) -> DeliveryRow:
    return DeliveryRow(*r[:9], alert=_alert(r[9:]))


class OutboxMixin:
    """Alerts, deliveries and the failure streaks behind health alerts."""

    # alerts ---------------------------------------------------------------------------------
    def add_alert(
        self,
        kind: str,
        payload: dict[str, Any],
        key: str,
        *,
        source_id: int | None = None,
        run_id: int | None = None,
    ) -> bool:
        """Queue an alert; False when one with the same idempotency key already exists."""
        from claimwatch.storage.store import utcnow

        with self.transaction():
            cur = self.db.execute(
                "INSERT OR IGNORE INTO alerts (run_id, source_id, kind, payload,"
                " idempotency_key, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                [run_id, source_id, kind, json.dumps(payload), key, utcnow()],
            )
        return cur.rowcount == 1

    def alerts_not_fanned_out(self, hook: str, since: str) -> list[AlertRow]:
        """Alerts created at or after ``since`` that have no delivery row for ``hook``."""
        rows = self.db.execute(
            _ALERT + " FROM alerts a WHERE a.created_at >= ? AND NOT EXISTS"
            " (SELECT 1 FROM deliveries d WHERE d.alert_id = a.id AND d.hook = ?) ORDER BY a.id",
            [since, hook],
        )
        return [_alert(r) for r in rows.fetchall()]

    def hook_first_seen(self, name: str) -> str:
        """When a hook name was first seen by the delivery stage (now, the first time)."""
        from claimwatch.storage.store import utcnow

        with self.transaction():
            self.db.execute(
                "INSERT OR IGNORE INTO hooks (name, first_seen_at) VALUES (?, ?)", [name, utcnow()]
            )
        return self.db.execute("SELECT first_seen_at FROM hooks WHERE name = ?", [name]).fetchone()[
            0
        ]

    def last_health_alert(self, source_id: int) -> AlertRow | None:
        """The newest source_failing or source_recovered alert of a source."""
        r = self.db.execute(
            _ALERT + " FROM alerts a WHERE a.source_id = ? AND a.kind IN (?, ?)"
            " ORDER BY a.id DESC LIMIT 1",
            [source_id, *HEALTH_KINDS],
        ).fetchone()
        return _alert(r) if r else None

    def failure_streak(self, source_id: int) -> tuple[int, str] | None:
        """(id, start time) of the first failed fetch since the last good one, if failing."""
        r = self.db.execute(
            "SELECT id, started_at FROM fetches WHERE source_id = ? AND status = 'error'"
            " AND id > COALESCE((SELECT MAX(id) FROM fetches WHERE source_id = ?"
            " AND status != 'error'), 0) ORDER BY id LIMIT 1",
            [source_id, source_id],
        ).fetchone()
        return (int(r[0]), r[1]) if r else None

    # deliveries -----------------------------------------------------------------------------
    def add_deliveries(self, pairs: Sequence[tuple[int, str]]) -> int:
        """Fan alerts out: one pending delivery per (alert id, hook name) not yet present."""
        from claimwatch.storage.store import utcnow

        now = utcnow()
        with self.transaction():
            count = 0
            for alert_id, hook in pairs:
                cur = self.db.execute(
                    "INSERT OR IGNORE INTO deliveries (alert_id, hook, next_attempt_at,"
                    " created_at) VALUES (?, ?, ?, ?)",
                    [alert_id, hook, now, now],
                )
                count += cur.rowcount
        return count

    def due_deliveries(self, now: str, hooks: Sequence[str]) -> list[DeliveryRow]:
        """Pending or failed deliveries to ``hooks`` whose next attempt is due at ``now``."""
        if not hooks:
            return []
        marks = ",".join("?" * len(hooks))
        rows = self.db.execute(
            _DELIVERY + " WHERE d.status IN ('pending','failed') AND d.next_attempt_at <= ?"
            f" AND d.hook IN ({marks}) ORDER BY d.id",
            [now, *hooks],
        )
        return [_delivery(r) for r in rows.fetchall()]

    def claim_delivery(self, delivery: DeliveryRow, lease_until: str) -> bool:
        """Count an attempt and hold the delivery until ``lease_until``.

        False when another process claimed it first. A process that dies mid-delivery
        leaves the row due again once the lease has passed, so nothing is lost.
        """
        with self.transaction():
            cur = self.db.execute(
                "UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = ?"
                " WHERE id = ? AND next_attempt_at = ? AND status IN ('pending','failed')",
                [lease_until, delivery.id, delivery.next_attempt_at],
            )
        return cur.rowcount == 1

    def delivery_sent(self, delivery_id: int) -> None:
        """Mark a delivery done: the alert has left the outbox for this hook."""
        from claimwatch.storage.store import utcnow

        with self.transaction():
            self.db.execute(
                "UPDATE deliveries SET status = 'sent', sent_at = ?, last_error = NULL"
                " WHERE id = ?",
                [utcnow(), delivery_id],
            )

    def delivery_failed(self, delivery_id: int, error: str, next_at: str | None) -> None:
        """Record a failed attempt: retry at ``next_at``, or ``dead`` when it is None."""
        status = "failed" if next_at else "dead"
        with self.transaction():
            self.db.execute(
                "UPDATE deliveries SET status = ?, last_error = ?,"
                " next_attempt_at = COALESCE(?, next_attempt_at) WHERE id = ?",
                [status, error, next_at, delivery_id],
            )

    def drop_delivery(self, delivery_id: int) -> None:
        """Forget an undelivered delivery whose hook no longer selects its alert."""
        with self.transaction():
            self.db.execute(
                "DELETE FROM deliveries WHERE id = ? AND status != 'sent'", [delivery_id]
            )

    def deliveries(self, status: str | None = None, limit: int = 100) -> list[DeliveryRow]:
        """Deliveries, newest first, optionally of one status."""
        where, args = (" WHERE d.status = ?", [status]) if status else ("", [])
        rows = self.db.execute(_DELIVERY + where + " ORDER BY d.id DESC LIMIT ?", [*args, limit])
        return [_delivery(r) for r in rows.fetchall()]

    def delivery(self, delivery_id: int) -> DeliveryRow | None:
        """One delivery by id."""
        r = self.db.execute(_DELIVERY + " WHERE d.id = ?", [delivery_id]).fetchone()
        return _delivery(r) if r else None

    def retry_deliveries(self, delivery_id: int | None = None) -> int:
        """Make failed or dead deliveries (one, or all) due now with fresh attempts."""
        from claimwatch.storage.store import utcnow

        sql = (
            "UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?"
            f" WHERE status IN ({','.join('?' * len(RETRYABLE))})"
        )
        args: list[Any] = [utcnow(), *RETRYABLE]
        if delivery_id is not None:
            sql += " AND id = ?"
            args.append(delivery_id)
        with self.transaction():
            return self.db.execute(sql, args).rowcount

    def outbox_counts(self) -> dict[str, int]:
        """Number of deliveries per status."""
        rows = self.db.execute("SELECT status, COUNT(*) FROM deliveries GROUP BY status")
        return {r[0]: r[1] for r in rows.fetchall()}
