"""Every exception claimwatch raises on purpose, and the exit codes of the command line.

Library code raises these; the CLI turns them into one line at one boundary, with the
traceback only under ``--debug``.
"""

from __future__ import annotations

from enum import IntEnum

from claimwatch.storage import StoreError


class ExitCode(IntEnum):
    """Exit statuses of ``claimwatch``, documented in the README."""

    OK = 0
    ERROR = 1  # the tool's own failure (unexpected)
    USAGE = 2  # bad command line (click's own code)
    CONFIG = 3  # bad sources or config file
    DATABASE = 4  # the database cannot be opened or written
    SOURCES_FAILED = 5  # --fail-on-error and at least one source failed
    LOCKED = 6  # another daemon holds the database


class ClaimwatchError(Exception):
    """Base class: an error the user can act on, with a one-line message."""

    exit_code = ExitCode.ERROR


class ConfigError(ClaimwatchError):
    """A sources, topic or config file is malformed: names the file, the key, what is allowed."""

    exit_code = ExitCode.CONFIG

    def __init__(self, file: str, key: str | None, message: str) -> None:
        where = f"{file}: key '{key}'" if key else file
        super().__init__(f"{where}: {message}")
        self.file, self.key = file, key


class DatabaseError(ClaimwatchError):
    """The database cannot be used."""

    exit_code = ExitCode.DATABASE


class UnknownSource(ClaimwatchError):
    """No source of that name in the database."""

    exit_code = ExitCode.USAGE


class DaemonLocked(ClaimwatchError):
    """Another scheduler already runs on this database."""

    exit_code = ExitCode.LOCKED


class HookError(ClaimwatchError):
    """An alert hook could not deliver: the message says why (HTTP status, exit status...)."""


__all__ = [
    "ClaimwatchError",
    "ConfigError",
    "DaemonLocked",
    "DatabaseError",
    "ExitCode",
    "HookError",
    "StoreError",
    "UnknownSource",
]
