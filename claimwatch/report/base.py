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


KINDS = ("added", "removed", "changed")
# C0 controls but tab and newline, DEL and C1: page text must not drive the terminal.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SAFE_SCHEMES = ("http", "https", "file")


@dataclass
class Group:
    """The changes one source showed in one version step (one crawl cycle)."""

    source: str
    url: str
    from_version: int | None
    to_version: int
    detected_at: str
    changes: list[dict[str, Any]]

    @property
    def significant(self) -> list[dict[str, Any]]:
        return [c for c in self.changes if c["significant"]]


@dataclass
class SourceSummary:
    """One row of a report's summary table."""

    name: str
    url: str
    counts: dict[tuple[str, bool], int]  # (kind, significant) -> number of changes
    last_status: str | None = None
    last_fetch_at: str | None = None
    last_error: str | None = None

    def count(self, kind: str | None = None, significant: bool | None = None) -> int:
        return sum(
            n
            for (k, s), n in self.counts.items()
            if (kind is None or k == kind) and (significant is None or s == significant)
        )


def groups(data: ReportData) -> list[Group]:
    """Changes grouped by source and version step, in report order."""
    out: list[Group] = []
    for c in data.ordered():
        head = (c["source"], c["from_version"], c["to_version"])
        if not out or (out[-1].source, out[-1].from_version, out[-1].to_version) != head:
            out.append(Group(c["source"], c["url"], *head[1:], c["detected_at"], []))
        out[-1].changes.append(c)
    return out


def summary(data: ReportData) -> list[SourceSummary]:
    """Per source: changes by kind and significance, and its last fetch."""
    rows: dict[str, SourceSummary] = {}
    reported = {c["source"] for c in data.changes}
    for s in data.sources:
        if getattr(s, "removed_at", None) and s.name not in reported:
            continue  # no longer watched and nothing to report
        rows[s.name] = SourceSummary(
            s.name, s.url, {}, s.last_status, s.last_fetch_at, s.last_error
        )
    for c in data.changes:
        row = rows.setdefault(c["source"], SourceSummary(c["source"], c["url"], {}))
        key = (c["kind"], bool(c["significant"]))
        row.counts[key] = row.counts.get(key, 0) + 1
    return sorted(rows.values(), key=lambda r: r.name)


def word_ops(old: str | None, new: str | None) -> list[tuple[str, str]]:
    """Word-level operations ("equal"|"delete"|"insert", text) from ``old`` to ``new``."""
    if not old or not new:
        return [("insert" if new else "delete", new or old or "")]
    from claimwatch.differ import inline_diff

    return inline_diff(old, new)


def split_space(text: str) -> tuple[str, str, str]:
    """(leading whitespace, words, trailing whitespace): markers go around the words only."""
    core = text.strip()
    if not core:
        return text, "", ""
    start = text.index(core)
    return text[:start], core, text[start + len(core) :]


def safe_url(url: str | None) -> str | None:
    """The URL if its scheme may be linked (http, https, file), else None."""
    if not url:
        return None
    scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
    return url if scheme in SAFE_SCHEMES else None


def printable(text: str) -> str:
    """Page text safe for a terminal: control characters become U+FFFD."""
    return _CONTROL.sub("\ufffd", text)


def plural(n: int, word: str) -> str:
    """``1 change``, ``2 changes``."""
    return f"{n} {word}" + ("" if n == 1 else "s")
