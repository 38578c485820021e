"""``crawl`` output: a progress bar on a terminal, one clean line per source off it."""

from __future__ import annotations

import io

from rich.console import Console

from claimwatch.cli.crawl import crawl_progress
from claimwatch.config import resolve
from claimwatch.pipeline import import_sources, run_cycle
from claimwatch.storage import Store
from tests.site import PARAGRAPHS, article

NAMES = [f"s{i}" for i in range(6)]


def test_off_a_terminal_each_source_is_one_plain_line(cw, site):
    for n in NAMES:
        site.set(f"/{n}", article())
    cw.write_sources({n: site.url(f"/{n}") for n in NAMES})
    out = cw("crawl").stdout
    assert "\x1b" not in out
    fetch_lines = [line for line in out.splitlines() if " ok  v1 " in line]
    assert sorted(line.split()[0] for line in fetch_lines) == NAMES
    assert "6 sources, 0 failed" in out
    site.set("/s0", article(PARAGRAPHS[1:]))
    out = cw("crawl").stdout
    assert out.count("not_modified") == 5
    assert "s0  ok  v2" in out and "s0  v2  " in out


def test_on_a_terminal_a_bar_follows_the_crawl(cw, site):
    for n in NAMES:
        site.set(f"/{n}", article())
    cw.write_sources({n: site.url(f"/{n}") for n in NAMES})
    cfg = resolve(str(cw.db), str(cw.sources), str(cw.config))
    buf = io.StringIO()
    term = Console(file=buf, force_terminal=True, width=100)
    with Store(cw.db) as store:
        import_sources(store, cfg)
        with crawl_progress(term, len(NAMES)) as progress:
            assert progress is not None
            result = run_cycle(store, cfg, progress=progress)
    assert len(result.outcomes) == len(NAMES)
    shown = buf.getvalue()
    assert "\x1b[" in shown, "drawn with terminal control codes"
    assert "6/6" in shown


def test_a_short_run_on_a_terminal_shows_no_bar():
    term = Console(file=io.StringIO(), force_terminal=True)
    with crawl_progress(term, 2) as progress:
        assert progress is None
