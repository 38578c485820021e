"""One aligned pair of claims -> is the change significant, and why (a sentence a reader trusts)."""

from __future__ import annotations

import json
import re
import string
from collections import Counter
from collections.abc import Iterable
from typing import Any

from deepdiff import DeepDiff
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from claimwatch.differ.facets import is_number
from claimwatch.differ.lexicon import ANTONYMS, PHRASE_ANTONYM_INDEX, stem
from claimwatch.differ.model import Claim
from claimwatch.differ.text import normalise, plain

_COORD = {"and", "or", "between", "both", "the", "&", "with", "-", "of", "versus", "vs", "as",
         "well"}  # fmt: skip
# verbs whose subject and object can trade places without changing the meaning
_SYMMETRIC = {
    "met", "meet", "meets", "meeting", "talked", "talks", "spoke", "negotiated", "allied",
    "partnered", "cooperated", "cooperate", "cooperates", "clashed", "traded", "trade", "trades",
    "bordering", "borders", "neighbours", "neighbors",
}  # fmt: skip
_DETAIL_KEYS = ("numbers", "dates", "actors", "hedges", "negations", "category")


def compare(old: Claim, new: Claim) -> tuple[bool, str, dict[str, Any]]:
    """Classify an aligned pair: (significant, reason, detail)."""
    fa, fb = old.facets, new.facets
    ca, cb = fa.get("canon", []), fb.get("canon", [])
    detail = facet_delta(fa, fb)
    if ca == cb:
        return False, "minor: " + _cosmetic(old.text, new.text, fa, fb), detail
    ops = _ops(ca, cb)
    pa, pb = plain(old.text), plain(new.text)
    ctx = (fa, fb, ops, pa, pb)
    reasons = [r for r in (_numbers(*ctx), _polarity(*ctx), _hedge(*ctx), _actors(*ctx)) if r]
    if reasons:
        return True, "; ".join(reasons), detail
    return False, "minor: " + _minor_wording(ops, fa, fb, pa, pb), detail


def facet_delta(fa: dict[str, Any], fb: dict[str, Any]) -> dict[str, Any]:
    """Plain-JSON delta of the reader-facing facets (deepdiff only when they differ)."""
    a = {k: fa.get(k) for k in _DETAIL_KEYS}
    b = {k: fb.get(k) for k in _DETAIL_KEYS}
    out: dict[str, Any] = {}
    if a != b:
        out = json.loads(DeepDiff(a, b).to_json())
    ea = {e for e, _ in fa.get("entities", [])}
    eb = {e for e, _ in fb.get("entities", [])}
    if ea != eb:
        out["entities"] = {"removed": sorted(ea - eb), "added": sorted(eb - ea)}
    return out


def _ops(ca: list[str], cb: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Edit operations on canonical tokens; touching edits merge into one replace."""
    out: list[tuple[str, int, int, int, int]] = []
    for o in Levenshtein.opcodes(ca, cb):
        if o.tag == "equal":
            continue
        if out and out[-1][2] == o.src_start and out[-1][4] == o.dest_start:
            prev = out.pop()
            out.append(("replace", prev[1], o.src_end, prev[3], o.dest_end))
        else:
            out.append((o.tag, o.src_start, o.src_end, o.dest_start, o.dest_end))
    return out


def _old(f: dict[str, Any], op: tuple[str, int, int, int, int]) -> list[str]:
    return f["canon"][op[1] : op[2]]


def _new(f: dict[str, Any], op: tuple[str, int, int, int, int]) -> list[str]:
    return f["canon"][op[3] : op[4]]


def _surface(p: str, spans: list[list[int]], i: int, j: int) -> str:
    if i >= j or not spans:
        return ""
    return p[spans[i][0] : spans[min(j, len(spans)) - 1][1]]


def _show(fa, fb, op, pa, pb) -> str:  # noqa: ANN001 - internal helper
    _, i1, i2, j1, j2 = op
    a = _surface(pa, fa["spans"], i1, i2)
    b = _surface(pb, fb["spans"], j1, j2)
    if a and b:
        return f"'{a}' → '{b}'"
    return f"'{a or b}'"


def _widen(op, ca_len: int, cb_len: int):  # noqa: ANN001, ANN202
    tag, i1, i2, j1, j2 = op
    return (tag, max(i1 - 1, 0), min(i2 + 1, ca_len), max(j1 - 1, 0), min(j2 + 1, cb_len))


def _numbers(fa, fb, ops, pa, pb) -> str | None:  # noqa: ANN001
    na = _number_bag(fa["canon"])
    nb = _number_bag(fb["canon"])
    if na == nb:
        return None
    touched = [op for op in ops if _any_num(_old(fa, op) + _new(fb, op))]
    label = "date" if any(w.startswith("m") for w in ((na - nb) + (nb - na))) else "number"
    if not touched:
        return f"{label} changed"
    shown = [_show_numbers(fa, fb, op, pa, pb) for op in touched[:2]]
    return f"{label}: " + "; ".join(shown)


def _show_numbers(fa, fb, op, pa, pb) -> str:  # noqa: ANN001
    def side(f: dict[str, Any], p: str, i: int, j: int) -> str:
        spans = f["spans"]
        canon = f["canon"]
        return " ".join(p[spans[k][0] : spans[k][1]] for k in range(i, j) if is_number(canon[k]))

    a = side(fa, pa, op[1], op[2])
    b = side(fb, pb, op[3], op[4])
    return f"{a or '(none)'} → {b or '(none)'}"


def _number_bag(canon: list[str]) -> Counter[str]:
    """Number and month tokens; "both" counts as two ("the two nations" == "both nations")."""
    return Counter("2" if w == "both" else w for w in canon if w == "both" or is_number(w))


def _any_num(words: list[str]) -> bool:
    return any(is_number(w) for w in words)


def _polarity(fa, fb, ops, pa, pb) -> str | None:  # noqa: ANN001
    antonym = next(
        (o for o in ops if o[0] == "replace" and _antonymous(_old(fa, o), _new(fb, o))), None
    )
    negated = (fa["negations"] - fb["negations"]) % 2 == 1
    if negated and antonym is None:
        op = next((o for o in ops if _negation_op(fa, fb, o)), ops[0])
        shown = _show(fa, fb, _widen(op, len(fa["canon"]), len(fb["canon"])), pa, pb)
        return f"polarity flipped: {shown}"
    if antonym is not None and not negated:
        return f"polarity flipped: {_show(fa, fb, antonym, pa, pb)}"
    return None  # nothing flipped, or "not easy" -> "difficult" (two flips cancel)


def _negation_op(fa, fb, op) -> bool:  # noqa: ANN001
    from claimwatch.differ.facets import negations

    return negations(fa["canon"][op[1] : op[2]]) != negations(fb["canon"][op[3] : op[4]])


def _antonymous(a: list[str], b: list[str]) -> bool:
    sa, sb = [stem(w) for w in a], [stem(w) for w in b]
    if any(y in ANTONYMS.get(x, ()) for x in sa for y in sb):
        return True
    ga = {" ".join(sa[i : i + 2]) for i in range(len(sa) - 1)}
    gb = {" ".join(sb[i : i + 2]) for i in range(len(sb) - 1)}
    return any(y in PHRASE_ANTONYM_INDEX.get(x, ()) for x in ga for y in gb)


def _hedge(fa, fb, ops, pa, pb) -> str | None:  # noqa: ANN001
    ha, hb = fa["hedges"], fb["hedges"]
    hedged_a = bool(ha["modal"] or ha["evidential"])
    hedged_b = bool(hb["modal"] or hb["evidential"])
    attr_a, attr_b = len(ha["attribution"]), len(hb["attribution"])
    sure_a, sure_b = bool(ha["assertive"]), bool(hb["assertive"])
    op = _marker_op(fa, fb, ops)
    shown = _show(fa, fb, op, pa, pb) if op else ""
    if hedged_a != hedged_b or (sure_a != sure_b and (hedged_a or hedged_b or attr_a or attr_b)):
        kind = "hedge removed" if hedged_a and not hedged_b else "hedge added"
        if hedged_a == hedged_b:
            kind = "asserted" if sure_b else "assertion dropped"
        return f"{kind}: {shown}".rstrip(": ")
    if attr_a != attr_b:
        kind = "attribution dropped" if attr_a > attr_b else "attribution added"
        return f"{kind}: {shown}".rstrip(": ")
    return None


def _marker_op(fa, fb, ops):  # noqa: ANN001, ANN202
    from claimwatch.differ.facets import hedges

    for op in ops:
        ha = hedges(fa["canon"][max(op[1] - 1, 0) : op[2]])
        hb = hedges(fb["canon"][max(op[3] - 1, 0) : op[4]])
        if any(ha[k] != hb[k] for k in ha):
            return op
    return ops[0] if ops else None


def _actors(fa, fb, ops, pa, pb) -> str | None:  # noqa: ANN001
    ea, eb = fa["entities"], fb["entities"]
    ida, idb = [e for e, _ in ea], [e for e, _ in eb]
    if Counter(ida) == Counter(idb):
        pair = _swapped(ea, eb, fa["canon"], fb["canon"])
        return f"actors swapped: {pair[0]} ↔ {pair[1]}" if pair else None
    for op in ops:
        gone = _uniq(e for e, i in ea if op[1] <= i < max(op[2], op[1] + 1) and e not in idb)
        came = _uniq(e for e, i in eb if op[3] <= i < max(op[4], op[3] + 1) and e not in ida)
        if gone and came and not all(_misspelt(g, c) for g, c in zip(gone, came, strict=False)):
            return f"actor replaced: {_pretty(gone[0])} → {_pretty(came[0])}"
    return None


def _misspelt(a: str, b: str) -> bool:
    if a.startswith(("@",)) or "_" in a or "_" in b:
        return False
    return min(len(a), len(b)) >= 5 and Levenshtein.distance(a, b) <= 2


def _uniq(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _swapped(ea, eb, ca, cb):  # noqa: ANN001, ANN202
    order_a = [e for e, _ in ea]
    order_b = [e for e, _ in eb]
    if order_a == order_b:
        return None
    pos_a = {e: i for e, i in reversed(ea)}
    pos_b = {e: i for e, i in reversed(eb)}
    names = sorted(pos_a, key=pos_a.get)
    for x in range(len(names)):
        for y in range(x + 1, len(names)):
            a, b = names[x], names[y]
            if a == b or (pos_a[a] < pos_a[b]) == (pos_b[a] < pos_b[b]):
                continue
            if _coordinated(ca, pos_a[a], pos_a[b]) or _coordinated(cb, pos_b[a], pos_b[b]):
                continue
            if _roles_swapped(ca, cb, a, b):
                return (_pretty(a), _pretty(b))
    return None


def _entity_text(canon: list[str], ent: str) -> str:
    return "@" + ent if "@" + ent in canon else ent


def _roles_swapped(ca: list[str], cb: list[str], a: str, b: str) -> bool:
    """Exchanging the two names in the new text brings it back towards the old one."""
    ta, tb = _entity_text(ca, a), _entity_text(ca, b)
    text_a, text_b = " ".join(ca), " ".join(cb)
    pat = re.compile(r"(?<![\w@])(" + re.escape(ta) + "|" + re.escape(tb) + r")(?!\w)")
    back = pat.sub(lambda m: tb if m.group(1) == ta else ta, text_b)
    before, after = fuzz.ratio(text_a, text_b), fuzz.ratio(text_a, back)
    return after >= 85 and after > before + 1


def _coordinated(canon: list[str], i: int, j: int) -> bool:
    """The two names are joined by "and", "between ... and", "met", ...: order carries no role."""
    lo, hi = sorted((i, j))
    between = canon[lo + 1 : hi]
    return all(w in _COORD or w in _SYMMETRIC or w.startswith("@") for w in between)


def _pretty(ent: str) -> str:
    return " ".join(
        w if w.isupper() else w[:1].upper() + w[1:] for w in ent.replace("_", " ").split()
    )


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
        if fa.get("numbers") != fb.get("numbers"):
            return "number format"
        return "spelling variant"
    return "same meaning (alias " + _alias_change(fa, fb, pa, pb) + ")"


def _alias_change(fa: dict[str, Any], fb: dict[str, Any], pa: str, pb: str) -> str:
    for (sa, sb), w in zip(zip(fa["spans"], fb["spans"], strict=False), fa["canon"], strict=False):
        a, b = pa[sa[0] : sa[1]], pb[sb[0] : sb[1]]
        if w.startswith("@") and a != b:
            return f"{a} → {b}"
    return "swap"


def _minor_wording(ops, fa, fb, pa, pb) -> str:  # noqa: ANN001
    if len(ops) == 1 and ops[0][0] == "replace" and ops[0][2] - ops[0][1] == 1:
        a, b = fa["canon"][ops[0][1]], fb["canon"][ops[0][3]]
        if ops[0][4] - ops[0][3] == 1 and Levenshtein.distance(a, b) <= 2 and len(a) > 3:
            return f"typo {_show(fa, fb, ops[0], pa, pb)}"
    return f"same meaning (reworded {_show(fa, fb, ops[0], pa, pb)})" if ops else "same meaning"
