"""``crawl --due``, ``status`` and interval validation, through the real CLI and SQLite files."""

from __future__ import annotations

import time

import pytest

from claimwatch.storage import Store, StoreError
from tests.site import article


def fetch_count(cw, name: str) -> int:
    """Fetches of a source so far; 0 while the database or the source does not exist yet."""
    try:
        with Store(cw.db, readonly=True) as store:
            return len(store.fetches(store.source(name).id, 1000))
    except (StoreError, KeyError):
        return 0


def wait_for(predicate, what: str, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def by_name(data: dict) -> dict[str, dict]:
    return {s["name"]: s for s in data["sources"]}


@pytest.fixture
def nojitter(cw):
    cw.config.write_text("[schedule]\njitter = 0\n[crawl]\ntimeout = 2\nretries = 0\n")
    return cw


def test_crawl_due_runs_only_the_due_sources(nojitter, site):
    cw = nojitter
    for path in ("/a", "/b", "/c", "/d"):
        site.set(path, article())
    urls = {n: site.url(f"/{n}") for n in "abc"}
    cw.write_sources(urls, a={"interval": "1h"}, b={"interval": "1s"})
    cw("crawl")
    assert [fetch_count(cw, n) for n in "abc"] == [1, 1, 1]
    cw.write_sources({**urls, "d": site.url("/d")}, a={"interval": "1h"}, b={"interval": "1s"})
    wait_for(lambda: by_name(cw.json("status", "--format", "json"))["b"]["due"], "b to be due")
    out = cw("crawl", "--due").stdout
    assert "b" in out.split() and "d" in out.split()
    assert [fetch_count(cw, n) for n in "abcd"] == [1, 2, 1, 1], "a (1h) and c (6h) are not due"
    cw("crawl", "--due")
    assert fetch_count(cw, "a") == 1 and fetch_count(cw, "c") == 1


def test_status_text_and_json(nojitter, site):
    cw = nojitter
    site.set("/good", article())
    site.set("/bad", "<h1>gone</h1>", status=404)
    site.set("/off", article())
    cw.write_sources(
        {"good": site.url("/good"), "bad": site.url("/bad"), "off": site.url("/off")},
        good={"interval": "cron: 0 */6 * * *"},
        bad={"interval": "adaptive"},
    )
    cw("crawl")
    cw("crawl")
    cw("sources", "disable", "off")
    data = cw.json("status", "--format", "json")
    assert data["daemon"]["running"] is False and data["daemon"]["pid"] is None
    rows = by_name(data)
    good, bad, off = rows["good"], rows["bad"], rows["off"]
    assert good["last_version"] == 1 and good["last_status"] == "not_modified"
    assert good["interval"] == "cron: 0 */6 * * *" and not good["default_interval"]
    assert good["next_run_at"] > good["last_fetch_at"] and not good["due"]
    assert good["consecutive_failures"] == 0
    assert bad["last_version"] is None and bad["consecutive_failures"] == 2
    assert bad["last_status"] == "error" and "404" in bad["last_error"]
    assert off["state"] == "disabled" and off["next_run_at"] is None
    assert off["interval"] == "6h" and off["default_interval"]
    text = cw("status").stdout
    assert "daemon: not running" in text
    for word in ("good", "bad", "off", "6h (default)", "adaptive", "HTTP 404", "not scheduled"):
        assert word in text, word


def test_status_needs_a_database(cw):
    result = cw("status", ok=False)
    assert result.exit_code == 4 and "no database" in result.stderr


def test_bad_interval_in_sources_file_names_the_source(cw, site):
    cw.write_sources(
        {"ok": site.url("/a"), "weekly-ish": site.url("/b")},
        **{"weekly-ish": {"interval": "sometimes"}},
    )
    result = cw("crawl", ok=False)
    assert result.exit_code == 3
    assert str(cw.sources) in result.stderr and "source[1].interval" in result.stderr
    assert "source 'weekly-ish'" in result.stderr and "'sometimes'" in result.stderr
    cw.write_sources({"c": site.url("/c")}, c={"interval": "cron: 0 25 * * *"})
    assert "bad cron expression" in cw("crawl", ok=False).stderr


def test_sources_add_validates_the_interval(cw, site):
    result = cw("sources", "add", "x", site.url("/x"), "--interval", "5 parsecs", ok=False)
    assert result.exit_code == 3
    assert "source 'x'" in result.stderr and "--interval" in result.stderr
    cw("sources", "add", "y", site.url("/y"), "--interval", "cron: 30 7 * * 1-5")
    data = cw.json("status", "--format", "json")
    assert by_name(data)["y"]["interval"] == "cron: 30 7 * * 1-5"


@pytest.mark.parametrize(
    "table,key,why",
    [
        ("[schedule]\ncadence = 5\n", "schedule.cadence", "allowed: default_interval, jitter"),
        ('[schedule]\ndefault_interval = "often"\n', "schedule.default_interval", "bad interval"),
        ("[schedule]\ntick = 0\n", "schedule.tick", "from 0.05 to 3600"),
        ('[schedule]\njitter = "10s"\n', "schedule.jitter", "number of seconds"),
        ("schedule = 5\n", "schedule", "must be a table"),
    ],
)
def test_bad_schedule_config_names_file_and_key(cw, table, key, why):
    cw.config.write_text(table)
    result = cw("status", ok=False)
    assert result.exit_code == 3
    assert str(cw.config) in result.stderr and f"'{key}'" in result.stderr and why in result.stderr
