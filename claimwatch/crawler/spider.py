"""The spider: one request per due source, one item per answer or failure."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

from scrapy import Request, Spider
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure


class SourceSpider(Spider):
    """Refetch each source once; never follow links."""

    name = "claimwatch"

    def __init__(self, jobs: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.jobs = list(jobs)

    async def start(self) -> AsyncIterator[Request]:
        for job in self.jobs:
            yield Request(
                job.url,
                callback=self.parse,
                errback=self.failed,
                dont_filter=True,
                meta={
                    "cw_job": job,
                    "cw_started": time.time(),
                    "cw_origin": job.url,
                    "handle_httpstatus_all": True,
                },
            )

    def parse(self, response: Response) -> Iterator[dict[str, Any]]:
        encoding = response.encoding if isinstance(response, TextResponse) else None
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1")
        yield {
            "job": response.meta["cw_job"],
            "started": response.meta["cw_started"],
            "http_status": response.status,
            "body": response.body,
            "encoding": encoding,
            "content_type": ctype,
            "etag": _header(response, b"ETag"),
            "last_modified": _header(response, b"Last-Modified"),
            "retry_after": _header(response, b"Retry-After"),
            "url": response.url,
        }

    def failed(self, failure: Failure) -> Iterator[dict[str, Any]]:
        request = failure.request
        yield {
            "job": request.meta["cw_job"],
            "started": request.meta["cw_started"],
            "error": _describe(failure),
        }


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _describe(failure: Failure) -> str:
    """One readable line for a download failure."""
    exc = failure.value
    kind = type(exc).__name__
    text = str(exc).strip() or kind
    if kind in ("TimeoutError", "TCPTimedOutError", "DNSLookupError", "ConnectionRefusedError"):
        return f"{kind}: {text}"
    if kind == "ResponseNeverReceived" or "ResponseFailed" in kind:
        reasons = getattr(exc, "reasons", None)
        if reasons:
            text = "; ".join(str(r.value) or type(r.value).__name__ for r in reasons)
        return f"connection failed: {text}"
    if kind == "IgnoreRequest" and "robots.txt" in text:
        return "blocked by robots.txt"
    return text if kind in ("RedirectRefused", "IgnoreRequest") else f"{kind}: {text}"
