"""The built-in formats: json (the stable contract), text (rich terminal), markdown."""

from __future__ import annotations

import json
from typing import Any, TextIO

from claimwatch.report.base import Renderer, ReportData

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


def word_ops(old: str | None, new: str | None) -> list[tuple[str, str]]:
    """Word-level diff operations for a changed claim."""
    if not old or not new:
        return [("insert" if new else "delete", new or old or "")]
    from claimwatch.differ import inline_diff

    return inline_diff(old, new)


class TextRenderer(Renderer):
    """Terminal output with coloured word diffs; plain text off a terminal or with NO_COLOR."""

    kind = "text"

    def write(self, data: ReportData, out: TextIO) -> None:
        from rich.text import Text

        from claimwatch.cli.context import console

        con = console(out)
        changes = data.ordered()
        if not changes:
            con.print("No claim changes.", markup=False)
            return
        current = None
        for c in changes:
            head = (c["source"], c["from_version"], c["to_version"])
            if head != current:
                current = head
                con.print(
                    Text(
                        f"\n{c['source']}  v{c['from_version']} → v{c['to_version']}"
                        f"  {c['detected_at']}  {c['url']}",
                        style="bold",
                    )
                )
            tag = "SIGNIFICANT" if c["significant"] else "minor"
            con.print(
                Text(
                    f"  [{tag}] {c['kind']}: {c['reason']}",
                    style="yellow" if c["significant"] else "dim",
                )
            )
            line = Text("    ")
            for op, words in word_ops(c["old_text"], c["new_text"]):
                style = {"delete": "red strike", "insert": "green underline"}.get(op, "")
                if op != "equal" and con.no_color:
                    words = f"[-{words}-]" if op == "delete" else f"{{+{words}+}}"
                line.append(words, style=style)
            con.print(line)


def _md(text: Any) -> str:
    """Escape page text for Markdown (it is untrusted)."""
    s = str(text)
    for ch in "\\`*_{}[]<>()#+-!|":
        s = s.replace(ch, "\\" + ch)
    return s


class MarkdownRenderer(Renderer):
    """Markdown for an issue or a chat: one section per source and version."""

    kind = "markdown"

    def write(self, data: ReportData, out: TextIO) -> None:
        out.write(f"# {data.title}\n\n")
        changes = data.ordered()
        if not changes:
            out.write("No claim changes.\n")
            return
        current = None
        for c in changes:
            head = (c["source"], c["from_version"], c["to_version"])
            if head != current:
                current = head
                out.write(
                    f"\n## {_md(c['source'])}: version {c['from_version']} → "
                    f"{c['to_version']}\n\n<{c['url']}> · detected {c['detected_at']}\n\n"
                )
            tag = "**significant**" if c["significant"] else "minor"
            out.write(f"- {tag} {c['kind']}: {_md(c['reason'])}\n")
            if c["old_text"]:
                out.write(f"  - old: {_md(c['old_text'])}\n")
            if c["new_text"]:
                out.write(f"  - new: {_md(c['new_text'])}\n")
