"""An aligned pair of claims seen through their canonical tokens: edits and their surface text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import Levenshtein

from claimwatch.differ.text import plain

Op = tuple[str, int, int, int, int]  # tag, old start, old end, new start, new end (tokens)


@dataclass
class Pair:
    """Facets of both claims, their token edits and plain texts (for quoting in reasons)."""

    fa: dict[str, Any]
    fb: dict[str, Any]
    ops: list[Op]
    pa: str
    pb: str

    @classmethod
    def of(cls, fa: dict[str, Any], fb: dict[str, Any], ta: str, tb: str) -> Pair:
        """Build from two claims' facets and texts."""
        return cls(fa, fb, edit_ops(fa["canon"], fb["canon"]), plain(ta), plain(tb))

    def old(self, op: Op) -> list[str]:
        """Old canonical tokens touched by ``op``."""
        return self.fa["canon"][op[1] : op[2]]

    def new(self, op: Op) -> list[str]:
        """New canonical tokens touched by ``op``."""
        return self.fb["canon"][op[3] : op[4]]

    def surface(self, op: Op) -> tuple[str, str]:
        """The old and new text an edit covers, as the reader sees it."""
        return _surface(self.pa, self.fa["spans"], op[1], op[2]), _surface(
            self.pb, self.fb["spans"], op[3], op[4]
        )

    def show(self, op: Op) -> str:
        """'old words' → 'new words' (or just the words added or removed)."""
        a, b = self.surface(op)
        return f"'{a}' → '{b}'" if a and b else f"'{a or b}'"

    def widen(self, op: Op) -> Op:
        """The edit with one token of context on each side."""
        tag, i1, i2, j1, j2 = op
        la, lb = len(self.fa["canon"]), len(self.fb["canon"])
        return (tag, max(i1 - 1, 0), min(i2 + 1, la), max(j1 - 1, 0), min(j2 + 1, lb))


def edit_ops(ca: list[str], cb: list[str]) -> list[Op]:
    """Edit operations on canonical tokens; touching edits merge into one replace."""
    out: list[Op] = []
    for o in Levenshtein.opcodes(ca, cb):
        if o.tag == "equal":
            continue
        if out and out[-1][2] == o.src_start and out[-1][4] == o.dest_start:
            prev = out.pop()
            out.append(("replace", prev[1], o.src_end, prev[3], o.dest_end))
        else:
            out.append((o.tag, o.src_start, o.src_end, o.dest_start, o.dest_end))
    return out


def _surface(p: str, spans: list[list[int]], i: int, j: int) -> str:
    if i >= j or not spans:
        return ""
    return p[spans[i][0] : spans[min(j, len(spans)) - 1][1]]
