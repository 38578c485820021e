"""A loopback HTTP site for tests: pages change between requests, validators are honoured.

Modelled on Scrapy's ``tests/mockserver``: one path per case; a route may be a page
(body, status, headers) or a function that writes the raw answer itself (faults).
"""

from __future__ import annotations

import hashlib
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Page:
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    validators: bool = True
    modified: float = 0.0


Route = Callable[[BaseHTTPRequestHandler], None]


class Site:
    """Start with ``start()``; ``url(path)``; change pages with ``set()`` at any time."""

    def __init__(self) -> None:
        self.pages: dict[str, Page | Route] = {"/robots.txt": Page(b"User-agent: *\nAllow: /\n")}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._clock = 1_700_000_000.0
        self.server: ThreadingHTTPServer | None = None

    def set(self, path: str, body: str | bytes, status: int = 200, **kw: object) -> None:
        """Serve ``body`` at ``path`` from now on (a new Last-Modified each time)."""
        self._clock += 60
        data = body.encode("utf-8") if isinstance(body, str) else body
        headers = {"Content-Type": "text/html; charset=utf-8"}
        headers.update(kw.pop("headers", {}) or {})  # type: ignore[arg-type]
        self.pages[path] = Page(data, status, headers, modified=self._clock, **kw)  # type: ignore[arg-type]

    def route(self, path: str, fn: Route) -> None:
        """Answer ``path`` with a function that writes the raw response (faults)."""
        self.pages[path] = fn

    def url(self, path: str) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)

    def start(self) -> Site:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                site.requests.append((self.path, dict(self.headers)))
                page = site.pages.get(self.path)
                if page is None:
                    return _send(self, 404, b"<html><body><h1>Not found</h1></body></html>", {})
                if callable(page):
                    return page(self)
                headers = dict(page.headers)
                if page.validators and page.status == 200:
                    etag = '"' + hashlib.sha1(page.body).hexdigest()[:16] + '"'
                    headers["ETag"] = etag
                    headers["Last-Modified"] = formatdate(page.modified, usegmt=True)
                    if self.headers.get("If-None-Match") == etag:
                        return _send(self, 304, b"", {"ETag": etag})
                _send(self, page.status, page.body, headers)

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that give up (timeouts, aborted downloads) are expected here."""


def _send(h: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]) -> None:
    h.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    lines = [f"HTTP/1.1 {status} {h.responses.get(status, ('',))[0]}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if status != 304:
        lines.append(f"Content-Length: {len(body)}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    h.wfile.write(head + (body if status != 304 else b""))
    h.wfile.flush()


ARTICLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body>
<header><nav><a href="/">Home</a> <a href="/world">World</a>
<a href="/about">About</a></nav></header>
<main>
<article>
<h1>{title}</h1>
<p class="byline">By Staff Writer</p>
{paragraphs}
</article>
<aside class="sidebar"><h3>Popular posts</h3><ul>{sidebar}</ul></aside>
<section class="comments" id="comments"><h3>Comments</h3>{comments}</section>
</main>
<footer><p>Copyright 2025 Example News. All rights reserved.</p></footer>
</body></html>
"""

PARAGRAPHS = [
    "North Korea has sent more than a million artillery shells to Russia since 2023, "
    "according to South Korean intelligence.",
    "Russia and North Korea signed a comprehensive strategic partnership treaty in June 2024 "
    "that includes a mutual defence clause.",
    "Analysts say Moscow may be providing Pyongyang with satellite technology in return.",
    "The two countries also agreed to expand trade and open a road bridge across the Tumen River.",
    "Thousands of North Korean troops were deployed to the Kursk region, officials in Kyiv said.",
    "Western governments responded with new sanctions on shipping companies linked to the "
    "arms transfers.",
]


def article(
    paragraphs: list[str] | None = None,
    *,
    title: str = "Russia and North Korea deepen ties",
    sidebar: list[str] | None = None,
    comments: list[str] | None = None,
) -> str:
    """A realistic article page with furniture around the text."""
    paras = PARAGRAPHS if paragraphs is None else paragraphs
    side = sidebar if sidebar is not None else ["Why Russia courts Pyongyang", "Markets today"]
    comm = comments if comments is not None else ["Great piece about Russia!"]
    return ARTICLE.format(
        title=title,
        paragraphs="\n".join(f"<p>{p}</p>" for p in paras),
        sidebar="".join(f"<li><a href='#'>{s}</a></li>" for s in side),
        comments="".join(f"<div class='comment'><p>{c}</p></div>" for c in comm),
    )
