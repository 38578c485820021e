"""The fault suite: every way a site can misbehave, served between two good versions.

Each case crawls a good page, then the fault, then the good page again, beside a second
source that changes meanwhile. Whatever the fault, the crawl ends within its bounds, the
fetch row says what went wrong, no version comes from the fault, no claim is reported
because of it, and the other source is processed as usual.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from claimwatch.storage import Store
from tests.faultsite import FaultSite
from tests.site import PARAGRAPHS, article

ACCENTED = "Sergueï Choïgou met Kim Jong Un in Pyongyang, where Russia promised über-modern jets."
GOOD = article(PARAGRAPHS + [ACCENTED])
NEWS = "Russia delivered air-defence systems to North Korea in March, officials said."
CRAWL_BOUND_S = 30  # far above timeout x (retries + 1): a bound, not a benchmark
CONFIG = "[crawl]\ntimeout = 1.5\nretries = 1\nmax_size = 4194304\nautothrottle = false\n"


@pytest.fixture
def fsite():
    s = FaultSite().start()
    yield s
    s.stop()


@pytest.fixture
def faulty(cw):
    cw.config.write_text(CONFIG)
    return cw


@dataclass(frozen=True)
class Case:
    serve: Callable[[FaultSite, str], None]
    status: str = "error"  # what the fetch row must say
    reason: str | None = None  # a piece of the fetch row's error, lower case


def _set(body: str | bytes, status: int = 200, **kw: object) -> Callable[[FaultSite, str], None]:
    return lambda s, p: s.set(p, body, status=status, **kw)


def _charset(encoding: str, header: str | None, meta: str | None) -> Callable:
    """GOOD encoded as ``encoding``, with the given header and <meta> charsets (or none)."""
    html = GOOD.replace('<meta charset="utf-8">', f'<meta charset="{meta}">' if meta else "")
    ctype = "text/html" + (f"; charset={header}" if header else "")
    return _set(html.encode(encoding), headers={"Content-Type": ctype}, validators=False)


SOFT_404 = article(["Sorry, this post was not found."], title="Post not found", comments=[])
JS_ONLY = (
    "<!DOCTYPE html><html><head><title>Russia and North Korea</title>"
    "<script>document.getElementById('app').innerHTML = '<p>"
    + " ".join(PARAGRAPHS).replace("'", "")
    + "</p>';</script></head><body><div id='app'></div><noscript></noscript></body></html>"
)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" + bytes(2000)
OCTETS = bytes((i * 7919) % 251 for i in range(4000))

CASES: dict[str, Case] = {
    "http500": Case(_set("<h1>Internal error</h1>", 500), reason="http 500"),
    "http503-retry-after": Case(
        _set("<h1>Busy</h1>", 503, headers={"Retry-After": "120"}), reason="retry-after: 120"
    ),
    "http404": Case(_set("<h1>Not found</h1>", 404), reason="http 404"),
    "http403": Case(_set("<h1>Forbidden</h1>", 403), reason="http 403"),
    "http429": Case(_set("<h1>Slow down</h1>", 429, headers={"Retry-After": "30"}), reason="429"),
    "empty-200": Case(_set(b""), reason="empty body"),
    "soft-404": Case(_set(SOFT_404), reason="shrank"),
    "javascript-only": Case(_set(JS_ONLY), reason="no main text"),
    "hang": Case(lambda s, p: s.hang(p), reason="timeout"),
    "drip": Case(lambda s, p: s.drip(p), reason="timeout"),
    "reset-mid-body": Case(lambda s, p: s.truncated(p, reset=True), reason="connection"),
    "short-body": Case(lambda s, p: s.truncated(p, reset=False), reason="connection"),
    "latin1-declared-utf8": Case(_charset("latin-1", "utf-8", "utf-8"), status="unchanged"),
    "utf8-declared-latin1": Case(_charset("utf-8", "iso-8859-1", "iso-8859-1"), "unchanged"),
    "no-charset-utf8": Case(_charset("utf-8", None, None), status="unchanged"),
    "no-charset-latin1": Case(_charset("latin-1", None, None), status="unchanged"),
    "header-latin1-meta-utf8": Case(_charset("utf-8", "iso-8859-1", "utf-8"), "unchanged"),
    "header-utf8-meta-cp1252": Case(_charset("cp1252", "utf-8", "windows-1252"), "unchanged"),
    "png-as-html": Case(_set(PNG, headers={"Content-Type": "text/html"}), reason="binary"),
    "pdf-as-html": Case(_set(PDF, headers={"Content-Type": "text/html"}), reason="binary"),
    "octet-stream": Case(
        _set(OCTETS, headers={"Content-Type": "application/octet-stream"}), reason="not an html"
    ),
    "redirect-loop": Case(
        lambda s, p: (s.redirect(p, p + "-b"), s.redirect(p + "-b", p)), reason="redirect"
    ),
    "redirect-chain-25": Case(
        lambda s, p: (
            [s.redirect(f"{p}{'' if i == 0 else f'-{i}'}", f"{p}-{i + 1}") for i in range(25)]
            and s.set(f"{p}-25", GOOD)
        ),
        reason="redirect",
    ),
    "redirect-to-file": Case(lambda s, p: s.redirect(p, "file:///etc/passwd"), reason="file"),
    "robots-disallow": Case(
        lambda s, p: s.set("/robots.txt", f"User-agent: *\nDisallow: {p}\n"), reason="robots.txt"
    ),
}


def _versions(store: Store, name: str) -> list[int]:
    return [v.version for v in store.snapshots(store.source(name).id)]


def _crawl(cw) -> str:
    started = time.monotonic()
    out = cw("crawl").stdout
    assert time.monotonic() - started < CRAWL_BOUND_S, "the crawl must end within its bounds"
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_fault_between_good_versions(faulty, fsite, name):
    case = CASES[name]
    fsite.set("/page", GOOD)
    fsite.set("/other", article())
    faulty.write_sources({"page": fsite.url("/page"), "other": fsite.url("/other")})
    _crawl(faulty)

    case.serve(fsite, "/page")
    fsite.set("/other", article([*PARAGRAPHS, NEWS]))
    _crawl(faulty)
    with Store(faulty.db) as store:
        fetch = store.fetches(store.source("page").id, 1)[0]
        assert fetch["status"] == case.status, fetch
        if case.reason:
            assert case.reason in (fetch["error"] or "").lower(), fetch
        assert _versions(store, "page") == [1], "no version is created from a fault"
        assert _versions(store, "other") == [1, 2], "the other source is processed normally"

    fsite.set("/robots.txt", "User-agent: *\nAllow: /\n")
    fsite.set("/page", GOOD)
    _crawl(faulty)
    with Store(faulty.db) as store:
        assert _versions(store, "page") == [1]
        assert store.fetches(store.source("page").id, 1)[0]["status"] in (
            "not_modified",
            "unchanged",
        )
    report = faulty.json("report", "--all", "--format", "json")["changes"]
    assert [c for c in report if c["source"] == "page"] == [], "a fault never reports a claim"
    assert any(c["source"] == "other" and c["kind"] == "added" for c in report)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 1024 * 1024  # KiB
