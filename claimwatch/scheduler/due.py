"""Which sources are due, computed from the database alone so a restart loses nothing.

A source's next run is its interval applied to its last fetch (``source_state.last_fetch_at``;
``last_change_at`` for adaptive), plus its fixed jitter. A source never fetched is due at
once, and so is one whose next run passed while nothing ran: however many runs were missed,
it runs once (missed runs are coalesced).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from claimwatch.config import Config, schedule_settings
from claimwatch.errors import DaemonLocked
from claimwatch.scheduler.intervals import Interval, jitter, parse_interval
from claimwatch.scheduler.lock import describe_holder, holder
from claimwatch.storage import SourceRow, Store

log = logging.getLogger("claimwatch.scheduler")


@dataclass(frozen=True)
class Plan:
    """A source's schedule: its interval and its next run (None: never fetched, due now)."""

    source: SourceRow
    interval: Interval | None
    default: bool  # the interval is the configured default_interval
    next_run: datetime | None
    error: str | None = None  # an interval stored before it was validated

    def due(self, now: datetime) -> bool:
        """True when the source should be fetched at ``now``."""
        if self.error or not self.source.enabled or self.source.removed_at:
            return False
        return self.next_run is None or self.next_run <= now


def parse_time(value: str | None) -> datetime | None:
    """A store timestamp (ISO-8601 UTC) as an aware datetime."""
    return datetime.fromisoformat(value).astimezone(UTC) if value else None


def plan(src: SourceRow, cfg: Config, attempted: datetime | None = None) -> Plan:
    """The schedule of one source; ``attempted`` is a later in-memory attempt, if any."""
    settings = schedule_settings(cfg)
    is_default = not src.interval
    try:
        interval = parse_interval(src.interval or settings["default_interval"])
    except ValueError as exc:
        return Plan(src, None, is_default, None, error=str(exc))
    last = parse_time(src.last_fetch_at)
    if attempted is not None and (last is None or attempted > last):
        last = attempted
    if last is None:
        return Plan(src, interval, is_default, None)
    changed = parse_time(src.last_change_at) or parse_time(src.created_at)
    period = interval.period(last, changed)
    delay = jitter(src.name, period, float(settings["jitter"]))
    return Plan(src, interval, is_default, interval.next_after(last, changed) + delay)


def plans(
    sources: Iterable[SourceRow], cfg: Config, attempted: dict[int, datetime] | None = None
) -> list[Plan]:
    """The schedule of each source, in the order given."""
    attempted = attempted or {}
    return [plan(s, cfg, attempted.get(s.id)) for s in sources]


def now_utc() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def due_sources(
    store: Store, jobs: Sequence[SourceRow], cfg: Config, now: datetime | None = None
) -> list[SourceRow]:
    """The sources of ``jobs`` that are due at ``now`` (``crawl --due``, for cron).

    Refuses (DaemonLocked) while ``claimwatch schedule`` runs on the same database: the
    daemon already crawls what is due, and two writers would fetch the same sources.
    """
    pid = holder(store.path)
    if pid is not None:
        raise DaemonLocked(
            f"{describe_holder(store.path, pid)}; it crawls due sources itself,"
            " so 'crawl --due' does nothing beside it"
        )
    now = now or now_utc()
    out = []
    for p in plans(jobs, cfg):
        if p.error:
            log.warning("source '%s' skipped: %s", p.source.name, p.error)
        elif p.due(now):
            out.append(p.source)
    return out
