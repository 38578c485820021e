"""Hook configuration and filters: what each hook receives, and clear errors for bad tables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from claimwatch.alerts.hooks import Filters, build_hooks
from claimwatch.cli import cli
from claimwatch.config import ALERT_KEYS
from claimwatch.errors import ConfigError, ExitCode

PAYLOAD = {
    "schema": "claimwatch.alert/1",
    "kind": "changes",
    "idempotency_key": "k",
    "source": {"name": "kyiv-independent", "url": "https://example.org/a"},
    "changes": [
        {"kind": "added", "significant": True, "category": "military", "new_text": "A"},
        {"kind": "removed", "significant": True, "category": "economic", "old_text": "B"},
        {"kind": "changed", "significant": False, "category": "military", "new_text": "C"},
    ],
}
HEALTH = {"kind": "source_failing", "source": {"name": "kyiv-independent"}}


def texts(selected: dict | None) -> list[str] | None:
    if selected is None:
        return None
    return [c.get("new_text") or c.get("old_text") for c in selected["changes"]]


@pytest.mark.parametrize(
    "filters,expected",
    [
        (Filters(), ["A", "B"]),
        (Filters(min_significance="minor"), ["A", "B", "C"]),
        (Filters(kinds=["removed"]), ["B"]),
        (Filters(categories=["military"], min_significance="minor"), ["A", "C"]),
        (Filters(sources=["kyiv-*"]), ["A", "B"]),
        (Filters(sources=["other"]), None),
        (Filters(kinds=["changed"]), None),  # its only changed claim is minor
    ],
    ids=["default", "minor", "kinds", "categories", "glob", "other-source", "nothing-left"],
)
def test_filters_select_alerts_and_changes(filters, expected):
    assert texts(filters.select(PAYLOAD)) == expected
    assert len(PAYLOAD["changes"]) == 3  # the stored payload is never modified


def test_health_alerts_follow_source_and_health_filters():
    assert Filters().select(HEALTH) == HEALTH
    assert Filters(kinds=["added"]).select(HEALTH) == HEALTH
    assert Filters(health=False).select(HEALTH) is None
    assert Filters(sources=["x"]).select(HEALTH) is None


def hook_error(tmp_path: Path, table: str) -> str:
    path = tmp_path / "config.toml"
    path.write_text(table)
    from claimwatch.config import resolve

    with pytest.raises(ConfigError) as info:
        cfg = resolve(str(tmp_path / "db"), None, str(path))
        build_hooks(cfg.hooks, str(path))
    return str(info.value)


@pytest.mark.parametrize(
    "table,expected",
    [
        (
            '[[hook]]\nname = "ops"\nkind = "webhook"\nurl = "https://x.org"\nsecrett = "s"\n',
            r"hook 'ops', key 'secrett': unknown key; allowed: .*secret.*url",
        ),
        ('[[hook]]\nname = "ops"\nkind = "webhook"\n', r"hook 'ops', key 'url': required"),
        (
            '[[hook]]\nname = "ops"\nkind = "webhook"\nurl = "ftp://x"\n',
            r"hook 'ops', key 'url': 'ftp://x' is not an http or https URL",
        ),
        (
            '[[hook]]\nname = "ops"\nkind = "pager"\n',
            r"hook 'ops', key 'kind': unknown kind; allowed: ",
        ),
        (
            '[[hook]]\nname = "run"\nkind = "command"\nargv = "notify.sh --all"\n',
            r"hook 'run', key 'argv': must be a list",
        ),
        (
            '[[hook]]\nname = "run"\nkind = "command"\nargv = ["x"]\nkinds = ["edited"]\n',
            r"hook 'run', key 'kinds': unknown kind 'edited'; allowed: added, removed, changed",
        ),
        (
            '[[hook]]\nname = "chat"\nkind = "apprise"\nurls = ["nonsense"]\n',
            r"hook 'chat', key 'urls\[0\]': not a URL Apprise understands",
        ),
        ('[[hook]]\nkind = "stdout"\n', r"key 'hook\[0\].name': required"),
        (
            '[[hook]]\nname = "a"\nkind = "stdout"\n[[hook]]\nname = "a"\nkind = "stdout"\n',
            r"duplicate hook name 'a'",
        ),
        ("[alerts]\nmax_attempts = 0\n", r"alerts.max_attempts': must be a whole number ≥ 1"),
        ("[alerts]\nretries = 3\n", r"alerts.retries': unknown key; allowed: backlog_days"),
    ],
    ids=[
        "unknown-key",
        "missing-url",
        "bad-url",
        "unknown-kind",
        "argv-string",
        "bad-kinds",
        "apprise-url",
        "no-name",
        "duplicate",
        "alerts-range",
        "alerts-key",
    ],
)
def test_broken_hook_config_names_file_hook_and_key(tmp_path, table, expected):
    message = hook_error(tmp_path, table)
    assert str(tmp_path / "config.toml") in message
    assert re.search(expected, message), message


def test_cli_shows_one_line_and_exit_3_for_a_broken_hook(cw):
    cw.config.write_text(
        '[[hook]]\nname = "ops"\nkind = "webhook"\nurl = "https://x.org"\nuri = 1\n'
    )
    res = cw("hooks", "test", ok=False)
    assert res.exit_code == ExitCode.CONFIG
    assert res.stderr.count("\n") == 1 and "hook 'ops', key 'uri'" in res.stderr


def test_hooks_list_shows_kinds_and_filters(cw):
    cw.config.write_text(
        '[[hook]]\nname = "ops"\nkind = "stdout"\nsources = ["a"]\nhealth = false\n'
    )
    out = cw("hooks", "list").stdout
    assert out.startswith("ops\tstdout\t") and "sources=['a']" in out and "no health" in out


def test_commands_and_hook_kinds_are_documented():
    from claimwatch.alerts import Hook

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for kind in Hook.registry:
        assert f"`{kind}`" in readme, kind
    for group in ("alerts", "hooks"):
        cmd = cli.commands[group]
        for name, sub in cmd.commands.items():
            assert f"claimwatch {group} {name}" in readme, (group, name)
            for param in sub.params:
                for opt in getattr(param, "opts", []):
                    if opt.startswith("--"):
                        assert opt in readme, (group, name, opt)
    for key in ALERT_KEYS:
        assert f"{key} =" in readme, key


def test_readme_config_examples_are_valid(tmp_path):
    from claimwatch.config import resolve

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    section = readme[readme.index("## Alerts") : readme.index("### Alert commands")]
    blocks = re.findall(r"```toml\n(.*?)```", section, re.S)
    path = tmp_path / "config.toml"
    path.write_text("\n".join(blocks))
    cfg = resolve(str(tmp_path / "db"), None, str(path))
    hooks = build_hooks(cfg.hooks, str(path))
    assert [h.kind for h in hooks] == ["webhook", "command", "apprise", "stdout"]
    assert cfg.sections["alerts"]["max_attempts"] == 8


def test_config_file_from_the_environment(tmp_path):
    from click.testing import CliRunner

    path = tmp_path / "hooks.toml"
    path.write_text('[[hook]]\nname = "from-env"\nkind = "stdout"\n')
    res = CliRunner().invoke(cli, ["hooks", "list"], env={"CLAIMWATCH_CONFIG": str(path)})
    assert res.exit_code == 0 and res.stdout.startswith("from-env\tstdout")


def test_broken_hook_keeps_the_crawl_and_delivers_after_the_fix(cw, site):
    from tests.site import PARAGRAPHS, article

    site.set("/a", article())
    cw.write_sources({"a": site.url("/a")})
    cw("crawl")
    cw.config.write_text('[[hook]]\nname = "out"\nkind = "stdout"\nformat = "yaml"\n')
    site.set("/a", article(PARAGRAPHS + ["Russia sent North Korea fighter jets in May."]))
    res = cw("crawl", ok=False)
    assert res.exit_code == ExitCode.CONFIG and "hook 'out', key 'format'" in res.stderr
    assert "fighter jets" in cw("report", "--format", "json").stdout
    cw.config.write_text('[[hook]]\nname = "out"\nkind = "stdout"\nformat = "json"\n')
    out = cw("alerts", "deliver").stdout
    assert '"to_version":2' in out and "1 sent" in out
