"""SIGKILL at random moments of a crawl: the database stays sound, and a normal rerun
leaves exactly one version per distinct page content, every version analysed once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

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


def start_crawl(cw) -> subprocess.Popen:
    argv = [sys.executable, "-m", "claimwatch", "--db", str(cw.db), "--sources", str(cw.sources)]
    argv += ["--config", str(cw.config), "crawl"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def kill_at_random_moment(proc: subprocess.Popen, site, rnd: random.Random) -> bool:
    """SIGKILL once the site has answered a random number of this round's requests, plus a
    random instant more (into the storing and analysis that follow); True if it was still
    running."""
    target = len(site.requests) + rnd.randint(0, PAGES + 1)  # +1: robots.txt
    deadline = time.monotonic() + 60
    while len(site.requests) < target and proc.poll() is None:
        assert time.monotonic() < deadline, "the crawl never reached its kill point"
        time.sleep(0.002)
    time.sleep(rnd.uniform(0, 0.15))  # the kill moment itself, chosen at random
    alive = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait(60)
    return alive


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


def test_sigkill_at_random_moments_loses_and_duplicates_nothing(cw, site):
    rnd = random.Random(7)
    served = [0] * PAGES
    for page in range(PAGES):
        site.set(f"/p{page}", content(page, 0))
    cw.write_sources({f"p{page}": site.url(f"/p{page}") for page in range(PAGES)})
    cw("crawl")
    killed = 0
    for _ in range(ROUNDS):
        for page in rnd.sample(range(PAGES), PAGES // 2):
            served[page] += 1
            site.set(f"/p{page}", content(page, served[page]))
        killed += kill_at_random_moment(start_crawl(cw), site, rnd)
        with Store(cw.db) as store:
            assert store.integrity_ok()
        out = cw("crawl").stdout
        assert "error" not in out, out
    with Store(cw.db) as store:
        assert store.integrity_ok()
        check_history(store, served)
    assert killed >= ROUNDS // 2, f"only {killed} of {ROUNDS} kills landed mid-run"


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
