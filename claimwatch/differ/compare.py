"""One aligned pair of claims -> is the change significant, and why (a sentence a reader trusts)."""

from __future__ import annotations

import json
import string
from collections import Counter
from functools import lru_cache
from typing import Any

from deepdiff import DeepDiff
from rapidfuzz.distance import Levenshtein

from claimwatch.differ.facets import hedges, is_number, negations
from claimwatch.differ.lexicon import ANTONYMS, PHRASE_ANTONYM_INDEX, stem
from claimwatch.differ.model import Claim
from claimwatch.differ.pair import Op, Pair
from claimwatch.differ.roles import actor_change
from claimwatch.differ.text import normalise, plain

_DETAIL_KEYS = ("numbers", "dates", "actors", "hedges", "negations", "category")


def compare(old: Claim, new: Claim) -> tuple[bool, str, dict[str, Any]]:
    """Classify an aligned pair: (significant, reason, detail)."""
    fa, fb = old.facets, new.facets
    if not _complete(fa) or not _complete(fb):  # claims stored without facets
        same = normalise(old.text) == normalise(new.text)
        return not same, "minor: same text" if same else "changed (no facets to compare)", {}
    detail = facet_delta(fa, fb)
    if fa.get("canon", []) == fb.get("canon", []):
        return False, "minor: " + _cosmetic(old.text, new.text, fa, fb), detail
    pair = Pair.of(fa, fb, old.text, new.text)
    typo = _typo_only(pair)
    if typo:
        return False, f"minor: typo {typo}", detail
    checks = (_numbers, _polarity, _hedge, actor_change)
    reasons = [r for r in (check(pair) for check in checks) if r]
    if reasons:
        return True, "; ".join(reasons), detail
    return False, "minor: " + _minor_wording(pair), detail


_NEEDED = ("canon", "spans", "entities", "hedges", "negations")


def _complete(facets: dict[str, Any]) -> bool:
    return all(k in facets for k in _NEEDED)


def facet_delta(fa: dict[str, Any], fb: dict[str, Any]) -> dict[str, Any]:
    """Plain-JSON delta of the reader-facing facets (deepdiff only when they differ)."""
    keys = [k for k in _DETAIL_KEYS if fa.get(k) != fb.get(k)]
    out: dict[str, Any] = {}
    if keys:  # deepdiff only over the facets that differ: it costs ~0.4 ms a call
        a = {k: fa.get(k) for k in keys}
        b = {k: fb.get(k) for k in keys}
        out = json.loads(DeepDiff(a, b).to_json())
    ea = {e for e, _ in fa.get("entities", [])}
    eb = {e for e, _ in fb.get("entities", [])}
    if ea != eb:
        out["entities"] = {"removed": sorted(ea - eb), "added": sorted(eb - ea)}
    return out


# ---------------------------------------------------------------- numbers and dates


def _numbers(pair: Pair) -> str | None:
    na, nb = _number_bag(pair.fa["canon"]), _number_bag(pair.fb["canon"])
    if na == nb:
        return None
    touched = [op for op in pair.ops if any(_is_date_word(w) for w in pair.old(op) + pair.new(op))]
    label = "date" if any(w[0] in "md" for w in (na - nb) + (nb - na)) else "number"
    if not touched:
        return f"{label} changed"
    return f"{label}: " + "; ".join(_show_numbers(pair, op) for op in touched[:2])


_DATE_WORDS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "spring",
    "summer", "autumn", "winter", "yesterday", "today", "tomorrow", "tonight",
}  # fmt: skip
_RELATIVE = {"last", "next", "this", "previous", "coming", "past"}
_PERIODS = {"week", "month", "year", "decade", "weekend", "quarter", "century"}


def _number_bag(canon: list[str]) -> Counter[str]:
    """Numbers, months and date words ("summer", "last year"); "both" counts as two."""
    bag: Counter[str] = Counter()
    for i, w in enumerate(canon):
        if w == "both":
            bag["2"] += 1
        elif is_number(w):
            bag[w] += 1
        elif w in _DATE_WORDS:
            bag["d:" + w] += 1
        elif w in _RELATIVE and i + 1 < len(canon) and canon[i + 1] in _PERIODS:
            bag[f"d:{w} {canon[i + 1]}"] += 1
        elif w in _QUALIFIERS and _qualifies_date(canon, i):
            bag["d:" + _QUALIFIERS[w]] += 1
    return bag


# "mid-2026" -> "late 2026", "the end of the year" -> "spring": a part of a period changed
# ("the end of 2026" == "late 2026", "year-end" == "the end of the year")
_QUALIFIERS = {
    "early": "early", "beginning": "early", "start": "early", "mid": "mid", "middle": "mid",
    "late": "late", "end": "late",
}  # fmt: skip
_OF = {"of", "the", "this", "next", "last", "that"}
_PERIOD_WORDS = _DATE_WORDS | _PERIODS


def _qualifies_date(canon: list[str], i: int) -> bool:
    """The qualifier is followed by a date: "late 2026", "end of the year" ("first half" is
    an ordinal already); a noun needs its "of" ("will start next week" names no period)."""
    w = canon[i]
    if w in ("end", "start") and i > 0 and canon[i - 1] in _PERIODS:
        return True  # "year-end", "month-start"
    if w in ("beginning", "start", "end", "middle") and canon[i + 1 : i + 2] != ["of"]:
        return False
    j = i + 1
    while j < len(canon) and j <= i + 3 and canon[j] in _OF:
        j += 1
    return j < len(canon) and (is_number(canon[j]) or canon[j] in _PERIOD_WORDS)


def _is_date_word(w: str) -> bool:
    return is_number(w) or w in _DATE_WORDS or w in _RELATIVE or w in _QUALIFIERS


def _show_numbers(pair: Pair, op: Op) -> str:
    def side(f: dict[str, Any], p: str, i: int, j: int) -> str:
        spans, canon = f["spans"], f["canon"]
        return " ".join(
            p[spans[k][0] : spans[k][1]] for k in range(i, j) if _is_date_word(canon[k])
        )

    a = side(pair.fa, pair.pa, op[1], op[2])
    b = side(pair.fb, pair.pb, op[3], op[4])
    return f"{a or '(none)'} → {b or '(none)'}"


# ---------------------------------------------------------------- polarity


def _polarity(pair: Pair) -> str | None:
    antonym = next(
        (
            o
            for o in pair.ops
            if o[0] == "replace" and _opposed(pair, o) and not _minimiser(pair, o)
        ),
        None,
    )
    negated = (pair.fa["negations"] - pair.fb["negations"]) % 2 == 1
    if negated and antonym is None:
        op = next((o for o in pair.ops if negations(pair.old(o)) != negations(pair.new(o))), None)
        return f"polarity flipped: {pair.show(pair.widen(op or pair.ops[0]))}"
    if antonym is not None and not negated:
        return f"polarity flipped: {pair.show(antonym)}"
    return None  # nothing flipped, or "not easy" -> "difficult" (two flips cancel)


def _minimiser(pair: Pair, op: Op) -> bool:
    """ "do much to" -> "do little to": the minimiser already counts as the negation."""
    words = {*pair.old(op), *pair.new(op)}
    after = pair.fa["canon"][op[2] : op[2] + 1] + pair.fb["canon"][op[4] : op[4] + 1]
    return "little" in words and after == ["to", "to"]


_NEG_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non", "non-", "mis")
_NOT_PREFIXED = {
    "cover", "form", "vest", "sure", "tent", "side", "sight", "fest", "tend", "dict", "corporat",
    "stall", "still", "spect", "put", "press", "tegrat", "volv", "cid", "port", "close", "count",
    "play", "come", "tract", "cord", "pose", "miss", "patch", "charge", "card", "course", "solve",
    "sist", "clude", "struct", "ject", "vade", "crease", "dustry", "habit", "sult", "tern",
    "take", "sion", "sile", "sive", "tress", "chief", "sing",
}  # fmt: skip


@lru_cache(maxsize=16384)
def _negated_forms(word: str) -> frozenset[str]:
    """ "stable" -> {"unstable", "instable", ...}: the word negated by a prefix."""
    if len(word) < 4 or word in _NOT_PREFIXED or word + "e" in _NOT_PREFIXED:
        return frozenset()
    return frozenset(p + word for p in _NEG_PREFIXES)


def _any_prefix_negated(a: list[str], b: list[str]) -> bool:
    """Some word of one side is a word of the other side negated by a prefix."""
    set_a, set_b = set(a), set(b)
    return any(not set_b.isdisjoint(_negated_forms(w)) for w in set_a) or any(
        not set_a.isdisjoint(_negated_forms(w)) for w in set_b
    )


def _opposed(pair: Pair, op: Op) -> bool:
    """The edit puts a word or phrase in place of its opposite; a phrase may take in one word
    of unchanged context ("on schedule" -> "behind schedule")."""
    if _antonymous(pair.old(op), pair.new(op)):
        return True
    wide = pair.widen(op)
    sa, sb = [stem(w) for w in pair.old(wide)], [stem(w) for w in pair.new(wide)]
    ga, gb = _grams(sa), _grams(sb)
    only_a, only_b = ga - gb, gb - ga
    return any(not only_b.isdisjoint(PHRASE_ANTONYM_INDEX.get(x, ())) for x in only_a)


def _antonymous(a: list[str], b: list[str]) -> bool:
    sa, sb = [stem(w) for w in a], [stem(w) for w in b]
    set_b = set(sb)
    if any(not set_b.isdisjoint(ANTONYMS.get(x, ())) for x in sa):
        return True
    if _any_prefix_negated(sa, sb) or _any_prefix_negated(a, b):  # "misfire" / "fire"
        return True
    ga, gb = _grams(sa), _grams(sb)
    return any(not gb.isdisjoint(PHRASE_ANTONYM_INDEX.get(x, ())) for x in ga if " " in x) or any(
        not ga.isdisjoint(PHRASE_ANTONYM_INDEX.get(x, ())) for x in gb if " " in x
    )


def _grams(words: list[str]) -> set[str]:
    """Every run of one to three words: phrases are matched against words and phrases."""
    n = len(words)
    return {" ".join(words[i : i + k]) for k in (1, 2, 3) for i in range(n - k + 1)}


# ---------------------------------------------------------------- hedging and attribution


def _hedge(pair: Pair) -> str | None:
    """Hedged <-> asserted: a modal ("may"), an evidential ("reportedly") or an attribution
    ("analysts say", "according to") added or dropped. Evidentials and attributions are one
    family: "reportedly" -> "according to reports" is a rewording."""
    ha, hb = pair.fa["hedges"], pair.fb["hedges"]
    modal_a, modal_b = len(ha["modal"]), len(hb["modal"])
    src_a = len(ha["evidential"]) + len(ha["attribution"])
    src_b = len(hb["evidential"]) + len(hb["attribution"])
    sure_a, sure_b = bool(ha["assertive"]), bool(hb["assertive"])
    op = _marker_op(pair)
    shown = pair.show(op) if op else ""
    if modal_a + src_a != modal_b + src_b:
        attribution = modal_a == modal_b and len(ha["attribution"]) != len(hb["attribution"])
        dropped = modal_a + src_a > modal_b + src_b
        kind = ("attribution " if attribution else "hedge ") + (
            ("dropped" if attribution else "removed") if dropped else "added"
        )
        return f"{kind}: {shown}".rstrip(": ")
    if sure_a != sure_b and (modal_a or src_a):
        kind = "asserted" if sure_b else "assertion dropped"
        return f"{kind}: {shown}".rstrip(": ")
    return None


def _marker_op(pair: Pair) -> Op | None:
    """The edit that adds or removes a hedge or attribution marker."""
    for op in pair.ops:
        ha = hedges(pair.fa["canon"][max(op[1] - 1, 0) : op[2]])
        hb = hedges(pair.fb["canon"][max(op[3] - 1, 0) : op[4]])
        if ha != hb:
            return op
    return pair.ops[0] if pair.ops else None


# ---------------------------------------------------------------- minor changes


def _cosmetic(ta: str, tb: str, fa: dict[str, Any], fb: dict[str, Any]) -> str:
    if " ".join(ta.split()) == " ".join(tb.split()):
        return "whitespace"
    pa, pb = plain(ta), plain(tb)
    if pa == pb:
        return "quote style" if any(c in ta + tb for c in "‘’“”'\"") else "dashes"
    if pa.casefold() == pb.casefold():
        return "case"
    strip = str.maketrans("", "", string.punctuation)
    if " ".join(pa.translate(strip).split()) == " ".join(pb.translate(strip).split()):
        return "punctuation"
    if normalise(ta) == normalise(tb):
        return "number format" if fa.get("numbers") != fb.get("numbers") else "spelling variant"
    return "same meaning (alias " + _alias_change(fa, fb, pa, pb) + ")"


def _alias_change(fa: dict[str, Any], fb: dict[str, Any], pa: str, pb: str) -> str:
    for sa, sb, w in zip(fa["spans"], fb["spans"], fa["canon"], strict=False):
        a, b = pa[sa[0] : sa[1]], pb[sb[0] : sb[1]]
        if w.startswith("@") and a != b:
            return f"{a} → {b}"
    return "swap"


def _typo_only(pair: Pair) -> str | None:
    """Every edit is one word misspelt ("potnetially"): quote the first, else None."""
    if not pair.ops:
        return None
    for op in pair.ops:
        a, b = pair.old(op), pair.new(op)
        if op[0] != "replace" or len(a) != 1 or len(b) != 1 or not _misspelling(a[0], b[0]):
            return None
    return pair.show(pair.ops[0])


def _misspelling(a: str, b: str) -> bool:
    if min(len(a), len(b)) < 6 or a[0] != b[0] or is_number(a) or is_number(b):
        return False
    if a.startswith("@") or b.startswith("@") or _antonymous([a], [b]):
        return False
    return Levenshtein.distance(a, b) <= 2


def _minor_wording(pair: Pair) -> str:
    ops = pair.ops
    if not ops:
        return "same meaning"
    op = ops[0]
    if len(ops) == 1 and op[0] == "replace" and op[2] - op[1] == 1 and op[4] - op[3] == 1:
        a, b = pair.old(op)[0], pair.new(op)[0]
        if Levenshtein.distance(a, b) <= 2 and len(a) > 3:
            return f"typo {pair.show(op)}"
    return f"same meaning (reworded {pair.show(op)})"
