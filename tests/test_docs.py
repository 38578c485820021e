"""Docs as tests: every command and every report format appears in the README."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from claimwatch.cli import cli
from claimwatch.report import Renderer

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command of ``group`` and its subgroups, as name paths, hidden ones left out."""
    paths = []
    for name, cmd in sorted(group.commands.items()):
        if cmd.hidden:
            continue
        paths.append((*prefix, name))
        if isinstance(cmd, click.Group):
            paths += command_paths(cmd, (*prefix, name))
    return paths


def documented(path: tuple[str, ...]) -> bool:
    """``claimwatch a b`` in the README, or a line of ``claimwatch a ...`` naming `b`."""
    word = r"(?![\w-])"
    if re.search(re.escape("claimwatch " + " ".join(path)) + word, README):
        return True
    if len(path) < 2:
        return False
    parent = "claimwatch " + " ".join(path[:-1]) + " "
    sub = re.compile("`" + re.escape(path[-1]) + word)
    return any(parent in line and sub.search(line) for line in README.splitlines())


COMMANDS = command_paths(cli)


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_command_is_documented(path):
    assert documented(path), f"README does not mention 'claimwatch {' '.join(path)}'"


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_command_help_works(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: " in result.output


@pytest.mark.parametrize("kind", sorted(Renderer.registry))
def test_report_format_is_documented(kind):
    assert re.search(rf"--format {re.escape(kind)}(?![\w-])", README), kind


def test_the_walk_finds_nested_commands():
    assert ("sources", "list") in COMMANDS and ("report",) in COMMANDS
