"""The Scrapy floor: a bare spider that only downloads every source (with conditional GET).

Same command shape as the tool, so it can also stand in for it while it is being built::

    python bench/floor.py --db STATE.json --sources sources.toml crawl

It reads ``[[source]]`` tables (``name``, ``url``, optional ``enabled``) from the TOML file,
sends ``If-None-Match`` / ``If-Modified-Since`` from the validators it stored on the previous
run, keeps only the new validators (a small JSON file at ``--db``) and throws the bodies away.
That is the least work any Scrapy-based monitor has to do per cycle.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess

CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))

SETTINGS: dict[str, Any] = {
    "CONCURRENT_REQUESTS": CONCURRENCY,
    "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "ROBOTSTXT_OBEY": False,
    "COOKIES_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "HTTPCACHE_ENABLED": False,
    "RETRY_ENABLED": False,
    "DOWNLOAD_TIMEOUT": 30,
    "LOG_LEVEL": "WARNING",
}


# BENCH_FLOOR_LEAN=1 ("scrapy-lean"): also drop every component a page monitor on known URLs
# can do without, to show how low a tuned Scrapy-based tool could go. Not the reference floor.
LEAN_SETTINGS: dict[str, Any] = {
    "DOWNLOADER_MIDDLEWARES_BASE": {
        "scrapy.downloadermiddlewares.downloadtimeout.DownloadTimeoutMiddleware": 350,
        "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": 500,
        "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": 600,
    },
    "SPIDER_MIDDLEWARES_BASE": {
        "scrapy.spidermiddlewares.start.StartSpiderMiddleware": 25,
        "scrapy.spidermiddlewares.httperror.HttpErrorMiddleware": 50,
    },
    "EXTENSIONS_BASE": {},
    "STATS_CLASS": "scrapy.statscollectors.DummyStatsCollector",
    "LOG_LEVEL": "ERROR",
}
if os.environ.get("BENCH_FLOOR_LEAN") == "1":
    SETTINGS.update(LEAN_SETTINGS)


def load_sources(path: Path) -> list[tuple[str, str]]:
    """``(name, url)`` of every enabled source in a sources TOML file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        (str(s["name"]), str(s["url"])) for s in data.get("source", []) if s.get("enabled", True)
    ]


class FloorSpider(scrapy.Spider):
    """Fetch each URL once; remember ETag/Last-Modified; count outcomes."""

    name = "floor"
    handle_httpstatus_list = [304]

    def __init__(self, sources: list[tuple[str, str]], state: dict[str, dict[str, str]]) -> None:
        super().__init__()
        self.sources = sources
        self.state = state
        self.outcome = {"fetched": 0, "not_modified": 0, "failed": 0, "bytes": 0}

    async def start(self):  # noqa: ANN201 - async generator of requests
        """Yield one (conditional) request per source."""
        for name, url in self.sources:
            headers = {}
            known = self.state.get(url, {})
            if "etag" in known:
                headers["If-None-Match"] = known["etag"]
            if "last_modified" in known:
                headers["If-Modified-Since"] = known["last_modified"]
            yield scrapy.Request(
                url, headers=headers, cb_kwargs={"name": name}, errback=self.failed
            )

    def parse(self, response: scrapy.http.Response, name: str) -> None:
        """Record validators and counts; drop the body."""
        if response.status == 304:
            self.outcome["not_modified"] += 1
            return
        self.outcome["fetched"] += 1
        self.outcome["bytes"] += len(response.body)
        known: dict[str, str] = {}
        for header, key in ((b"ETag", "etag"), (b"Last-Modified", "last_modified")):
            value = response.headers.get(header)
            if value:
                known[key] = value.decode("latin-1")
        self.state[response.url] = known

    def failed(self, failure: Any) -> None:
        """Count a failed download."""
        self.outcome["failed"] += 1


def crawl(db: Path, sources_file: Path) -> dict[str, int]:
    """Run one cycle; return the outcome counters."""
    state: dict[str, dict[str, str]] = {}
    if db.exists():
        state = json.loads(db.read_text(encoding="utf-8"))
    sources = load_sources(sources_file)
    process = CrawlerProcess(settings=SETTINGS)
    crawler = process.create_crawler(FloorSpider)
    process.crawl(crawler, sources=sources, state=state)
    process.start()
    db.write_text(json.dumps(state), encoding="utf-8")
    return crawler.spider.outcome


def main(argv: list[str] | None = None) -> int:
    """CLI: ``--db PATH --sources FILE crawl``."""
    parser = argparse.ArgumentParser(description="Scrapy floor: download only.")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--sources", type=Path, required=True)
    parser.add_argument("command", choices=["crawl"])
    args = parser.parse_args(argv)
    outcome = crawl(args.db, args.sources)
    print(
        f"floor: {outcome['fetched']} fetched, {outcome['not_modified']} not modified, "
        f"{outcome['failed']} failed, {outcome['bytes']} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
