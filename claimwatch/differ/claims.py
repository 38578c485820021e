"""Main text -> claims: the sentences that say something about the topic."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from claimwatch.differ.facets import analyse, analyse_with_norm
from claimwatch.differ.model import Claim
from claimwatch.differ.text import hash_norm, plain, split_blocks, split_sentences, strip_markers
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


@dataclass
class _Sentence:
    text: str
    block: int
    actor: bool  # names a party
    place: bool  # names a place that stands for a party (a port), and no party
    reference: bool
    link: bool  # refers back to a relation ("the deal", "this shift")
    cue: str | None
    noise: bool
    offtopic: bool
    heading: bool
    row: bool  # a data-table row


def extract_claims(text: str, topic: Topic) -> list[Claim]:
    """Claims in reading order; ``position`` is the index in the returned list."""
    sentences = _sentences(text, topic)
    mentions = sum(1 for s in sentences if s.actor)
    on_topic = mentions >= max(topic.min_actor_mentions, 1)
    claims: list[Claim] = []
    for k, s in enumerate(sentences):
        if not _is_claim(s, on_topic, topic.cues.weak):
            continue
        facets, norm = analyse_with_norm(s.text, topic)
        category = s.cue or "general"
        facets["category"] = category
        tail = _tail(sentences, k, on_topic, topic.cues.weak)
        if tail is not None:
            facets["tail"] = dict(analyse(tail.text, topic), text=tail.text)
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


def _tail(
    sentences: list[_Sentence], k: int, on_topic: bool, weak: Collection[str]
) -> _Sentence | None:
    """The next sentence of the same paragraph when it is no claim itself: kept so that a claim
    split into a claim and a plain sentence (or merged with one) is recognised."""
    if k + 1 >= len(sentences):
        return None
    nxt = sentences[k + 1]
    if nxt.block != sentences[k].block or nxt.heading or nxt.noise:
        return None
    return None if _is_claim(nxt, on_topic, weak) else nxt


def _sentences(text: str, topic: Topic) -> list[_Sentence]:
    out: list[_Sentence] = []
    for b, block in enumerate(split_blocks(text)):
        for sent in split_sentences(block):
            p = strip_markers(plain(sent))
            named = _named(p, topic)
            actor = any(topic.is_actor(e) for e in named)
            out.append(
                _Sentence(
                    text=sent,
                    block=b,
                    actor=actor,
                    place=not actor and any(topic.is_relevant(e) for e in named),
                    reference=bool(topic.reference_re and topic.reference_re.search(p)),
                    link=bool(_ANAPHOR.match(p) or _LINK.search(p) or _FRAMED_ANAPHOR.match(p)),
                    cue=_cue(p, topic),
                    noise=any(n.search(p) for n in topic.noise),
                    offtopic=not actor and any(n.search(p) for n in topic.offtopic),
                    heading=_is_heading(p),
                    row=bool(_ROW.match(p)),
                )
            )
    return out


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


def _cue(p: str, topic: Topic) -> str | None:
    return topic.cue(p)


def _is_claim(s: _Sentence, on_topic: bool, weak: Collection[str]) -> bool:
    """A sentence naming an actor, or, in an article about the topic, one that refers back to
    the topic, or uses its relation vocabulary (a broad, "weak" cue needs an anaphor too:
    "This shift ..."). Where the sentence stands does not matter: a sentence moved to another
    paragraph stays what it was."""
    if s.row:  # a table row states a fact when it names a party or a place of one
        return (s.actor or s.place) and not s.noise
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
    return s.cue is not None and (s.cue not in weak or s.link or s.place)
