"""One writer, many readers: one process runs ``claimwatch crawl`` in a loop (as the
scheduler daemon does) while two other processes run ``report`` and ``history`` 1,000
times in all. WAL plus a busy timeout must give zero "database is locked" errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from claimwatch.storage import Store
from tests.site import PARAGRAPHS, article

ROOT = Path(__file__).resolve().parent.parent
READS = 500  # per reader process; two readers

# Runs the CLI in-process, READS times or (with a stop file) until the file appears;
# a subprocess per command would spend its time importing, not using the database.
LOOP = """
import contextlib, io, json, os, sys
from claimwatch.cli import cli
argv, reads, stop = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
errors, done = [], 0
while done < reads and not os.path.exists(stop):
    done += 1
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            cli.main(argv, prog_name="claimwatch", standalone_mode=False)
    except BaseException as exc:  # every failure is counted, none stops the loop
        errors.append(f"{type(exc).__name__}: {getattr(exc, 'message', None) or exc}")
print(json.dumps({"runs": done, "errors": errors}))
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def changing_page(site) -> None:
    """Every request gets a page that differs from the one before: every crawl writes a
    new version (and claim changes), while the page stays small."""
    count = iter(range(1, 1_000_000))

    def page(handler) -> None:
        n = next(count)
        claims = [f"Russia sent {k} more shells to North Korea in lot {k}." for k in range(n % 4)]
        body = article([*PARAGRAPHS, *claims]).encode()
        head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(body)}\r\n\r\n"
        handler.wfile.write(head.encode() + body)

    site.route("/live", page)


def versions(db: Path) -> int:
    with Store(db) as store:
        return len(store.snapshots(store.source("live").id))


def loop(base: list[str], command: list[str], times: int, stop: Path) -> subprocess.Popen:
    argv = [sys.executable, "-c", LOOP, json.dumps([*base, *command]), str(times), str(stop)]
    return subprocess.Popen(argv, env=_env(), stdout=subprocess.PIPE, text=True)


def test_readers_beside_a_writer_never_see_database_is_locked(cw, site, tmp_path):
    changing_page(site)
    cw.write_sources({"live": site.url("/live")})
    cw("crawl")
    base = ["--db", str(cw.db), "--sources", str(cw.sources), "--config", str(cw.config)]
    stop = tmp_path / "stop"
    writer = loop(base, ["crawl"], 1_000_000, stop)
    try:
        started = versions(cw.db)
        deadline = time.monotonic() + 60
        while versions(cw.db) == started:  # the writer is up and writing: now read
            assert writer.poll() is None and time.monotonic() < deadline, "writer never wrote"
            time.sleep(0.01)
        before = versions(cw.db)
        readers = [
            loop(base, cmd, READS, tmp_path / "never")
            for cmd in (
                ["report", "--all", "--format", "json"],
                ["history", "live", "--format", "json"],
            )
        ]
        results = [json.loads(r.communicate(timeout=300)[0]) for r in readers]
        during = versions(cw.db) - before
    finally:
        stop.touch()
        wrote = json.loads(writer.communicate(timeout=120)[0])
    errors = [e for r in results for e in r["errors"]]
    assert sum(r["runs"] for r in results) == 2 * READS
    assert not [e for e in errors if "locked" in e], errors[:5]
    assert errors == [], errors[:5]
    assert wrote["errors"] == [], wrote["errors"][:5]
    assert during >= 1, "the writer must have written while the readers read"
    with Store(cw.db) as store:
        assert store.integrity_ok()
