"""The renderer registry, the data every renderer gets, and time-window parsing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, TextIO

from claimwatch.storage import iso

_RELATIVE = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(value: str, now: datetime | None = None) -> str:
    """ISO-8601 (``2025-03-01T12:00:05Z``, a date) or relative (``24h``, ``7d``) -> store time."""
    now = now or datetime.now(UTC)
    m = _RELATIVE.match(value)
    if m:
        return iso(now - timedelta(**{_UNITS[m.group(2)]: int(m.group(1))}))
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"'{value}' is not a time: use ISO-8601 (2025-03-01T12:00:05Z) or 30m, 24h, 7d"
        ) from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return iso(dt)


@dataclass
class ReportData:
    """Changes (dicts from ``Store.changes``) plus context for headers and summaries."""

    changes: list[dict[str, Any]]
    title: str = "claimwatch report"
    since: str | None = None
    generated_at: str = field(default_factory=lambda: iso(datetime.now(UTC)))
    sources: list[Any] = field(default_factory=list)  # SourceRow, for summaries

    def ordered(self) -> list[dict[str, Any]]:
        """By source, then version, significant first."""
        return sorted(
            self.changes,
            key=lambda c: (c["source"], c["to_version"], not c["significant"], c["id"]),
        )


class Renderer:
    """A report format. Subclasses set ``kind`` and implement ``write``."""

    registry: ClassVar[dict[str, type[Renderer]]] = {}
    kind: ClassVar[str]

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        Renderer.registry[cls.kind] = cls

    def write(self, data: ReportData, out: TextIO) -> None:
        raise NotImplementedError

    @classmethod
    def get(cls, kind: str) -> Renderer:
        return cls.registry[kind]()
