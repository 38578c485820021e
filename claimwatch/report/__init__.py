"""Report renderers, registered by format name (text, json, markdown, html, atom).

Every renderer gets the same ``ReportData`` and writes to a text stream. Page text is
untrusted: renderers of markup formats escape every piece of it.
"""

from __future__ import annotations

from claimwatch.report import atom, formats, html  # noqa: F401  (register the built-in formats)
from claimwatch.report.base import Renderer, ReportData, parse_since

__all__ = ["Renderer", "ReportData", "parse_since"]
