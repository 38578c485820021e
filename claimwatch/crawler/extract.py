"""Main-text extraction: page HTML -> the article's text, without page furniture."""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura


@dataclass(frozen=True)
class Extracted:
    """What the differ needs from a page: blocks of text separated by blank lines."""

    title: str | None
    text: str  # blocks (headings, paragraphs, list items) separated by "\n\n"
    published: str | None = None  # ISO date when the page states one


def extract(html: str, url: str | None = None, selector: str | None = None) -> Extracted:
    """Extract the main text of ``html``; ``selector`` (CSS) narrows the page first."""
    if selector:
        from lxml import html as lxml_html

        root = lxml_html.fromstring(html)
        parts = root.cssselect(selector)
        html = "".join(lxml_html.tostring(p, encoding="unicode") for p in parts)
    doc = trafilatura.bare_extraction(
        html, url=url, include_comments=False, favor_recall=True, with_metadata=True
    )
    if doc is None:
        return Extracted(title=None, text="")
    text = "\n\n".join(line for line in (doc.text or "").splitlines() if line.strip())
    return Extracted(title=doc.title, text=text, published=doc.date)
