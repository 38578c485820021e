"""The ``apprise`` hook: chat, e-mail and push services through the Apprise library."""

from __future__ import annotations

import logging
from typing import Any

from claimwatch.alerts import payload as text
from claimwatch.alerts.hooks import ConfigErrorFactory, Hook, Option
from claimwatch.errors import HookError


class Apprise(Hook):
    """Send a readable title and Markdown body to one or more Apprise URLs.

    ``urls`` takes any of Apprise's 90+ services: ``mailtos://``, ``slack://``, ``tgram://``,
    ``discord://``, ``matrix://``, ``ntfy://``, ``json://`` and more (see the Apprise wiki).
    Services without Markdown get it converted by Apprise. The attempt fails unless every
    URL accepted the message.
    """

    kind = "apprise"
    options = {
        "urls": Option(list, help="Apprise URLs, e.g. ['ntfy://ntfy.sh/my-topic']", items=str),
        "timeout": Option(float, 30.0, "seconds, bounds how long a delivery is held"),
    }
    urls: list[str]

    def check(self, where: ConfigErrorFactory) -> None:
        if not self.urls:
            raise where("urls", "must list at least one Apprise URL")
        import apprise  # only when an apprise hook is configured (~70 ms to import)

        for i, url in enumerate(self.urls):
            if not apprise.Apprise().add(url):
                raise where(f"urls[{i}]", "not a URL Apprise understands")

    def send(self, payload: dict[str, Any]) -> str:
        import apprise

        app = apprise.Apprise()
        app.add(self.urls)
        with apprise.LogCapture(level=logging.WARNING) as log:
            ok = app.notify(
                body=text.markdown(payload),
                title=text.title(payload),
                body_format=apprise.NotifyFormat.MARKDOWN,
            )
            messages = log.getvalue()
        if not ok:
            reason = _last_line(messages) or "a service did not accept the message"
            raise HookError(f"Apprise: {reason}")
        return f"{len(self.urls)} URL{'s' if len(self.urls) != 1 else ''} notified"


def _last_line(log: str) -> str:
    lines = [ln.split(" - ", 2)[-1] for ln in log.strip().splitlines() if ln.strip()]
    return lines[-1][:300] if lines else ""
