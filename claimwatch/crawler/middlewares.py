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
    """

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        if response.status not in (301, 302, 303, 307, 308) or b"Location" not in response.headers:
            return response
        location = response.headers[b"Location"].decode("latin-1")
        target = urlsplit(urljoin(request.url, location))
        if target.scheme not in ("http", "https"):
            raise RedirectRefused(
                f"redirect to a {target.scheme or 'relative'} URL refused: {location}"
            )
        source_host = urlsplit(request.meta.get("cw_origin", request.url)).hostname or ""
        if (
            target.hostname
            and not is_private_host(source_host)
            and is_private_host(target.hostname)
        ):
            raise RedirectRefused(
                f"redirect from a public host to a private address refused: {location}"
            )
        return response
