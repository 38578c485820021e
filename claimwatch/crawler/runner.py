"""Run crawls from Python, any number of times in one process.

Twisted's reactor cannot be restarted, so claimwatch starts it once, on its asyncio event
loop, in a background thread, and submits every crawl to that loop (Scrapy's
``AsyncCrawlerRunner``). A crawl after the first costs milliseconds instead of the ~0.9 s
of a child process, and callers (the CLI, the scheduler, tests) stay synchronous.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from claimwatch.crawler.pipelines import Outcome
from claimwatch.crawler.settings import SETTINGS
from claimwatch.storage import SourceRow, Store

_ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
_loop: asyncio.AbstractEventLoop | None = None
_lock = threading.Lock()
_runners: set[Any] = set()  # the crawls in progress, touched only on the loop's thread


def _reactor_main(ready: threading.Event, failed: list[BaseException]) -> None:
    global _loop
    try:
        from scrapy.utils.reactor import install_reactor

        install_reactor(_ASYNCIO_REACTOR)
        from twisted.internet import reactor

        _loop = asyncio.get_event_loop()
        reactor.callWhenRunning(ready.set)
        reactor.run(installSignalHandlers=False)
    except BaseException as exc:  # surfaced to the caller of event_loop()
        failed.append(exc)
        ready.set()


def event_loop() -> asyncio.AbstractEventLoop:
    """The process's one reactor-driven asyncio loop, started on first use."""
    with _lock:
        if _loop is None:
            ready, failed = threading.Event(), []
            thread = threading.Thread(
                target=_reactor_main, args=(ready, failed), name="claimwatch-reactor", daemon=True
            )
            thread.start()
            ready.wait(60)
            if failed or _loop is None:
                raise RuntimeError(f"cannot start the crawler's event loop: {failed}")
    return _loop


async def crawl_async(
    jobs: Sequence[SourceRow],
    store: Store,
    run_id: int,
    overrides: dict[str, Any] | None = None,
    progress: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Fetch ``jobs`` once each on the running loop; return one Outcome per source."""
    from scrapy.crawler import AsyncCrawlerRunner

    from claimwatch.crawler.spider import SourceSpider

    settings = dict(SETTINGS)
    settings.update(overrides or {})
    runner = AsyncCrawlerRunner(settings)
    outcomes: list[Outcome] = []
    _runners.add(runner)
    try:
        await runner.crawl(
            SourceSpider,
            jobs=jobs,
            store=store,
            run_id=run_id,
            outcomes=outcomes,
            progress=progress,
        )
    finally:
        _runners.discard(runner)
    return outcomes


def run_crawl(
    jobs: Sequence[SourceRow],
    store: Store,
    run_id: int,
    overrides: dict[str, Any] | None = None,
    *,
    progress: Callable[[Outcome], None] | None = None,
    timeout: float | None = None,
) -> list[Outcome]:
    """Synchronous :func:`crawl_async` on the shared loop; safe to call repeatedly."""
    if not jobs:
        return []
    # Every fetch failure is already recorded on its fetch row and shown in the summary:
    # Scrapy's own warnings ("Gave up retrying", "Got data loss") only under -v / --debug.
    level = logging.getLogger("claimwatch").getEffectiveLevel()
    logging.getLogger("scrapy").setLevel(level if level < logging.WARNING else logging.CRITICAL)
    fut = asyncio.run_coroutine_threadsafe(
        crawl_async(jobs, store, run_id, overrides, progress), event_loop()
    )
    return fut.result(timeout)


def stop(timeout: float = 10.0) -> None:
    """Cut off the crawls in progress (for a daemon's shutdown); their ``run_crawl`` returns.

    Scrapy stops between items, and each fetch is stored in its own transaction, so nothing
    is half-written; a source cut off before its fetch was stored is simply due again.
    """
    if _loop is None:
        return

    async def _stop_all() -> None:
        await asyncio.gather(*(r.stop() for r in list(_runners)))

    asyncio.run_coroutine_threadsafe(_stop_all(), _loop).result(timeout)
