"""The delivery stage: fan queued alerts out to hooks and deliver them, with retries.

Hand-off: an alert is written once, with the changes it reports. At delivery time every
configured hook whose filters select it gets a delivery row, for alerts not yet fanned
out to that hook name and created at most ``backlog_days`` before the hook name was first
seen: a hook added later also receives recent alerts, and no outage loses any.

A delivery is ``pending`` until its first attempt, ``failed`` while retries remain
(exponential backoff with jitter), ``dead`` after ``max_attempts`` (visible in
``alerts list``, retryable with ``alerts retry``), ``sent`` once a hook accepted it.
Delivery is at-least-once: receivers dedupe by ``idempotency_key``.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from claimwatch.alerts.hooks import Hook, build_hooks
from claimwatch.config import ALERT_KEYS, Config
from claimwatch.errors import HookError
from claimwatch.storage import Store, iso, utcnow
from claimwatch.storage.outbox import DeliveryRow

log = logging.getLogger("claimwatch.alerts")

MAX_WORKERS = 4  # hooks delivered side by side; one hook's deliveries go in order


@dataclass
class Settings:
    """The ``[alerts]`` table with defaults (see ``config.ALERT_KEYS``)."""

    failure_threshold: int = ALERT_KEYS["failure_threshold"]
    max_attempts: int = ALERT_KEYS["max_attempts"]
    backoff: float = ALERT_KEYS["backoff"]
    backoff_max: float = ALERT_KEYS["backoff_max"]
    backlog_days: float = ALERT_KEYS["backlog_days"]
    budget: float = ALERT_KEYS["budget"]
    lease: float = ALERT_KEYS["lease"]

    @classmethod
    def of(cls, cfg: Config) -> Settings:
        return cls(**cfg.sections.get("alerts", {}))

    def retry_delay(self, attempts: int) -> float:
        """Seconds before the next attempt: doubling from ``backoff``, capped, jittered."""
        delay = min(self.backoff_max, self.backoff * 2 ** max(0, attempts - 1))
        return delay * random.uniform(0.5, 1.0)


@dataclass
class Attempt:
    """What one delivery attempt came to."""

    delivery_id: int
    alert_id: int
    hook: str
    ok: bool
    note: str
    status: str  # sent | failed | dead


@dataclass
class DeliverySummary:
    """The delivery stage's results."""

    attempts: list[Attempt] = field(default_factory=list)
    queued: int = 0  # deliveries created by fan-out

    def count(self, status: str) -> int:
        return sum(1 for a in self.attempts if a.status == status)

    @property
    def sent(self) -> int:
        return self.count("sent")

    @property
    def failed(self) -> int:
        return self.count("failed") + self.count("dead")


def hooks_of(cfg: Config) -> list[Hook]:
    """The configured hooks (ConfigError naming hook and key when one is malformed)."""
    return build_hooks(cfg.hooks, str(cfg.config_file or "config"))


def deliver_pending(store: Store, cfg: Config) -> DeliverySummary:
    """Fan out new alerts, then deliver every due delivery until none is due or time is up."""
    settings = Settings.of(cfg)
    hooks = {h.name: h for h in hooks_of(cfg)}
    summary = DeliverySummary(queued=fan_out(store, list(hooks.values()), settings))
    deadline = time.monotonic() + settings.budget
    failing: set[str] = set()
    while True:
        due = store.due_deliveries(utcnow(), list(hooks))
        # A hook that failed in this stage only retries what was already tried: it does not
        # burn the first attempts of its whole queue on a receiver that is down.
        due = [d for d in due if d.hook not in failing or d.attempts > 0]
        if not due:
            break
        done = _attempt_all(store, hooks, due, settings)
        failing |= {a.hook for a in done if not a.ok}
        summary.attempts += done
        if not done or time.monotonic() >= deadline:
            break
    return summary


def fan_out(store: Store, hooks: Sequence[Hook], settings: Settings) -> int:
    """Create deliveries for the alerts each hook selects and has not had yet.

    A hook receives every alert created since ``backlog_days`` before it was first seen.
    """
    pairs = []
    for hook in hooks:
        first_seen = datetime.fromisoformat(store.hook_first_seen(hook.name))
        since = iso(first_seen - timedelta(days=settings.backlog_days))
        for alert in store.alerts_not_fanned_out(hook.name, since):
            if hook.filters.select(alert.payload) is not None:
                pairs.append((alert.id, hook.name))
    return store.add_deliveries(pairs) if pairs else 0


def _attempt_all(
    store: Store, hooks: dict[str, Hook], due: list[DeliveryRow], settings: Settings
) -> list[Attempt]:
    """Deliver ``due``: hooks side by side, each hook's deliveries in order."""
    by_hook: dict[str, list[DeliveryRow]] = {}
    for d in due:
        by_hook.setdefault(d.hook, []).append(d)
    lock = threading.Lock()  # one SQLite connection: store calls take turns
    with ThreadPoolExecutor(max_workers=min(MAX_WORKERS, len(by_hook))) as pool:
        futures = [
            pool.submit(_attempt_hook, store, lock, hooks[name], rows, settings)
            for name, rows in by_hook.items()
        ]
        return [a for f in futures for a in f.result()]


def _attempt_hook(
    store: Store, lock: threading.Lock, hook: Hook, rows: list[DeliveryRow], settings: Settings
) -> list[Attempt]:
    out = []
    for row in rows:
        attempt = attempt_one(store, lock, hook, row, settings)
        if attempt is None:
            continue
        out.append(attempt)
        if not attempt.ok:
            break  # the receiver is likely down: leave the rest for their next turn
    return out


def attempt_one(
    store: Store, lock: threading.Lock, hook: Hook, row: DeliveryRow, settings: Settings
) -> Attempt | None:
    """Claim, send and record one delivery.

    None when another process claimed it first, or when the hook's filters no longer
    select the alert (its delivery is dropped, as if it had never been fanned out).
    """
    payload = hook.filters.select(row.alert.payload)
    lease = iso(datetime.now(UTC) + timedelta(seconds=hook.timeout + settings.lease))
    with lock:
        if payload is None:  # the hook's filters changed since the fan-out
            store.drop_delivery(row.id)
            return None
        if not store.claim_delivery(row, lease):
            return None
    attempts = row.attempts + 1
    try:
        note, ok = send(hook, payload), True
    except HookError as exc:
        note, ok = str(exc), False
    with lock:
        if ok:
            store.delivery_sent(row.id)
            status = "sent"
        else:
            retry = attempts < settings.max_attempts
            delay = settings.retry_delay(attempts)
            next_at = iso(datetime.now(UTC) + timedelta(seconds=delay)) if retry else None
            store.delivery_failed(row.id, note, next_at)
            status = "failed" if retry else "dead"
    level = logging.INFO if ok else logging.WARNING
    log.log(level, "alert %s → hook %s: %s (%s)", row.alert_id, hook.name, status, note)
    return Attempt(row.id, row.alert_id, hook.name, ok, note, status)


def send(hook: Hook, payload: dict[str, Any]) -> str:
    """One call of a hook; any exception it raises becomes a HookError with the reason."""
    try:
        return hook.send(payload)
    except HookError:
        raise
    except Exception as exc:  # a broken hook never stops the others or the crawl
        raise HookError(f"{type(exc).__name__}: {exc}") from None
