"""A self-contained HTML report: inline CSS, no scripts, no external assets, readable on a phone.

Page text is untrusted: every piece of it goes through :func:`esc` (``html.escape`` with
``quote=True``), and only http, https and file URLs become links.
"""

from __future__ import annotations

import html
from typing import Any, TextIO

from claimwatch.report.base import (
    KINDS,
    Group,
    Renderer,
    ReportData,
    SourceSummary,
    groups,
    plural,
    safe_url,
    split_space,
    summary,
    word_ops,
)
from claimwatch.report.formats import change_phrase, fetch_phrase, short_time, step_phrase

CSS = """
:root{--fg:#1b1f24;--muted:#5b6570;--bg:#fff;--card:#f6f8fa;--line:#d8dee4;--del:#ffd7d5;
--ins:#ccf2d1;--sig:#b35900;--link:#0a58ca}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9aa5b1;--bg:#0d1117;
--card:#161b22;--line:#30363d;--del:#67060c;--ins:#0f5323;--sig:#f0a04b;--link:#6cb6ff}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:64rem;padding:1rem;font:16px/1.5 system-ui,-apple-system,
"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:anywhere}
a{color:var(--link)}
h1{font-size:1.5rem;margin:.2rem 0}
h2{font-size:1.15rem;margin:1.6rem 0 .3rem}
h3{font-size:.8rem;margin:0 0 .2rem;color:var(--muted);text-transform:uppercase}
.meta{color:var(--muted);font-size:.9rem;margin:.2rem 0 .8rem}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);
vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
td.hot{color:var(--sig);font-weight:600}
.change{background:var(--card);border:1px solid var(--line);border-radius:.5rem;
padding:.6rem .8rem;margin:.6rem 0}
.change.minor{opacity:.85}
.why{margin:0 0 .5rem}
.badge{display:inline-block;font-size:.75rem;font-weight:700;padding:0 .4rem;
border-radius:.3rem;border:1px solid currentColor;margin-right:.4rem}
.significant .badge{color:var(--sig)}
.minor .badge{color:var(--muted)}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:.8rem}
.pair p{margin:0}
.none{color:var(--muted);font-style:italic}
del{background:var(--del);text-decoration:line-through;color:inherit}
ins{background:var(--ins);text-decoration:none;color:inherit;font-weight:600}
@media (max-width:40rem){body{padding:.6rem}.pair{grid-template-columns:1fr}}
"""


def esc(value: Any) -> str:
    """Escape for HTML text and attribute values alike."""
    return html.escape("" if value is None else str(value), quote=True)


def link(url: str | None, text: str | None = None) -> str:
    """``<a href>`` for a linkable URL, else the URL as escaped text."""
    label = esc(text if text is not None else url)
    safe = safe_url(url)
    if safe is None:
        return label
    return f'<a href="{esc(safe)}" rel="noopener noreferrer nofollow">{label}</a>'


def time_tag(ts: str | None) -> str:
    """A ``<time>`` element for a store time."""
    return f'<time datetime="{esc(ts)}">{esc(short_time(ts))}</time>' if ts else ""


class HtmlRenderer(Renderer):
    """One self-contained HTML page: a summary per source, then every change side by side.

    Inline CSS only (no scripts, fonts or images), so it works offline and can be mailed.
    """

    kind = "html"

    def write(self, data: ReportData, out: TextIO) -> None:
        out.write(self.page(data))

    def page(self, data: ReportData) -> str:
        """The whole document."""
        since = f" · changes since {time_tag(data.since)}" if data.since else ""
        changes = plural(len(data.changes), "change")
        body = [
            f"<header><h1>{esc(data.title)}</h1>",
            f'<p class="meta">{changes} · generated {time_tag(data.generated_at)}{since}</p>',
            "</header>",
            self.summary_table(summary(data)),
        ]
        if not data.changes:
            body.append('<p class="none">No claim changes.</p>')
        body += [self.group(g, i) for i, g in enumerate(groups(data), 1)]
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="referrer" content="no-referrer">\n'
            f"<title>{esc(data.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body)
            + "\n</body>\n</html>\n"
        )

    def summary_table(self, rows: list[SourceSummary]) -> str:
        """Per source: significant changes by kind, minor changes, last fetch."""
        if not rows:
            return ""
        kinds = "".join(f"<th>{k}</th>" for k in KINDS)
        out = [
            '<section><h2>Sources</h2><div class="scroll"><table class="summary">',
            '<thead><tr><th rowspan="2">source</th><th colspan="3">significant changes</th>'
            '<th rowspan="2">minor</th><th rowspan="2">last fetch</th></tr>',
            f"<tr>{kinds}</tr></thead>",
            "<tbody>",
        ]
        for r in rows:
            cells = "".join(self._count(r.count(k, True), hot=True) for k in KINDS)
            out.append(
                f"<tr><td>{link(r.url, r.name)}</td>{cells}{self._count(r.count(None, False))}"
                f"<td>{esc(fetch_phrase(r))}</td></tr>"
            )
        out.append("</tbody></table></div></section>")
        return "\n".join(out)

    @staticmethod
    def _count(n: int, hot: bool = False) -> str:
        cls = "n hot" if hot and n else "n"
        return f'<td class="{cls}">{n}</td>'

    def group(self, g: Group, index: int) -> str:
        """One source's changes in one version step."""
        out = [
            f'<section class="group" id="g{index}">',
            f"<h2>{link(g.url, g.source)} · {esc(step_phrase(g))}</h2>",
            f'<p class="meta">detected {time_tag(g.detected_at)} · {link(g.url)}</p>',
        ]
        out += [self.change(c) for c in g.changes]
        out.append("</section>")
        return "\n".join(out)

    def change(self, c: dict[str, Any]) -> str:
        """A change: its reason, then the old and the new claim side by side."""
        weight = "significant" if c["significant"] else "minor"
        words = change_phrase(c, esc)
        ops = word_ops(c["old_text"], c["new_text"])
        old = self._side(ops, "delete", "del") if c["old_text"] else None
        new = self._side(ops, "insert", "ins") if c["new_text"] else None
        if c["kind"] != "changed":  # a whole claim added or removed: no word marks
            old = esc(c["old_text"]) if c["old_text"] else None
            new = esc(c["new_text"]) if c["new_text"] else None
        return (
            f'<article class="change {weight} {esc(c["kind"])}">'
            f'<p class="why"><span class="badge">{weight}</span>{words}</p>'
            f'<div class="pair">{self._cell("before", c["from_version"], old)}'
            f"{self._cell('after', c['to_version'], new)}</div></article>"
        )

    @staticmethod
    def _side(ops: list[tuple[str, str]], keep: str, tag: str) -> str:
        parts = []
        for op, words in ops:
            if op == "equal":
                parts.append(esc(words))
            elif op == keep:
                lead, core, trail = split_space(words)
                parts.append(f"{lead}<{tag}>{esc(core)}</{tag}>{trail}")
        return "".join(parts)

    @staticmethod
    def _cell(label: str, version: int | None, body: str | None) -> str:
        v = f" (v{esc(version)})" if version is not None else ""
        text = body if body is not None else '<span class="none">no such claim</span>'
        return f'<div class="{label}"><h3>{label}{v}</h3><p>{text}</p></div>'
