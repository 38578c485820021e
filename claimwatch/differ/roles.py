"""Who does what: actors swapped between roles, or replaced by another actor."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from difflib import SequenceMatcher
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from claimwatch.differ.facets import FUNCTION_WORDS, TITLES
from claimwatch.differ.lexicon import CONVERSES, stem
from claimwatch.differ.pair import Pair

_COORD = {"and", "or", "between", "both", "the", "&", "with", "-", "of", "versus", "vs", "as",
          "well"}  # fmt: skip
# verbs whose subject and object can trade places without changing the meaning
_SYMMETRIC = {
    "met", "meet", "meets", "meeting", "talked", "talks", "spoke", "negotiated", "allied",
    "partnered", "cooperated", "cooperate", "cooperates", "clashed", "traded", "trade", "trades",
    "bordering", "borders", "neighbours", "neighbors",
}  # fmt: skip


def actor_change(pair: Pair) -> str | None:
    """'actors swapped: A ↔ B', 'actor replaced: A → B', or None."""
    ea, eb = pair.fa["entities"], pair.fb["entities"]
    ida, idb = [e for e, _ in ea], [e for e, _ in eb]
    if Counter(ida) == Counter(idb):
        swapped = _swapped(ea, eb, pair.fa["canon"], pair.fb["canon"])
        return f"actors swapped: {swapped[0]} ↔ {swapped[1]}" if swapped else None
    fewer = Counter(ida) - Counter(idb)
    more = Counter(idb) - Counter(ida)
    for op in pair.ops:
        gone = _uniq(e for e, i in ea if op[1] <= i < max(op[2], op[1] + 1) and e in fewer)
        came = _uniq(e for e, i in eb if op[3] <= i < max(op[4], op[3] + 1) and e in more)
        names = set(pair.fa.get("names", ())) | set(pair.fb.get("names", ()))
        if gone and not came:
            came = _opener(pair.fb, pair.pb, op[3], op[4], names)
        elif came and not gone:
            gone = _opener(pair.fa, pair.pa, op[1], op[2], names)
        pairs = zip(gone, came, strict=False)
        if gone and came and not all(_same_referent(g, c) for g, c in pairs):
            what = "entity" if gone[0] in names and came[0] in names else "actor"
            return f"{what} replaced: {pretty(gone[0])} → {pretty(came[0])}"
    return None


def _opener(facets: dict[str, Any], plain: str, lo: int, hi: int, names: set[str]) -> list[str]:
    """A capitalised word opening the sentence, inside an edit that replaced a name: a name
    too ("Gazprom Neft has ..." -> "Rosneft has ..."), though alone it is not taken for one."""
    if lo != 0 or hi < 1 or not facets["canon"]:
        return []
    start, end = facets["spans"][0]
    word = plain[start:end]
    if not word[:1].isupper() or word.lower() in FUNCTION_WORDS or word.lower() in TITLES:
        return []
    names.add(word.lower())
    return [word.lower()]


def pretty(ent: str) -> str:
    """Display form of an entity id ("north_korea" -> "North Korea")."""
    words = ent.replace("_", " ").split()
    return " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in words)


def _same_referent(a: str, b: str) -> bool:
    """One name for one referent: a misspelling, or the same name with another title
    ("Prime Minister Ivan Petrov" / "Ivan Petrov" / "Deputy Prime Minister Petrov")."""
    if _misspelt(a, b):
        return True
    if "_" in a or "_" in b:
        return False
    core_a = [w for w in a.split() if w not in TITLES]
    core_b = [w for w in b.split() if w not in TITLES]
    if not core_a or not core_b:
        return False
    if _acronym_of(core_a, core_b) or _acronym_of(core_b, core_a):
        return True  # "EU" / "European Union"
    return set(core_a) <= set(core_b) or set(core_b) <= set(core_a)


def _acronym_of(short: list[str], long_: list[str]) -> bool:
    """ "eu" is made of the initials of "european union"."""
    initials = "".join(w[0] for w in long_ if w not in ("of", "the", "and", "for"))
    return len(short) == 1 and len(long_) > 1 and short[0].replace(".", "") == initials


def _misspelt(a: str, b: str) -> bool:
    """ "Kharkiv" -> "Kharkov": a spelling, not another place (topic ids never count)."""
    if "_" in a or "_" in b:
        return False
    return min(len(a), len(b)) >= 5 and Levenshtein.distance(a, b) <= 2


def _uniq(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _swapped(
    ea: list[list[Any]], eb: list[list[Any]], ca: list[str], cb: list[str]
) -> tuple[str, str] | None:
    if [e for e, _ in ea] == [e for e, _ in eb]:
        return None
    pos_a = {e: i for e, i in reversed(ea)}
    pos_b = {e: i for e, i in reversed(eb)}
    names = sorted(pos_a, key=pos_a.__getitem__)
    for x, a in enumerate(names):
        for b in names[x + 1 :]:
            if (pos_a[a] < pos_a[b]) == (pos_b[a] < pos_b[b]):
                continue
            if _coordinated(ca, pos_a[a], pos_a[b]) or _coordinated(cb, pos_b[a], pos_b[b]):
                continue
            if _rephrased(_between(ca, pos_a[a], pos_a[b]), _between(cb, pos_b[a], pos_b[b])):
                continue
            if _roles_swapped(ca, cb, a, b):
                return pretty(a), pretty(b)
    return None


def _between(canon: list[str], i: int, j: int) -> list[str]:
    lo, hi = sorted((i, j))
    return canon[lo + 1 : hi]


def _coordinated(canon: list[str], i: int, j: int) -> bool:
    """The two names are joined by "and", "between ... and", "met", ...: order carries no role."""
    between = _between(canon, i, j)
    return all(w in _COORD or w in _SYMMETRIC or w.startswith("@") for w in between)


def _rephrased(a: list[str], b: list[str]) -> bool:
    """Passive voice ("hosted by") or a converse verb ("supplied" / "received"): same roles."""
    if ("by" in a) != ("by" in b):
        return True  # active <-> passive
    sa, sb = {stem(w) for w in a}, {stem(w) for w in b}
    return any(y in CONVERSES.get(x, ()) for x in sa for y in sb)


def _roles_swapped(ca: list[str], cb: list[str], a: str, b: str) -> bool:
    """Exchanging the two names in the new text brings it back towards the old one, or the
    very same words now put each name in the other's place (their noun phrases moved too:
    "a Russian-flagged tanker ... a North Korean vessel")."""
    if sorted(ca) == sorted(cb) and _shared_run(_between_names(ca, a, b), _between_names(cb, a, b)):
        return True
    ta, tb = _entity_text(ca, a), _entity_text(ca, b)
    text_a, text_b = " ".join(ca), " ".join(cb)
    pat = re.compile(r"(?<![\w@])(" + re.escape(ta) + "|" + re.escape(tb) + r")(?!\w)")
    back = pat.sub(lambda m: tb if m.group(1) == ta else ta, text_b)
    before, after = fuzz.ratio(text_a, text_b), fuzz.ratio(text_a, back)
    return after >= 85 and after > before + 1


def _between_names(canon: list[str], a: str, b: str) -> list[str]:
    ta, tb = _entity_text(canon, a), _entity_text(canon, b)
    if ta not in canon or tb not in canon:
        return []
    return _between(canon, canon.index(ta), canon.index(tb))


def _shared_run(a: list[str], b: list[str]) -> bool:
    """The words linking the two names keep a common run ("handed coal to"): the same
    statement with the roles exchanged, not a clause moved ("since it opened ...")."""
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size >= 2 and any(w not in _COORD for w in a[m.a : m.a + m.size])


def _entity_text(canon: list[str], ent: str) -> str:
    return "@" + ent if "@" + ent in canon else ent
