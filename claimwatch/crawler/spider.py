"""The spider: one request per due source, one item per answer or failure."""

from __future__ import annotations

import gzip
import time
import zlib
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

from scrapy import Request, Spider
from scrapy.http import Response
from twisted.python.failure import Failure
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

# Every status reaches the callback (failures are state), except redirects, which
# RedirectMiddleware must still see to follow them ("handle_httpstatus_all" would stop it).
_REDIRECTS = {301, 302, 303, 307, 308}
HANDLED_STATUSES = [code for code in range(100, 600) if code not in _REDIRECTS]


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
                    "handle_httpstatus_list": HANDLED_STATUSES,
                },
            )

    def parse(self, response: Response) -> Iterator[dict[str, Any]]:
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1")
        yield {
            "job": response.meta["cw_job"],
            "started": response.meta["cw_started"],
            "http_status": response.status,
            "body": response.body,
            "encodings": declared_encodings(ctype, response.body),
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
            "error": _describe(failure, self.settings.getint("DOWNLOAD_MAXSIZE")),
        }


def declared_encodings(content_type: str, body: bytes) -> list[str]:
    """The charsets a page declares: BOM, then Content-Type header, then ``<meta>``.

    Only declarations: Scrapy's ``response.encoding`` falls back to a statistical guess,
    which on short Latin-1 pages can be as wrong as cp775.
    """
    found = [
        read_bom(body)[0],
        http_content_type_encoding(content_type),
        html_body_declared_encoding(body[:4096]),
    ]
    return [enc for enc in found if enc]


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


_TIMEOUTS = ("TimeoutError", "TCPTimedOutError", "DownloadTimeoutError")
_CONNECTION = (
    "ConnectionRefusedError",
    "DownloadConnectionRefusedError",
    "ConnectionLost",
    "ConnectionDone",
    "DownloadFailedError",
    "ResponseNeverReceived",
    "ResponseFailed",
)


def _describe(failure: Failure, max_size: int = 0) -> str:
    """One readable line for a download failure: what went wrong, not which class said so."""
    exc = failure.value
    kind = type(exc).__name__
    text = str(exc).strip() or kind
    size = f"the size limit (max_size = {max_size} bytes)" if max_size else "the size limit"
    if kind in _TIMEOUTS:
        return f"timeout: {text}"
    if kind in ("ResponseDataLossError", "_DataLoss", "PotentialDataLoss"):
        return "connection closed before the whole body arrived (body shorter than announced)"
    if kind in ("DownloadCancelledError", "CancelledError"):
        return f"aborted: the body exceeds {size}"
    if kind in ("DNSLookupError", "CannotResolveHostError"):
        return f"cannot resolve host: {text}"
    if kind in _CONNECTION:
        reasons = getattr(exc, "reasons", None)
        if reasons:
            text = "; ".join(str(r.value) or type(r.value).__name__ for r in reasons)
        return f"connection failed: {text}"
    if failure.check(zlib.error, gzip.BadGzipFile, EOFError):
        return f"cannot decompress the body (Content-Encoding): {text}"
    if kind == "HttpError":
        return f"HTTP {exc.response.status}"
    if kind == "IgnoreRequest":
        return _ignored(text, failure.request, size)
    return text if kind == "RedirectRefused" else f"{kind}: {text}"


def _ignored(text: str, request: Request, size: str) -> str:
    if "robots.txt" in text:
        return "blocked by robots.txt"
    if "max redirections" in text:
        urls = [*request.meta.get("redirect_urls", []), request.url]
        if len(set(urls)) < len(urls):
            return f"redirect loop: {' -> '.join(urls[-3:])}"
        return f"too many redirects (more than {len(urls) - 1}), last at {request.url}"
    if "DOWNLOAD_MAXSIZE" in text:
        return f"aborted: the decompressed body exceeds {size}"
    return text
