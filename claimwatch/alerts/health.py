"""Source-health alerts: one "source failing" per failure streak, one "recovered" after it.

A source whose last ``failure_threshold`` fetches all failed raises ``source_failing``
once, with the last error; the first good fetch after that raises ``source_recovered``.
A streak is named by its first failed fetch, so the alerts' idempotency keys are stable
and re-running this check never raises one twice.
"""

from __future__ import annotations

from claimwatch.alerts.outbox import Settings
from claimwatch.alerts.payload import health_payload
from claimwatch.config import Config
from claimwatch.storage import SourceRow, Store, utcnow


def raise_health_alerts(store: Store, cfg: Config, run_id: int | None = None) -> list[str]:
    """Queue the health alerts the sources' fetch state calls for; return their kinds."""
    threshold = Settings.of(cfg).failure_threshold
    raised = []
    for src in store.sources():
        for kind, payload in _health(store, src, threshold):
            key = payload["idempotency_key"]
            if store.add_alert(kind, payload, key, source_id=src.id, run_id=run_id):
                raised.append(f"{kind}:{src.name}")
    return raised


def _health(store: Store, src: SourceRow, threshold: int) -> list[tuple[str, dict]]:
    out = []
    last = store.last_health_alert(src.id)
    streak = store.failure_streak(src.id) if src.consecutive_failures else None
    if last is not None and last.kind == "source_failing":
        alerted = last.payload.get("streak")
        if streak is not None and streak[0] == alerted:
            return []  # still the same streak: it was reported once, that is enough
        old = (alerted, last.payload.get("failing_since", ""))
        out.append(("source_recovered", health_payload("source_recovered", src, old, utcnow())))
    if streak is not None and src.consecutive_failures >= threshold:
        out.append(("source_failing", health_payload("source_failing", src, streak, utcnow())))
    return out
