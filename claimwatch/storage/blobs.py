"""Compact version storage: zlib with the previous version as a preset dictionary.

A page that changes by one sentence compresses to a few hundred bytes against its
previous version. A version is stored whole (a keyframe) when the chain of deltas before
it reaches ``CHAIN_CAP`` blobs, so reading any version inflates at most ``CHAIN_CAP``
blobs, or when its delta saves too little (:func:`worth_delta`): a rewritten page starts
a new chain instead of dragging an old one along.
"""

from __future__ import annotations

import zlib

CHAIN_CAP = 64  # most blobs inflated to read one version (keyframe included)
_ZDICT_MAX = 32 * 1024  # zlib's window: only the last 32 KiB of a dictionary are used


def compress(data: bytes, base: bytes | None = None) -> bytes:
    """Compress ``data``, against ``base`` when given."""
    if base is None:
        return zlib.compress(data, 6)
    co = zlib.compressobj(6, zdict=base[-_ZDICT_MAX:])
    return co.compress(data) + co.flush()


def decompress(blob: bytes, base: bytes | None = None) -> bytes:
    """Inverse of :func:`compress` with the same ``base``."""
    if base is None:
        return zlib.decompress(blob)
    do = zlib.decompressobj(zdict=base[-_ZDICT_MAX:])
    return do.decompress(blob) + do.flush()


def worth_delta(delta_size: int, whole_size: int) -> bool:
    """True when a delta is clearly smaller than storing the version whole (under half)."""
    return delta_size * 2 < whole_size
