"""From fetched bytes to a storable page: decode, refuse what is not an article, extract.

Kept free of Scrapy objects so it can run in a worker process.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from claimwatch.crawler.extract import extract

# Magic numbers of common non-HTML payloads served under .html URLs.
_BINARY_MAGIC = (
    b"\x89PNG",
    b"%PDF",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"RIFF",
    b"\x00\x00\x01\x00",
    b"BM",
    b"\x7fELF",
)
_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


class NotAnArticle(Exception):
    """The body cannot become a version; the message says why."""


@dataclass(frozen=True)
class Page:
    """An extracted page, ready for storage."""

    text: str
    text_hash: str
    title: str | None
    published: str | None


def raw_hash(body: bytes) -> str:
    """A short, stable hash of the fetched bytes (skip extraction when unchanged)."""
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def normalise_text(text: str) -> str:
    """Unicode- and whitespace-normalised main text: what "changed" is judged on."""
    text = unicodedata.normalize("NFKC", text)
    blocks = (" ".join(b.split()) for b in re.split(r"\n\s*\n", text))
    return "\n\n".join(b for b in blocks if b)


def text_hash(text: str) -> str:
    """Hash of normalised text."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def check_body(body: bytes, content_type: str) -> None:
    """Raise NotAnArticle for an empty or binary body."""
    if not body.strip():
        raise NotAnArticle("empty body")
    ctype = content_type.split(";")[0].strip().lower()
    if ctype and not ctype.startswith(_TEXT_TYPES) and "html" not in ctype:
        raise NotAnArticle(f"not an HTML page (Content-Type {ctype})")
    head = body[:1024].lstrip()
    if head.startswith(_BINARY_MAGIC) or b"\x00" in head:
        raise NotAnArticle("binary content, not an HTML page")


def decode(body: bytes, *declared: str | None) -> str:
    """Decode HTML bytes: UTF-8 if they are valid UTF-8, else the first declared charset
    (header, then ``<meta>``) they fit, else cp1252.

    Valid UTF-8 comes first because declarations lie (a server's default "iso-8859-1"
    over a UTF-8 page is common), while non-ASCII text in another charset is almost never
    valid UTF-8 by accident; decoding it as the declared charset would give mojibake.
    """
    for enc in ("utf-8", *declared, "cp1252"):
        if not enc:
            continue
        try:
            return body.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("utf-8", errors="replace")


def build_page(html: str, url: str, selector: str | None) -> Page:
    """Extract and normalise the main text; NotAnArticle if there is none."""
    ex = extract(html, url=url, selector=selector)
    text = normalise_text(ex.text)
    if not text:
        raise NotAnArticle("no main text found on the page")
    return Page(text=text, text_hash=text_hash(text), title=ex.title, published=ex.published)
