"""Smoke test: the whole benchmark entry at N=20, one repeat, Scrapy floor (+ claimwatch if usable).

urlwatch is left out: it needs its own venv installed from the package index.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
N = 20


def _claimwatch_usable() -> bool:
    sys.path.insert(0, str(BENCH))
    try:
        from tools import LegUnavailable, claimwatch_leg

        try:
            claimwatch_leg()
        except LegUnavailable:
            return False
        return True
    finally:
        sys.path.remove(str(BENCH))


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, list[str], str]:
    """Run the entry once; return its JSON, the tools asked for, and its output."""
    tmp = tmp_path_factory.mktemp("bench")
    tools = ["scrapy"] + (["claimwatch"] if _claimwatch_usable() else [])
    out = tmp / "result.json"
    cmd = [sys.executable, str(BENCH / "run.py"), "--sizes", str(N), "--repeat", "1"]
    cmd += ["--tools", ",".join(tools), "--out", str(out), "--scratch", str(tmp / "scratch")]
    cmd += ["--wait-idle", "0", "--retries", "0", "--differ"]  # fast, even on a busy machine
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=120)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    return json.loads(out.read_text()), tools, output


def test_rows_for_every_tool_and_scenario(smoke: tuple[dict, list[str], str]) -> None:
    result, tools, _ = smoke
    keys = {(r["tool"], r["scenario"], r["n"]) for r in result["rows"]}
    expected = {(t, s, N) for t in tools for s in ("first", "unchanged", "changed")}
    assert keys == expected
    for row in result["rows"]:
        assert row["ok_runs"] == 1, row
        assert row["pages_per_s"] > 0, row
        assert 0 < row["wall_s"] < 60, row
        assert row["cpu_s"] > 0, row
        assert row["peak_rss_mb"] > 10, row  # a Python + Scrapy process, not the shell
        assert row["peak_tree_rss_mb"] >= row["peak_rss_mb"], row


def test_scenarios_start_from_the_right_state(smoke: tuple[dict, list[str], str]) -> None:
    """The site's counters show what each scenario fetched: all, none, then 5 % (one page)."""
    result, _, _ = smoke
    floor = {r["scenario"]: r for r in result["runs"] if r["tool"] == "scrapy"}
    assert floor["first"]["http"] == {"200": N}
    assert floor["unchanged"]["http"] == {"304": N}
    assert floor["changed"]["pages_changed"] == 1
    assert floor["changed"]["http"] == {"200": 1, "304": N - 1}
    rows = {r["scenario"]: r for r in result["rows"] if r["tool"] == "scrapy"}
    assert all(r["ratio_floor"] == 1.0 for r in rows.values())


def test_report_printed_with_targets(smoke: tuple[dict, list[str], str]) -> None:
    result, _, output = smoke
    assert "Targets" in output and "scrapy" in output
    names = [t["target"] for t in result["targets"]]
    assert len(names) == 6
    # N=2000 rows were not measured, so no speed target can claim a pass.
    assert all(t["status"] == "n/a" for t in result["targets"][:3])


def test_differ_micro_benchmarks_run(smoke: tuple[dict, list[str], str]) -> None:
    lines = smoke[0]["differ"]
    assert any(line.startswith("alignment 5000x5000 claims") for line in lines), lines
    assert any(line.startswith("one ") and "extract+claims+diff" in line for line in lines)


def test_missing_claimwatch_fails_clearly(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "CLAIMWATCH_CMD": str(tmp_path / "no-such-claimwatch")}
    cmd = [sys.executable, str(BENCH / "run.py"), "--sizes", "5", "--repeat", "1"]
    cmd += ["--tools", "claimwatch", "--out", str(tmp_path / "r.json")]
    cmd += ["--scratch", str(tmp_path / "scratch"), "--wait-idle", "0"]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 1
    assert "SKIPPING claimwatch" in done.stderr and "no-such-claimwatch" in done.stderr
    assert json.loads((tmp_path / "r.json").read_text())["errors"]


def test_pages_are_deterministic_sized_and_edited_by_one_sentence() -> None:
    sys.path.insert(0, str(BENCH))
    try:
        from pages import Article, changed_subset
    finally:
        sys.path.remove(str(BENCH))
    sizes = [len(Article(i).render()) for i in range(200)]
    assert min(sizes) >= 15_000 and max(sizes) <= 25_000
    assert Article(7).render() == Article(7).render()
    page = Article(7)
    before = list(page.sentences)
    page.edit()
    assert sum(a != b for a, b in zip(before, page.sentences, strict=True)) == 1
    text = Article(3).render().decode()
    assert all(word in text for word in ("<nav>", "Popular posts", "Comments", "<footer>"))
    assert changed_subset(2000, 0.05) == changed_subset(2000, 0.05)
    assert len(changed_subset(2000, 0.05)) == 100
