"""The ``webhook`` hook: POST the JSON payload to a URL, signed with HMAC-SHA256."""

from __future__ import annotations

import hmac
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from claimwatch import __version__
from claimwatch.alerts.hooks import ConfigErrorFactory, Hook, Option
from claimwatch.alerts.payload import encode
from claimwatch.errors import HookError


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The value of ``X-Claimwatch-Signature`` for a body sent at ``timestamp``."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, "sha256")
    return "sha256=" + mac.hexdigest()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a delivery: urllib would resend a POST as a GET."""

    def redirect_request(self, *args: Any, **kw: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class Webhook(Hook):
    """POST the alert as JSON to ``url``; any answer other than 2xx is a failure.

    Headers: ``Content-Type: application/json``, ``Idempotency-Key`` (the payload's key),
    ``X-Claimwatch-Timestamp`` (Unix seconds) and, with ``secret``,
    ``X-Claimwatch-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>``.
    Redirects are not followed (a 3xx is a failure).
    """

    kind = "webhook"
    options = {
        "url": Option(str, help="http or https URL to POST to"),
        "secret": Option(str, "", "shared secret for the signature header"),
        "timeout": Option(float, 10.0, "seconds to wait for the answer"),
        "headers": Option(dict, {}, "extra headers, a table of strings", str),
    }
    url: str
    secret: str
    headers: dict[str, str]

    def check(self, where: ConfigErrorFactory) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise where("url", f"'{self.url}' is not an http or https URL")
        if self.timeout <= 0:
            raise where("timeout", "must be a number > 0")

    def send(self, payload: dict[str, Any]) -> str:
        body = encode(payload)
        ts = str(int(time.time()))
        headers = {
            "User-Agent": f"claimwatch/{__version__}",
            **self.headers,
            "Content-Type": "application/json",
            "Idempotency-Key": str(payload.get("idempotency_key", "")),
            "X-Claimwatch-Timestamp": ts,
        }
        if self.secret:
            headers["X-Claimwatch-Signature"] = signature(self.secret, ts, body)
        req = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with _OPENER.open(req, timeout=self.timeout) as resp:
                status = resp.status
        except urllib.error.HTTPError as exc:
            raise HookError(f"HTTP {exc.code} {exc.reason}".strip()) from None
        except TimeoutError:
            raise HookError(f"no answer within {self.timeout:g} s") from None
        except urllib.error.URLError as exc:
            raise HookError(f"cannot connect to {self.url}: {exc.reason}") from None
        except OSError as exc:
            raise HookError(f"connection failed: {exc}") from None
        if not 200 <= status < 300:
            raise HookError(f"HTTP {status}")
        return f"HTTP {status}"
