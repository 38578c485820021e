"""Shared fixtures: a loopback site, a sources file, and the CLI run in-process."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from claimwatch.cli import cli
from tests.site import Site


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site().start()
    yield s
    s.stop()


class CW:
    """Run ``claimwatch --db <tmp> --sources <tmp> ...`` in this process."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.db = tmp / "cw.db"
        self.sources = tmp / "sources.toml"
        self.sources.write_text("")
        self.config = tmp / "config.toml"
        self.config.write_text("")

    def write_sources(self, sources: dict[str, str], **extra: dict[str, str]) -> None:
        lines = []
        for name, url in sources.items():
            lines.append(f"[[source]]\nname = {json.dumps(name)}\nurl = {json.dumps(url)}\n")
            for k, v in extra.get(name, {}).items():
                lines.append(f"{k} = {json.dumps(v)}\n")
        self.sources.write_text("\n".join(lines))

    def __call__(self, *args: str, ok: bool = True, global_args: tuple[str, ...] = ()) -> Result:
        argv = [
            "--db",
            str(self.db),
            "--sources",
            str(self.sources),
            "--config",
            str(self.config),
            *global_args,
            *args,
        ]
        result = CliRunner().invoke(cli, argv, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, (argv, result.output, result.stderr)
        return result

    def json(self, *args: str) -> dict:
        return json.loads(self(*args).stdout)


@pytest.fixture
def cw(tmp_path: Path) -> CW:
    return CW(tmp_path)
