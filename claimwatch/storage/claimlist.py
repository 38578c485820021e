"""A version's claim list as one small blob on its ``snapshots`` row.

One row per claim per version made claim membership the largest part of a growing
database; a page of ~120 claims now costs a few dozen bytes per version while its claim ids
run in reading order, and up to ~250 bytes once many edits have scattered them.

Layout (unsigned LEB128 varints, then zlib): format, count, flags, the claim ids as signed
deltas from the previous id (a page's claims were mostly stored in reading order, so most
deltas are small and repeat), the positions as signed deltas when they are not simply
0..count-1, then the lineage exceptions: their number, and for each the index delta and the
signed offset of its lineage id from its claim id. A claim whose lineage id is its own id
(the common case) costs nothing there. Each blob stands alone: no chain to follow.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import NamedTuple

FORMAT = 1
_EXPLICIT_POSITIONS = 1


class Entry(NamedTuple):
    """One claim of a version: its id, its position and its lineage id."""

    claim_id: int
    position: int
    lineage_id: int


class ClaimListError(ValueError):
    """A stored claim list cannot be read (corrupt, or written by a newer claimwatch)."""


def encode(entries: Sequence[Entry]) -> bytes:
    """The blob for ``entries``, given in position order."""
    out = bytearray()
    positions = [e.position for e in entries]
    explicit = positions != list(range(len(entries)))
    for n in (FORMAT, len(entries), _EXPLICIT_POSITIONS if explicit else 0):
        _put(out, n)
    _put_deltas(out, [e.claim_id for e in entries])
    if explicit:
        _put_deltas(out, positions)
    odd = [
        (i, e.lineage_id - e.claim_id) for i, e in enumerate(entries) if e.lineage_id != e.claim_id
    ]
    _put(out, len(odd))
    prev = 0
    for i, offset in odd:
        _put(out, i - prev)
        _put(out, _zigzag(offset))
        prev = i
    return zlib.compress(bytes(out), 9)


def decode(blob: bytes | None) -> list[Entry]:
    """The entries of a blob from :func:`encode`, in position order; [] for None."""
    if blob is None:
        return []
    try:
        reader = _Reader(zlib.decompress(blob))
        fmt, count, flags = reader.get(), reader.get(), reader.get()
        if fmt != FORMAT:
            raise ClaimListError(f"claim list format {fmt} is not known to this claimwatch")
        ids = reader.deltas(count)
        positions = reader.deltas(count) if flags & _EXPLICIT_POSITIONS else list(range(count))
        lineage = list(ids)
        i = 0
        for _ in range(reader.get()):
            i += reader.get()
            lineage[i] = ids[i] + _unzigzag(reader.get())
        if reader.at != len(reader.data):
            raise ClaimListError("corrupt claim list: trailing bytes")
    except (zlib.error, IndexError) as exc:
        raise ClaimListError(f"corrupt claim list: {exc}") from None
    return [Entry(*t) for t in zip(ids, positions, lineage, strict=True)]


def _zigzag(n: int) -> int:
    return n * 2 if n >= 0 else -n * 2 - 1


def _unzigzag(n: int) -> int:
    return n // 2 if n % 2 == 0 else -(n + 1) // 2


def _put(out: bytearray, n: int) -> None:
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


def _put_deltas(out: bytearray, values: Sequence[int]) -> None:
    prev = 0
    for v in values:
        _put(out, _zigzag(v - prev))
        prev = v


class _Reader:
    """Reads varints from the front of a byte string."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def get(self) -> int:
        n = shift = 0
        while True:
            byte = self.data[self.at]
            self.at += 1
            n |= (byte & 0x7F) << shift
            if byte < 0x80:
                return n
            shift += 7

    def deltas(self, count: int) -> list[int]:
        out, prev = [], 0
        for _ in range(count):
            prev += _unzigzag(self.get())
            out.append(prev)
        return out
