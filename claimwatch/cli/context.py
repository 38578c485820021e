"""What every command shares: resolved configuration and a lazily opened store."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from rich.console import Console

from claimwatch.config import Config, resolve
from claimwatch.errors import DatabaseError, UnknownSource
from claimwatch.storage import SourceRow, Store, StoreError


class App:
    """The CLI's context object (``ctx.obj``)."""

    def __init__(
        self, db: str | None, sources: str | None, config: str | None, debug: bool
    ) -> None:
        self._args = (db, sources, config)
        self.debug = debug
        self._cfg: Config | None = None
        self._store: Store | None = None

    @property
    def cfg(self) -> Config:
        if self._cfg is None:
            self._cfg = resolve(*self._args)
        return self._cfg

    def store(self, *, must_exist: bool = False) -> Store:
        """Open the database (creating it unless ``must_exist``)."""
        if self._store is None:
            path = self.cfg.db
            if must_exist and not path.exists():
                raise DatabaseError(
                    f"no database at {path} (run 'claimwatch crawl' first, or pass --db)"
                )
            try:
                self._store = Store(path)
            except StoreError as exc:
                if not must_exist:
                    raise DatabaseError(str(exc)) from None
                self._store = self._read_only(path, exc)
        return self._store

    @staticmethod
    def _read_only(path: Path, exc: StoreError) -> Store:
        """Read commands still work on a database that cannot be written."""
        try:
            return Store(path, readonly=True)
        except StoreError:
            raise DatabaseError(str(exc)) from None

    def source(self, name: str) -> SourceRow:
        """A source of the database by name, or a clear error."""
        try:
            return self.store(must_exist=True).source(name)
        except KeyError:
            names = ", ".join(s.name for s in self.store().sources(include_removed=True)) or "none"
            raise UnknownSource(f"no source named '{name}' (known: {names})") from None

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def console(file: object = None) -> Console:
    """A rich console: colour only on a terminal and without NO_COLOR."""
    stream = file or sys.stdout
    plain = bool(os.environ.get("NO_COLOR")) or not getattr(stream, "isatty", lambda: False)()
    return Console(
        file=stream,
        no_color=plain,
        force_terminal=False if plain else None,
        highlight=False,
        soft_wrap=plain,
        width=None if not plain else 200,
    )


pass_app = click.make_pass_decorator(App)
