"""Align two versions' claims: exact text, normalised hash, splits/merges, then fuzzy one-to-one."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from claimwatch.differ.model import Claim
from claimwatch.differ.text import normalise

PAIR_THRESHOLD = 50.0  # fuzz.ratio (0-100) on canonical text for a "changed" pair...
SURE_THRESHOLD = 75.0  # ...below this the pair must also share most of its words
REORDER_THRESHOLD = 80.0  # token-sorted ratio for a reordered sentence with the same actors
JOIN_THRESHOLD = 85.0  # a split or merge: one claim against two adjacent ones joined
_LIMIT = 8  # candidates kept per claim
Claims = Sequence[Claim]
Idx = list[int]


@dataclass
class Alignment:
    """Index pairs into ``old`` and ``new``; groups are splits (1->n) and merges (n->1)."""

    same: list[tuple[int, int]] = field(default_factory=list)  # identical text
    pairs: list[tuple[int, int]] = field(default_factory=list)  # changed, to classify
    groups: list[tuple[list[int], list[int]]] = field(default_factory=list)
    # (old, new, side, part): a claim that became / came from another claim plus the plain
    # sentence that follows ("tail") or precedes ("head") it on ``side``
    tails: list[tuple[int, int, str, str]] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    added: list[int] = field(default_factory=list)


def canon_text(claim: Claim) -> str:
    """The text compared for similarity: canonical tokens (aliases, numbers, case folded)."""
    canon = claim.facets.get("canon") if claim.facets else None
    return " ".join(canon) if canon else normalise(claim.text)


def align(
    old: Sequence[Claim],
    new: Sequence[Claim],
    unmatched: Callable[[Idx, Idx], None] | None = None,
) -> Alignment:
    """Match claims one-to-one; reordering is never a change. ``unmatched`` is told which
    claims the exact-text pass left, before any pass that reads facets."""
    out = Alignment()
    left_old, left_new = _match_exact(old, new, out)
    if unmatched is not None:
        unmatched(left_old, left_new)
    left_old, left_new = _match_hash(old, new, left_old, left_new, out)
    left_old, left_new = _match_joins(old, new, left_old, left_new, out)
    left_old, left_new = _match_tails(old, new, left_old, left_new, out)
    left_old, left_new = _match_fuzzy(old, new, left_old, left_new, out)
    out.removed = sorted(left_old)
    out.added = sorted(left_new)
    return out


def _pair_by_key(
    keys_old: list[str], keys_new: list[str], left_old: list[int], left_new: list[int]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Greedy matching on equal keys, nearest position first."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for i in left_old:
        by_key[keys_old[i]].append(i)
    pairs = []
    rest_new = []
    for j in left_new:
        bucket = by_key.get(keys_new[j])
        if bucket:
            k = min(range(len(bucket)), key=lambda n: abs(bucket[n] - j))
            pairs.append((bucket.pop(k), j))
        else:
            rest_new.append(j)
    used = {i for i, _ in pairs}
    return pairs, [i for i in left_old if i not in used], rest_new


def _match_exact(old: Claims, new: Claims, out: Alignment) -> tuple[list[int], list[int]]:
    pairs, lo, ln = _pair_by_key(
        [c.text for c in old], [c.text for c in new], list(range(len(old))), list(range(len(new)))
    )
    out.same.extend(pairs)
    return lo, ln


def _match_hash(old: Claims, new: Claims, lo: Idx, ln: Idx, out: Alignment) -> tuple[Idx, Idx]:
    pairs, lo, ln = _pair_by_key([c.norm_hash for c in old], [c.norm_hash for c in new], lo, ln)
    out.pairs.extend(pairs)
    return lo, ln


def _adjacent_runs(idx: list[int]) -> list[tuple[int, int]]:
    s = set(idx)
    return [(i, i + 1) for i in sorted(idx) if i + 1 in s]


def _match_joins(old: Claims, new: Claims, lo: Idx, ln: Idx, out: Alignment) -> tuple[Idx, Idx]:
    """One claim that matches two adjacent unmatched claims joined: a split or a merge."""
    for src, dst, flip in ((old, new, False), (new, old, True)):
        l_src, l_dst = (ln, lo) if flip else (lo, ln)
        runs = _adjacent_runs(l_dst)
        if not runs or not l_src:
            continue
        joined = [_sorted(canon_text(dst[a]) + " " + canon_text(dst[b])) for a, b in runs]
        singles = [_sorted(canon_text(src[i])) for i in l_src]
        cands = _candidates(singles, joined, JOIN_THRESHOLD)
        used_src, used_dst = set(), set()
        for score, x, y in sorted(cands, reverse=True):
            a, b = runs[y]
            i = l_src[x]
            if i in used_src or a in used_dst or b in used_dst:
                continue
            if _alone(src[i], dst[a], score) or _alone(src[i], dst[b], score):
                continue  # one of the two matches as well on its own (maybe reordered)
            used_src.add(i)
            used_dst.update((a, b))
            out.groups.append(([a, b], [i]) if flip else ([i], [a, b]))
        l_src = [i for i in l_src if i not in used_src]
        l_dst = [i for i in l_dst if i not in used_dst]
        lo, ln = (l_dst, l_src) if flip else (l_src, l_dst)
    return lo, ln


def _alone(a: Claim, b: Claim, joined: float) -> bool:
    """``a`` matches ``b`` by its words alone (in any order) at least as well as joined."""
    return fuzz.ratio(_sorted(canon_text(a)), _sorted(canon_text(b))) >= joined


def _sorted(text: str) -> str:
    """Words in sorted order: plain ratio on these equals token_sort_ratio, computed once."""
    return " ".join(sorted(text.split()))


def part_text(claim: Claim, part: str = "tail") -> str:
    """Canonical text of the plain sentence after ("tail") or before ("head") a claim (empty
    when there is none)."""
    near = claim.facets.get(part) if claim.facets else None
    return " ".join(near.get("canon", [])) if near else ""


def _match_tails(old: Claims, new: Claims, lo: Idx, ln: Idx, out: Alignment) -> tuple[Idx, Idx]:
    """A claim that matches another claim joined with the plain sentence after or before it."""
    for part in ("tail", "head"):
        for side in ("new", "old"):
            lo, ln = _match_part(old, new, lo, ln, out, side, part)
    return lo, ln


def _match_part(
    old: Claims, new: Claims, lo: Idx, ln: Idx, out: Alignment, side: str, part: str
) -> tuple[Idx, Idx]:
    src, dst = (old, new) if side == "new" else (new, old)
    l_src, l_dst = (lo, ln) if side == "new" else (ln, lo)
    with_part = [j for j in l_dst if part_text(dst[j], part)]
    if not with_part or not l_src:
        return lo, ln
    joined = [_sorted(canon_text(dst[j]) + " " + part_text(dst[j], part)) for j in with_part]
    cands = _candidates([_sorted(canon_text(src[i])) for i in l_src], joined, JOIN_THRESHOLD)
    used_src: set[int] = set()
    used_dst: set[int] = set()
    for score, x, y in sorted(cands, reverse=True):
        i, j = l_src[x], with_part[y]
        if i in used_src or j in used_dst:
            continue
        if fuzz.ratio(canon_text(src[i]), canon_text(dst[j])) >= JOIN_THRESHOLD or _alone(
            src[i], dst[j], score
        ):
            continue  # the claim alone already matches (maybe reordered): an ordinary edit
        used_src.add(i)
        used_dst.add(j)
        out.tails.append((i, j, side, part) if side == "new" else (j, i, side, part))
    l_src = [i for i in l_src if i not in used_src]
    l_dst = [j for j in l_dst if j not in used_dst]
    return (l_src, l_dst) if side == "new" else (l_dst, l_src)


def _candidates(
    a: list[str], b: list[str], cutoff: float, scorer: Callable[..., float] = fuzz.ratio
) -> list[tuple[float, int, int]]:
    """(score, index in a, index in b) for the best few matches of each ``a`` above ``cutoff``."""
    out = []
    for x, query in enumerate(a):
        for _, score, y in process.extract(
            query, b, scorer=scorer, score_cutoff=cutoff, limit=_LIMIT
        ):
            out.append((float(score), x, y))
    return out


def _plausible(score: float, a: str, b: str) -> bool:
    """A weak match must keep most words of the shorter sentence (a clause added or dropped)."""
    if score >= SURE_THRESHOLD:
        return True
    shared = fuzz.token_set_ratio(a, b)
    return shared >= JOIN_THRESHOLD if score >= 62 else shared >= 95


def _match_fuzzy(old: Claims, new: Claims, lo: Idx, ln: Idx, out: Alignment) -> tuple[Idx, Idx]:
    """Similar wording first; then the same words and the same actors in another order
    ("Russia supplied oil to North Korea" / "North Korea received oil from Russia")."""
    if not lo or not ln:
        return lo, ln
    a = [canon_text(old[i]) for i in lo]
    b = [canon_text(new[j]) for j in ln]
    cands = [
        (s, x, y) for s, x, y in _candidates(a, b, PAIR_THRESHOLD) if _plausible(s, a[x], b[y])
    ]
    lo, ln = _assign(lo, ln, cands, max(len(old), len(new), 1), out)
    if not lo or not ln:
        return lo, ln
    a = [_sorted(canon_text(old[i])) for i in lo]
    b = [_sorted(canon_text(new[j])) for j in ln]
    cands = [
        (s, x, y)
        for s, x, y in _candidates(a, b, REORDER_THRESHOLD)
        if _same_actors(old[lo[x]], new[ln[y]])
    ]
    return _assign(lo, ln, cands, max(len(old), len(new), 1), out)


def _same_actors(a: Claim, b: Claim) -> bool:
    ea = sorted(e for e, _ in (a.facets or {}).get("entities", []))
    eb = sorted(e for e, _ in (b.facets or {}).get("entities", []))
    return len(ea) >= 1 and ea == eb


def _assign(
    lo: Idx, ln: Idx, cands: list[tuple[float, int, int]], span: int, out: Alignment
) -> tuple[Idx, Idx]:
    """Greedy one-to-one assignment, best score first (nearby positions break ties)."""
    ranked = sorted(
        ((s - 2.0 * abs(lo[x] - ln[y]) / span, x, y) for s, x, y in cands), reverse=True
    )
    used_a, used_b = set(), set()
    for _, x, y in ranked:
        if x in used_a or y in used_b:
            continue
        used_a.add(x)
        used_b.add(y)
        out.pairs.append((lo[x], ln[y]))
    return [lo[x] for x in range(len(lo)) if x not in used_a], [
        ln[y] for y in range(len(ln)) if y not in used_b
    ]
