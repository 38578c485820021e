"""The fault suite: every way a site can misbehave, served between two good versions.

Each case crawls a good page, then the fault, then the good page again, beside a second
source that changes meanwhile. Whatever the fault, the crawl ends within its bounds, the
fetch row says what went wrong, no version comes from the fault, no claim is reported
because of it, and the other source is processed as usual.
"""

from __future__ import annotations

import resource
import threading
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from claimwatch.storage import Store
from tests import faultsite
from tests.faultsite import FaultSite
from tests.site import PARAGRAPHS, article

fsite, faulty = faultsite.fsite, faultsite.faulty  # fixtures

ACCENTED = "Sergueï Choïgou met Kim Jong Un in Pyongyang, where Russia promised über-modern jets."
GOOD = article(PARAGRAPHS + [ACCENTED])
NEWS = "Russia delivered air-defence systems to North Korea in March, officials said."
CRAWL_BOUND_S = 30  # far above timeout x (retries + 1): a bound, not a benchmark


@dataclass(frozen=True)
class Case:
    serve: Callable[[FaultSite, str], None]
    status: tuple[str, ...] = ("error",)  # what the fetch row may say
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
    "latin1-declared-utf8": Case(_charset("latin-1", "utf-8", "utf-8"), status=("unchanged",)),
    "utf8-declared-latin1": Case(_charset("utf-8", "iso-8859-1", "iso-8859-1"), ("unchanged",)),
    "no-charset-utf8": Case(_charset("utf-8", None, None), status=("unchanged",)),
    "no-charset-latin1": Case(_charset("latin-1", None, None), status=("unchanged",)),
    "header-latin1-meta-utf8": Case(_charset("utf-8", "iso-8859-1", "utf-8"), ("unchanged",)),
    "header-utf8-meta-cp1252": Case(_charset("cp1252", "utf-8", "windows-1252"), ("unchanged",)),
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
    "corrupt-gzip": Case(
        _set(b"\x1f\x8b\x08\x00garbage" * 50, headers={"Content-Encoding": "gzip"}),
        reason="cannot decompress",
    ),
    "robots-disallow": Case(
        lambda s, p: s.set("/robots.txt", f"User-agent: *\nDisallow: {p}\n"), reason="robots.txt"
    ),
    # robots.txt failing is not the page failing: the page is fetched (and is unchanged).
    "robots-txt-hangs": Case(lambda s, p: s.hang("/robots.txt"), status=("not_modified",)),
    "robots-txt-500": Case(lambda s, p: s.set("/robots.txt", "x", 500), status=("not_modified",)),
}


def _versions(store: Store, name: str) -> list[int]:
    return [v.version for v in store.snapshots(store.source(name).id)]


def crawl_in_process(cw) -> str:
    """One ``claimwatch crawl``, asserting that it ends within its bounds (in a thread, so
    a crawl that never ends fails the test instead of hanging the suite)."""
    result: list[str | BaseException] = []

    def run() -> None:
        try:
            result.append(cw("crawl").stdout)
        except BaseException as exc:  # re-raised in the test's own thread below
            result.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(CRAWL_BOUND_S)
    assert not worker.is_alive(), "the crawl must end within its bounds"
    if isinstance(result[0], BaseException):
        raise result[0]
    return result[0]


def nested(depth: int) -> str:
    """GOOD with its main element wrapped in ``depth`` nested <div>s."""
    return GOOD.replace("<main>", "<main>" + "<div>" * depth).replace(
        "</main>", "</div>" * depth + "</main>"
    )


def round_trip(
    cw,
    site: FaultSite,
    case: Case,
    *,
    key: str = "/page",
    url: str | None = None,
    crawl_fault: Callable = crawl_in_process,
) -> dict:
    """Good page, fault, good page again, beside a source that changes; check them all.

    ``key`` is the site's path for the page (an absolute URL behind a proxy), ``url`` the
    source's URL (default: the site's URL of ``key``). Returns the fault's fetch row.
    """
    site.set(key, GOOD)
    site.set("/other", article())
    cw.write_sources({"page": url or site.url(key), "other": site.url("/other")})
    crawl_in_process(cw)

    case.serve(site, key)
    site.set("/other", article([*PARAGRAPHS, NEWS]))
    crawl_fault(cw)
    with Store(cw.db) as store:
        fetch = store.fetches(store.source("page").id, 1)[0]
        assert fetch["status"] in case.status, fetch
        if case.reason:
            assert case.reason in (fetch["error"] or "").lower(), fetch
        assert _versions(store, "page") == [1], "no version is created from a fault"
        assert _versions(store, "other") == [1, 2], "the other source is processed normally"

    site.set("/robots.txt", "User-agent: *\nAllow: /\n")
    site.set(key, GOOD)
    crawl_in_process(cw)
    with Store(cw.db) as store:
        assert _versions(store, "page") == [1]
        last = store.fetches(store.source("page").id, 1)[0]
        assert last["status"] in ("not_modified", "unchanged"), last
    report = cw.json("report", "--all", "--format", "json")["changes"]
    assert [c for c in report if c["source"] == "page"] == [], "a fault never reports a claim"
    assert any(c["source"] == "other" and c["kind"] == "added" for c in report)
    return fetch


@pytest.mark.parametrize("name", list(CASES))
def test_fault_between_good_versions(faulty, fsite, name):
    round_trip(faulty, fsite, CASES[name])
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 1024 * 1024  # KiB


PUBLIC = "http://93.184.215.14"  # a public address literal: nothing here is ever sent to it


@pytest.mark.parametrize(
    "how,target",
    [
        ("302", "http://10.0.0.1/admin"),
        ("302", "http://localhost:9/"),
        ("302", "LOOPBACK"),
        ("meta-refresh", "http://10.0.0.1/admin"),
    ],
)
def test_redirect_from_public_host_to_private_address_is_refused(
    faulty, fsite, monkeypatch, how, target
):
    """The "public" host is reached through the loopback site acting as an HTTP proxy, so
    every byte stays on this machine whatever the guard does; the guard must refuse the
    private target before any request for it is made."""
    proxy = fsite.url("")
    for var in ("http_proxy", "HTTP_PROXY"):
        monkeypatch.setenv(var, proxy)
    for var in ("no_proxy", "NO_PROXY"):  # the other source is on the loopback site itself
        monkeypatch.setenv(var, "127.0.0.1")
    assert urllib.request.getproxies()["http"] == proxy
    assert not urllib.request.proxy_bypass("93.184.215.14"), "traffic must go to the proxy"
    fsite.set(f"{PUBLIC}/robots.txt", "User-agent: *\nAllow: /\n")
    location = fsite.url("/other") if target == "LOOPBACK" else target
    refresh = f'<html><head><meta http-equiv="refresh" content="0; url={location}"></head></html>'
    serve = (lambda s, p: s.redirect(p, location)) if how == "302" else _set(refresh)
    case = Case(serve, reason="private address refused")
    round_trip(faulty, fsite, case, key=f"{PUBLIC}/page", url=f"{PUBLIC}/page")
    asked = [path for path, _ in fsite.requests]
    assert f"{PUBLIC}/page" in asked, "the public page was fetched through the proxy"
    assert not [p for p in asked if p.startswith(("http://10.", "http://localhost"))]
