"""Report formats rendered from a real database built by crawling a loopback site."""

from __future__ import annotations

import html
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from claimwatch.report import Renderer, ReportData
from tests.conftest import CW
from tests.site import PARAGRAPHS, Site, article

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
INJECTED = f"Russia and North Korea signed a memo titled {SCRIPT} and {IMG} in Pyongyang."
ATOM = "{http://www.w3.org/2005/Atom}"


def revised() -> list[str]:
    """The article after one revision: a number changed, a hedge removed, a claim added."""
    paras = list(PARAGRAPHS)
    paras[0] = paras[0].replace("more than a million", "more than three million")
    paras[2] = paras[2].replace("may be providing", "is providing")
    return [*paras, html.escape(INJECTED)]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory):
    """A database with two crawls: 'post' changed its claims, 'wire' failed the second time."""
    site = Site().start()
    cw = CW(tmp_path_factory.mktemp("report"))
    site.set("/post", article())
    site.set("/wire", article(PARAGRAPHS[3:]))
    cw.write_sources({"post": site.url("/post"), "wire": site.url("/wire")})
    cw("crawl")
    site.set("/post", article(revised(), sidebar=["Kremlin watch"]))
    site.set("/wire", "<h1>Server error</h1>", status=500)
    cw.config.write_text("[crawl]\nretries = 0\n")
    cw("crawl")
    yield cw, site
    site.stop()


def render(cw: CW, fmt: str, *args: str) -> str:
    return cw("report", "--format", fmt, *args).stdout


def test_json_keeps_its_contract(crawled):
    cw, _ = crawled
    data = json.loads(render(cw, "json", "--all"))
    assert list(data) == ["changes"] and data["changes"]
    keys = [
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
    ]
    assert all(list(c) == keys for c in data["changes"])


class Page(HTMLParser):
    """Collects tags, attributes and the text inside del/ins."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.marked: dict[str, list[str]] = {"del": [], "ins": []}
        self.text: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._open.append(tag)

    def handle_endtag(self, tag):
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data):
        self.text.append(data)
        if self._open and self._open[-1] in self.marked:
            self.marked[self._open[-1]].append(data.strip())


def test_html_is_self_contained_highlights_words_and_escapes_page_text(crawled, tmp_path):
    cw, site = crawled
    out = tmp_path / "report.html"
    cw("report", "--format", "html", "--output", str(out))
    doc = out.read_text(encoding="utf-8")
    page = Page()
    page.feed(doc)
    page.close()
    tags = [t for t, _ in page.tags]
    assert tags[0] == "html" and "style" in tags and "table" in tags
    assert "script" not in tags and "img" not in tags, "page text became markup"
    assert not [a for _, a in page.tags if "src" in a], "no external assets"
    assert not [a for t, a in page.tags if t == "link"], "no external stylesheets"
    assert SCRIPT not in doc and IMG not in doc
    assert html.escape(SCRIPT) in doc and html.escape(IMG) in doc
    assert "a" in page.marked["del"] and "three" in page.marked["ins"]
    assert any("may" in d for d in page.marked["del"])
    hrefs = {a.get("href") for t, a in page.tags if t == "a"}
    assert site.url("/post") in hrefs
    text = " ".join(page.text)
    assert "post" in text and "wire" in text and "HTTP 500" in text
    assert 'name="viewport"' in doc
    assert "url(" not in doc and "@import" not in doc, "no assets fetched from CSS"


def test_html_never_links_a_javascript_url():
    change = {
        "id": 1,
        "source": "x",
        "url": "javascript:alert(1)",
        "kind": "added",
        "old_text": None,
        "new_text": "Russia and North Korea met.",
        "significant": True,
        "reason": "added claim",
        "from_version": 1,
        "to_version": 2,
        "detected_at": "2025-03-01T12:00:00.000000Z",
    }
    buf = io.StringIO()
    Renderer.get("html").write(ReportData([change]), buf)
    assert 'href="javascript' not in buf.getvalue()
    assert "javascript:alert(1)" in buf.getvalue()


def atom_entries(doc: str) -> tuple[ET.Element, list[ET.Element]]:
    feed = ET.fromstring(doc)
    return feed, feed.findall(f"{ATOM}entry")


RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def test_atom_has_the_required_elements_and_stable_ids(crawled):
    cw, site = crawled
    doc = render(cw, "atom")
    assert render(cw, "atom") == doc, "the same database renders the same feed"
    feed, entries = atom_entries(doc)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{name}") or "").strip(), name
    assert feed.findtext(f"{ATOM}author/{ATOM}name")
    assert RFC3339.match(feed.findtext(f"{ATOM}updated"))
    assert len(entries) == 1, "one entry per source per cycle"
    entry = entries[0]
    for name in ("id", "title", "updated"):
        assert (entry.findtext(f"{ATOM}{name}") or "").strip(), name
    assert entry.findtext(f"{ATOM}id").startswith("urn:uuid:")
    assert RFC3339.match(entry.findtext(f"{ATOM}updated"))
    assert entry.find(f"{ATOM}link").get("href") == site.url("/post")
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert SCRIPT not in content.text and html.escape(SCRIPT) in content.text
    assert "<ins>three</ins>" in content.text.replace(" </ins>", "</ins>")
    assert SCRIPT not in doc


def test_atom_ids_are_stable_and_distinct_per_step():
    from claimwatch.report.atom import entry_id, feed_id

    assert entry_id("post", 1, 2) == entry_id("post", 1, 2)
    assert len({entry_id("post", 1, 2), entry_id("post", 2, 3), entry_id("wire", 1, 2)}) == 3
    assert feed_id("claimwatch report") == feed_id("claimwatch report")


def test_markdown_has_summary_sections_highlights_and_escapes(crawled):
    cw, _ = crawled
    doc = render(cw, "markdown")
    assert doc.startswith("# claimwatch report\n")
    assert "| source | significant | minor | last fetch |" in doc
    assert re.search(r"^\| post \| .*added.* \|", doc, re.M)
    assert re.search(r"^\| wire \| - \| - \| error: HTTP 500 at 20", doc, re.M)
    assert "## post: version 1 → 2" in doc
    assert "~~a~~ **three** million" in doc
    assert SCRIPT not in doc and "\\<script\\>alert\\(1\\)\\</script\\>" in doc


def test_text_without_a_terminal_is_plain(crawled):
    cw, _ = crawled
    out = render(cw, "text")
    assert "\x1b" not in out
    assert "[-a-] {+three+} million" in out
    assert "post" in out and "version 1 → 2" in out and "SIGNIFICANT  added claim" in out
    assert "error: HTTP 500" in out
    assert SCRIPT in out, "the terminal shows page text as it is"


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_text_colours_a_terminal_unless_no_color(crawled, monkeypatch):
    cw, _ = crawled
    data = json.loads(render(cw, "json"))["changes"]
    for i, c in enumerate(data):
        c["id"] = i
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    coloured = Tty()
    Renderer.get("text").write(ReportData(data), coloured)
    assert "\x1b[" in coloured.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    plain = Tty()
    Renderer.get("text").write(ReportData(data), plain)
    assert "\x1b" not in plain.getvalue() and "{+three+}" in plain.getvalue()


def test_every_format_renders_an_empty_report(crawled):
    cw, _ = crawled
    for fmt in Renderer.registry:
        out = render(cw, fmt, "--since", "2999-01-01")
        assert out.strip(), fmt


SNAPSHOT = """\
# claimwatch report

Generated 2025-03-02 08:00:00Z, changes since 2025-03-01 00:00:00Z.

| source | significant | minor | last fetch |
| --- | --- | --- | --- |
| peninsula\\_post | 1 added, 1 changed | - | ok at 2025-03-02 07:59:00Z |

## peninsula\\_post: version 3 → 4

<https://example.org/ties> · detected 2025-03-02 07:59:00Z

- **significant** changed claim (number: a million → three million)
  > North Korea sent ~~a~~ **three** million shells to Russia.
- **significant** added claim
  > Kim Jong Un visited Moscow \\<b\\>again\\</b\\> \\[link\\]\\(x\\).

"""


def test_markdown_snapshot():
    from claimwatch.storage import SourceRow

    base = {
        "source": "peninsula_post",
        "url": "https://example.org/ties",
        "from_version": 3,
        "to_version": 4,
        "detected_at": "2025-03-02T07:59:00.000000Z",
        "significant": True,
    }
    changes = [
        {
            **base,
            "id": 1,
            "kind": "changed",
            "old_text": "North Korea sent a million shells to Russia.",
            "new_text": "North Korea sent three million shells to Russia.",
            "reason": "number: a million → three million",
        },
        {
            **base,
            "id": 2,
            "kind": "added",
            "old_text": None,
            "new_text": "Kim Jong Un visited Moscow <b>again</b> [link](x).",
            "reason": "added claim",
        },
    ]
    src = SourceRow(
        1,
        "peninsula_post",
        "https://example.org/ties",
        None,
        None,
        True,
        None,
        "2025-01-01",
        None,
        last_fetch_at="2025-03-02T07:59:00.000000Z",
        last_status="ok",
    )
    data = ReportData(
        changes,
        since="2025-03-01T00:00:00.000000Z",
        generated_at="2025-03-02T08:00:00.000000Z",
        sources=[src],
    )
    buf = io.StringIO()
    Renderer.get("markdown").write(data, buf)
    assert buf.getvalue() == SNAPSHOT


def test_report_output_file_and_source_filter(crawled, tmp_path: Path):
    cw, _ = crawled
    out = tmp_path / "r.md"
    cw("report", "--format", "markdown", "--source", "wire", "--output", str(out))
    doc = out.read_text(encoding="utf-8")
    assert "| wire |" in doc and "| post |" not in doc and "No claim changes." in doc


def test_atom_stays_well_formed_with_control_characters_in_page_text():
    change = {
        "id": 1,
        "source": "x\x0by",
        "url": "https://example.org/a",
        "kind": "added",
        "old_text": None,
        "new_text": "Russia\x00 and North Korea\x1b[31m met.",
        "significant": True,
        "reason": "added claim",
        "from_version": 1,
        "to_version": 2,
        "detected_at": "2025-03-01T12:00:00.000000Z",
    }
    buf = io.StringIO()
    Renderer.get("atom").write(ReportData([change]), buf)
    feed, entries = atom_entries(buf.getvalue())
    assert len(entries) == 1 and "\x1b" not in buf.getvalue()


def test_text_never_passes_control_codes_from_page_text(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    change = {
        "id": 1,
        "source": "x",
        "url": "https://example.org/a",
        "kind": "changed",
        "old_text": "Russia and North Korea met.",
        "new_text": "Russia and North Korea \x1b]0;owned\x07met \x1b[2Jagain.",
        "significant": True,
        "reason": "changed \x1b[31m",
        "from_version": 1,
        "to_version": 2,
        "detected_at": "2025-03-01T12:00:00.000000Z",
    }
    buf = io.StringIO()
    Renderer.get("text").write(ReportData([change]), buf)
    assert "\x1b" not in buf.getvalue() and "\x07" not in buf.getvalue()
    assert "owned" in buf.getvalue()
