"""One writer, many readers: ``claimwatch crawl`` runs in a loop while two other processes
run ``report`` and ``history`` 1,000 times in all. WAL plus a busy timeout must give zero
"database is locked" errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from claimwatch.storage import Store
from tests.site import PARAGRAPHS, article

ROOT = Path(__file__).resolve().parent.parent
READS = 500  # per reader process; two readers

# Runs the CLI in-process READS times (a subprocess per read would take minutes).
READER = """
import contextlib, io, json, sys
from claimwatch.cli import cli
argv, reads = json.loads(sys.argv[1]), int(sys.argv[2])
errors = []
for _ in range(reads):
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            cli.main(argv, prog_name="claimwatch", standalone_mode=False)
    except BaseException as exc:  # every failure is counted, none stops the loop
        errors.append(f"{type(exc).__name__}: {getattr(exc, 'message', None) or exc}")
print(json.dumps({"reads": reads, "errors": errors}))
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def changing_page(site) -> None:
    """Every request gets a page with one more claim: every crawl writes a new version."""
    count = iter(range(1, 1_000_000))

    def page(handler) -> None:
        n = next(count)
        claims = [f"Russia sent {k} more shells to North Korea in lot {k}." for k in range(n)]
        body = article([*PARAGRAPHS, *claims]).encode()
        head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(body)}\r\n\r\n"
        handler.wfile.write(head.encode() + body)

    site.route("/live", page)


def versions(db: Path) -> int:
    with Store(db) as store:
        return len(store.snapshots(store.source("live").id))


def test_readers_beside_a_writer_never_see_database_is_locked(cw, site):
    changing_page(site)
    cw.write_sources({"live": site.url("/live")})
    cw("crawl")
    base = ["--db", str(cw.db), "--sources", str(cw.sources), "--config", str(cw.config)]
    stop = threading.Event()
    crawls: list[int] = []

    def writer() -> None:
        while not stop.is_set():
            argv = [sys.executable, "-m", "claimwatch", *base, "crawl"]
            done = subprocess.run(argv, env=_env(), capture_output=True, timeout=120)
            crawls.append(done.returncode)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        before = versions(cw.db)
        readers = [
            subprocess.Popen(
                [sys.executable, "-c", READER, json.dumps([*base, *cmd]), str(READS)],
                env=_env(),
                stdout=subprocess.PIPE,
                text=True,
            )
            for cmd in (["report", "--all", "--format", "json"], ["history", "live"])
        ]
        results = [json.loads(r.communicate(timeout=300)[0]) for r in readers]
        during = versions(cw.db) - before
    finally:
        stop.set()
        thread.join(180)
    errors = [e for r in results for e in r["errors"]]
    assert sum(r["reads"] for r in results) == 2 * READS
    assert not [e for e in errors if "locked" in e], errors[:5]
    assert errors == [], errors[:5]
    assert crawls and set(crawls) == {0}, crawls
    assert during >= 1, "the writer must have written while the readers read"
    with Store(cw.db) as store:
        assert store.integrity_ok()
