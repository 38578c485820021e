"""Crawling into versioned snapshots, against a real loopback site and real SQLite files."""

from __future__ import annotations

import time

import pytest

from claimwatch.storage import Store
from tests.site import PARAGRAPHS, article


def versions(cw, name: str) -> list[int]:
    with Store(cw.db) as store:
        return [v.version for v in store.snapshots(store.source(name).id)]


def last_fetch(cw, name: str) -> dict:
    with Store(cw.db) as store:
        return store.fetches(store.source(name).id, 1)[0]


@pytest.fixture
def fast(cw):
    """Short timeouts and no retries, so fault cases stay quick."""
    cw.config.write_text("[crawl]\ntimeout = 1.5\nretries = 0\n")
    return cw


def test_first_crawl_stores_version_1_and_rerun_is_not_modified(cw, site):
    site.set("/a", article())
    cw.write_sources({"a": site.url("/a")})
    out = cw("crawl").stdout
    assert "a" in out and "ok" in out
    assert versions(cw, "a") == [1]
    cw("crawl")
    assert versions(cw, "a") == [1]
    assert last_fetch(cw, "a")["status"] == "not_modified"
    conditional = [h for p, h in site.requests if p == "/a"][-1]
    assert conditional.get("If-None-Match")


def test_changed_article_text_makes_version_2(cw, site):
    site.set("/a", article())
    cw.write_sources({"a": site.url("/a")})
    cw("crawl")
    site.set("/a", article(PARAGRAPHS + ["Russia delivered fighter jets to North Korea in May."]))
    cw("crawl")
    assert versions(cw, "a") == [1, 2]
    assert last_fetch(cw, "a")["status"] == "ok"
    assert "fighter jets" in cw("show", "a").stdout
    assert "fighter jets" not in cw("show", "a", "--version", "1").stdout


def test_change_only_in_comments_or_sidebar_makes_no_version(cw, site):
    site.set("/a", article())
    cw.write_sources({"a": site.url("/a")})
    cw("crawl")
    site.set(
        "/a",
        article(
            comments=["Russia lies!", "North Korea sent more?"], sidebar=["Kremlin watch: top 10"]
        ),
    )
    cw("crawl")
    assert versions(cw, "a") == [1]
    assert last_fetch(cw, "a")["status"] == "unchanged"


def _hang(handler):
    time.sleep(4)


@pytest.mark.parametrize(
    "path,setup,reason",
    [
        ("/e500", lambda s: s.set("/e500", "<h1>Server error</h1>", status=500), "HTTP 500"),
        ("/e404", lambda s: s.set("/e404", "<h1>Not found</h1>", status=404), "HTTP 404"),
        ("/empty", lambda s: s.set("/empty", b""), "empty body"),
        (
            "/png",
            lambda s: s.set(
                "/png", b"\x89PNG\r\n\x1a\n" + bytes(500), headers={"Content-Type": "text/html"}
            ),
            "binary",
        ),
        ("/slow", lambda s: s.route("/slow", _hang), "Timeout"),
    ],
    ids=["http500", "http404", "empty200", "binary", "timeout"],
)
def test_failed_fetch_is_recorded_makes_no_version_and_others_proceed(
    fast, site, path, setup, reason
):
    site.set("/good", article())
    site.set(path, article())
    fast.write_sources({"good": site.url("/good"), "bad": site.url(path)})
    fast("crawl")
    assert versions(fast, "bad") == [1]
    setup(site)
    site.set("/good", article(PARAGRAPHS[:-1] + ["Putin and Kim met again in Vladivostok."]))
    result = fast("crawl")
    assert "error" in result.stdout
    assert versions(fast, "bad") == [1], "a failed fetch must never become a version"
    fetch = last_fetch(fast, "bad")
    assert fetch["status"] == "error" and reason.lower() in fetch["error"].lower()
    assert versions(fast, "good") == [1, 2], "one bad source never stops the others"
    assert fast("crawl", "--fail-on-error", ok=False).exit_code == 5


def test_shrunken_page_is_refused_as_broken(cw, site):
    site.set("/a", article())
    cw.write_sources({"a": site.url("/a")})
    cw("crawl")
    site.set("/a", article(["Russia."]))
    cw("crawl")
    assert versions(cw, "a") == [1]
    assert "shrank" in last_fetch(cw, "a")["error"]


def test_redirect_to_file_scheme_is_refused(cw, site):
    site.set("/r", b"", status=302, headers={"Location": "file:///etc/passwd"}, validators=False)
    cw.write_sources({"r": site.url("/r")})
    cw("crawl")
    fetch = last_fetch(cw, "r")
    assert fetch["status"] == "error" and "redirect" in fetch["error"]


def test_redirect_guard_refuses_public_to_private():
    from scrapy import Request
    from scrapy.http import Response

    from claimwatch.crawler.middlewares import RedirectGuardMiddleware, RedirectRefused

    guard = RedirectGuardMiddleware()
    req = Request("http://93.184.215.14/page", meta={"cw_origin": "http://93.184.215.14/page"})
    resp = Response(req.url, status=302, headers={"Location": "http://10.0.0.1/admin"}, request=req)
    with pytest.raises(RedirectRefused, match="private address"):
        guard.process_response(req, resp)
    local = Request("http://127.0.0.1:8000/a")
    resp = Response(local.url, status=302, headers={"Location": "http://127.0.0.1:8000/b"})
    assert guard.process_response(local, resp) is resp


def test_default_sources_are_the_bundled_file_seeds(tmp_path):
    from click.testing import CliRunner

    from claimwatch.cli import cli

    db = str(tmp_path / "seeds.db")
    runner = CliRunner(env={"CLAIMWATCH_CONFIG": str(tmp_path / "none.toml")})
    (tmp_path / "none.toml").write_text("")
    first = runner.invoke(cli, ["--db", db, "crawl"], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    with Store(db) as store:
        rows = store.sources()
        assert len(rows) == 5 and all(r.url.startswith("file://") for r in rows)
        assert all(len(store.snapshots(r.id)) == 1 for r in rows)
    second = runner.invoke(cli, ["--db", db, "crawl"], catch_exceptions=False)
    assert second.stdout.count("unchanged") == 5
    with Store(db) as store:
        assert all(len(store.snapshots(r.id)) == 1 for r in store.sources())


def test_bad_sources_file_names_file_and_key(cw):
    cw.sources.write_text('[[source]]\nname = "x"\n')
    result = cw("crawl", ok=False)
    assert result.exit_code == 3
    assert str(cw.sources) in result.stderr and "source[0].url" in result.stderr
    cw.sources.write_text('[[source]]\nname = "x"\nurl = "ftp://example.org/"\n')
    result = cw("crawl", ok=False)
    assert "scheme 'ftp' not allowed" in result.stderr
    cw.sources.write_text("[[source]\n")
    assert "not valid TOML" in cw("crawl", ok=False).stderr
