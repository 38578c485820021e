"""One daemon per database: an exclusive ``flock`` on ``<db>.lock``, which holds its pid.

The kernel drops the lock when the process dies, however it dies, so a crash never leaves
a stale lock behind; the file itself stays (removing it would race with a starting daemon).
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from claimwatch.errors import DaemonLocked

ACQUIRE_TRIES = 5  # a moment's retry: `status` probes the lock with a brief shared lock


def lock_path(db: str | Path) -> Path:
    """The lock file of a database."""
    db = Path(db).expanduser().resolve()
    return db.with_name(db.name + ".lock")


class DaemonLock:
    """Held by ``claimwatch schedule`` for its whole life."""

    def __init__(self, db: str | Path) -> None:
        self.db = Path(db)
        self.path = lock_path(db)
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock and write our pid into it, or raise DaemonLocked naming the holder."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        for attempt in range(ACQUIRE_TRIES):
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if attempt == ACQUIRE_TRIES - 1:
                    os.close(fd)
                    pid = holder(self.db)
                    raise DaemonLocked(
                        f"{describe_holder(self.db, pid)}; stop it first (SIGTERM),"
                        " or use another --db"
                    ) from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        """Give the lock up (also done by the kernel when the process ends)."""
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> DaemonLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def holder(db: str | Path) -> int | None:
    """The pid of the daemon holding the database's lock (0 if unknown), or None if none does."""
    path = lock_path(db)
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.read(fd, 64).decode("ascii", "replace").strip()
            return int(text) if text.isdigit() else 0
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def describe_holder(db: str | Path, pid: int | None) -> str:
    """'claimwatch schedule (pid N) already runs on DB', for messages."""
    who = f"pid {pid}" if pid else "pid unknown"
    return f"claimwatch schedule ({who}) already runs on {db} (lock {lock_path(db)})"
