"""A loopback site that misbehaves on purpose: one route per fault, in the manner of
Scrapy's ``tests/mockserver``.

Routes write the raw answer themselves. Large bodies are generated while they are sent,
never held in memory; routes that stall watch the site's ``stopping`` event, so stopping
the site ends them.
"""

from __future__ import annotations

import gzip
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from functools import cache
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from tests.site import Site, article

Handler = BaseHTTPRequestHandler
MIB = 1024 * 1024
# Short bounds keep the suite fast; retries stay on so the retry path is exercised too.
CONFIG = "[crawl]\ntimeout = 1.5\nretries = 1\nmax_size = 4194304\nautothrottle = false\n"


@pytest.fixture
def fsite() -> Iterator[FaultSite]:
    """A started fault site, stopped (with every stalling route) after the test."""
    s = FaultSite().start()
    yield s
    s.stop()


@pytest.fixture
def faulty(cw: Any) -> Any:
    """The ``cw`` runner with the fault suite's short timeouts and size limit."""
    cw.config.write_text(CONFIG)
    return cw


class FaultSite(Site):
    """A ``Site`` whose stalling routes end when it stops, and which stays quiet about
    clients that hang up (aborting a download is what the crawler is meant to do)."""

    def __init__(self) -> None:
        super().__init__()
        self.stopping = threading.Event()

    def start(self) -> FaultSite:
        super().start()
        assert self.server is not None
        self.server.handle_error = lambda *a: None  # type: ignore[method-assign]
        return self

    def stop(self) -> None:
        self.stopping.set()
        super().stop()

    # faults --------------------------------------------------------------------------
    def hang(self, path: str) -> None:
        """Accept the request and never answer."""
        self.route(path, lambda h: self.stopping.wait(60))

    def drip(self, path: str) -> None:
        """Promise a page, then send one byte a second."""

        def drip(h: Handler) -> None:
            head(h, 200, {"Content-Length": "100000"})
            for _ in range(60):
                h.wfile.write(b" ")
                h.wfile.flush()
                if self.stopping.wait(1):
                    break

        self.route(path, drip)

    def truncated(self, path: str, *, reset: bool) -> None:
        """Send a quarter of the promised body, then reset the connection or close it."""
        body = article().encode()

        def cut(h: Handler) -> None:
            head(h, 200, {"Content-Length": str(len(body))})
            h.wfile.write(body[: len(body) // 4])
            h.wfile.flush()
            if reset:  # SO_LINGER 0: close() sends RST instead of FIN
                h.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
            h.connection.close()
            h.close_connection = True

        self.route(path, cut)

    def huge(self, path: str, size: int = 200 * MIB, *, length: bool = True) -> None:
        """A valid-looking page ``size`` bytes long, generated while it is sent."""

        def send(h: Handler) -> None:
            headers = {"Content-Length": str(size)} if length else {"Connection": "close"}
            head(h, 200, headers)
            stream(h, _filler(), size)
            h.close_connection = True

        self.route(path, send)

    def gzip_bomb(self, path: str) -> None:
        """About 1 MB of gzip that inflates to 1.1 GiB of zeros."""

        def send(h: Handler) -> None:
            body = bomb()
            head(h, 200, {"Content-Length": str(len(body)), "Content-Encoding": "gzip"})
            h.wfile.write(body)

        self.route(path, send)

    def redirect(self, path: str, location: str) -> None:
        """A 302 to ``location``."""
        self.set(path, b"", status=302, headers={"Location": location}, validators=False)


def head(h: Handler, status: int, headers: dict[str, str]) -> None:
    """Write a status line and headers (HTML by default)."""
    headers = {"Content-Type": "text/html; charset=utf-8", **headers}
    lines = [f"HTTP/1.1 {status} OK", *(f"{k}: {v}" for k, v in headers.items())]
    h.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))


def stream(h: Handler, chunk: bytes, size: int) -> None:
    """Write ``size`` bytes made of ``chunk`` repeated; stop when the client hangs up."""
    sent = 0
    try:
        while sent < size:
            part = chunk[: size - sent]
            h.wfile.write(part)
            sent += len(part)
    except OSError:
        pass


@cache
def _filler() -> bytes:
    return ("<p>Russia and North Korea expanded their partnership again.</p>\n" * 1024).encode()


@cache
def bomb() -> bytes:
    """A multi-member gzip body: 70 members of 16 MiB of zeros each (built in ~0.1 s)."""
    return gzip.compress(bytes(16 * MIB), compresslevel=9) * 70


Fault = Callable[[FaultSite, str], None]
