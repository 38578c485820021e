"""The ``stdout`` hook: print alerts (what you get when no hook is configured)."""

from __future__ import annotations

import sys
from typing import Any

from claimwatch.alerts import payload as text
from claimwatch.alerts.hooks import ConfigErrorFactory, Hook, Option


class Stdout(Hook):
    """Print each alert on standard output: a readable block, or one JSON line per alert."""

    kind = "stdout"
    options = {"format": Option(str, "text", "text or json")}
    format: str = "text"

    def check(self, where: ConfigErrorFactory) -> None:
        if self.format not in ("text", "json"):
            raise where("format", "must be text or json")

    def send(self, payload: dict[str, Any]) -> str:
        if self.format == "json":
            sys.stdout.write(text.encode(payload).decode("utf-8") + "\n")
        else:
            sys.stdout.write(text.title(payload) + "\n" + text.markdown(payload) + "\n")
        sys.stdout.flush()
        return "printed"
