"""Claims x claims -> changes, and a word-level inline diff for reports."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from rapidfuzz.distance import Indel

from claimwatch.differ.align import Alignment, align
from claimwatch.differ.claims import complete_facets
from claimwatch.differ.compare import compare, facet_delta
from claimwatch.differ.model import Change, Claim
from claimwatch.differ.text import plain
from claimwatch.differ.topic import Topic

_WORDS = re.compile(r"\s+|[^\s]+")


def diff_claims(
    old: Sequence[Claim],
    new: Sequence[Claim],
    *,
    removed_before: Collection[str] = (),
    topic: Topic | None = None,
) -> list[Change]:
    """Claim-level changes from ``old`` to ``new``, in the new version's reading order.

    ``removed_before`` holds norm_hashes of claims the source had earlier but not in ``old``;
    a new claim with one of them is a restoration (flip-flop), reported as a minor addition.
    With ``topic``, claims extracted lazily get their facets here, and only those that are not
    found unchanged in the other version (usually a handful).
    """

    def fill(left_old: list[int], left_new: list[int]) -> None:
        if topic is not None:
            complete_facets([old[i] for i in left_old] + [new[j] for j in left_new], topic)

    restored = set(removed_before)
    al = align(old, new, fill)
    changes: list[tuple[float, Change]] = []
    for i, j in al.pairs:
        sig, reason, detail = compare(old[i], new[j])
        changes.append((j, Change("changed", old[i], new[j], sig, reason, detail)))
    for olds, news in al.groups:
        changes.append((news[0], _group_change([old[i] for i in olds], [new[j] for j in news])))
    for i, j, side, part in al.tails:
        olds = _with_part(old[i], part) if side == "old" else [old[i]]
        news = _with_part(new[j], part) if side == "new" else [new[j]]
        changes.append((j, _group_change(olds, news)))
    added, removed = set(al.added), set(al.removed)
    kept_new = {c.norm_hash for k, c in enumerate(new) if k not in added}
    kept_old = {c.norm_hash for k, c in enumerate(old) if k not in removed}
    for i in al.removed:
        changes.append((_anchor(i, al), _removed(old[i], kept_new)))
    for j in al.added:
        changes.append((j, _added(new[j], restored, kept_old)))
    changes.sort(key=lambda c: c[0])
    return [c for _, c in changes]


def _removed(claim: Claim, still_there: set[str]) -> Change:
    if claim.norm_hash in still_there:
        return Change(
            "removed", claim, None, False, "minor: a repeated claim removed (still stated)"
        )
    return Change("removed", claim, None, True, "removed claim")


def _added(claim: Claim, restored: set[str], already_there: set[str]) -> Change:
    if claim.norm_hash in restored:
        return Change(
            "added", None, claim, False, "restored: a claim this source had removed earlier"
        )
    if claim.norm_hash in already_there:
        return Change("added", None, claim, False, "minor: a claim repeated (already stated)")
    return Change("added", None, claim, True, "added claim")


def _anchor(i: int, al: Alignment) -> float:
    """Where a removed claim would sit in the new version (after its old predecessor)."""
    before = [j for a, j in al.same + al.pairs if a < i]
    return (max(before) if before else -1) + 0.5


def _group_change(olds: list[Claim], news: list[Claim]) -> Change:
    """A split (1 -> 2) or merge (2 -> 1): minor unless the joined meaning changed."""
    a, b = _joined(olds), _joined(news)
    sig, reason, detail = compare(a, b)
    kind = "split" if len(news) > 1 else "merge"
    if not sig:
        reason = f"minor: {kind} ({len(olds)} → {len(news)} sentences, same meaning)"
    return Change("changed", a, b, sig, reason, detail or facet_delta(a.facets, b.facets))


def _with_part(claim: Claim, part: str) -> list[Claim]:
    """``claim`` and the plain sentence after ("tail") or before ("head") it, in reading
    order, the sentence as a claim-like value (for joining)."""
    near = claim.facets[part]
    other = Claim(near["text"], claim.position, "", claim.category, near)
    return [claim, other] if part == "tail" else [other, claim]


def _joined(claims: list[Claim]) -> Claim:
    """One claim standing for adjacent claims read together (facets concatenated)."""
    if len(claims) == 1:
        return claims[0]
    facets = dict(claims[0].facets)
    canon: list[str] = []
    spans: list[list[int]] = []
    entities: list[list] = []
    offset = 0
    for c in claims:
        f = c.facets
        entities += [[e, p + len(canon)] for e, p in f.get("entities", [])]
        canon += f.get("canon", [])
        spans += [[s + offset, e + offset] for s, e in f.get("spans", [])]
        offset += len(plain(c.text)) + 1
    facets.update(canon=canon, spans=spans, entities=entities)
    for key in ("numbers", "dates", "actors"):
        facets[key] = [x for c in claims for x in c.facets.get(key, [])]
    facets["negations"] = sum(c.facets.get("negations", 0) for c in claims)
    facets["hedges"] = {
        k: [x for c in claims for x in c.facets.get("hedges", {}).get(k, [])]
        for k in ("modal", "evidential", "attribution", "assertive")
    }
    text = " ".join(c.text for c in claims)
    return Claim(text, claims[0].position, claims[0].norm_hash, claims[0].category, facets)


def inline_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level operations turning ``old`` into ``new``: ("equal"|"delete"|"insert", text)."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out: list[tuple[str, str]] = []
    pending: list[tuple[str, str]] = []
    for op in Indel.opcodes(a, b):
        if op.tag == "equal":
            _flush(out, pending)
            _push(out, "equal", "".join(a[op.src_start : op.src_end]))
            continue
        if op.src_end > op.src_start:
            pending.append(("delete", "".join(a[op.src_start : op.src_end])))
        if op.dest_end > op.dest_start:
            pending.append(("insert", "".join(b[op.dest_start : op.dest_end])))
    _flush(out, pending)
    return out


def _flush(out: list[tuple[str, str]], pending: list[tuple[str, str]]) -> None:
    """Deletions before insertions within one changed stretch."""
    for tag in ("delete", "insert"):
        _push(out, tag, "".join(t for g, t in pending if g == tag))
    pending.clear()


def _push(out: list[tuple[str, str]], tag: str, text: str) -> None:
    if not text:
        return
    if out and out[-1][0] == tag:
        out[-1] = (tag, out[-1][1] + text)
    else:
        out.append((tag, text))
