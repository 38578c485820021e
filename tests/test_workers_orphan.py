"""A worker whose parent is killed with SIGKILL does not linger."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PARENT = """
import os, sys
from claimwatch.config import DEFAULT_TOPIC
from claimwatch.differ import load_topic
from claimwatch.workers import ClaimExtractor, PARALLEL_MIN
text = DEFAULT_TOPIC.read_text(encoding="utf-8")
ex = ClaimExtractor(text, load_topic(text), PARALLEL_MIN)
list(ex.map(["Russia sent shells to North Korea."] * 4))
print(" ".join(str(p) for p in ex.pool._processes), flush=True)
import time; time.sleep(60)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = (
        Path(f"/proc/{pid}/stat").read_text().split()[2] if Path(f"/proc/{pid}").exists() else "X"
    )
    return state != "Z"


def test_workers_exit_when_their_parent_is_killed():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True, env=env
    )
    workers = [int(p) for p in proc.stdout.readline().split()]
    assert workers and all(_alive(p) for p in workers)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 15
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(p) for p in workers), "orphaned workers must exit on their own"
