"""The topic definition (TOML text) compiled into matchers: actors, references, cues, noise."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

from claimwatch.differ.cues import CueIndex
from claimwatch.differ.text import plain


@dataclass
class Topic:
    """A compiled topic: who the parties are, how they are named, what a relation sounds like."""

    name: str
    min_actor_mentions: int
    labels: dict[str, str]  # entity id -> display label
    sides: dict[str, str]  # topic actor id -> side (actors of one side are one party)
    alias_re: re.Pattern[str] | None
    alias_ids: dict[str, str]  # alias as written -> entity id
    reference_re: re.Pattern[str] | None
    cues: CueIndex
    noise: list[Matcher] = field(default_factory=list)
    # off-topic shapes (market news, a third party's internal matter): not claims unless the
    # sentence names an actor or refers to the topic
    offtopic: list[Matcher] = field(default_factory=list)
    # places that stand for one party ("Nampo" is a North Korean port): id -> side
    places: dict[str, str] = field(default_factory=dict)

    def cue(self, text: str) -> str | None:
        """The highest-ranked cue category found in ``text`` (plain text), if any."""
        return self.cues.find(text)

    def is_actor(self, entity_id: str) -> bool:
        """True for the topic's own parties (not other named entities)."""
        return entity_id in self.sides

    def is_relevant(self, entity_id: str) -> bool:
        """True for the topic's parties and the places that stand for one of them."""
        return entity_id in self.sides or entity_id in self.places


def load_topic(toml_text: str) -> Topic:
    """Parse and compile a topic definition; bad data raises ``ValueError("key 'x': ...")``."""
    try:
        data = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"key '(document)': not valid TOML ({exc})") from exc
    head = _table(data, "topic", required=False)
    name = _str(head, "name", "topic.name", default="topic")
    min_mentions = head.get("min_actor_mentions", 2)
    if not isinstance(min_mentions, int) or isinstance(min_mentions, bool) or min_mentions < 0:
        raise ValueError("key 'topic.min_actor_mentions': a non-negative integer is allowed")
    labels: dict[str, str] = {}
    sides: dict[str, str] = {}
    places: dict[str, str] = {}
    alias_ids: dict[str, str] = {}
    actors = _table(data, "actors", required=True)
    if not actors:
        raise ValueError("key 'actors': at least one actor table is required")
    sections = (
        ("actors", actors),
        ("places", _table(data, "places", False)),
        ("entities", _table(data, "entities", False)),
    )
    for key, section in sections:
        for ent_id, spec in section.items():
            path = f"{key}.{ent_id}"
            if not isinstance(spec, dict):
                raise ValueError(f"key '{path}': a table with label and aliases is allowed")
            labels[ent_id] = _str(spec, "label", f"{path}.label", default=ent_id)
            if key == "actors":
                sides[ent_id] = _str(spec, "side", f"{path}.side", default=ent_id)
            elif key == "places":
                places[ent_id] = _str(spec, "side", f"{path}.side", default="")
                if places[ent_id] not in sides.values():
                    raise ValueError(f"key '{path}.side': the side of a defined actor is allowed")
            for alias in _str_list(spec, "aliases", f"{path}.aliases", required=True):
                alias_ids.setdefault(_strip_the(plain(alias)), ent_id)
    refs = _str_list(_table(data, "references", False), "phrases", "references.phrases")
    return Topic(
        name=name,
        min_actor_mentions=min_mentions,
        labels=labels,
        sides=sides,
        alias_re=_alias_regex(alias_ids),
        alias_ids=alias_ids,
        reference_re=_phrase_regex([plain(r) for r in refs], flags=re.I),
        cues=_cues(_table(data, "cues", False)),
        noise=_noise(_table(data, "noise", False), "patterns"),
        offtopic=_noise(_table(data, "noise", False), "unless_topic"),
        places=places,
    )


def _table(data: dict[str, Any], key: str, required: bool) -> dict[str, Any]:
    val = data.get(key)
    if val is None:
        if required:
            raise ValueError(f"key '{key}': a table is required")
        return {}
    if not isinstance(val, dict):
        raise ValueError(f"key '{key}': a table is allowed")
    return val


def _str(spec: dict[str, Any], key: str, path: str, default: str) -> str:
    val = spec.get(key, default)
    if not isinstance(val, str) or not val.strip():
        raise ValueError(f"key '{path}': a non-empty string is allowed")
    return val


def _str_list(spec: dict[str, Any], key: str, path: str, required: bool = False) -> list[str]:
    val = spec.get(key)
    if val is None and not required:
        return []
    if not isinstance(val, list) or not all(isinstance(v, str) and v.strip() for v in val):
        raise ValueError(f"key '{path}': a list of non-empty strings is allowed")
    if required and not val:
        raise ValueError(f"key '{path}': a list of non-empty strings is allowed")
    return val


def _strip_the(alias: str) -> str:
    if alias.lower().startswith("the ") and alias[4:5].isupper():
        return alias[4:]
    return alias


def _alias_regex(alias_ids: dict[str, str]) -> re.Pattern[str] | None:
    if not alias_ids:
        return None
    parts = []
    for alias in sorted(alias_ids, key=len, reverse=True):
        pat = re.escape(alias)
        if len(alias) <= 3:
            pat += r"(?!\s+[A-Z][a-z])"  # "Kim" but not "Kim Tok Hun" when unlisted
        parts.append(pat)
    return re.compile(r"(?<![\w@])(?:" + "|".join(parts) + r")(?![\w])")


def _phrase_regex(phrases: list[str], flags: int = 0) -> re.Pattern[str] | None:
    if not phrases:
        return None
    parts = []
    for p in sorted(set(phrases), key=len, reverse=True):
        pat = re.escape(p).replace(r"\*", r"\w*")
        parts.append(pat)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", flags)


def _cues(section: dict[str, Any]) -> CueIndex:
    order = _str_list(section, "order", "cues.order")
    weak = _str_list(section, "weak", "cues.weak")
    cats = [k for k in section if k not in ("order", "weak")]
    for cat in cats:
        if not isinstance(section[cat], dict):
            raise ValueError(f"key 'cues.{cat}': a table with a 'words' list is allowed")
    unknown = [c for c in order + weak if c not in cats]
    if unknown:
        raise ValueError(f"key 'cues': only defined categories are allowed ({unknown[0]})")
    index = CueIndex(weak=set(weak))
    for cat in order + [c for c in cats if c not in order]:
        index.add(cat, [plain(w) for w in _str_list(section[cat], "words", f"cues.{cat}.words")])
    return index


def _noise(section: dict[str, Any], key: str) -> list[Matcher]:
    """At most two alternations (lower-case patterns, the rest), after checking each pattern."""
    pats = _str_list(section, key, f"noise.{key}")
    for i, pat in enumerate(pats):
        try:
            re.compile(pat, re.I)
        except re.error as exc:
            raise ValueError(f"key 'noise.{key}[{i}]': a valid regular expression ({exc})") from exc
    # lower-case patterns are searched in lower-cased text (fast); the rest with re.I
    lower = [p for p in pats if p == p.lower()]  # no upper-case letter: no \W, \S, [A-Z]
    mixed = [p for p in pats if p != p.lower()]
    out: list[Matcher] = []
    if lower:
        out.append(CaseFolded(re.compile(_alternation(lower))))
    if mixed:
        out.append(re.compile(_alternation(mixed), re.I))
    return out


def _alternation(pats: list[str]) -> str:
    """All patterns as one regex; those opening with a word boundary share it (tested once per
    position instead of once per pattern)."""
    bounded = [p.startswith("\\b") and not _top_level_bar(p) for p in pats]
    shared = [p[2:] for p, b in zip(pats, bounded, strict=True) if b]
    parts = [f"(?:{p})" for p, b in zip(pats, bounded, strict=True) if not b]
    if shared:
        parts.insert(0, r"\b(?:" + "|".join(f"(?:{p})" for p in shared) + ")")
    return "|".join(parts)


class CaseFolded:
    """A lower-case pattern searched in lower-cased text: the same matches as ``re.I`` for the
    noise tests (a yes or no), about three times faster on long alternations."""

    def __init__(self, rx: re.Pattern[str]) -> None:
        self.rx, self.pattern = rx, rx.pattern

    def search(self, text: str) -> re.Match[str] | None:
        """Like ``re.Pattern.search`` with ``re.I`` (the match is on the lower-cased text)."""
        return self.rx.search(text.lower())


def _top_level_bar(pattern: str) -> bool:
    """True when ``pattern`` has an alternation outside any group ("a|b")."""
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
        i += 1
    return False


Matcher = re.Pattern[str] | CaseFolded  # what Topic.noise / Topic.offtopic hold
