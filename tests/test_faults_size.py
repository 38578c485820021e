"""Oversized answers, measured: the fault crawl runs in a child process whose peak RSS is
read from ``wait4``, so "memory stays bounded" is a measurement, not a hope."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from tests import faultsite
from tests.faultsite import MIB
from tests.test_faults import CRAWL_BOUND_S, Case, crawl_in_process, nested, round_trip
from tests.test_faults_content import ADDED, long_page

fsite, faulty = faultsite.fsite, faultsite.faulty  # fixtures

ROOT = Path(__file__).resolve().parent.parent
RSS_LIMIT_KIB = 512 * 1024  # "well under 1 GiB"; a crawl of small pages peaks near 150 MiB


def run_measured(argv: list[str], timeout: float) -> tuple[int, str, int]:
    """Run ``argv`` with this worktree on PYTHONPATH: exit code, output, peak RSS in KiB."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env)
        done: dict[str, tuple[int, int, object]] = {}
        waiter = threading.Thread(target=lambda: done.update(r=os.wait4(proc.pid, 0)))
        waiter.start()
        waiter.join(timeout)
        if waiter.is_alive():
            proc.kill()
            waiter.join()
            raise AssertionError(f"{argv} did not finish within {timeout} s")
        _, status, usage = done["r"]
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        return proc.returncode, out.read().decode("utf-8", "replace"), usage.ru_maxrss


def crawl_measured(cw) -> str:
    """``claimwatch crawl`` in a child process; asserts success and bounded memory."""
    argv = [sys.executable, "-m", "claimwatch", "--db", str(cw.db), "--sources", str(cw.sources)]
    argv += ["--config", str(cw.config), "crawl"]
    code, out, rss = run_measured(argv, CRAWL_BOUND_S)
    assert code == 0, out
    assert rss < RSS_LIMIT_KIB, f"peak RSS {rss // 1024} MiB"
    return out


SIZE_CASES = {
    "200MB-with-content-length": Case(lambda s, p: s.huge(p, length=True), reason="size limit"),
    "200MB-without-content-length": Case(lambda s, p: s.huge(p, length=False), reason="size limit"),
    "gzip-bomb": Case(lambda s, p: s.gzip_bomb(p), reason="size limit"),
}


@pytest.mark.parametrize("name", list(SIZE_CASES))
def test_oversized_body_is_aborted_with_memory_bounded(faulty, fsite, name):
    fetch = round_trip(faulty, fsite, SIZE_CASES[name], crawl_fault=crawl_measured)
    assert f"max_size = {4 * MIB} bytes" in fetch["error"]


def test_100000_nested_divs_neither_crash_nor_report(faulty, fsite):
    """Whatever extraction makes of it, the guards keep it from reporting claims."""
    case = Case(lambda s, p: s.set(p, nested(100_000)), status=("error", "unchanged"))
    round_trip(faulty, fsite, case, crawl_fault=crawl_measured)


def test_50000_sentences_with_one_claim_added_in_bounded_memory(faulty, fsite):
    fsite.set("/long", long_page())
    faulty.write_sources({"long": fsite.url("/long")})
    crawl_in_process(faulty)
    fsite.set("/long", long_page(ADDED))
    crawl_measured(faulty)
    changes = faulty.json("report", "--all", "--format", "json")["changes"]
    assert [(c["kind"], c["new_text"]) for c in changes] == [("added", ADDED)]
