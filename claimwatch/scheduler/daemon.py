"""The daemon behind ``claimwatch schedule``: one batched cycle for whatever is due, repeatedly.

Design, and why:

- **APScheduler 3's BackgroundScheduler, not AsyncIOScheduler.** Every crawl already runs on
  the crawler's one long-lived asyncio-reactor loop (``crawler/runner.py``), and ``run_cycle``
  is synchronous: it blocks on that loop for the crawl, then analyses (CPU work that would
  stall downloads if it ran on the loop). So the scheduler lives in threads of its own and
  calls ``run_cycle``; the main thread only waits for SIGTERM / SIGINT.
- **One "tick" job, not one job per source.** The database is the schedule: each tick reads
  the sources and their last fetch times and runs ONE cycle over every source that is due
  (batched: one crawl, however many sources). Restarts lose nothing and need no job store,
  overdue sources run on the first tick, missed runs coalesce into one, and sources added or
  edited by other commands are picked up without a restart.
- **No overlap.** The tick runs in a one-thread pool with ``max_instances=1`` and
  ``coalesce=True``: a slow cycle delays the next tick, ticks never pile up, and no source
  is ever in two crawls at once.
- **Clean stop.** A signal sets a flag; the main thread stops the scheduler, stops the crawl
  in progress (Scrapy drops the queued requests and lets the ones in flight end, within the
  crawl timeout), and waits for the cycle to end, at most ``STOP_GRACE`` seconds. Past that,
  ``exit_now`` ends the process from the crawler's loop between two callbacks, so never in
  the middle of storing a fetch; every write is a SQLite transaction in any case, and a
  source whose fetch was cut off is simply overdue at the next start.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from datetime import UTC, datetime
from typing import Any

from claimwatch.config import Config, schedule_settings
from claimwatch.errors import ClaimwatchError
from claimwatch.pipeline import CycleResult, import_sources, run_cycle
from claimwatch.scheduler.due import now_utc, plans
from claimwatch.storage import Store

log = logging.getLogger("claimwatch.scheduler")

STOP_GRACE = 20.0  # seconds a stopping daemon waits for its cycle before exiting anyway
_WAIT_STEP = 0.25


class Daemon:
    """Runs cycles for due sources until stopped; ``tick`` is one look at what is due."""

    def __init__(self, store: Store, cfg: Config) -> None:
        self.store, self.cfg = store, cfg
        self.settings = schedule_settings(cfg)
        self.attempted: dict[int, datetime] = {}  # in-memory: a cycle that failed waits too
        self.cycles = 0
        self._busy = threading.Lock()
        self._stopping = threading.Event()
        self._signal: int | None = None
        self._warned: set[str] = set()
        self._sources_stamp = _stamp(cfg.sources)

    # one tick ---------------------------------------------------------------------------
    def tick(self, now: datetime | None = None) -> CycleResult | None:
        """Run one cycle over the sources due at ``now``; a failing cycle is logged, not raised."""
        if not self._busy.acquire(blocking=False):
            return None
        try:
            if self._stopping.is_set():
                return None
            return self._cycle(now or now_utc())
        except ClaimwatchError as exc:  # e.g. a topic file broken while running
            log.error("cycle failed: %s; carrying on", exc)
        except Exception:
            log.exception("cycle failed; carrying on")
        finally:
            self._busy.release()
        return None

    def _cycle(self, now: datetime) -> CycleResult | None:
        self._reimport()
        due = []
        for p in plans(self.store.sources(enabled_only=True), self.cfg, self.attempted):
            if p.error and p.source.name not in self._warned:
                self._warned.add(p.source.name)
                log.error("source '%s' is not scheduled: %s", p.source.name, p.error)
            elif p.due(now):
                due.append(p.source)
        if not due:
            return None
        for src in due:
            self.attempted[src.id] = now
        started = time.monotonic()
        result = run_cycle(self.store, self.cfg, due)
        self.cycles += 1
        log.info(
            "cycle %d: %d due: %s (%.2f s)",
            self.cycles,
            len(due),
            _summary(result),
            time.monotonic() - started,
        )
        return result

    def _reimport(self) -> None:
        """Re-import the sources file when it changed; a broken file keeps the watched set."""
        stamp = _stamp(self.cfg.sources)
        if stamp == self._sources_stamp:
            return
        self._sources_stamp = stamp
        try:
            created = import_sources(self.store, self.cfg)
        except ClaimwatchError as exc:
            log.error("sources file not re-imported, watched set kept: %s", exc)
            return
        log.info("sources file re-imported%s", f"; new: {', '.join(created)}" if created else "")

    # running and stopping -------------------------------------------------------------------
    def run(self, grace: float = STOP_GRACE) -> bool:
        """Run until SIGTERM or SIGINT; True when the last cycle ended within ``grace``."""
        scheduler = self._scheduler()
        handlers = {s: signal.signal(s, self._on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
        scheduler.start()
        try:
            while self._signal is None:
                time.sleep(_WAIT_STEP)
            log.info("%s: stopping", signal.Signals(self._signal).name)
            return self.stop(scheduler, grace)  # a second signal meanwhile changes nothing
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)

    def _on_signal(self, signum: int, frame: Any) -> None:
        self._signal = signum  # only a flag: the main thread does the rest

    def _scheduler(self) -> Any:
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.background import BackgroundScheduler

        if not log.isEnabledFor(logging.DEBUG):
            # "skipped: maximum number of running instances reached" is the design, not news.
            logging.getLogger("apscheduler").setLevel(logging.ERROR)
        scheduler = BackgroundScheduler(executors={"default": ThreadPoolExecutor(1)}, timezone=UTC)
        scheduler.add_job(
            self._job,
            "interval",
            seconds=float(self.settings["tick"]),
            id="tick",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=datetime.now(UTC),  # overdue sources run at once
        )
        return scheduler

    def _job(self) -> None:
        self.tick()

    def stop(self, scheduler: Any = None, grace: float = STOP_GRACE) -> bool:
        """Start no new cycle, cut off the crawl in progress, wait for it at most ``grace`` s."""
        from claimwatch.crawler.runner import stop as stop_crawls

        self._stopping.set()
        if scheduler is not None:
            if not log.isEnabledFor(logging.DEBUG):  # a look submitted while shutting down
                logging.getLogger("apscheduler").setLevel(logging.CRITICAL)
            scheduler.shutdown(wait=False)
        deadline = time.monotonic() + grace
        while not self._busy.acquire(timeout=_WAIT_STEP):
            try:
                stop_crawls(timeout=2.0)  # repeated: a crawl may start just after a call
            except Exception as exc:  # a stuck loop must not stop the shutdown
                log.debug("cannot stop the crawl yet: %s", exc)
            if time.monotonic() > deadline:
                return False
        self._busy.release()
        return True


def exit_now(code: int) -> None:
    """End the process at once, from the crawler's loop when it runs (between two writes)."""
    import os

    from claimwatch.crawler.runner import event_loop

    logging.shutdown()
    try:
        event_loop().call_soon_threadsafe(os._exit, code)
        time.sleep(2.0)
    finally:
        os._exit(code)


def _stamp(path: Any) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _summary(result: CycleResult) -> str:
    parts = []
    for o in sorted(result.outcomes, key=lambda o: o.source):
        if o.status == "error":
            parts.append(f"{o.source} error: {o.error}")
        elif o.version:
            parts.append(f"{o.source} v{o.version}")
        else:
            parts.append(f"{o.source} {o.status}")
    return ", ".join(parts) or "nothing fetched"
