"""Downloader middlewares: conditional GET, and a guard on where redirects may lead."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urljoin, urlsplit

from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response


class ConditionalGetMiddleware:
    """Send If-None-Match / If-Modified-Since from the last successful fetch."""

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        job = request.meta.get("cw_job")
        if job is None or not request.url.startswith(("http://", "https://")):
            return
        if job.etag:
            request.headers.setdefault(b"If-None-Match", job.etag)
        if job.last_modified:
            request.headers.setdefault(b"If-Modified-Since", job.last_modified)


class RedirectRefused(IgnoreRequest):
    """A redirect that claimwatch will not follow."""


def is_private_host(host: str) -> bool:
    """True when ``host`` is, or resolves to, a loopback, private or link-local address."""
    try:
        addrs = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except OSError:
            return False  # unresolvable: the download will fail on its own
        addrs = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    return any(
        a.is_private or a.is_loopback or a.is_link_local or a.is_reserved or a.is_unspecified
        for a in addrs
    )


class RedirectGuardMiddleware:
    """Refuse redirects to other schemes, and from public hosts to private addresses.

    Scrapy follows redirects to any http(s) host, private addresses included; a monitor
    that fetches untrusted URLs on a schedule must not be steered into the local network.
    A source whose own host is private (a test server, an intranet page) may stay there.
    A 3xx is checked here before it is followed; other ways of being sent on are checked
    by :class:`RedirectTargetGuardMiddleware`.
    """

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        if response.status not in (301, 302, 303, 307, 308) or b"Location" not in response.headers:
            return response
        location = response.headers[b"Location"].decode("latin-1")
        _guard(request.meta.get("cw_origin", request.url), urljoin(request.url, location), location)
        return response


class RedirectTargetGuardMiddleware:
    """The same guard on every request that results from a redirect, before anything else
    sees it: a ``<meta http-equiv="refresh">`` is followed without a 3xx, and Scrapy's
    robots.txt middleware (at 100) would otherwise fetch the target host's robots.txt."""

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if request.meta.get("redirect_urls"):
            origin = request.meta.get("cw_origin", request.meta["redirect_urls"][0])
            _guard(origin, request.url, request.url)


def _guard(origin: str, url: str, shown: str) -> None:
    """Raise RedirectRefused when a request that began at ``origin`` may not go to ``url``."""
    target = urlsplit(url)
    if target.scheme not in ("http", "https"):
        raise RedirectRefused(f"redirect to a {target.scheme or 'relative'} URL refused: {shown}")
    source_host = urlsplit(origin).hostname or ""
    if target.hostname and not is_private_host(source_host) and is_private_host(target.hostname):
        raise RedirectRefused(f"redirect from a public host to a private address refused: {shown}")
