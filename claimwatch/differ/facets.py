"""Facets of one sentence: canonical tokens, numbers, dates, entities, hedges, negation."""

from __future__ import annotations

import re
from typing import Any

from claimwatch.differ.lexicon import (
    ASSERTIVE_REPORTED,
    ATTRIBUTION_PHRASES,
    ATTRIBUTION_VERBS,
    EVIDENTIAL,
    MODAL,
    MODAL_PHRASES,
    NEGATING_PHRASES,
    NEGATORS,
    NOT_NEGATING,
    TRAILING_SPEECH,
)
from claimwatch.differ.text import Token, plain, tokenize
from claimwatch.differ.topic import Topic

_MONTH = re.compile(r"m\d\d$")
_NUMBER = re.compile(r"\d")
# capitalised words that are not names when they open a clause
_CLAUSE_OPENERS = re.compile(r"[:;\"'(]$")


def is_number(canon: str) -> bool:
    """True for number tokens (digits) and month tokens (m01..m12)."""
    return bool(_NUMBER.match(canon)) or bool(_MONTH.match(canon))


def analyse(text: str, topic: Topic) -> dict[str, Any]:
    """Facets of one sentence (JSON-serialisable); spans index into ``plain(text)``."""
    return analyse_with_norm(text, topic)[0]


def norm_of(text: str) -> str:
    """The normalised text :func:`analyse_with_norm` returns, without the facets."""
    return " ".join(t.canon for t in tokenize(plain(text)) if t.kind != "punct")


def analyse_with_norm(text: str, topic: Topic) -> tuple[dict[str, Any], str]:
    """Facets, and :func:`normalise` of the text from the same tokens (saves a second pass)."""
    p = plain(text)
    raw = tokenize(p)
    norm = " ".join(t.canon for t in raw if t.kind != "punct")
    toks = [t for t in _mark_aliases(raw, p, topic) if t.kind != "punct" or t.canon == ":"]
    entities = _entities(toks, p)
    alias_starts = {t.start for t in toks if t.kind == "actor"}
    toks = _drop_articles([t for t in toks if t.kind != "punct"])
    canon = [t.canon for t in toks]
    ent_pos = _entity_positions(entities, toks)
    facets = {
        "canon": canon,
        "spans": [[t.start, t.end] for t in toks],
        "numbers": [p[t.start : t.end] for t in toks if t.kind == "number"],
        "dates": [p[t.start : t.end] for t in toks if t.kind == "month"],
        "actors": _unique(e for e, _ in ent_pos if topic.is_actor(e)),
        "entities": ent_pos,
        "names": _unique(
            e for e, start in entities if start not in alias_starts or e in topic.places
        ),
        "hedges": _hedges_with_source(canon, p),
        "negations": negations(canon),
    }
    return facets, norm


# "..., Ukrainian intelligence claims." / "..., the agency reports.": a source closing the
# sentence with a word that could also be a noun ("claims", "reports")
_CLOSING_SOURCE = re.compile(
    r",\s+(?!(?:according|and|but|or|which|who|whose|while|including|with)\b)"
    r"(?:[\w'-]+\s+){1,5}(claims|reports|estimates|notes|suggests)"
    r"[.!]?[\"']?$",
    re.I,
)


def _hedges_with_source(canon: list[str], p: str) -> dict[str, list[str]]:
    """:func:`hedges`, plus a source named at the very end of the sentence."""
    out = hedges(canon)
    m = _CLOSING_SOURCE.search(p) if p.endswith((".", "!", '"', "'")) else None
    if m and m.group(1).lower() not in out["attribution"] + out["modal"]:
        out["attribution"].append(m.group(1).lower())
    return out


def _drop_articles(toks: list[Token]) -> list[Token]:
    """ "the DPRK" == "North Korea": an article before a named actor carries no meaning."""
    return [
        t
        for i, t in enumerate(toks)
        if not (t.canon == "the" and i + 1 < len(toks) and toks[i + 1].kind == "actor")
    ]


def _mark_aliases(toks: list[Token], p: str, topic: Topic) -> list[Token]:
    if topic.alias_re is None:
        return toks
    spans = [(m.start(), m.end(), topic.alias_ids[m.group(0)]) for m in topic.alias_re.finditer(p)]
    if not spans:
        return toks
    out: list[Token] = []
    k = 0
    for s, e, ent in spans:
        while k < len(toks) and toks[k].end <= s:
            out.append(toks[k])
            k += 1
        inside = False
        while k < len(toks) and toks[k].start < e:
            inside = True
            k += 1
        if inside:
            out.append(Token("@" + ent, s, e, "actor"))
    out.extend(toks[k:])
    return out


def _entities(toks: list[Token], p: str) -> list[tuple[str, int]]:
    """Named entities in order: alias-matched ids, then runs of capitalised words (a word that
    opens the sentence or a clause only counts when a capitalised word follows it)."""
    out: list[tuple[str, int]] = []
    run: list[Token] = []
    words = [t for t in toks if t.kind != "punct"]
    # a table row ("Kola | Nakhodka → Chongjin | Wheat") has no sentence opener: cells are names
    first = words[0] if words and " | " not in p else None
    held: Token | None = None  # a capitalised clause opener, waiting for the next word
    prev_surface = ""
    for t in toks:
        surface = p[t.start : t.end]
        capital = t.kind == "word" and surface[:1].isupper() and surface != "I"
        if run and t.kind == "word" and p[t.start - 1 : t.start] == "-":
            capital = True  # "Pak Thae-song": a hyphenated name part stays in the name
        if capital and not run and (t is first or _CLAUSE_OPENERS.search(prev_surface)):
            held = None if surface.lower() in FUNCTION_WORDS else t
        elif capital:
            if held is not None and not run:
                run.append(held)
            run.append(t)
            held = None
        else:
            held = None
            _close(run, out, p)
            if t.kind == "actor":
                out.append((t.canon[1:], t.start))
        prev_surface = surface
    _close(run, out, p)
    return out


# sentence openers that never start a name ("The Rosatom board": the name is "Rosatom")
FUNCTION_WORDS = {
    "the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our",
    "in", "on", "at", "by", "for", "from", "with", "to", "of", "after", "before", "during",
    "since", "when", "while", "if", "as", "but", "and", "or", "yet", "so", "although", "though",
    "despite", "under", "over", "some", "many", "most", "several", "both", "all", "each", "every",
    "it", "he", "she", "they", "we", "there", "however", "meanwhile", "still", "also",
}  # fmt: skip

# titles and ranks: "Deputy Prime Minister" alone names nobody
TITLES = {
    "president", "vice", "prime", "minister", "ministers", "deputy", "first", "foreign", "defence",
    "defense", "secretary", "general", "chairman", "chairwoman", "chair", "premier", "leader",
    "ambassador", "envoy", "spokesman", "spokeswoman", "spokesperson", "senior", "state", "mr",
    "mrs", "ms", "dr", "sir", "gen", "col", "adm", "marshal", "commander", "chief", "head",
    "governor", "mayor", "king", "queen", "prince", "supreme", "acting", "former", "interior",
    "finance", "trade", "economy", "labour", "labor", "transport", "director", "officer",
    "lieutenant", "colonel", "admiral", "major", "captain", "sergeant", "the", "of", "and",
}  # fmt: skip


def _close(run: list[Token], out: list[tuple[str, int]], p: str) -> None:
    if run:
        name = " ".join(p[t.start : t.end] for t in run).lower()
        if not set(name.split()) <= TITLES:
            out.append((name, run[0].start))
        run.clear()


def _entity_positions(entities: list[tuple[str, int]], toks: list[Token]) -> list[list[Any]]:
    starts = {t.start: i for i, t in enumerate(toks)}
    return [[e, starts.get(s, 0)] for e, s in entities]


def _unique(items: Any) -> list[str]:
    seen: list[str] = []
    for it in items:
        if it not in seen:
            seen.append(it)
    return seen


def _has_phrase(canon: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    return tuple(canon[i : i + len(phrase)]) == phrase


def _index(phrases: list[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for ph in phrases:
        out.setdefault(ph[0], []).append(ph)
    return out


_NOT_NEG = _index(NOT_NEGATING)
_NEG_PH = _index(NEGATING_PHRASES)
_ATTR_PH = _index(ATTRIBUTION_PHRASES)
_MODAL_PH = _index(MODAL_PHRASES)
_MARKER_WORDS = (
    set(_ATTR_PH)
    | set(_MODAL_PH)
    | MODAL
    | EVIDENTIAL
    | ATTRIBUTION_VERBS
    | ASSERTIVE_REPORTED
    | TRAILING_SPEECH
)


def _starts(canon: list[str], i: int, index: dict[str, list[tuple[str, ...]]]) -> bool:
    return any(_has_phrase(canon, i, ph) for ph in index.get(canon[i], ()))


def negations(canon: list[str]) -> int:
    """How many negations the sentence makes ("has yet to" counts as "has not yet")."""
    n = 0
    for i, w in enumerate(canon):
        if w in _NOT_NEG and _starts(canon, i, _NOT_NEG):
            n -= 1
        if w in NEGATORS:
            if w == "not" and i > 0 and canon[i - 1] == "not":
                continue
            n += 1
        elif w in _NEG_PH and _starts(canon, i, _NEG_PH) and not _not_yet(canon, i):
            n += 1
    return max(n, 0)


def _not_yet(canon: list[str], i: int) -> bool:
    """ "not yet to" is one negation, not two."""
    return canon[i] == "yet" and i > 0 and canon[i - 1] == "not"


def hedges(canon: list[str]) -> dict[str, list[str]]:
    """Hedging and attribution markers by class: modal, evidential, attribution, assertive."""
    out: dict[str, list[str]] = {"modal": [], "evidential": [], "attribution": [], "assertive": []}
    for i, w in enumerate(canon):
        if w not in _MARKER_WORDS:
            continue
        if w in _ATTR_PH and _starts(canon, i, _ATTR_PH) and _speaks(canon, i):
            out["attribution"].append(" ".join(canon[i : i + 2]))
        elif w in _MODAL_PH and _starts(canon, i, _MODAL_PH):
            out["modal"].append(" ".join(canon[i : i + 2]))
        elif w in MODAL and not _backshift(canon, i):
            out["modal"].append(w)
        elif w in EVIDENTIAL:
            out["evidential"].append(w)
        elif _source_verb(canon, i):
            out["attribution"].append(w)
        elif w in ASSERTIVE_REPORTED:
            out["assertive"].append(w)
    return out


def _speaks(canon: list[str], i: int) -> bool:
    """ "people familiar with the talks said": a source only when a speech verb follows
    ("pilots familiar with the jet" name no source)."""
    return canon[i] != "familiar" or any(w in _SPEECH for w in canon[i + 2 : i + 8])


_SPEECH = ATTRIBUTION_VERBS | TRAILING_SPEECH
_REPORTING = ATTRIBUTION_VERBS | {"announced", "promised", "pledged", "agreed", "vowed",
                                  "declared", "decided", "confirmed"}  # fmt: skip


def _backshift(canon: list[str], i: int) -> bool:
    """ "said it would supply": reported speech, not a hedge."""
    return canon[i] == "would" and any(w in _REPORTING for w in canon[max(0, i - 4) : i])


def _attributive(canon: list[str], i: int) -> bool:
    """A speech verb with a subject-like word before it ("officials say", "analysts note that")."""
    if i == 0:
        return False
    nxt = canon[i + 1] if i + 1 < len(canon) else ""
    prev = canon[i - 1]
    if prev in _DETERMINERS or prev in _NOT_PLURAL:
        return False  # "by most estimates", "the report", "was estimated": not a source speaking
    if canon[i] in ("say", "says") and prev not in _NOT_A_SPEAKER:
        return True  # "analysts at the Korea Maritime Institute say most of them ..."
    return nxt in ("that", "the", "it", "its", "a", "an") or prev.endswith("s") or nxt[:1] == "@"


# words before "say" that make it no speech by a source: "to say", "will say", "have a say"
_NOT_A_SPEAKER = {
    "to", "will", "would", "could", "can", "may", "might", "should", "must", "shall", "do",
    "does", "did", "not", "needless", "let", "we", "i", "you",
}  # fmt: skip


def _source_verb(canon: list[str], i: int) -> bool:
    """A speech verb with its source: "analysts say that ...", "..., the agency said"."""
    w = canon[i]
    if w in ATTRIBUTION_VERBS and i + 1 < len(canon) and canon[i + 1] == "by":
        return True  # passive voice keeps the source: "Moscow was warned by Seoul"
    if w in ATTRIBUTION_VERBS and w != "according" and _attributive(canon, i):
        return True
    return w in TRAILING_SPEECH and _trailing(canon, i)


_AFTER_SPEECH = {"on", "in", "last", "this", "earlier", "later", "today", "yesterday", "recently"}


def _trailing(canon: list[str], i: int) -> bool:
    """A speech verb closing the sentence after its source ("..., the agency said on Monday")."""
    rest = canon[i + 1 :]
    if i < 4 or canon[i - 1] in _DETERMINERS or canon[i - 1] in _AUXILIARIES:
        return False  # "according to reports", "as was reported": no source speaking
    if not rest:
        return True
    # "... said on Monday", "... said in a statement", "... told reporters"
    return len(rest) <= 4 and (rest[0] in _AFTER_SPEECH or canon[i] == "told")


_AUXILIARIES = {"was", "were", "is", "are", "be", "been", "being", "has", "have", "had", "not"}


_NOT_PLURAL = {"was", "is", "has", "does", "as", "its", "this", "thus", "less", "yes", "us"}
_DETERMINERS = {
    "the", "a", "an", "by", "most", "some", "these", "those", "their", "its", "his", "her", "our",
    "official", "initial", "early", "latest", "recent", "independent", "media", "news", "other",
    "such", "many", "several", "two", "both", "all", "any", "no", "of", "in", "to", "with",
}  # fmt: skip
