"""Claim extraction spread over the machine's cores for large batches.

Extraction is pure CPU (tens of milliseconds per long article) and the differ is pure, so
a first cycle over thousands of pages is split across a pool of worker processes. Workers
are *spawned*, never forked: the crawler's event loop runs in a thread, and forking a
threaded process can deadlock. Small batches run inline: a spawned worker costs ~0.3 s to
start, more than it saves on a handful of pages.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

PARALLEL_MIN = 64  # pending versions before a pool pays for its start-up (~0.5 s CPU)
CHUNK = 128  # texts in memory at once, so memory stays flat on huge first cycles

_topic: Any = None


def _init(topic_text: str, parent: int) -> None:
    global _topic
    from claimwatch.differ import load_topic

    _topic = load_topic(topic_text)
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()


def _exit_when_orphaned(parent: int) -> None:
    """A parent killed with SIGKILL cannot shut its pool down: leave on our own."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _extract(text: str) -> list[Any]:
    from claimwatch.differ import extract_claims

    return extract_claims(text, _topic, lazy=True)


class ClaimExtractor:
    """Map texts to claims, in worker processes when the batch is large."""

    def __init__(self, topic_text: str, topic: Any, batch_size: int) -> None:
        self.topic, self.pool = topic, None
        # One worker per core: extraction costs each version ~3x what this process spends
        # diffing and writing it, so a core kept for this process would mostly sit idle.
        workers = min(os.cpu_count() or 1, 4)
        if batch_size >= PARALLEL_MIN and (os.cpu_count() or 1) > 1:
            self.pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init,
                initargs=(topic_text, os.getpid()),
            )

    def map(self, texts: Sequence[str]) -> Iterator[list[Any]]:
        """Claims of each text, in order."""
        if self.pool is None:
            from claimwatch.differ import extract_claims

            return (extract_claims(t, self.topic, lazy=True) for t in texts)
        return self.pool.map(_extract, texts, chunksize=8)

    def __enter__(self) -> ClaimExtractor:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """Consecutive slices of ``items``."""
    for i in range(0, len(items), size):
        yield items[i : i + size]
