"""An Atom feed (RFC 4287) of significant changes, so feed readers can follow claimwatch.

One entry per source per cycle (version step). Entry ids are ``urn:uuid:`` names derived
from the source name and the two version numbers, so they stay the same however often the
feed is rendered; ``updated`` is the time the change was detected, not the time of rendering.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from typing import TextIO

from claimwatch import __version__
from claimwatch.report.base import Group, Renderer, ReportData, groups, plural, safe_url
from claimwatch.report.formats import change_phrase
from claimwatch.report.html import HtmlRenderer, link, time_tag

ATOM_NS = "http://www.w3.org/2005/Atom"
_NAMESPACE = uuid.UUID("5d1c7b4e-2f0a-4c3e-9a61-7c1a0f3e8b42")  # claimwatch's own
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def entry_id(source: str, from_version: int | None, to_version: int) -> str:
    """The stable id of a source's entry for one version step."""
    name = f"entry\n{source}\n{from_version}\n{to_version}"
    return "urn:uuid:" + str(uuid.uuid5(_NAMESPACE, name))


def feed_id(title: str) -> str:
    """The stable id of a feed with this title."""
    return "urn:uuid:" + str(uuid.uuid5(_NAMESPACE, f"feed\n{title}"))


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: _clean(v) for k, v in attrs.items()})
    if text is not None:
        el.text = _clean(text)
    return el


class AtomRenderer(Renderer):
    """An Atom 1.0 feed of significant changes: one entry per source per crawl cycle.

    Entry content is HTML (escaped inside the XML) with the reason and both claim texts.
    """

    kind = "atom"

    def write(self, data: ReportData, out: TextIO) -> None:
        ET.register_namespace("", ATOM_NS)
        out.write('<?xml version="1.0" encoding="utf-8"?>\n')
        feed = self.feed(data)
        ET.indent(feed)
        out.write(ET.tostring(feed, encoding="unicode"))
        out.write("\n")

    def feed(self, data: ReportData) -> ET.Element:
        """The ``<feed>`` element, entries newest first."""
        significant = [c for c in data.changes if c["significant"]]
        steps = sorted(
            groups(ReportData(significant, data.title)),
            key=lambda g: (g.detected_at, g.source),
            reverse=True,
        )
        feed = ET.Element(f"{{{ATOM_NS}}}feed")
        _sub(feed, "id", feed_id(data.title))
        _sub(feed, "title", data.title)
        _sub(feed, "subtitle", "Significant claim changes detected by claimwatch")
        _sub(feed, "updated", steps[0].detected_at if steps else data.generated_at)
        _sub(_sub(feed, "author"), "name", "claimwatch")
        _sub(feed, "generator", "claimwatch", version=__version__)
        for g in steps:
            self.entry(feed, g)
        return feed

    def entry(self, feed: ET.Element, g: Group) -> None:
        """One ``<entry>`` for a source's changes in one version step."""
        e = _sub(feed, "entry")
        _sub(e, "id", entry_id(g.source, g.from_version, g.to_version))
        step = f"v{g.from_version} → v{g.to_version}" if g.from_version else f"v{g.to_version}"
        _sub(e, "title", f"{g.source}: {plural(len(g.changes), 'significant change')} ({step})")
        _sub(e, "updated", g.detected_at)
        url = safe_url(g.url)
        if url:
            _sub(e, "link", rel="alternate", type="text/html", href=url)
        _sub(e, "summary", "; ".join(change_phrase(c) for c in g.changes))
        _sub(e, "content", self.content(g), type="html")

    @staticmethod
    def content(g: Group) -> str:
        """The entry's HTML: escaped page text; the XML writer escapes it once more."""
        renderer = HtmlRenderer()
        head = f"<p>{link(g.url, g.source)} · detected {time_tag(g.detected_at)}</p>"
        return head + "".join(renderer.change(c) for c in g.changes)
