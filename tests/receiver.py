"""A loopback HTTP receiver for alert tests: records every POST, can fail or hang on purpose."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    """One request as the receiver saw it."""

    path: str
    headers: dict[str, str]
    body: bytes
    status: int  # what the receiver answered

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that went away (a killed process) is part of the tests


class Receiver:
    """``start()``, point hooks at ``url(path)``; ``fail_first(k)`` answers k errors first."""

    def __init__(self, port: int = 0) -> None:
        self.port = port
        self.requests: list[Received] = []  # answered requests
        self.arrived = 0  # requests read, answered or not yet
        self.fail_remaining = 0
        self.fail_status = 500
        self.always_status: int | None = None
        self.hang_s = 0.0  # hold the next request this long, then answer 504
        self._lock = threading.Lock()
        self.server: _Server | None = None

    def fail_first(self, k: int, status: int = 500) -> Receiver:
        self.fail_remaining, self.fail_status = k, status
        return self

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def accepted(self) -> list[Received]:
        return [r for r in self.requests if 200 <= r.status < 300]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Poll until ``count`` requests were accepted (or the deadline passes)."""
        deadline = time.monotonic() + timeout
        while len(self.accepted) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.accepted

    def _answer(self) -> int:
        with self._lock:
            if self.always_status is not None:
                return self.always_status
            if self.fail_remaining > 0:
                self.fail_remaining -= 1
                return self.fail_status
            return 200

    def start(self) -> Receiver:
        rec = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                rec.arrived += 1
                hang, rec.hang_s = rec.hang_s, 0.0
                if hang:  # a request held this long is answered 504, never accepted
                    time.sleep(hang)
                status = 504 if hang else rec._answer()
                rec.requests.append(Received(self.path, dict(self.headers), body, status))
                reply = b'{"ok": true}' if status < 300 else b'{"error": "try again"}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                if 300 <= status < 400:
                    self.send_header("Location", rec.url("/elsewhere"))
                self.end_headers()
                self.wfile.write(reply)

            def do_GET(self) -> None:  # noqa: N802
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        self.server = _Server(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
