"""Store verbs for the watched set: sources and their mutable fetch state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SourceRow:
    """A source as stored, with its fetch state."""

    id: int
    name: str
    url: str
    selector: str | None
    interval: str | None
    enabled: bool
    origin: str | None
    created_at: str
    removed_at: str | None
    etag: str | None = None
    last_modified: str | None = None
    raw_hash: str | None = None
    last_fetch_at: str | None = None
    last_status: str | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    last_change_at: str | None = None
    flagged: str | None = None


_SELECT = """
SELECT s.id, s.name, s.url, s.selector, s.interval, s.enabled, s.origin, s.created_at,
       s.removed_at, st.etag, st.last_modified, st.raw_hash, st.last_fetch_at, st.last_status,
       st.last_error, COALESCE(st.consecutive_failures, 0), st.last_change_at, st.flagged
FROM sources s LEFT JOIN source_state st ON st.source_id = s.id
"""


def _row(r: tuple[Any, ...]) -> SourceRow:
    return SourceRow(*r[:5], bool(r[5]), *r[6:])


class SourcesMixin:
    """Sources: imported from a sources file or added from the command line."""

    def import_sources(self, specs: Iterable[dict[str, Any]], origin: str) -> list[str]:
        """Create or update sources from a sources file; return the names created.

        A source removed with ``sources remove`` stays removed; ``enabled`` is only
        changed when the file says so, so ``sources disable`` survives re-imports.
        """
        from claimwatch.storage.store import utcnow

        created = []
        with self.transaction():
            for spec in specs:
                row = self.db.execute(
                    "SELECT id, removed_at FROM sources WHERE name = ?", [spec["name"]]
                ).fetchone()
                if row is None:
                    self._insert_source(spec, origin, utcnow())
                    created.append(spec["name"])
                elif row[1] is None:
                    self.db.execute(
                        "UPDATE sources SET url = ?, selector = ?, interval = ?, origin = ?,"
                        " enabled = COALESCE(?, enabled) WHERE id = ?",
                        [
                            spec["url"],
                            spec.get("selector"),
                            spec.get("interval"),
                            origin,
                            _maybe_bool(spec.get("enabled")),
                            row[0],
                        ],
                    )
        return created

    def _insert_source(self, spec: dict[str, Any], origin: str, now: str) -> int:
        cur = self.db.execute(
            "INSERT INTO sources (name, url, selector, interval, enabled, origin, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                spec["name"],
                spec["url"],
                spec.get("selector"),
                spec.get("interval"),
                1 if spec.get("enabled", True) else 0,
                origin,
                now,
            ],
        )
        self.db.execute("INSERT INTO source_state (source_id) VALUES (?)", [cur.lastrowid])
        return int(cur.lastrowid)

    def add_source(self, spec: dict[str, Any]) -> SourceRow:
        """Add a source from the command line (or bring a removed one back)."""
        from claimwatch.storage.store import utcnow

        with self.transaction():
            row = self.db.execute(
                "SELECT id, removed_at FROM sources WHERE name = ?", [spec["name"]]
            ).fetchone()
            if row is not None and row[1] is None:
                raise KeyError(spec["name"])
            if row is None:
                self._insert_source(spec, "cli", utcnow())
            else:
                self.db.execute(
                    "UPDATE sources SET url = ?, selector = ?, interval = ?, enabled = 1,"
                    " origin = 'cli', removed_at = NULL WHERE id = ?",
                    [spec["url"], spec.get("selector"), spec.get("interval"), row[0]],
                )
        return self.source(spec["name"])

    def remove_source(self, name: str, *, purge: bool = False) -> None:
        """Stop watching a source; keep its history unless ``purge``."""
        from claimwatch.storage.store import utcnow

        src = self.source(name)
        with self.transaction():
            if purge:
                self.db.execute("DELETE FROM changes WHERE source_id = ?", [src.id])
                self.db.execute("DELETE FROM sources WHERE id = ?", [src.id])
            else:
                self.db.execute(
                    "UPDATE sources SET removed_at = ? WHERE id = ?", [utcnow(), src.id]
                )

    def set_enabled(self, name: str, enabled: bool) -> None:
        """Enable or disable a source."""
        src = self.source(name)
        with self.transaction():
            self.db.execute("UPDATE sources SET enabled = ? WHERE id = ?", [int(enabled), src.id])

    def source(self, name: str) -> SourceRow:
        """The source called ``name``; KeyError if there is none."""
        row = self.db.execute(_SELECT + " WHERE s.name = ?", [name]).fetchone()
        if row is None:
            raise KeyError(name)
        return _row(row)

    def source_by_id(self, source_id: int) -> SourceRow:
        """The source with this id (removed ones included)."""
        row = self.db.execute(_SELECT + " WHERE s.id = ?", [source_id]).fetchone()
        if row is None:
            raise KeyError(source_id)
        return _row(row)

    def sources(
        self, *, include_removed: bool = False, enabled_only: bool = False
    ) -> list[SourceRow]:
        """Every source, by name."""
        where = []
        if not include_removed:
            where.append("s.removed_at IS NULL")
        if enabled_only:
            where.append("s.enabled = 1")
        sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY s.name"
        return [_row(r) for r in self.db.execute(sql).fetchall()]

    def flag_source(self, source_id: int, why: str | None) -> None:
        """Mark (or, with None, clear) a source as needing attention."""
        with self.transaction():
            self.db.execute(
                "UPDATE source_state SET flagged = ? WHERE source_id = ?", [why, source_id]
            )


def _maybe_bool(value: Any) -> int | None:
    return None if value is None else int(bool(value))
