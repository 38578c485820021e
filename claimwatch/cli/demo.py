"""``claimwatch demo``: an offline walkthrough on a bundled article and a loopback server.

The server is a demo fixture, not part of the crawler: it listens on 127.0.0.1 only, answers
a bounded number of requests, and stops when the walkthrough ends.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
import threading
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

import click

from claimwatch.cli import cli
from claimwatch.cli.changes import emit_report, report_formats
from claimwatch.config import DEFAULT_TOPIC, Config
from claimwatch.crawler.runner import run_crawl
from claimwatch.pipeline import Analysis, CycleResult, analyse_pending
from claimwatch.report import ReportData
from claimwatch.report.base import plural
from claimwatch.storage import SourceRow, Store

MAX_REQUESTS = 200  # the demo makes about ten; anything beyond is not the demo's crawler
SOURCE = "peninsula-monitor"
CRAWL = {"DOWNLOAD_TIMEOUT": 10.0, "RETRY_TIMES": 0, "AUTOTHROTTLE_ENABLED": False}


@dataclass(frozen=True)
class Revision:
    """One state of the demo article."""

    body: bytes
    says: str


def timeline() -> tuple[str, list[Revision]]:
    """The bundled timeline: the article's path and its revisions, oldest first."""
    folder = resources.files("claimwatch.seeds") / "demo"
    spec = tomllib.loads((folder / "timeline.toml").read_text(encoding="utf-8"))
    revisions = [Revision((folder / r["file"]).read_bytes(), r["says"]) for r in spec["revision"]]
    return spec["path"], revisions


class DemoServer:
    """Serves the current revision at one path (with ETag), and robots.txt, on 127.0.0.1."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.body = b""
        self.requests = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{self.path}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        demo = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                demo.requests += 1
                if demo.requests > MAX_REQUESTS:
                    return self._answer(503, b"", "text/plain")
                if self.path == "/robots.txt":
                    return self._answer(200, b"User-agent: *\nAllow: /\n", "text/plain")
                if self.path != demo.path:
                    return self._answer(404, b"<h1>Not found</h1>", "text/html")
                etag = '"' + hashlib.sha256(demo.body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    return self._answer(304, b"", None, etag)
                self._answer(200, demo.body, "text/html; charset=utf-8", etag)

            def _answer(self, status: int, body: bytes, ctype: str | None, etag: str = "") -> None:
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                if etag:
                    self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler

    def __enter__(self) -> DemoServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


@contextmanager
def _database(keep: str | None) -> Iterator[Path]:
    """A fresh database file: at ``keep``, or in a temporary folder removed afterwards."""
    if keep:
        path = Path(keep)
        if path.exists():
            raise click.BadParameter(f"{path} already exists: give a new file", param_hint="--keep")
        yield path
        return
    folder = tempfile.mkdtemp(prefix="claimwatch-demo-")
    try:
        yield Path(folder) / "demo.db"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def crawl_once(store: Store, cfg: Config, source: SourceRow) -> CycleResult:
    """Fetch and analyse one source, without alerts: the demo has no one to tell."""
    run_id = store.start_run("crawl")
    result = CycleResult(run_id=run_id)
    result.outcomes = run_crawl([source], store, run_id, cfg.crawl)
    result.analyses = analyse_pending(store, cfg, source.id, alerts=False)
    store.finish_run(run_id)
    return result


def found(result: CycleResult) -> str:
    """What one crawl of the demo found, in plain words."""
    o = result.outcomes[0] if result.outcomes else None
    if o is None or o.status == "error":
        return f"the fetch failed: {o.error if o else 'no answer'}"
    if not o.version:
        return "no new version: the article's text did not change, so nothing to report"
    a: Analysis | None = result.analyses.get(o.source_id)
    if a is None or a.baseline:
        claims = plural(a.claims, "claim") if a else "its claims"
        return f"stored version {o.version}: {claims} about the topic (the baseline)"
    minor = a.changed_minor + a.minor
    parts = [f"{n} {k}" for n, k in ((a.added, "added"), (a.removed, "removed")) if n]
    parts += [f"{a.changed_significant} changed"] if a.changed_significant else []
    sig = plural(a.significant, "significant change")
    detail = f" ({', '.join(parts)})" if parts else ""
    return f"stored version {o.version}: {sig}{detail}, {minor} minor"


@cli.command()
@click.option("--format", "fmt", type=report_formats(), default="text", show_default=True)
@click.option("--output", metavar="FILE", help="Write the final report to FILE.")
@click.option("--keep", metavar="FILE", help="Keep the demo database at FILE (a new file).")
def demo(fmt: str, output: str | None, keep: str | None) -> None:
    """Walk through claimwatch offline, right after install: no network, no set-up.

    Serves the revisions of a bundled article on 127.0.0.1, crawls each into a temporary
    database, says what each crawl found, then prints the report of every change (in
    --format). Global --db, --sources and --config are not used. The narration goes to
    stderr when a json, atom or html report goes to stdout.
    """
    path, revisions = timeline()
    narrate = sys.stderr if fmt in ("json", "atom", "html") and not output else sys.stdout

    def say(text: str = "") -> None:
        click.echo(text, file=narrate)

    with _database(keep) as db, DemoServer(path) as server, Store(db) as store:
        say(f"claimwatch demo: one article, {len(revisions)} revisions, served at {server.url}")
        store.import_sources([{"name": SOURCE, "url": server.url}], origin="demo")
        cfg = Config(db=db, topic=DEFAULT_TOPIC, crawl=dict(CRAWL))
        for i, rev in enumerate(revisions, 1):
            server.body = rev.body
            say(f"\n{i}/{len(revisions)}  {rev.says}")
            say(f"     claimwatch: {found(crawl_once(store, cfg, store.source(SOURCE)))}")
        say("\nEvery change it found, as 'claimwatch report --all' shows them:\n")
        data = ReportData(
            store.changes(), title="claimwatch demo report", sources=[store.source(SOURCE)]
        )
        emit_report(fmt, data, output)
        if output:
            say(f"report written to {output}")
    say(f"\nkept the database at {keep}" if keep else "\nthe temporary database was removed")
