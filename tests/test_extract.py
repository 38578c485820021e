"""Main-text extraction on small HTML strings and on the seed pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimwatch.crawler.extract import extract
from claimwatch.differ import extract_claims, load_topic

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "claimwatch" / "seeds").glob("*.html"))

PAGE = """<html><head><title>Site | Russia and North Korea</title>
<meta property="article:published_time" content="2024-06-19T10:00:00Z"></head>
<body>
<header><nav><a href="/">Home</a> <a href="/about">About</a></nav></header>
<div class="layout">
 <main><article>
  <h1>Russia and North Korea sign a treaty</h1>
  <p class="byline">By A. Writer</p>
  <p>Russia and North Korea signed a <b>mutual defence</b> treaty in Pyongyang.</p>
  <div class="share-buttons"><a>Share on X</a><a>Share on Facebook</a></div>
  <h2>Provisions</h2>
  <ul><li>Mutual assistance if either side is attacked.</li>
      <li>Cooperation in space research.</li></ul>
  <div class="newsletter-box"><p>Subscribe to our newsletter on Russia and North Korea.</p></div>
  <p>Analysts say the pact deepens the partnership.<br>It was signed on 19 June 2024.</p>
  <p>Last updated: 20 June 2024</p>
  <section id="comments" class="comments-area"><h2>2 comments</h2>
   <article class="comment"><p>Russia will regret this, mark my words.</p></article></section>
 </article></main>
 <aside class="sidebar"><h3>Popular posts</h3>
  <ul><li>North Korea's missile tests explained</li></ul></aside>
</div>
<footer><p>© 2024 Example News</p><div class="related"><a>Putin in Asia</a></div></footer>
</body></html>"""


def test_extract_keeps_article_blocks_and_drops_furniture() -> None:
    got = extract(PAGE)
    assert got.text.split("\n\n") == [
        "Russia and North Korea sign a treaty",
        "Russia and North Korea signed a mutual defence treaty in Pyongyang.",
        "Provisions",
        "Mutual assistance if either side is attacked.",
        "Cooperation in space research.",
        "Analysts say the pact deepens the partnership.",
        "It was signed on 19 June 2024.",
    ]
    assert got.published == "2024-06-19"
    assert got.title == "Russia and North Korea sign a treaty"


def test_extract_div_soup_and_selector() -> None:
    html = (
        "<div class='wrap'><div class='post-bd'><div class='txt-blk'>"
        "Russia sells arms to North Korea.</div><div class='txt-blk'>Moscow ships oil.</div></div>"
        "<div class='cmts'><div class='cmt-bd'>First!</div></div></div>"
    )
    assert extract(html).text == "Russia sells arms to North Korea.\n\nMoscow ships oil."
    assert extract(html, selector=".txt-blk").text.startswith("Russia sells arms")


def test_extract_drops_wiki_furniture() -> None:
    html = (
        "<div id='content' role='main'><div role='note' class='hatnote'>This article was last "
        "updated on 2 June 2025.</div><table class='infobox'><tr><td>Signed</td></tr></table>"
        "<h2>Background<span class='mw-editsection'>[edit]</span></h2><p>Russia and North Korea "
        "signed a treaty.</p><h2>See also</h2><ul><li>Russia–North Korea relations</li></ul>"
        "<h2>References</h2><ol class='references'><li>Treaty text</li></ol></div>"
    )
    assert extract(html).text == "Background\n\nRussia and North Korea signed a treaty."


@pytest.mark.parametrize(
    "html", ["", "   ", "<html><body></body></html>"], ids=["empty", "blank", "bare"]
)
def test_extract_empty(html: str) -> None:
    assert extract(html).text == ""


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_seed_pages_keep_every_paragraph(path: Path) -> None:
    from lxml import html as lxml_html

    raw = path.read_text(encoding="utf-8")
    text = extract(raw).text
    for p in lxml_html.fromstring(raw).iter("p"):
        words = " ".join(p.text_content().split())
        if len(words.split()) >= 12 and "Russia" in words:
            assert words in text
    topic = load_topic((ROOT / "claimwatch" / "seeds" / "topic.toml").read_text(encoding="utf-8"))
    assert len(extract_claims(text, topic)) >= 10
