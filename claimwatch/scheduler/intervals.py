"""A source's ``interval``: a duration, a cron expression or ``adaptive``; and when it is next due.

Pure time arithmetic, no I/O. Every datetime here is timezone-aware.

- ``30s``, ``15m``, ``6h``, ``1d``, ``2w``, ``1h30m``: refetch that long after the last fetch.
- ``cron: 0 */6 * * *``: the first crontab time after the last fetch (the machine's time
  zone, as crontab; weekday 0 or 7 is Sunday, as crontab).
- ``adaptive``: recheck often while the article changes, rarely once it has settled
  (NewsDiffs' rule of thumb, see ``ADAPTIVE``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

MIN_SECONDS = 1.0
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION = re.compile(r"(?:(\d+(?:\.\d+)?)\s*([smhdw])\s*)+")
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])")

# Age of the last change -> how long to wait after a fetch; past the last row, SETTLED.
ADAPTIVE: tuple[tuple[timedelta, timedelta], ...] = (
    (timedelta(hours=3), timedelta(minutes=15)),
    (timedelta(days=1), timedelta(hours=1)),
    (timedelta(days=7), timedelta(hours=3)),
    (timedelta(days=30), timedelta(days=3)),
)
SETTLED = timedelta(days=30)

# A source's jitter is a fixed share of min(configured jitter, JITTER_SHARE * its period).
JITTER_SHARE = 0.1

FORMS = "a duration (30s, 15m, 6h, 1d, 2w), 'cron: MIN HOUR DOM MON DOW', or 'adaptive'"
_DOW_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


@dataclass(frozen=True)
class Interval:
    """A parsed schedule; ``text`` is what the user wrote."""

    text: str
    kind: str  # every | cron | adaptive
    seconds: float = 0.0
    cron: str | None = None

    def wait(self, last_fetch: datetime, last_change: datetime | None) -> timedelta:
        """For ``every`` and ``adaptive``: how long after ``last_fetch`` the next fetch is due."""
        if self.kind == "every":
            return timedelta(seconds=self.seconds)
        age = last_fetch - last_change if last_change else timedelta(0)
        for younger_than, wait in ADAPTIVE:
            if age < younger_than:
                return wait
        return SETTLED

    def next_after(self, last_fetch: datetime, last_change: datetime | None) -> datetime:
        """When a source fetched at ``last_fetch`` is next due (before jitter)."""
        if self.kind == "cron":
            trigger = _crontab(self.cron or "")
            # Strictly after the last fetch, so a fetch at a fire time never repeats at once.
            return trigger.get_next_fire_time(None, last_fetch + timedelta(seconds=1))
        return last_fetch + self.wait(last_fetch, last_change)

    def period(self, last_fetch: datetime, last_change: datetime | None) -> float:
        """The usual gap between two fetches, in seconds (to scale the jitter)."""
        if self.kind != "cron":
            return self.wait(last_fetch, last_change).total_seconds()
        first = self.next_after(last_fetch, None)
        return (self.next_after(first, None) - first).total_seconds()


def parse_interval(text: Any) -> Interval:
    """Parse an ``interval`` value; ValueError saying what is allowed."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"interval must be {FORMS}")
    value = text.strip()
    low = value.lower()
    if low == "adaptive":
        return Interval(value, "adaptive")
    if low.startswith("cron:"):
        expr = " ".join(value[5:].split())
        try:
            _crontab(expr)
        except ValueError as exc:
            raise ValueError(f"bad cron expression '{expr}': {exc}") from None
        return Interval(value, "cron", cron=expr)
    if _DURATION.fullmatch(low):
        seconds = sum(float(n) * UNITS[u] for n, u in _PART.findall(low))
        if seconds < MIN_SECONDS:
            raise ValueError(f"interval '{value}' is too short; the minimum is {MIN_SECONDS:g}s")
        return Interval(value, "every", seconds=seconds)
    raise ValueError(f"bad interval '{value}'; allowed: {FORMS}")


def jitter(name: str, period: float, max_jitter: float) -> timedelta:
    """A source's fixed delay: spreads sources that share a schedule, same across restarts."""
    cap = max(0.0, min(max_jitter, JITTER_SHARE * period))
    share = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big") / 2**64
    return timedelta(seconds=share * cap)


@lru_cache(maxsize=256)
def _crontab(expr: str) -> Any:
    """A CronTrigger for a standard 5-field crontab line, with crontab's weekday numbers."""
    from apscheduler.triggers.cron import CronTrigger

    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"expected 5 fields (minute hour day month weekday), got {len(fields)}")
    fields[4] = _crontab_weekdays(fields[4])
    # APScheduler 3 numbers weekdays from Monday = 0; crontab from Sunday = 0. Names agree.
    return CronTrigger.from_crontab(" ".join(fields))


def _crontab_weekdays(field: str) -> str:
    """Rewrite numeric crontab weekdays (0-7, Sunday = 0 or 7) as names."""
    if field == "*" or not any(c.isdigit() for c in field):
        return field
    days: set[int] = set()
    for part in field.split(","):
        m = re.fullmatch(r"(\*|\d+)(?:-(\d+))?(?:/(\d+))?", part)
        if not m:
            raise ValueError(f"bad weekday field '{field}'")
        lo, hi, step = m.groups()
        first, last = (0, 6) if lo == "*" else (int(lo), int(hi if hi is not None else lo))
        if hi is None and step and lo != "*":
            last = 7
        if not (0 <= first <= 7 and 0 <= last <= 7) or first > last:
            raise ValueError(f"bad weekday range '{part}' (0-7, Sunday is 0 or 7)")
        days.update(d % 7 for d in range(first, last + 1, int(step or 1)))
    return ",".join(_DOW_NAMES[d] for d in sorted(days))
