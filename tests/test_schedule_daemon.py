"""``claimwatch schedule`` as a real subprocess against a loopback site, stopped by SIGTERM."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from claimwatch.storage import Store, iso
from tests.site import PARAGRAPHS, article
from tests.test_schedule_cli import by_name, fetch_count, wait_for

ROOT = Path(__file__).resolve().parents[1]
STOP_BOUND = 30.0  # seconds: a stopped daemon must have exited by then

pytestmark = pytest.mark.slow


class Daemon:
    """``python -m claimwatch ... schedule`` with its log in a file."""

    def __init__(self, cw) -> None:
        self.cw = cw
        self.log = cw.tmp / f"daemon-{time.monotonic_ns()}.log"
        self.proc = subprocess.Popen(
            self.argv(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("wb"),
            env=env(),
        )

    def argv(self) -> list[str]:
        cw = self.cw
        return [
            sys.executable,
            "-m",
            "claimwatch",
            "--db",
            str(cw.db),
            "--sources",
            str(cw.sources),
            "--config",
            str(cw.config),
            "schedule",
        ]

    def alive(self) -> bool:
        """True while it runs; fails the test at once, with its log, if it has exited."""
        if self.proc.poll() is not None:
            raise AssertionError(f"daemon exited {self.proc.returncode}:\n{self.text()}")
        return True

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(STOP_BOUND)
        finally:
            self.kill()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def env() -> dict[str, str]:
    return dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )


@pytest.fixture
def daemons():
    started: list[Daemon] = []

    def start(cw) -> Daemon:
        d = Daemon(cw)
        started.append(d)
        return d

    yield start
    for d in started:
        d.kill()


@pytest.fixture
def fast(cw):
    cw.config.write_text("[schedule]\ntick = 0.2\njitter = 0\n[crawl]\ntimeout = 2\nretries = 0\n")
    return cw


def versions(cw, name: str) -> list[int]:
    with Store(cw.db, readonly=True) as store:
        return [v.version for v in store.snapshots(store.source(name).id)]


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def test_daemon_cycles_picks_up_changes_refuses_a_second_and_stops_cleanly(fast, site, daemons):
    cw = fast
    site.set("/a", article())
    cw.write_sources({"a": site.url("/a")}, a={"interval": "1s"})
    daemon = daemons(cw)
    wait_for(lambda: daemon.alive() and fetch_count(cw, "a") >= 3, "three cycles")
    assert daemon.proc.poll() is None
    status = cw.json("status", "--format", "json")
    assert status["daemon"] == {
        "running": True,
        "pid": daemon.proc.pid,
        "lock": str(cw.db.resolve()) + ".lock",
    }
    assert f"daemon: running (pid {daemon.proc.pid})" in cw("status").stdout

    second = subprocess.run(daemon.argv(), capture_output=True, text=True, env=env(), timeout=60)
    assert second.returncode == 6
    assert "already runs" in second.stderr and f"pid {daemon.proc.pid}" in second.stderr
    due = cw("crawl", "--due", ok=False)
    assert due.exit_code == 6 and "already runs" in due.stderr

    site.set("/a", article(PARAGRAPHS + ["Russia delivered fighter jets to North Korea in May."]))
    wait_for(lambda: daemon.alive() and versions(cw, "a") == [1, 2], "version 2")

    assert daemon.stop() == 0
    assert integrity(cw.db) == "ok"
    log = daemon.text()
    assert "cycle 3:" in log and "a v2" in log and "SIGTERM: stopping" in log
    assert "Traceback" not in log
    assert cw.json("status", "--format", "json")["daemon"]["running"] is False


def test_overdue_sources_run_at_once_and_missed_runs_coalesce(fast, site, daemons):
    cw = fast
    site.set("/late", article())
    site.set("/fresh", article())
    cw.write_sources(
        {"late": site.url("/late"), "fresh": site.url("/fresh")},
        late={"interval": "1h"},
        fresh={"interval": "1h"},
    )
    cw("crawl")
    ten_hours_ago = iso(datetime.now(UTC) - timedelta(hours=10))
    with Store(cw.db) as store:  # as if the machine had been off for ten hours
        store.db.execute(
            "UPDATE source_state SET last_fetch_at = ? WHERE source_id = ?",
            [ten_hours_ago, store.source("late").id],
        )
        store.conn.commit()
    assert by_name(cw.json("status", "--format", "json"))["late"]["due"]
    daemon = daemons(cw)
    wait_for(lambda: daemon.alive() and fetch_count(cw, "late") == 2, "the overdue run")
    # Ten missed hourly runs became one: the next run is an hour away again.
    late = by_name(cw.json("status", "--format", "json"))["late"]
    assert not late["due"] and late["next_run_at"] > iso(datetime.now(UTC) + timedelta(minutes=50))
    assert fetch_count(cw, "fresh") == 1, "a source that is not due waits"
    assert daemon.stop() == 0
    assert fetch_count(cw, "late") == 2


def test_sigterm_during_a_crawl_exits_cleanly(fast, site, daemons):
    cw = fast
    site.set("/a", article())

    def hang(handler):
        time.sleep(6)

    site.route("/slow", hang)
    cw.write_sources({"a": site.url("/a"), "slow": site.url("/slow")})
    daemon = daemons(cw)
    wait_for(lambda: daemon.alive() and site.hits("/slow") >= 1, "the crawl to be under way")
    assert daemon.stop() == 0
    assert integrity(cw.db) == "ok"
    with Store(cw.db) as store:
        assert store.fetches(store.source("a").id, 10), "the finished fetch was stored"


def analysed(cw, name: str) -> list[int]:
    with Store(cw.db) as store:
        snaps = store.snapshots(store.source(name).id)
        return [s.version for s in snaps if s.analysed_at]


def test_failing_cycles_and_broken_files_are_logged_and_the_daemon_carries_on(fast, site, daemons):
    cw = fast
    topic = cw.tmp / "topic.toml"
    good = (ROOT / "claimwatch" / "seeds" / "topic.toml").read_text()
    topic.write_text(good)
    cw.config.write_text(f'topic = "{topic}"\n' + cw.config.read_text())
    site.set("/a", article())
    cw.write_sources({"a": site.url("/a")}, a={"interval": "1s"})
    daemon = daemons(cw)
    wait_for(lambda: daemon.alive() and fetch_count(cw, "a") >= 1, "a first cycle")
    # The topic is read only when a new version needs analysing: break it, then change the page.
    topic.write_text("[[[ not toml")
    site.set("/a", article(PARAGRAPHS + ["Putin and Kim met again in Vladivostok."]))
    wait_for(lambda: daemon.alive() and "cycle failed" in daemon.text(), "a failed cycle")
    assert daemon.proc.poll() is None, "a failing cycle must not end the daemon"
    topic.write_text(good)
    wait_for(lambda: daemon.alive() and analysed(cw, "a") == [1, 2], "a good cycle again")
    # An edited sources file is re-imported while running; a broken one keeps the watched set.
    cw.sources.write_text("[[source]\n")
    wait_for(lambda: daemon.alive() and "not re-imported" in daemon.text(), "a refused file")
    site.set("/b", article())
    cw.write_sources({"a": site.url("/a"), "b": site.url("/b")}, a={"interval": "1s"})
    wait_for(lambda: daemon.alive() and fetch_count(cw, "b") == 1, "the new source's fetch")
    assert daemon.stop() == 0
    assert str(topic) in daemon.text()


def test_a_look_during_a_running_cycle_starts_no_second_crawl(fast, site):
    """In-process: the daemon's tick while a slow cycle runs returns at once, fetching nothing."""
    import threading

    from claimwatch.config import resolve
    from claimwatch.pipeline import import_sources
    from claimwatch.scheduler.daemon import Daemon as SchedulerDaemon

    cw = fast
    release = threading.Event()

    def slow(handler):
        release.wait(10)
        handler.send_response(200)
        body = article().encode()
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    site.route("/slow", slow)
    cw.write_sources({"slow": site.url("/slow")})
    cfg = resolve(str(cw.db), str(cw.sources), str(cw.config))
    with Store(cw.db) as store:
        import_sources(store, cfg)
        daemon = SchedulerDaemon(store, cfg)
        first = threading.Thread(target=daemon.tick)
        first.start()
        wait_for(lambda: site.hits("/slow") == 1, "the first cycle's request")
        # A day later the source would be due again: only the running cycle keeps it out.
        later = datetime.now(UTC) + timedelta(days=1)
        assert daemon.tick(later) is None, "a second look while a cycle runs does nothing"
        release.set()
        first.join(30)
        assert not first.is_alive() and daemon.cycles == 1
        assert site.hits("/slow") == 1 and fetch_count(cw, "slow") == 1
