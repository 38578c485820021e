"""Every command through the CLI, in-process, against a real loopback site."""

from __future__ import annotations

import json

from tests.site import PARAGRAPHS, article


def test_sources_list_add_disable_enable_remove(cw, site):
    site.set("/a", article())
    cw.write_sources({"a": site.url("/a")})
    assert "a" in cw("sources", "list").stdout
    cw("sources", "add", "b", site.url("/b"), "--selector", "article")
    data = cw.json("sources", "list", "--format", "json")
    assert [s["name"] for s in data["sources"]] == ["a", "b"]
    assert data["sources"][1]["origin"] == "cli"
    cw("sources", "disable", "b")
    assert cw.json("sources", "list", "--format", "json")["sources"][1]["enabled"] is False
    cw("sources", "enable", "b")
    cw("sources", "remove", "a")
    names = [s["name"] for s in cw.json("sources", "list", "--format", "json")["sources"]]
    assert names == ["b"], "a removed source is not re-imported from the sources file"
    dup = cw("sources", "add", "b", site.url("/b"), ok=False)
    assert dup.exit_code != 0 and "already exists" in dup.stderr
    missing = cw("sources", "disable", "nope", ok=False)
    assert missing.exit_code == 2 and "no source named 'nope'" in missing.stderr


def test_sources_add_rejects_bad_scheme(cw):
    result = cw("sources", "add", "x", "gopher://example.org/", ok=False)
    assert result.exit_code == 3 and "scheme 'gopher' not allowed" in result.stderr


def test_history_and_show(cw, site):
    site.set("/a", article())
    cw.write_sources({"a": site.url("/a")})
    cw("crawl")
    site.set("/a", "<h1>oops</h1>", status=503, headers={"Retry-After": "120"})
    cw("crawl")
    site.set("/a", article(PARAGRAPHS + ["Kim Jong Un visited a Russian spaceport in 2023."]))
    cw("crawl")
    hist = cw.json("history", "a", "--format", "json")
    assert [v["version"] for v in hist["versions"]] == [1, 2]
    assert [f["status"] for f in hist["fetches"]] == ["ok", "error", "ok"]
    assert "Retry-After: 120" in hist["fetches"][1]["error"]
    text = cw("history", "a").stdout
    assert "HTTP 503" in text and "versions" in text
    assert "spaceport" in cw("show", "a").stdout
    raw = cw("show", "a", "--version", "1", "--raw").stdout
    assert raw.startswith("<!DOCTYPE html>") and "Popular posts" in raw
    assert cw("show", "a", "--version", "9", ok=False).exit_code == 2


def test_read_only_commands_do_not_import_sources(cw, site):
    site.set("/a", article())
    cw.write_sources({"a": site.url("/a")})
    cw("crawl")
    cw.write_sources({"a": site.url("/a"), "new": site.url("/new")})
    cw("report", "--format", "json")
    cw("history", "a")
    from claimwatch.storage import Store

    with Store(cw.db) as store:
        assert [s.name for s in store.sources()] == ["a"]


def test_missing_database_is_one_clear_line(cw):
    result = cw("report", ok=False)
    assert result.exit_code == 4 and "no database at" in result.stderr
    assert "Traceback" not in result.output


def test_crawl_summary_and_json_report_contract(cw, site):
    site.set("/a", article())
    cw.write_sources({"a": site.url("/a")})
    first = cw("crawl").stdout
    assert "baseline" in first
    site.set("/a", article(PARAGRAPHS + ["Russia agreed to supply North Korea with oil."]))
    cw("crawl")
    data = cw.json("report", "--format", "json")
    assert data["changes"], "the added claim is reported"
    keys = {
        "source",
        "url",
        "kind",
        "old_text",
        "new_text",
        "significant",
        "reason",
        "from_version",
        "to_version",
        "detected_at",
    }
    for change in data["changes"]:
        assert set(change) == keys
    added = [c for c in data["changes"] if c["kind"] == "added"]
    assert any("oil" in c["new_text"] for c in added)
    assert added[0]["from_version"] == 1 and added[0]["to_version"] == 2
    json.dumps(data)


def test_python_dash_m_and_version():
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "claimwatch", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "claimwatch" in out.stdout
