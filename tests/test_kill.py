"""SIGKILL at random moments of a crawl: the database stays sound, and a normal rerun
leaves exactly one version per distinct page content, every version analysed once."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from claimwatch.crawler.runner import run_crawl
from claimwatch.storage import Store
from tests.site import PARAGRAPHS, article

ROOT = Path(__file__).resolve().parent.parent
PAGES = 8
ROUNDS = 20


def claim(page: int, n: int) -> str:
    return f"Russia delivered {n * 100 + page} drones to North Korea in shipment {page}-{n}."


def content(page: int, n: int) -> str:
    """Page ``page`` after ``n`` changes: the base article plus ``n`` added claims."""
    return article([*PARAGRAPHS, *(claim(page, k) for k in range(1, n + 1))])


# A fork server: imports claimwatch once, then forks one `claimwatch crawl` per line read
# and reports the child's pid, then its exit code and run time. Each round then costs a
# crawl, not the second of imports a fresh interpreter needs. No thread runs before a fork.
FORK_SERVER = """
import json, os, sys, time
import claimwatch.crawler.runner, scrapy.core.downloader.handlers.http11, trafilatura
from claimwatch.cli import cli
argv = json.loads(sys.argv[1])
for _ in sys.stdin:
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        try:
            cli.main(argv, prog_name="claimwatch", standalone_mode=False)
        finally:
            os._exit(0)
    print(pid, flush=True)
    code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    print(code, time.monotonic() - started, flush=True)
"""
Exited = Callable[[], tuple[int, float]]  # waits for the crawl: (exit code, seconds)


@pytest.fixture
def crawls(cw):
    """A function that starts one `claimwatch crawl` child: (pid, Exited)."""
    argv = ["--db", str(cw.db), "--sources", str(cw.sources), "--config", str(cw.config)]
    server = subprocess.Popen(
        [sys.executable, "-c", FORK_SERVER, json.dumps([*argv, "crawl"])],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdin and server.stdout

    def exited() -> tuple[int, float]:
        code, seconds = server.stdout.readline().split()
        return int(code), float(seconds)

    def start() -> tuple[int, Exited]:
        server.stdin.write("crawl\n")
        server.stdin.flush()
        return int(server.stdout.readline()), exited

    yield start
    server.stdin.close()
    server.wait(60)


def kill_at(
    pid: int, exited: Exited, delay: float, site=None, requests: int = 0
) -> tuple[bool, float]:
    """SIGKILL ``delay`` seconds into a crawl, or after the site has answered ``requests``
    more requests and then ``delay`` seconds: (whether it was still running, its run time
    if it was not)."""
    target = len(site.requests) + requests if site else 0
    deadline = time.monotonic() + 60
    while site and len(site.requests) < target and _running(pid):
        assert time.monotonic() < deadline, "the crawl never reached its kill point"
        time.sleep(0.001)
    time.sleep(delay)  # the kill moment itself, chosen at random by the caller
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    code, seconds = exited()
    assert code in (0, -signal.SIGKILL), code
    return code == -signal.SIGKILL, seconds


def _running(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, not yet reaped by the fork server, has ended)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


def check_history(store: Store, changes_served: list[int]) -> None:
    """One version per distinct content, in order; each analysed once, with one change."""
    assert store.pending_snapshots() == [], "a half-done analysis is completed by the rerun"
    for page, n in enumerate(changes_served):
        src = store.source(f"p{page}")
        snaps = store.snapshots(src.id)
        assert [s.version for s in snaps] == list(range(1, n + 2)), (page, snaps)
        for k, snap in enumerate(snaps):
            text = store.snapshot_text(snap.id)
            assert claim(page, k) in text or k == 0
            assert claim(page, k + 1) not in text
            changes = store.changes(to_snapshot=snap.id)
            expected = [] if k == 0 else [("added", claim(page, k))]
            assert [(c["kind"], c["new_text"]) for c in changes] == expected, (page, k)


def test_sigkill_at_random_moments_loses_and_duplicates_nothing(cw, site, crawls):
    rnd = random.Random(7)
    served = [0] * PAGES
    for page in range(PAGES):
        site.set(f"/p{page}", content(page, 0))
    cw.write_sources({f"p{page}": site.url(f"/p{page}") for page in range(PAGES)})
    pid, exited = crawls()
    code, span = exited()  # a whole crawl, uninterrupted: how long kills may wait
    assert code == 0
    killed = pending = 0
    for round_ in range(ROUNDS):
        for page in rnd.sample(range(PAGES), PAGES // 2):
            served[page] += 1
            site.set(f"/p{page}", content(page, served[page]))
        if round_ % 2:  # anywhere in the run, start-up included
            landed, seconds = kill_at(*crawls(), rnd.uniform(0, span))
        else:  # among the fetches, stores and analyses: after a random number of answers
            n = rnd.randint(1, PAGES + 1)  # +1: robots.txt
            landed, seconds = kill_at(*crawls(), rnd.uniform(0, span / 4), site, n)
        killed += landed
        if not landed:  # the crawl finished first: kill earlier from now on
            span = min(span, seconds)
        with Store(cw.db) as store:
            assert store.integrity_ok()
            pending += bool(store.pending_snapshots())
        out = cw("crawl").stdout
        assert "error" not in out, out
    with Store(cw.db) as store:
        assert store.integrity_ok()
        check_history(store, served)
    assert killed >= ROUNDS // 2, f"{killed} of {ROUNDS} kills mid-run ({pending} mid-analysis)"


def test_versions_left_unanalysed_are_analysed_by_the_next_run(cw, site):
    site.set("/a", content(0, 0))
    cw.write_sources({"p0": site.url("/a")})
    cw("crawl")
    site.set("/a", content(0, 1))
    with Store(cw.db) as store:  # the crawl stage alone: as if killed before analysis
        run_crawl(store.sources(), store, store.start_run())
        assert len(store.pending_snapshots()) == 1
    cw("crawl")
    with Store(cw.db) as store:
        assert store.pending_snapshots() == []
        check_history(store, [1])
