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


def test_extract_data_table_rows_as_blocks() -> None:
    html = (
        "<article><p>Russian wheat reached North Korea by sea.</p><table><caption>Ships"
        "</caption><tr><th>Ship</th><th>Route</th><th>Cargo</th></tr><tr><td>Kola</td>"
        "<td>Nakhodka → Chongjin</td><td>Wheat</td></tr><tr><td>Baikal</td><td></td><td>Oil</td>"
        "</tr></table><table class='facts'><tr><th>Signed</th><td>2024</td></tr></table></article>"
    )
    assert extract(html).text == (
        "Russian wheat reached North Korea by sea.\n\nKola | Nakhodka → Chongjin | Wheat"
    )


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


WORDPRESS = """<html><body><form id="aspnetForm"><div id="page">
<header class="site-header"><h1 class="site-title">Blog</h1></header>
<div class="content-area"><article class="post type-post">
<header class="entry-header"><h1 class="entry-title">Russia and North Korea</h1>
<div class="entry-meta">March 2, 2024 by Admin</div></header>
<div class="entry-content">
<p>Russia and North Korea signed a treaty in June 2024.</p>
<figure class="wp-block-image"><img src="x.jpg">
<figcaption>Putin and Kim in Pyongyang.</figcaption></figure>
<p>Read more: <a href="#">Putin's visit explained</a></p>
<blockquote class="wp-block-quote"><p>The treaty is a milestone, Kim said.</p></blockquote>
<aside class="pullquote">Russia and North Korea signed a treaty</aside>
<div class="sharedaddy sd-sharing-enabled"><h3>Share this:</h3><ul><li>Twitter</li>
<li>Facebook</li></ul></div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3>Related</h3>
<p>North Korea missile launch</p></div>
</div>
<footer class="entry-footer">Posted in World</footer></article>
<nav class="post-navigation"><a>Previous: Russia in Africa</a></nav>
<div id="comments" class="comments-area"><h2>One thought on "Russia"</h2>
<ol class="comment-list"><li class="comment"><article class="comment-body">
<p>Long comment about Russia and North Korea and the treaty and the war in Ukraine which goes on
and on for many words to be very long indeed, longer than the article itself, many many
words.</p><p>More words about Russia sending oil to North Korea and shells going back and forth
across the border every week of the year.</p></article></li></ol>
<div id="respond"><h3>Leave a Reply</h3></div></div>
</div></div></form>
<div id="onetrust-banner-sdk"><p>We use cookies to improve your experience.</p></div>
</body></html>"""
SUBSTACK = """<html><body><div class="container"><div class="single-post">
<div class="post-header"><h1 class="post-title">Moscow and Pyongyang</h1>
<h3 class="subtitle">A new axis?</h3></div>
<div class="available-content"><div class="body markup">
<p>North Korea has sent shells to Russia.</p>
<div class="subscription-widget-wrap">
<p>Thanks for reading! Subscribe for free to receive new posts.</p></div>
<p>Russia has sent oil to North Korea.</p>
<ul><li><p>Item one about the DPRK and Russia.</p></li><li><p>Item two about Moscow.</p></li></ul>
</div></div>
<div class="post-footer"><button>Like</button><button>Share</button></div>
<div class="comments-section"><p>Great post about Russia!</p></div>
</div></div></body></html>"""


def test_extract_wordpress_long_comments_form_wrapper() -> None:
    assert extract(WORDPRESS).text.split("\n\n") == [
        "Russia and North Korea signed a treaty in June 2024.",
        "The treaty is a milestone, Kim said.",
    ]


def test_extract_substack_list_items_kept() -> None:
    assert extract(SUBSTACK).text.split("\n\n") == [
        "North Korea has sent shells to Russia.",
        "Russia has sent oil to North Korea.",
        "Item one about the DPRK and Russia.",
        "Item two about Moscow.",
    ]


def test_extract_drops_signed_posts_and_counters() -> None:
    html = (
        "<main><p>Russia and North Korea signed a treaty.</p><p>1.2K claps</p>"
        "<p>Needs more sources. — Editor42 (talk) 12:01, 5 June 2025 (UTC)</p>"
        "<p>Last updated: 5 May 2025, 16:40</p><p>– ENDS –</p></main>"
    )
    assert extract(html).text == "Russia and North Korea signed a treaty."


def test_extract_bare_div_prose_in_layout_wrapper() -> None:
    html = (
        "<body><div class='page-with-sidebar'><div class='story'>"
        "<div>Russia and North Korea signed a treaty in June 2024.</div>"
        "<div>Moscow agreed to supply oil to Pyongyang for years.</div></div>"
        "<div class='sidebar'><div>Popular: Kim's train</div></div></div></body>"
    )
    assert extract(html).text == (
        "Russia and North Korea signed a treaty in June 2024.\n\n"
        "Moscow agreed to supply oil to Pyongyang for years."
    )


NEWS = """<html><head>
<meta property="og:title" content="North Korea sends more shells to Russia"></head><body>
<div id="top-ad" class="ad-slot"><p>Advertisement</p></div>
<header class="masthead"><nav><ul><li>World</li><li>Asia</li></ul></nav></header>
<main id="content">
<div class="article-header"><h1>North Korea sends more shells to Russia</h1>
<p class="dek">Seoul says the flow of munitions has accelerated since the summer.</p>
<div class="byline">By Jane Roe, Seoul</div>
<time datetime="2025-03-01T09:00:00Z">1 March 2025</time></div>
<div class="article-body">
<p>North Korea has sent more than 10,000 containers of munitions to Russia, South Korea's spy
agency said on Friday.</p>
<p><strong>Related:</strong> <a href="#">Kim Jong Un visits munitions factory</a></p>
<figure><img src="a.jpg"><figcaption>Kim Jong Un at a factory. Photo: KCNA</figcaption></figure>
<p>The agency said Pyongyang had received oil and air-defence systems in return.</p>
<div class="inline-newsletter"><h3>Asia Briefing</h3>
<p>Sign up for our daily briefing on North Korea and Russia.</p><form><input></form></div>
<aside class="pull-quote"><p>“The flow has accelerated,” the agency said.</p></aside>
<p>Moscow and Pyongyang deny any arms trade, which would violate UN sanctions.</p>
<div class="author-bio">
<p>Jane Roe is our Seoul correspondent covering North Korea and Russia.</p></div>
<div class="topics"><span>Topics:</span> <a>North Korea</a> <a>Russia</a></div>
</div></main>
<section class="more-stories"><h2>More stories</h2><article>
<h3>Russia and North Korea open rail link</h3><p>Teaser text about Russia.</p></article></section>
<footer><p>© 2025 Example Times</p></footer></body></html>"""


def test_extract_news_layout() -> None:
    got = extract(NEWS)
    assert got.title == "North Korea sends more shells to Russia"
    assert got.published == "2025-03-01"
    assert got.text.split("\n\n") == [
        "North Korea has sent more than 10,000 containers of munitions to Russia, South Korea's "
        "spy agency said on Friday.",
        "The agency said Pyongyang had received oil and air-defence systems in return.",
        "Moscow and Pyongyang deny any arms trade, which would violate UN sanctions.",
    ]


def test_extract_page_builder_widgets_keep_prose() -> None:
    para = (
        "Russia and North Korea have expanded their military cooperation since 2023, with "
        "shipments of artillery shells moving by rail and sea across the short shared border."
    )
    html = (
        "<body><div class='elementor'>"
        + "".join(
            f"<div class='elementor-widget elementor-widget-text-editor'><p>{para} ({i})</p>"
            f"<p>{para} [{i}]</p></div>"
            for i in range(3)
        )
        + "<div class='elementor-widget sidebar-widget'><ul><li><a>Popular post</a></li></ul>"
        "</div></div></body>"
    )
    assert len(extract(html).text.split("\n\n")) == 6


def test_extract_xhtml_with_xml_declaration() -> None:
    html = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        "<body><p>Russia and North Korea signed a treaty.</p></body></html>"
    )
    assert extract(html).text == "Russia and North Korea signed a treaty."


LONG_TEXT = (
    "The treaty commits each side to provide military assistance without delay if the other "
    "comes under armed attack, and it covers trade, energy, space and nuclear cooperation too."
)
LONG = f"<p>{LONG_TEXT}</p>" * 3


def test_extract_drops_boxes_by_their_title() -> None:
    html = (
        "<main><p>Russia and North Korea signed a treaty in 2024.</p>"
        + LONG
        + "<div class='x9'><p class='x9a'><b>From the talk page</b> · join the discussion</p>"
        "<dl><dd>Russia will never honour this treaty with North Korea. — Ed (talk)</dd></dl></div>"
        "<p><b>Comments</b> from Moscow on the treaty were sparse, officials said.</p>"
        "<div><span>Reader comments (2)</span><p>North Korea is sending troops to Russia.</p></div>"
        "<h2>Sources of tension</h2><p>Pyongyang wants fuel from Moscow.</p></main>"
    )
    assert extract(html).text.split("\n\n") == [
        "Russia and North Korea signed a treaty in 2024.",
        *[LONG_TEXT] * 3,
        "Comments from Moscow on the treaty were sparse, officials said.",
        "Sources of tension",
        "Pyongyang wants fuel from Moscow.",
    ]


_BODY = (
    "<p>Russia and North Korea opened a second rail bridge over the Tumen river in May.</p>"
    "<p>Freight trains now carry coal and fertiliser from Khasan to the port of Rajin.</p>"
)


@pytest.mark.parametrize(
    "block",
    [
        "<div class='user-reactions'><ul><li><p>Coal again, what a surprise.</p></li></ul></div>",
        "<section id='readers-say'><p>So the bridge is open, but who pays for it?</p></section>",
        "<div><h3>Reactions (4)</h3><ol><li>Nice map, but the scale is off.</li></ol></div>",
        "<div><h2>Most helpful responses</h2><p>Trains are slow on that line anyway.</p></div>",
        "<div><h2>What readers say</h2><p>Another photo-op for the two leaders.</p></div>",
        "<div><p class='ttl'>Top comments</p><p>Pyongyang will never pay its debt.</p></div>",
    ],
)
def test_extract_drops_reader_reaction_blocks(block: str) -> None:
    html = f"<html><body><article><h1>A bridge</h1>{_BODY}{block}</article></body></html>"
    text = extract(html).text
    assert "Freight trains now carry coal" in text
    assert "pays" not in text and "Coal again" not in text and "scale is off" not in text
    assert "slow on that line" not in text and "photo-op" not in text and "debt" not in text


def test_extract_keeps_reactions_section_of_the_article() -> None:
    html = (
        f"<html><body><article><h1>A bridge</h1>{_BODY}<h2>Reactions</h2>"
        "<p>Seoul called the bridge a breach of sanctions on North Korea.</p>"
        "</article></body></html>"
    )
    assert "breach of sanctions" in extract(html).text


def test_extract_keeps_photo_essay_captions_and_drops_short_ones() -> None:
    prose = (
        "The rail spur beside the depot has been widened to two tracks since the spring, and "
        "thirty covered wagons now stand at the loading dock, twice as many as in March."
    )
    para = (
        "<p>Russian freight trains now reach the depot at Tumangang in North Korea every week, "
        "carrying flour, fuel and building materials, and return loaded with sealed crates "
        "that observers on both sides of the border have tried to identify for months.</p>"
    )
    html = f"""<html><body><article><h1>Depot on the border</h1>{para * 6}
    <figure><img src="a.jpg" alt="depot"><figcaption><span>June 2024</span>
      <p>{prose}</p></figcaption></figure>
    <figure><img src="b.jpg" alt="crane"><figcaption>Photo: Agency staff</figcaption></figure>
    <p>Officials in Moscow have not commented on the traffic.</p>
    </article></body></html>"""
    text = extract(html).text
    assert prose in text
    assert "Photo: Agency staff" not in text
