"""Loopback benchmark site: N article pages with ETag/Last-Modified and an HTTP control API.

Run as its own process (``python bench/server.py --pages N``) so that serving does not compete
for the GIL with anything measured in the parent. It prints ``READY <port>`` once all pages are
rendered. It exits by itself after ``--max-seconds`` or when its parent process goes away.

Pages: ``GET /article/NNNNN.html``. Conditional GET: ``If-None-Match`` is compared with the
ETag (and takes precedence, RFC 9110); otherwise ``If-Modified-Since`` with Last-Modified.

Control (GET, JSON answers):
  ``/_control/reset``               all pages back to version 0, counters cleared
  ``/_control/change?fraction=F``   edit one sentence in the deterministic fraction F of pages
  ``/_control/edit?page=I``         edit one sentence of page I
  ``/_control/stats[?reset=1]``     request counters by status (and optionally clear them)
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import json
import math
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import Article, changed_subset, page_path  # noqa: E402


class Site:
    """Page store: current article state, rendered bytes and validators per page."""

    def __init__(self, n_pages: int) -> None:
        self.n_pages = n_pages
        self.lock = threading.Lock()
        self.counts: dict[str, int] = {}
        self.reset()

    def reset(self) -> None:
        """Back to version 0 for every page; clear counters."""
        now = time.time()
        with self.lock:
            self.articles = [Article(i) for i in range(self.n_pages)]
            self.cache = [self._entry(a, now) for a in self.articles]
            self.index = {page_path(i): i for i in range(self.n_pages)}
            self.counts = {}

    @staticmethod
    def _entry(article: Article, modified: float) -> tuple[bytes, str, str, int]:
        body = article.render()
        etag = f'"{article.page_id}-{article.version}-{hashlib.md5(body).hexdigest()[:12]}"'
        lm_epoch = math.ceil(modified)  # never earlier than the edit, at 1 s resolution
        return body, etag, email.utils.formatdate(lm_epoch, usegmt=True), lm_epoch

    def edit(self, page_id: int) -> int:
        """Edit one sentence of a page; return its new version."""
        with self.lock:
            article = self.articles[page_id]
            version = article.edit()
            self.cache[page_id] = self._entry(article, time.time())
        return version

    def count(self, key: str) -> None:
        """Increment a request counter."""
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1


class Handler(BaseHTTPRequestHandler):
    """Serves pages and the control API; one write per response, TCP_NODELAY set."""

    protocol_version = "HTTP/1.1"
    server: SiteServer

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Silence per-request logging."""

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        head = [f"HTTP/1.1 {status} {self.responses[status][0]}"]
        head.append(f"Date: {email.utils.formatdate(usegmt=True)}")
        head += [f"{k}: {v}" for k, v in headers.items()]
        if status != 304:
            head.append(f"Content-Length: {len(body)}")
        payload = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(payload + (body if status != 304 else b""))

    def do_HEAD(self) -> None:  # noqa: N802
        """HEAD is not used by any tool here; answer 405."""
        self._send(405, b"", {"Allow": "GET"})

    def do_GET(self) -> None:  # noqa: N802
        """Dispatch a GET request."""
        site = self.server.site
        parts = urlsplit(self.path)
        if parts.path.startswith("/_control/"):
            self._control(parts.path[len("/_control/") :], parse_qs(parts.query))
            return
        if parts.path == "/robots.txt":
            site.count("robots")
            self._send(200, b"User-agent: *\nDisallow:\n", {"Content-Type": "text/plain"})
            return
        page_id = site.index.get(parts.path)
        if page_id is None:
            site.count("404")
            self._send(404, b"not found\n", {"Content-Type": "text/plain"})
            return
        body, etag, last_modified, lm_epoch = site.cache[page_id]
        headers = {
            "Content-Type": "text/html; charset=utf-8",
            "ETag": etag,
            "Last-Modified": last_modified,
            "Cache-Control": "no-cache",
        }
        if self._not_modified(etag, lm_epoch):
            site.count("304")
            self._send(304, b"", headers)
            return
        site.count("200")
        with site.lock:
            site.counts["body_bytes"] = site.counts.get("body_bytes", 0) + len(body)
        self._send(200, body, headers)

    def _not_modified(self, etag: str, lm_epoch: int) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm:
            tags = [t.strip() for t in inm.split(",")]
            return etag in tags or "*" in tags or f"W/{etag}" in tags
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                return False
            return lm_epoch <= since
        return False

    def _control(self, command: str, query: dict[str, list[str]]) -> None:
        site = self.server.site
        answer: dict[str, object]
        if command == "reset":
            site.reset()
            answer = {"ok": True, "pages": site.n_pages}
        elif command == "change":
            fraction = float(query.get("fraction", ["0.05"])[0])
            ids = changed_subset(site.n_pages, fraction)
            versions = [site.edit(i) for i in ids]
            answer = {"ok": True, "changed": len(ids), "max_version": max(versions, default=0)}
        elif command == "edit":
            page = int(query.get("page", ["0"])[0])
            answer = {"ok": True, "page": page, "version": site.edit(page)}
        elif command == "stats":
            with site.lock:
                answer = dict(site.counts)
                if query.get("reset", ["0"])[0] == "1":
                    site.counts = {}
        elif command == "ping":
            answer = {"ok": True, "pages": site.n_pages}
        else:
            self._send(404, b"{}", {"Content-Type": "application/json"})
            return
        body = json.dumps(answer).encode()
        self._send(200, body, {"Content-Type": "application/json"})


class SiteServer(ThreadingHTTPServer):
    """ThreadingHTTPServer holding a :class:`Site`."""

    daemon_threads = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], site: Site) -> None:
        super().__init__(address, Handler)
        self.site = site


def _watchdog(server: SiteServer, max_seconds: float, parent: int) -> None:
    deadline = time.monotonic() + max_seconds
    while time.monotonic() < deadline and os.getppid() == parent:
        time.sleep(0.5)
    server.shutdown()


def main(argv: list[str] | None = None) -> int:
    """Serve until the deadline or until the parent process exits."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--max-seconds", type=float, default=3 * 3600)
    args = parser.parse_args(argv)
    site = Site(args.pages)
    server = SiteServer(("127.0.0.1", args.port), site)
    threading.Thread(
        target=_watchdog, args=(server, args.max_seconds, os.getppid()), daemon=True
    ).start()
    print(f"READY {server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
