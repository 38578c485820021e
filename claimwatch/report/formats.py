"""The built-in formats: json (the stable contract), text (rich terminal), markdown."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TextIO

from claimwatch.report.base import (
    KINDS,
    Group,
    Renderer,
    ReportData,
    SourceSummary,
    groups,
    plural,
    printable,
    safe_url,
    split_space,
    summary,
    word_ops,
)

JSON_KEYS = (
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
)


class JsonRenderer(Renderer):
    """``{"changes": [...]}`` with exactly the documented keys: the interface scripts rely on."""

    kind = "json"

    def write(self, data: ReportData, out: TextIO) -> None:
        changes = [{k: c[k] for k in JSON_KEYS} for c in data.ordered()]
        json.dump({"changes": changes}, out, ensure_ascii=False, indent=1)
        out.write("\n")


def counts_phrase(row: SourceSummary, significant: bool) -> str:
    """``1 added, 2 changed`` for one significance, or ``-``."""
    parts = [f"{row.count(k, significant)} {k}" for k in KINDS if row.count(k, significant)]
    return ", ".join(parts) or "-"


def fetch_phrase(row: SourceSummary) -> str:
    """``ok at 2025-03-01T12:00:05Z``, ``error: HTTP 500 at ...`` or ``never fetched``."""
    if not row.last_status:
        return "never fetched"
    status = f"error: {row.last_error}" if row.last_status == "error" else row.last_status
    return f"{status} at {short_time(row.last_fetch_at)}"


def short_time(ts: str | None) -> str:
    """A store time to the second: ``2025-03-01T12:00:05.123456Z`` -> ``2025-03-01 12:00:05Z``."""
    if not ts:
        return ""
    return ts[:19].replace("T", " ") + "Z"


def step_phrase(g: Group) -> str:
    """``version 2 → 3`` or ``version 1`` for a first version."""
    if g.from_version is None:
        return f"version {g.to_version}"
    return f"version {g.from_version} → {g.to_version}"


def change_phrase(c: dict[str, Any], escape: Callable[[str], str] = str) -> str:
    """A change in plain words: ``changed claim (number: a million → three million)``.

    The reason quotes page text: ``escape`` is applied to it (and only to it).
    """
    reason = c["reason"] or ""
    plain = f"{c['kind']} claim"
    if reason and reason.lower() not in (c["kind"], plain):
        return f"{plain} ({escape(reason)})"
    return plain


def marked_ops(c: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Word ops as (op, leading space, words, trailing space), for markers around words.

    A deletion directly followed by an insertion gets a space between the two markers.
    """
    out: list[tuple[str, str, str, str]] = []
    for op, words in word_ops(c["old_text"], c["new_text"]):
        lead, core, trail = split_space(words)
        if out and op == "insert" and out[-1][0] == "delete" and not (out[-1][3] or lead):
            lead = " "
        out.append((op, lead, core, trail))
    return out


class TextRenderer(Renderer):
    """Terminal output: a summary table, then each change with its reason and a word diff.

    Deleted words are red and struck through, inserted words green and underlined. Off a
    terminal, or with NO_COLOR set, the output is plain text: ``[-deleted-] {+inserted+}``.
    """

    kind = "text"

    def write(self, data: ReportData, out: TextIO) -> None:
        from claimwatch.cli.context import console

        con = console(out)
        plain = not con.is_terminal or con.no_color
        con.print(printable(data.title), style="bold", markup=False)
        rows = summary(data)
        if rows:
            con.print(self._table(rows, plain))
        if not data.changes:
            con.print("No claim changes.", markup=False)
            return
        for g in groups(data):
            self._group(con, g, plain)

    def _table(self, rows: list[SourceSummary], plain: bool) -> Any:
        from rich import box
        from rich.table import Table

        table = Table(box=box.ASCII if plain else box.SIMPLE_HEAD, show_edge=False)
        for col in ("source", "significant", "minor", "last fetch"):
            table.add_column(col, overflow="fold")
        for r in rows:
            cells = (r.name, counts_phrase(r, True), counts_phrase(r, False), fetch_phrase(r))
            table.add_row(*(printable(x) for x in cells))
        return table

    def _group(self, con: Any, g: Group, plain: bool) -> None:
        from rich.padding import Padding
        from rich.text import Text

        head = Text(f"\n{printable(g.source)}", style="bold")
        head.append(f"  {step_phrase(g)}  {short_time(g.detected_at)}", style="")
        con.print(head)
        con.print(Text(f"  {printable(g.url)}", style="blue"))
        for c in g.changes:
            weight = "SIGNIFICANT" if c["significant"] else "minor"
            style = "yellow" if c["significant"] else "dim"
            con.print(Text(f"  {weight}  {printable(change_phrase(c))}", style=style))
            diff = self._diff(c, plain)
            con.print(diff if plain else Padding(diff, (0, 0, 0, 4), expand=False))

    def _diff(self, c: dict[str, Any], plain: bool) -> Any:
        from rich.text import Text

        line = Text("    " if plain else "")
        if c["kind"] != "changed" and not plain:  # a whole claim: colour, no word marks
            style = "green" if c["new_text"] else "red strike"
            line.append(printable(c["new_text"] or c["old_text"] or ""), style=style)
            return line
        for op, lead, core, trail in marked_ops(c):
            core = printable(core)
            if plain and op != "equal":
                core = f"[-{core}-]" if op == "delete" else f"{{+{core}+}}"
            style = {"delete": "red strike", "insert": "green underline"}.get(op, "")
            line.append(lead)
            line.append(core, style=style)
            line.append(trail)
        line.rstrip()
        return line


_MD_SPECIAL = "\\`*_{}[]<>()#|~-+!"


def md_escape(text: Any) -> str:
    """Escape page text for Markdown (it is untrusted): no markup, links or HTML survive."""
    s = " ".join(str(text).split())
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in s)


def md_link(url: str) -> str:
    """An autolink for a linkable URL, else the URL as escaped text."""
    safe = safe_url(url)
    if safe is None:
        return md_escape(url)
    return "<" + safe.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20") + ">"


def md_fetch(row: SourceSummary) -> str:
    """The last fetch for a Markdown cell: its status or escaped error, and when."""
    if not row.last_status:
        return "never fetched"
    error = row.last_status == "error"
    status = f"error: {md_escape(row.last_error)}" if error else md_escape(row.last_status)
    return f"{status} at {short_time(row.last_fetch_at)}"


def md_diff(c: dict[str, Any]) -> str:
    """A claim with deleted words ~~struck~~ and inserted words **bold**."""
    parts = []
    for op, lead, core, trail in marked_ops(c):
        core = md_escape(core)
        if op == "delete" and c["kind"] == "changed":
            core = f"~~{core}~~"
        elif op == "insert" and c["kind"] == "changed":
            core = f"**{core}**"
        parts.append(lead + core + trail)
    return " ".join("".join(parts).split())


class MarkdownRenderer(Renderer):
    """Markdown for an issue or a chat: a summary table, then one section per source and version.

    Changed words are shown inline: ~~deleted~~ **inserted**.
    """

    kind = "markdown"

    def write(self, data: ReportData, out: TextIO) -> None:
        out.write(f"# {md_escape(data.title)}\n\n")
        since = f", changes since {short_time(data.since)}" if data.since else ""
        out.write(f"Generated {short_time(data.generated_at)}{since}.\n\n")
        rows = summary(data)
        if rows:
            out.write("| source | significant | minor | last fetch |\n| --- | --- | --- | --- |\n")
            for r in rows:
                cells = (md_escape(r.name), counts_phrase(r, True), counts_phrase(r, False))
                out.write("| " + " | ".join((*cells, md_fetch(r))) + " |\n")
            out.write("\n")
        if not data.changes:
            out.write("No claim changes.\n")
            return
        for g in groups(data):
            out.write(f"## {md_escape(g.source)}: {step_phrase(g)}\n\n")
            out.write(f"{md_link(g.url)} · detected {short_time(g.detected_at)}\n\n")
            for c in g.changes:
                weight = "**significant**" if c["significant"] else "minor"
                words = change_phrase(c, md_escape)
                out.write(f"- {weight} {words}\n  > {md_diff(c)}\n")
            out.write("\n")


__all__ = ["JsonRenderer", "MarkdownRenderer", "TextRenderer", "plural"]
