"""Compact version storage: whole versions zlib-compressed, others as deltas.

A delta keeps the bytes a version shares with the previous one at its start and end, and
compresses only the changed middle, with the previous version's text around that spot as a
zlib preset dictionary: a page that changes by one sentence costs tens of bytes. (Older
databases also hold deltas that compress the whole version against the previous one; both
kinds are read.) A version is stored whole (a keyframe) when the chain of deltas before it
reaches ``CHAIN_CAP`` blobs, so reading any version inflates at most ``CHAIN_CAP`` blobs,
or when its delta saves too little (:func:`worth_delta`): a rewritten page starts a new
chain instead of dragging an old one along.
"""

from __future__ import annotations

import zlib

CHAIN_CAP = 64  # most blobs inflated to read one version (keyframe included)
_ZDICT_MAX = 32 * 1024  # zlib's window: only the last 32 KiB of a dictionary are used
_CONTEXT = 8 * 1024  # previous-version bytes either side of the change used as dictionary
_TRIMMED = b"\x00"  # first byte of a trimmed delta; never the first byte of a zlib stream


def compress(data: bytes, base: bytes | None = None) -> bytes:
    """Compress ``data``, against ``base`` when given."""
    if base is None:
        return zlib.compress(data, 6)
    head = _common_prefix(data, base)
    tail = _common_suffix(data[head:], base[head:])
    co = zlib.compressobj(6, zdict=_context(base, head, tail))
    body = co.compress(data[head : len(data) - tail]) + co.flush()
    return _TRIMMED + _varint(head) + _varint(tail) + body


def decompress(blob: bytes, base: bytes | None = None) -> bytes:
    """Inverse of :func:`compress` with the same ``base``."""
    if base is None:
        return zlib.decompress(blob)
    if not blob.startswith(_TRIMMED):  # a delta of the whole version (older databases)
        do = zlib.decompressobj(zdict=base[-_ZDICT_MAX:])
        return do.decompress(blob) + do.flush()
    head, at = _read_varint(blob, 1)
    tail, at = _read_varint(blob, at)
    do = zlib.decompressobj(zdict=_context(base, head, tail))
    middle = do.decompress(blob[at:]) + do.flush()
    if not do.eof:
        raise zlib.error("truncated delta")
    return base[:head] + middle + base[len(base) - tail :]


def worth_delta(delta_size: int, whole_size: int) -> bool:
    """True when a delta is clearly smaller than storing the version whole (under half)."""
    return delta_size * 2 < whole_size


def _context(base: bytes, head: int, tail: int) -> bytes:
    """The dictionary for a changed middle: ``base`` around the bytes it replaces."""
    return base[max(0, head - _CONTEXT) : len(base) - tail + _CONTEXT][-_ZDICT_MAX:]


def _common_prefix(a: bytes, b: bytes) -> int:
    """Length of the longest common prefix (binary search over C-speed comparisons)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: bytes, b: bytes) -> int:
    """Length of the longest common suffix."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid :] == b[len(b) - mid :]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _read_varint(data: bytes, at: int) -> tuple[int, int]:
    n = shift = 0
    while True:
        byte = data[at]
        at += 1
        n |= (byte & 0x7F) << shift
        if byte < 0x80:
            return n, at
        shift += 7
