"""The ``command`` hook: run a program with the JSON payload on its standard input."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from typing import Any

from claimwatch.alerts.hooks import ConfigErrorFactory, Hook, Option
from claimwatch.alerts.payload import encode
from claimwatch.errors import HookError


class Command(Hook):
    """Run ``argv`` (a list: program and arguments, no shell) with the payload on stdin.

    The environment also carries ``CLAIMWATCH_HOOK``, ``CLAIMWATCH_ALERT_KIND``,
    ``CLAIMWATCH_SOURCE``, ``CLAIMWATCH_SOURCE_URL``, ``CLAIMWATCH_IDEMPOTENCY_KEY`` and
    ``CLAIMWATCH_SCHEMA``. Page text only ever travels on stdin, never on a command line.
    A non-zero exit is a failure; after ``timeout`` seconds the program (and its process
    group) is killed and the attempt fails.
    """

    kind = "command"
    options = {
        "argv": Option(list, help="program and arguments, e.g. ['notify.sh', '-q']", items=str),
        "timeout": Option(float, 30.0, "seconds before the program is killed"),
    }
    argv: list[str]

    def check(self, where: ConfigErrorFactory) -> None:
        if not self.argv or not self.argv[0]:
            raise where("argv", "must name a program: a non-empty list of strings")
        if self.timeout <= 0:
            raise where("timeout", "must be a number > 0")

    def send(self, payload: dict[str, Any]) -> str:
        src = payload.get("source") or {}
        env = {
            **os.environ,
            "CLAIMWATCH_HOOK": self.name,
            "CLAIMWATCH_ALERT_KIND": str(payload.get("kind", "")),
            "CLAIMWATCH_SOURCE": str(src.get("name", "")),
            "CLAIMWATCH_SOURCE_URL": str(src.get("url", "")),
            "CLAIMWATCH_IDEMPOTENCY_KEY": str(payload.get("idempotency_key", "")),
            "CLAIMWATCH_SCHEMA": str(payload.get("schema", "")),
        }
        try:
            proc = subprocess.Popen(
                self.argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                start_new_session=True,  # its own process group, so a timeout kills it all
            )
        except OSError as exc:
            raise HookError(f"cannot run {self.argv[0]!r}: {exc.strerror or exc}") from None
        try:
            _, err = proc.communicate(encode(payload), timeout=self.timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise HookError(f"killed after {self.timeout:g} s without finishing") from None
        if proc.returncode != 0:
            tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            detail = f": {tail[0][:200]}" if tail[0] else ""
            raise HookError(f"exit status {proc.returncode}{detail}")
        return "exit status 0"


def _kill(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()
