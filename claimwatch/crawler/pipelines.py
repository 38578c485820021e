"""Item pipelines: classify and extract each answer, then hand it to storage."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from scrapy.crawler import Crawler

from claimwatch.crawler.page import NotAnArticle, build_page, check_body, decode, raw_hash
from claimwatch.storage import FetchRecord, Store, StoreError, iso

SHRINK_GUARD = 0.25  # a main text under 25 % of the last version's is a broken page


@dataclass
class Outcome:
    """What one fetch came to, for the crawl summary."""

    source: str
    source_id: int
    status: str
    version: int | None
    text_len: int | None
    ms: int
    error: str | None = None
    http_status: int | None = None


class ExtractPipeline:
    """Turn a spider item into a FetchRecord: failures are state, never versions."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        spider = self.crawler.spider
        job = item["job"]
        rec = FetchRecord(
            source_id=job.id,
            run_id=spider.run_id,
            started_at=iso_ts(item["started"]),
            ms=int((time.time() - item["started"]) * 1000),
            status="error",
            http_status=item.get("http_status"),
        )
        if "error" in item:
            rec.error = item["error"]
        else:
            try:
                self._classify(item, job, rec, spider.store)
            except Exception as exc:  # one bad page never stops the crawl
                rec.status, rec.error = "error", f"cannot process page: {type(exc).__name__}: {exc}"
                rec.text = rec.raw = None
        item["record"] = rec
        return item

    def _classify(self, item: dict[str, Any], job: Any, rec: FetchRecord, store: Store) -> None:
        status = item["http_status"]
        if status == 304:
            rec.status = "not_modified"
            return
        if not 200 <= status < 300:
            after = f" (Retry-After: {item['retry_after']})" if item.get("retry_after") else ""
            rec.error = f"HTTP {status}{after}"
            return
        body = item["body"]
        try:
            check_body(body, item["content_type"])
        except NotAnArticle as exc:
            rec.error = str(exc)
            return
        rec.raw_hash = raw_hash(body)
        rec.etag, rec.last_modified = item["etag"], item["last_modified"]
        if rec.raw_hash == job.raw_hash:
            rec.status = "unchanged"  # same bytes: no extraction needed
            return
        try:
            page = build_page(decode(body, *item["encodings"]), item["url"], job.selector)
        except NotAnArticle as exc:
            rec.error, rec.raw_hash = str(exc), None
            return
        latest = store.latest_snapshot(job.id)
        if latest is not None and len(page.text) < SHRINK_GUARD * latest.text_len:
            rec.error = (
                f"main text shrank to {len(page.text)} characters from {latest.text_len} in"
                f" version {latest.version}: treated as a broken page, not stored"
            )
            rec.raw_hash = None
            return
        rec.status, rec.raw = "ok", body
        rec.text, rec.text_hash = page.text, page.text_hash
        rec.title, rec.published_at = page.title, page.published


class StorePipeline:
    """Write each fetch (and any new version) to the store.

    A fetch that can become a version is written at once, in its own transaction. The
    others (304s, unchanged bodies, errors) are written in batches: one transaction per
    hundred 304s instead of a hundred. A crash loses at most one batch of fetch-log rows,
    never a version.
    """

    BATCH = 100

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._closing = False
        self._batch: list[dict[str, Any]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        self._batch.append(item)
        if item["record"].status == "ok" or len(self._batch) >= self.BATCH:
            self._flush()
        return {}

    def close_spider(self, spider: Any = None) -> None:
        self._flush()

    def _flush(self) -> None:
        items, self._batch = self._batch, []
        if not items:
            return
        spider = self.crawler.spider
        try:
            results = spider.store.record_fetches([i["record"] for i in items])
        except StoreError:
            # The database cannot take writes (disk full, read-only): fetching more is
            # pointless. The store keeps the error and the run's end raises it.
            if self.crawler.engine is not None and not self._closing:
                self._closing = True
                asyncio.ensure_future(self.crawler.engine.close_spider_async(reason="store"))
            return
        for item, (status, version) in zip(items, results, strict=True):
            self._report(spider, item, status, version)

    @staticmethod
    def _report(spider: Any, item: dict[str, Any], status: str, version: int | None) -> None:
        rec: FetchRecord = item["record"]
        outcome = Outcome(
            source=item["job"].name,
            source_id=item["job"].id,
            status=status,
            version=version,
            text_len=len(rec.text) if rec.text is not None and version else None,
            ms=rec.ms,
            error=rec.error,
            http_status=rec.http_status,
        )
        spider.outcomes.append(outcome)
        if spider.progress is not None:
            spider.progress(outcome)


def iso_ts(ts: float) -> str:
    """A time.time() value as the store's ISO-8601 UTC."""
    from datetime import UTC, datetime

    return iso(datetime.fromtimestamp(ts, UTC))
