"""Pure claim logic: main text -> claims, and claims x claims -> changes.

No I/O and no imports from the rest of claimwatch: everything here is tested with plain
strings. (Minimal stand-in implementation; the full differ replaces it.)
"""

from __future__ import annotations

import difflib
import hashlib
import re
import tomllib
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from claimwatch.differ.model import Change, Claim

__all__ = ["Change", "Claim", "Topic", "diff_claims", "extract_claims", "inline_diff",
           "load_topic", "normalise"]


@dataclass(frozen=True)
class Topic:
    actors: tuple[str, ...]


def load_topic(text: str) -> Topic:
    data = tomllib.loads(text) if text.strip() else {}
    actors = data.get("actors", {})
    names = [a for v in actors.values() for a in v.get("aliases", [])] if actors else []
    return Topic(tuple(n.lower() for n in names) or ("russia", "north korea", "moscow", "pyongyang"))


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def extract_claims(text: str, topic: Topic) -> list[Claim]:
    out: list[Claim] = []
    for block in text.split("\n\n"):
        for sent in re.split(r"(?<=[.!?])\s+(?=[A-Z])", block):
            if any(a in sent.lower() for a in topic.actors):
                h = hashlib.blake2b(normalise(sent).encode(), digest_size=8).hexdigest()
                out.append(Claim(sent, len(out), h, "general", {}))
    return out


def diff_claims(old: Sequence[Claim], new: Sequence[Claim], *,
                removed_before: Collection[str] = ()) -> list[Change]:
    old_h = {c.norm_hash for c in old}
    new_h = {c.norm_hash for c in new}
    gone = [c for c in old if c.norm_hash not in new_h]
    came = [c for c in new if c.norm_hash not in old_h]
    out: list[Change] = []
    for c in came:
        match = max(gone, key=lambda o: difflib.SequenceMatcher(None, o.text, c.text).ratio(),
                    default=None)
        if match and difflib.SequenceMatcher(None, match.text, c.text).ratio() > 0.6:
            gone.remove(match)
            out.append(Change("changed", match, c, True, "changed"))
        elif c.norm_hash in removed_before:
            out.append(Change("added", None, c, False, "restored: seen in an earlier version"))
        else:
            out.append(Change("added", None, c, True, "added claim"))
    out += [Change("removed", c, None, True, "removed claim") for c in gone]
    return out


def inline_diff(old: str, new: str) -> list[tuple[str, str]]:
    a, b = old.split(" "), new.split(" ")
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        if tag == "equal":
            ops.append(("equal", " ".join(a[i1:i2]) + " "))
        else:
            if i2 > i1:
                ops.append(("delete", " ".join(a[i1:i2]) + " "))
            if j2 > j1:
                ops.append(("insert", " ".join(b[j1:j2]) + " "))
    return ops
