"""Main text -> claims: the sentences that say something about the topic."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from functools import cached_property
from typing import Any

from claimwatch.differ.facets import analyse, analyse_with_norm, norm_of
from claimwatch.differ.model import Claim
from claimwatch.differ.text import (
    FIGURE,
    hash_norm,
    plain,
    split_blocks,
    split_sentences,
    strip_markers,
)
from claimwatch.differ.topic import Topic

_ANAPHOR = re.compile(
    r"^(?:it|its|this|these|that|those|they|their|such|both|each|the (?:move|deal|agreement|"
    r"relationship|partnership|alliance|cooperation|collaboration|support|assistance|exchange|"
    r"arrangement|pact|treaty|shift|union|bloc|two|contract))\b",
    re.I,
)
# a relation named through a determiner anywhere in the sentence: "the evolving partnership",
# "these shipments", "NATO described the agreement as ..."
_RELATION = (
    r"(?:partnership|alliance|agreement|deal|treaty|pact|relationship|relations|ties|"
    r"cooperation|collaboration|union|bloc|axis|deployment|transfers?|shipments?|deliveries|"
    r"exchanges?|arrangements?|summit|talks|rapprochement|contracts?)"
)
_LINK = re.compile(
    rf"\b(?:the|this|these|those|such|that|its|their|both sides'|bilateral|no)\s+"
    rf"(?:[\w-]+\s+){{0,2}}?{_RELATION}\b|^(?:ties|relations|cooperation)\b",
    re.I,
)
# an anaphor behind a short reported-speech frame ("Officials say it will open in 2026"): a
# link only when the sentence carries a figure or date, a fact the reader can check
_FRAMED_ANAPHOR = re.compile(
    r"^(?:[\w'-]+\s+){1,4}(?:say|says|said|added|told\s+\w+)(?:\s+that)?\s+"
    r"(?:it|they|the (?:deal|agreement|contract|project|plan))\b(?=.*\d)",
    re.I,
)
# a data-table row as the extractor writes it: "Angara | Vostochny → Nampo | June 2024 | Flour"
_ROW = re.compile(r"^[^|]+(?: \| [^|]+){2,}$")
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$")


class _Sentence:
    """One sentence and what the claim rules ask of it; each test runs only when asked."""

    def __init__(self, text: str, block: int, topic: Topic) -> None:
        self.text, self.block, self.topic = text, block, topic
        self.p = strip_markers(plain(text))
        self.named = _named(self.p, topic)
        self.actor = any(topic.is_actor(e) for e in self.named)  # names a party

    @cached_property
    def place(self) -> bool:
        """Names a place that stands for a party (a port), and no party."""
        return not self.actor and any(self.topic.is_relevant(e) for e in self.named)

    @cached_property
    def reference(self) -> bool:
        ref = self.topic.reference_re
        return bool(ref and ref.search(self.p))

    @cached_property
    def link(self) -> bool:
        """Refers back to a relation ("the deal", "this shift")."""
        p = self.p
        return bool(_ANAPHOR.match(p) or _LINK.search(p) or _FRAMED_ANAPHOR.match(p))

    @cached_property
    def cue(self) -> str | None:
        return self.topic.cue(self.p)

    @cached_property
    def noise(self) -> bool:
        return any(n.search(self.p) for n in self.topic.noise)

    @cached_property
    def offtopic(self) -> bool:
        return not self.actor and any(n.search(self.p) for n in self.topic.offtopic)

    @cached_property
    def heading(self) -> bool:
        return _is_heading(self.p)

    @cached_property
    def row(self) -> bool:
        """A data-table row."""
        return bool(_ROW.match(self.p))


def extract_claims(text: str, topic: Topic, *, lazy: bool = False) -> list[Claim]:
    """Claims in reading order; ``position`` is the index in the returned list.

    ``lazy`` leaves the facets thin (category, and the texts of the plain sentences beside the
    claim): a first version is only compared by text and hash, so its facets are computed by
    :func:`complete_facets` when a later version needs them, for the few claims that did not
    stay the same.
    """
    sentences = _sentences(text, topic)
    mentions = sum(1 for s in sentences if s.actor)
    on_topic = mentions >= max(topic.min_actor_mentions, 1)
    claims: list[Claim] = []
    for k, s in enumerate(sentences):
        if not _is_claim(s, on_topic, topic.cues.weak):
            continue
        category = s.cue or "general"
        if lazy:
            facets, norm = {}, norm_of(s.text)
        else:
            facets, norm = analyse_with_norm(s.text, topic)
        facets["category"] = category
        for part, step in _PARTS:  # the plain sentences beside the claim, if any
            near = _plain_neighbour(sentences, k, step, on_topic, topic.cues.weak)
            if near is not None:
                facets[part] = (
                    {"text": near.text} if lazy else dict(analyse(near.text, topic), text=near.text)
                )
        claims.append(
            Claim(
                text=s.text,
                position=len(claims),
                norm_hash=hash_norm(norm),
                category=category,
                facets=facets,
            )
        )
    return claims


def complete_facets(claims: Iterable[Claim], topic: Topic) -> None:
    """Fill in the facets of claims extracted lazily (or stored thin), in place."""
    for c in claims:
        if "canon" not in c.facets:
            c.facets.update(analyse(c.text, topic))
        for part, _ in _PARTS:
            near = c.facets.get(part)
            if near is not None and "canon" not in near:
                near.update(analyse(near["text"], topic))


def thin_facets(facets: dict[str, Any]) -> dict[str, Any]:
    """The part of a claim's facets that cannot be recomputed from its text alone."""
    out: dict[str, Any] = {"category": facets.get("category", "general")}
    for part, _ in _PARTS:
        near = facets.get(part)
        if near is not None:
            out[part] = {"text": near["text"]}
    return out


# "tail": the plain sentence after a claim; "head": the one before it
_PARTS = (("tail", 1), ("head", -1))


def _plain_neighbour(
    sentences: list[_Sentence], k: int, step: int, on_topic: bool, weak: Collection[str]
) -> _Sentence | None:
    """The next (``step`` 1) or previous (-1) sentence of the same paragraph when it is no
    claim itself: kept so that a claim split into a claim and a plain sentence (or merged with
    one) is recognised."""
    if not 0 <= k + step < len(sentences):
        return None
    near = sentences[k + step]
    if near.block != sentences[k].block or near.heading or near.noise:
        return None
    return None if _is_claim(near, on_topic, weak) else near


def _sentences(text: str, topic: Topic) -> list[_Sentence]:
    return [
        _Sentence(sent, b, topic)
        for b, block in enumerate(split_blocks(text))
        for sent in split_sentences(block)
    ]


def _is_heading(p: str) -> bool:
    """No closing punctuation and short, or in title case: a heading, not a sentence."""
    words = p.split()
    if _TERMINAL.search(p) or (p.endswith(":") and len(words) >= 5):
        return False
    if len(words) < 5 or len(words) > 60:
        return True
    long_words = [w for w in words[1:] if len(w) > 3]
    capitals = sum(1 for w in long_words if w[:1].isupper())
    return capitals >= 0.6 * len(long_words)


def _named(p: str, topic: Topic) -> list[str]:
    """Ids of the actors and entities a sentence names."""
    if topic.alias_re is None:
        return []
    return [topic.alias_ids[m.group(0)] for m in topic.alias_re.finditer(p)]


def _is_claim(s: _Sentence, on_topic: bool, weak: Collection[str]) -> bool:
    """A sentence naming an actor, or, in an article about the topic, one that refers back to
    the topic, uses its relation vocabulary (a broad, "weak" cue needs an anaphor too:
    "This shift ..."), or states a figure or a date. Where the sentence stands does not
    matter: a sentence moved to another paragraph stays what it was."""
    if s.row:  # a table row states a fact when it names a party or a place of one, or, in
        # an article about the topic, when it is a row of data (figures in two cells or more;
        # "Annual report | PDF | 2 MB" is a download link)
        figures = sum(1 for cell in s.p.split(" | ") if FIGURE.search(cell))
        return (s.actor or s.place or (on_topic and figures >= 2)) and not s.noise
    words = len(s.text.split())
    if s.heading or s.text.endswith("?") or words < 4:
        return False
    if s.noise:
        return False
    if s.actor:
        return True
    if not on_topic:
        return False
    if s.reference:
        return True
    if s.offtopic and not s.link:
        return False
    # a place that stands for a party (a port) makes a weak cue enough: "ships anchored off
    # Nampo"; local news there ("a jazz festival in Vladivostok") falls to the off-topic shapes
    if s.cue is not None and (s.cue not in weak or s.link or s.place):
        return True
    # In an article about the topic, a sentence that states a figure or a date says something
    # checkable about it even when it names no party ("The line now runs twice a week.")
    return bool(FIGURE.search(s.p))
