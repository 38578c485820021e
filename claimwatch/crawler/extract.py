"""Main-text extraction: page HTML -> the article's text, without page furniture.

The page is cleaned first (scripts, navigation, comments, sidebars, share rows, boxes and
other furniture recognised by tag, class, id, role or text), then the smallest element
holding most of the remaining prose is taken as the article, and its blocks (headings,
paragraphs, list items) are emitted one per paragraph. Trafilatura is the fallback when
the page has no recognisable prose.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html


@dataclass(frozen=True)
class Extracted:
    """What the differ needs from a page: blocks of text separated by blank lines."""

    title: str | None
    text: str  # blocks (headings, paragraphs, list items) separated by "\n\n"
    published: str | None = None  # ISO date when the page states one


DROP_TAGS = {
    "script", "style", "noscript", "template", "svg", "iframe", "form", "button", "input",
    "select", "textarea", "nav", "aside", "footer", "header", "head", "dialog", "menu",
    "canvas", "video", "audio", "object", "embed", "map", "figure", "ins",
}  # fmt: skip
BLOCK_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "dd", "dt", "pre",
    "div", "section", "article", "main", "ul", "ol", "dl", "table", "tr", "td", "th",
    "tbody", "thead", "body", "center", "details", "summary", "address", "hr", "br",
}  # fmt: skip
LEAF_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "dt", "dd", "summary"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}

# class / id / role tokens that mark page furniture (matched against whole tokens). "Strong"
# furniture (comments, related, share, subscribe, ads, cookies) is dropped even when large;
# "weak" tokens (sidebar, header, meta...) also name layout wrappers, so an element holding most
# of the prose survives them.
_STRONG = re.compile(
    r"^(comments?|cmts?|commentlist|respon[sd]\w*|repl(y|ies)|discussion|disqus\w*|talk\w*"
    r"|related\w*|rel|recommend\w*|popular|trending|more|read|next|share\w*|sharing|social"
    r"|subscri\w*|newsletter|signup|alerts?|cta|promo\w*|ads?|advert\w*|adsbygoogle"
    r"|sponsor\w*|outbrain|taboola|cookies?|cookiebot|onetrust|consent|gdpr|fundrais\w*"
    r"|donat\w*|centralnotice|pullquote|breadcrumbs?|crumbs|clap|claps|votes?|counters?"
    r"|views?|reading|modal|overlay|popup|dialog|alertdialog|feedback|ugc|guestbook"
    r"|reactions?|readers?|mailbag|letters|testimonials?|reviews|helpful|upvotes?|ratings?)$"
)
_WEAK = re.compile(
    r"^(sidebar|side|widget|widgets|banner|footer|ftr|copyright|colophon|toc|toclevel"
    r"|infobox|hatnote|navbox|navbar|references|reflist|catlinks|editsection|noprint|print"
    r"|meta|byline|author|tags|topics|labels|tools|contact|ends|updated|nav|menu|search"
    r"|logo|masthead|header|skip|pager|pagination|close|sitesub|jump|metabar|complementary"
    r"|navigation|contentinfo|note)$"
)
_TOKEN_SPLIT = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")
_CONTENT_HINT = re.compile(
    r"article-?body|articlebody|entry-content|post-body|post-content|story-body|mw-parser"
    r"|field--name-body|main-content|article-content|story-content|gh-content",
    re.I,
)
# whole-block texts that are furniture wherever they stand
_FURNITURE_TEXT = re.compile(
    r"^\s*(?:(?:last\s+)?updated\s*(?::|on\b|at\b|\d)"
    r"|this (?:article|page) was last (?:updated|edited)"
    r"|printed from\b|[-–—\s]*ends[-–—\s]*$|©|copyright\b|all rights reserved"
    r"|share (?:this|on)\b|follow us\b|advertisement$|sponsored\b|read more$"
    r"|comments?\s*\(?\d*\)?$"
    r"|\d[\d.,]*\s*[km]?\s*(?:views|shares|likes|claps|responses|comments)$"
    r"|(?:read more|also read|read also|related|see also|watch|listen|recommended)\s*:"
    r"|continue reading|leave a (?:reply|comment)|write a comment"
    r"|.{1,40} said\.\.\.$"
    r"|\d+\s*min(?:ute)?s?\s+read\b|reading time\b|(?:photo|image|picture|illustration)s?"
    r"(?: credit)?\s*:|(?:published|posted|updated)(?: on)?:?\s+\d"
    r"|posted by\b|topics?:|tags?:|labels?:|filed under\b|media (?:enquiries|contact)"
    r"|(?:telephone|tel|phone|e-?mail|fax)\s*:)",
    re.I,
)
# a signed reader post ("... — Editor (talk) 12:01, 5 June 2025")
_SIGNATURE = re.compile(r"[—–-]\s*\S.{0,40}\((?:talk|contribs)\)")
_WS = re.compile(r"\s+")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def extract(html: str, url: str | None = None, selector: str | None = None) -> Extracted:
    """Extract the main text of ``html``; ``selector`` (CSS) narrows the page first."""
    if not html or not html.strip():
        return Extracted(title=None, text="")
    html = _XML_DECLARATION.sub("", html, count=1)  # lxml refuses str with an encoding decl.
    try:
        root = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return Extracted(title=None, text="")
    title = _title(root)
    published = _published(root) or _guess_date(html)
    if selector:
        parts = root.cssselect(selector)
        if not parts:
            return Extracted(title=title, text="", published=published)
        blocks = [b for p in parts for b in _blocks_of(_clean(p))]
    else:
        body = _clean(root.find("body") if root.find("body") is not None else root)
        main = _main(body)
        title = _og_title(root) or _first_h1(main) or _first_h1(body) or title
        blocks = _blocks_of(main)
    text = "\n\n".join(b for b in blocks if not _is_furniture_text(b))
    if not text:
        text = _fallback(html, url)
    return Extracted(title=title, text=text, published=published)


def _is_furniture_text(block: str) -> bool:
    return bool(_FURNITURE_TEXT.match(block) or _SIGNATURE.search(block))


def _tokens(el: etree._Element) -> list[str]:
    raw = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("role"))))
    return [t.lower() for t in _TOKEN_SPLIT.split(raw) if t]


def _hidden(el: etree._Element) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return (
        el.get("hidden") is not None
        or el.get("aria-hidden") == "true"
        or "display:none" in style
        or "visibility:hidden" in style
    )


def _is_furniture(el: etree._Element) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in ("body", "html", "main", "article") and not any(
        t.startswith(("comment", "respon", "cmt")) for t in _tokens(el)
    ):
        return False
    if el.get("role") == "main" or _CONTENT_HINT.search(el.get("class") or ""):
        return False
    toks = _tokens(el)
    if tag == "figure" and _long_caption(el):
        return False  # a photo essay's caption is its prose
    return (
        tag in DROP_TAGS
        or _hidden(el)
        or any(_STRONG.match(t) for t in toks)
        or any(_WEAK.match(t) for t in toks)
    )


def _long_caption(figure: etree._Element) -> bool:
    """A caption written as paragraphs, or long: article text, not a photo credit."""
    caps = list(figure.iter("figcaption"))
    return any(c.find(".//p") is not None or len(c.text_content().split()) >= 40 for c in caps)


def _clean(root: etree._Element) -> etree._Element:
    """Drop furniture in place, but never an element holding most of the prose."""
    measure = _measure_for(root)
    total = measure(root) or 1
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            if not isinstance(el.tag, str) and el.getparent() is not None:
                _drop(el)
            continue
        if _is_furniture(el) and not _protected(el, total, measure):
            _drop(el)
    _drop_tail_sections(root, measure, total)
    return root


_TAIL_SECTION = re.compile(
    r"^\s*(?:\d+\s+)?(?:see also|references|notes|footnotes|citations|sources|external links"
    r"|further reading|bibliography|related(?: \w+)?|more from .{1,40}|more on this|read next"
    r"|recommended(?: \w+)?|comments?|responses?|replies"
    r"|readers?'?’? (?:comments|responses|notes|letters|views|reactions|questions|picks)"
    r"|your (?:views|comments|reactions|responses|letters|say)|have your say"
    r"|reactions?\s*\(\d+\)"
    r"|(?:top|most helpful|most liked|newest|best|latest|featured) (?:comments|responses|replies"
    r"|reactions|reviews)|most helpful|what (?:readers|you|people) (?:say|said|think)"
    r"|letters(?: to the editor)?|from the talk page|talk page"
    r"|join the discussion|leave a (?:reply|comment)|popular(?: \w+)?|most read|trending(?: now)?"
    r"|you may also like|more stories|latest (?:news|posts|stories)|newsletter)"
    r"\s*(?:\(\d+\))?\s*(?:[:·|–-]\s*.{0,40})?$",
    re.I,
)
_BOX_TAGS = {"div", "section", "aside", "dl", "ul", "ol", "footer", "header", "details", "nav"}
_BOX_TITLE_TAGS = ("p", "div", "span", "strong", "b", "header", "summary", "dt", "legend")


def _drop_tail_sections(root: etree._Element, measure: Measure, total: int) -> None:
    """Drop "See also", "References", "Comments" and similar sections: the heading and what
    follows it; and small boxes whose title says they are comments, related links..."""
    for el in list(root.iter(*_BOX_TITLE_TAGS)):
        if el.getparent() is not None and _is_tail_title(el):
            box = el.getparent()
            if box.tag in _BOX_TAGS and measure(box) < 0.3 * total:
                _drop(box)
    for head in list(root.iter(*HEADINGS)):
        text = _WS.sub(" ", head.text_content()).replace("[edit]", "").strip()
        if not _TAIL_SECTION.match(text) or head.getparent() is None:
            continue
        level = int(head.tag[1])
        sib = head.getnext()
        while sib is not None:
            nxt = sib.getnext()
            if isinstance(sib.tag, str) and sib.tag in HEADINGS and int(sib.tag[1]) <= level:
                break
            _drop(sib)
            sib = nxt
        _drop(head)


def _is_tail_title(el: etree._Element) -> bool:
    """A short title-like element ("From the talk page · join the discussion")."""
    text = _WS.sub(" ", el.text_content()).strip()
    if not text or len(text.split()) > 8 or len(el) > 4:
        return False
    parent = el.getparent()
    first = next((c for c in parent if isinstance(c.tag, str)), None)
    return first is el and bool(_TAIL_SECTION.match(text))


def _protected(el: etree._Element, total: int, measure: Measure) -> bool:
    if el.tag in ("script", "style", "head", "template", "noscript"):
        return False
    if el.xpath(".//main|.//*[@role='main']") or any(
        _CONTENT_HINT.search(d.get("class") or "") for d in el.iter() if isinstance(d.tag, str)
    ):
        return True
    if any(_STRONG.match(t) for t in _tokens(el)):
        return False
    if el.tag in DROP_TAGS:
        return measure(el) > 0.5 * total  # e.g. a <form> wrapping a whole ASP.NET page
    if el.xpath(".//article") or measure(el) > 0.5 * total:
        return True
    return _holds_article_prose(el)


def _holds_article_prose(el: etree._Element) -> bool:
    """A page-builder block ("elementor-widget-text-editor") holding real paragraphs: long
    ones, few of them links."""
    paras = [p for p in el.iter("p") if len(p.text_content().split()) >= 25]
    if len(paras) < 2:
        return False
    text = sum(len(p.text_content()) for p in paras)
    links = sum(len(a.text_content()) for p in paras for a in p.iter("a"))
    return links < 0.3 * text


def _drop(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


Measure = Callable[[etree._Element], int]
_VISIBLE_TEXT = etree.XPath(
    ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
)


def _prose_len(el: etree._Element) -> int:
    """Text in paragraphs, list items and quotes: the usual shape of article prose."""
    return sum(len(p.text_content()) for p in el.iter("p", "li", "dd", "blockquote"))


def _text_len(el: etree._Element) -> int:
    """All visible text (for pages that put their prose in bare <div>s)."""
    return sum(len(t.strip()) for t in _VISIBLE_TEXT(el))


def _measure_for(root: etree._Element) -> Measure:
    return _prose_len if _prose_len(root) >= 0.3 * _text_len(root) else _text_len


def _main(root: etree._Element) -> etree._Element:
    """The deepest element holding at least 92 % of the prose."""
    measure = _measure_for(root)
    total = measure(root)
    if not total:
        return root
    node = root
    while True:
        best = None
        for child in node:
            if isinstance(child.tag, str) and measure(child) >= 0.92 * total:
                best = child
                break
        if best is None or best.tag in LEAF_TAGS or best.tag in ("li", "ul", "ol"):
            return node
        node = best


def _blocks_of(el: etree._Element) -> list[str]:
    out: list[str] = []
    buf: list[str] = []
    _walk(el, out, buf)
    _flush(out, buf)
    return out


def _flush(out: list[str], buf: list[str]) -> None:
    text = _WS.sub(" ", "".join(buf)).strip()
    buf.clear()
    if text:
        out.append(text)


def _walk(el: etree._Element, out: list[str], buf: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "br":
        _flush(out, buf)
        if el.tail:
            buf.append(el.tail)
        return
    block = tag in BLOCK_TAGS
    if block:
        _flush(out, buf)
    if tag == "table" and _is_layout_free_table(el):
        out.extend(_data_rows(el))  # a data table: its rows only, one block each
        return
    if el.text:
        buf.append(el.text)
    for child in el:
        if isinstance(child.tag, str):
            _walk(child, out, buf)
        elif child.tail:
            buf.append(child.tail)
    if block:
        _flush(out, buf)
    if el.tail:
        buf.append(el.tail)


def _is_layout_free_table(el: etree._Element) -> bool:
    """A data table (short cells, no paragraphs) holds no article prose."""
    if el.xpath(".//p"):
        return False
    cells = el.xpath(".//td|.//th")
    return not any(len(c.text_content().split()) >= 12 for c in cells)


def _data_rows(el: etree._Element) -> list[str]:
    """Body rows of a data table headed by 3+ columns, one block each: "cell | cell | cell".
    Key/value boxes (infoboxes) and tables without a header row give nothing."""
    rows = [r for r in el.iter("tr") if r.xpath("./td|./th")]
    if not rows or rows[0].xpath("./td") or len(rows[0].xpath("./th")) < 3:
        return []
    width = len(rows[0].xpath("./th"))
    out = []
    for row in rows[1:]:
        cells = [_WS.sub(" ", c.text_content()).strip() for c in row.xpath("./td|./th")]
        if len(cells) == width and all(cells):
            out.append(" | ".join(cells))
    return out


def _og_title(root: etree._Element) -> str | None:
    found = root.xpath('//meta[@property="og:title"]/@content')
    return _WS.sub(" ", found[0]).strip() or None if found else None


def _first_h1(main: etree._Element) -> str | None:
    """The article's own heading (the site's name in the page header is gone by now)."""
    h1 = next(main.iter("h1"), None)
    return (_WS.sub(" ", h1.text_content()).strip() or None) if h1 is not None else None


def _title(root: etree._Element) -> str | None:
    for xp in ('//meta[@property="og:title"]/@content', "//h1", "//title"):
        found = root.xpath(xp)
        if found:
            val = found[0] if isinstance(found[0], str) else found[0].text_content()
            val = _WS.sub(" ", val).strip()
            if val:
                return val
    return None


_DATE_XPATHS = (
    '//meta[@property="article:published_time"]/@content',
    '//meta[@itemprop="datePublished"]/@content',
    '//*[@itemprop="datePublished"]/@datetime',
    '//meta[@name="date"]/@content',
    "//time[@datetime]/@datetime",
)
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _published(root: etree._Element) -> str | None:
    for xp in _DATE_XPATHS:
        for val in root.xpath(xp):
            m = _ISO.search(str(val))
            if m:
                return m.group(0)
    return None


def _guess_date(html: str) -> str | None:
    """The date a page states in its text ("Wednesday, November 15, 2023"), via htmldate
    (trafilatura's own date finder); None when it finds nothing or is unavailable."""
    try:
        from htmldate import find_date
    except ImportError:  # pragma: no cover - trafilatura ships it
        return None
    try:
        return find_date(html, extensive_search=False, original_date=True)
    except Exception:  # noqa: BLE001 - a date is optional, never a reason to fail
        return None


def _fallback(html: str, url: str | None) -> str:
    import trafilatura

    text = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=False, favor_precision=True
    )
    if not text:
        return ""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
