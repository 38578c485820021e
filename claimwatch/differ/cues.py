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
    # "air force": (first word, lower-case, or "" when it is a wildcard; pattern; rank)
    phrases: list[tuple[str, re.Pattern[str], int]] = field(default_factory=list)
    weak: set[str] = field(default_factory=set)  # categories too broad to make a claim alone
    _ranks: dict[str, int] = field(default_factory=dict, repr=False, compare=False)  # memo

    def add(self, category: str, words: list[str]) -> None:
        """Register the cue words of the next category (lower rank = preferred)."""
        rank = len(self.categories)
        self.categories.append(category)
        self._ranks.clear()
        for w in words:
            if " " in w:
                pat = re.escape(w).replace(r"\*", r"\w*")
                flags = 0 if _is_acronym(w) else re.I
                first = w.split()[0].lower()
                first = "" if "*" in first else first
                self.phrases.append((first, re.compile(rf"(?<!\w){pat}(?!\w)", flags), rank))
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
        seen: set[str] = set()
        for token in _WORD.findall(text):
            for word in (token, *token.split("-")) if "-" in token else (token,):
                seen.add(word.lower())
                best = min(best, self._rank(word))
            if best == 0:
                return self.categories[0]
        for first, rx, rank in self.phrases:  # only phrases whose first word is there
            if rank < best and (not first or first in seen) and rx.search(text):
                best = rank
        return self.categories[best] if best < len(self.categories) else None

    def _rank(self, word: str) -> int:
        rank = self._ranks.get(word)
        if rank is None:
            if len(self._ranks) > 100_000:  # bounded: a page of odd tokens cannot grow it forever
                self._ranks.clear()
            rank = self._ranks[word] = self._rank_of(word)
        return rank

    def _rank_of(self, word: str) -> int:
        low = word.lower()
        ranks = [self.exact.get(low, 99), self.acronyms.get(word, 99)]
        for stem, rank in self.prefixes.get(low[:3], ()):
            if low.startswith(stem):
                ranks.append(rank)
        return min(ranks)


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)
