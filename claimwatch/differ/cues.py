"""Relation cues by category, matched word by word (one pass over a sentence's words)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_WORD = re.compile(r"[^\W_][\w']*(?:-[\w']+)*")


@dataclass
class CueIndex:
    """Cue words of every category; the best-ranked category found in a text wins."""

    categories: list[str] = field(default_factory=list)
    exact: dict[str, int] = field(default_factory=dict)  # lower-case word -> rank
    acronyms: dict[str, int] = field(default_factory=dict)  # "UN", "KN-23" (case kept)
    prefixes: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # "defen*"
    phrases: list[tuple[re.Pattern[str], int]] = field(default_factory=list)  # "air force"
    weak: set[str] = field(default_factory=set)  # categories too broad to make a claim alone

    def add(self, category: str, words: list[str]) -> None:
        """Register the cue words of the next category (lower rank = preferred)."""
        rank = len(self.categories)
        self.categories.append(category)
        for w in words:
            if " " in w:
                pat = re.escape(w).replace(r"\*", r"\w*")
                flags = 0 if _is_acronym(w) else re.I
                self.phrases.append((re.compile(rf"(?<!\w){pat}(?!\w)", flags), rank))
            elif _is_acronym(w):
                self.acronyms.setdefault(w, rank)
            elif w.endswith("*"):
                stem = w[:-1].lower()
                self.prefixes.setdefault(stem[:3], []).append((stem, rank))
            else:
                self.exact.setdefault(w.lower(), rank)

    def find(self, text: str) -> str | None:
        """The preferred category among the cues ``text`` contains, or None."""
        best = len(self.categories)
        for token in _WORD.findall(text):
            for word in (token, *token.split("-")) if "-" in token else (token,):
                best = min(best, self._rank(word))
            if best == 0:
                return self.categories[0]
        for rx, rank in self.phrases:
            if rank < best and rx.search(text):
                best = rank
        return self.categories[best] if best < len(self.categories) else None

    def _rank(self, word: str) -> int:
        low = word.lower()
        ranks = [self.exact.get(low, 99), self.acronyms.get(word, 99)]
        for stem, rank in self.prefixes.get(low[:3], ()):
            if low.startswith(stem):
                ranks.append(rank)
        return min(ranks)


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)
