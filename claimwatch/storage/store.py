"""The Store: one object over the SQLite database, offering the verbs the stages need."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from claimwatch.storage.claims import ClaimsMixin
from claimwatch.storage.migrations import migrations
from claimwatch.storage.outbox import OutboxMixin
from claimwatch.storage.snapshots import SnapshotsMixin
from claimwatch.storage.sources import SourcesMixin

BUSY_TIMEOUT_S = 30.0


class StoreError(Exception):
    """The database cannot be opened or written; the message names the path."""


def _why(path: Path, exc: Exception) -> str:
    """The error, with the likely cause when the file or its folder cannot be written."""
    text = str(exc)
    if "readonly" in text or "unable to open" in text:
        target = path if path.exists() else path.parent
        if target.exists() and not os.access(target, os.W_OK):
            return f"{text} (read-only: {target} cannot be written)"
    return text


def utcnow() -> str:
    """Now as ISO-8601 UTC with microseconds; such strings sort in time order."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def iso(dt: datetime) -> str:
    """Format an aware datetime the way the store does."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Store(SourcesMixin, SnapshotsMixin, ClaimsMixin, OutboxMixin):
    """SQLite history of sources, fetches, versions, claims and changes.

    WAL plus a busy timeout lets readers (the CLI) run beside one writer (a crawl or
    the scheduler) without "database is locked" errors.
    """

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.write_error: StoreError | None = None  # the first failed write of this run
        try:
            if not readonly:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            if readonly and not self.path.exists():
                raise StoreError(f"database {self.path} does not exist")
            target, uri = (
                (f"{self.path.resolve().as_uri()}?mode=ro", True)
                if readonly
                else (
                    str(self.path),
                    False,
                )
            )
            conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, check_same_thread=False, uri=uri)
            self.db = Database(conn)
            self.conn = conn
            self.db.execute("PRAGMA foreign_keys=ON")
            if not readonly:
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                migrations.apply(self.db)
            elif migrations.pending(self.db):
                raise StoreError(f"database {self.path} is not a claimwatch database (or is older)")
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open database {self.path}: {_why(self.path, exc)}") from exc

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of work; disk-full and similar errors become StoreError.

        The first such error of a run is kept in ``write_error``: a crawl cannot stop on
        it mid-flight (Scrapy owns that loop), so ``finish_run`` raises it instead of
        marking a run complete that is not.
        """
        try:
            with self.db.atomic():
                yield
        except (sqlite3.IntegrityError, sqlite3.ProgrammingError):
            raise  # a bug in claimwatch, not the state of the database
        except sqlite3.DatabaseError as exc:  # full, I/O error, read-only, locked, corrupt
            err = StoreError(f"cannot write database {self.path}: {_why(self.path, exc)}")
            self.write_error = self.write_error or err
            raise err from exc

    def integrity_ok(self) -> bool:
        """True when ``PRAGMA integrity_check`` passes."""
        return self.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # runs ---------------------------------------------------------------------------------
    def start_run(self, kind: str = "crawl") -> int:
        """Open a run (one crawl cycle or reanalysis) and return its id."""
        self.write_error = None
        with self.transaction():
            cur = self.db.execute(
                "INSERT INTO runs (started_at, kind) VALUES (?, ?)", [utcnow(), kind]
            )
        return int(cur.lastrowid)

    def finish_run(self, run_id: int) -> None:
        """Mark a run finished; StoreError if any of its writes failed."""
        if self.write_error is not None:
            raise self.write_error
        with self.transaction():
            self.db.execute("UPDATE runs SET finished_at = ? WHERE id = ?", [utcnow(), run_id])

    def run_started_at(self, run_id: int) -> str:
        """When a run started."""
        return self.db.execute("SELECT started_at FROM runs WHERE id = ?", [run_id]).fetchone()[0]
