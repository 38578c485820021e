"""Our own storage failing: a full disk, a read-only file system, a path that cannot be
created. Each gives one clear line and exit code 4, never a traceback.

The full and read-only file systems are real: a private mount namespace (``unshare -m``)
holds a tiny tmpfs, or a read-only bind of the test folder, for the one child process;
nothing outside it sees them. Where namespaces are not allowed those tests skip.
"""

from __future__ import annotations

import os
import random
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from claimwatch.errors import ExitCode
from claimwatch.storage import FetchRecord, Store, StoreError, utcnow
from tests.site import PARAGRAPHS, article

ROOT = Path(__file__).resolve().parent.parent


def _can_unshare() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = "mount -t tmpfs -o size=16k tmpfs /mnt 2>/dev/null || mount -t tmpfs tmpfs /tmp"
    done = subprocess.run(["unshare", "-m", "sh", "-c", probe], capture_output=True)
    return done.returncode == 0


needs_namespace = pytest.mark.skipif(
    not _can_unshare(),
    reason="needs a private mount namespace (unshare -m) for a real small or read-only file system",
)


def noisy_text(n: int) -> str:
    """Text that does not compress away, so a version of it really takes space."""
    rnd = random.Random(n)
    words = ["".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(8)) for _ in range(n)]
    return " ".join(words)


# immutable=1 opens a WAL database on read-only media, where a normal open cannot.
INTEGRITY = (
    "import os, pathlib, sqlite3, sys; path = pathlib.Path(sys.argv[1]);"
    "url = path.as_uri() + ('' if os.access(path.parent, os.W_OK) else '?immutable=1');"
    "print(sqlite3.connect(url, uri=True).execute('PRAGMA integrity_check').fetchone()[0])"
)


def run_in_namespace(setup: str, cw, db: Path, *args: str) -> subprocess.CompletedProcess:
    """``claimwatch --db DB ... ARGS`` in a private mount namespace after ``setup``; then,
    in the same namespace, ``PRAGMA integrity_check`` of DB printed on stdout."""
    argv = [sys.executable, "-m", "claimwatch", "--db", str(db), "--sources", str(cw.sources)]
    argv += ["--config", str(cw.config), *args]
    check = shlex.join([sys.executable, "-c", INTEGRITY, str(db)])
    script = f"{setup} && {{ {shlex.join(argv)}; code=$?; {check}; exit $code; }}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", script], env=env, capture_output=True, text=True, timeout=120
    )


def assert_one_clear_line(done: subprocess.CompletedProcess, *words: str) -> None:
    assert done.returncode == ExitCode.DATABASE, (done.returncode, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("claimwatch: error:"), done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert all(w in lines[0] for w in words), lines[0]
    assert done.stdout.splitlines()[-1] == "ok", "the database passes PRAGMA integrity_check"


@pytest.fixture
def crawled(cw, site):
    """A database with one version of a page, and a much larger next version served."""
    site.set("/a", article())
    cw.write_sources({"a": site.url("/a")})
    cw("crawl")
    site.set("/a", article([*PARAGRAPHS, f"Russia and North Korea said {noisy_text(60_000)}."]))
    return cw


@needs_namespace
def test_crawl_on_a_full_disk_exits_4_with_one_line(crawled, tmp_path):
    small = tmp_path / "small"
    small.mkdir()
    size_k = crawled.db.stat().st_size // 1024 + 48
    setup = f"mount -t tmpfs -o size={size_k}k tmpfs {small} && cp {crawled.db} {small}/"
    done = run_in_namespace(setup, crawled, small / "cw.db", "crawl")
    assert_one_clear_line(done, "full")


@needs_namespace
def test_crawl_on_a_read_only_file_system_exits_4_with_one_line(crawled, tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    shutil.copy(crawled.db, ro / "cw.db")
    setup = f"mount --bind {ro} {ro} && mount -o remount,bind,ro {ro}"
    for command in (["crawl"], ["report"]):
        done = run_in_namespace(setup, crawled, ro / "cw.db", *command)
        assert_one_clear_line(done, "read-only")


def test_database_path_that_cannot_be_created_exits_4(cw, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = cw("crawl", ok=False, global_args=("--db", str(blocker / "sub" / "cw.db")))
    assert result.exit_code == ExitCode.DATABASE
    assert result.stderr.startswith("claimwatch: error: cannot open database")
    assert len(result.stderr.strip().splitlines()) == 1


def test_full_database_makes_store_error_and_finish_run_refuses(tmp_path):
    """``PRAGMA max_page_count`` caps the file: the write fails as on a full disk."""
    with Store(tmp_path / "cw.db") as store:
        store.import_sources([{"name": "a", "url": "http://127.0.0.1/a"}], origin="test")
        run = store.start_run()
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages + 2}")
        text = noisy_text(50_000)
        rec = FetchRecord(
            source_id=store.source("a").id,
            started_at=utcnow(),
            ms=1,
            status="ok",
            run_id=run,
            text=text,
            text_hash="x",
            raw=text.encode(),
        )
        with pytest.raises(StoreError, match="full"):
            store.record_fetch(rec)
        with pytest.raises(StoreError, match="full"):
            store.finish_run(run)
        assert store.snapshots(store.source("a").id) == []
    with sqlite3.connect(tmp_path / "cw.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
