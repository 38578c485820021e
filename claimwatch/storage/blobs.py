"""Compact version storage: zlib with the previous version as a preset dictionary.

A page that changes by one sentence compresses to a few hundred bytes against its
previous version. Every ``KEYFRAME``-th version is stored whole, so reading any version
inflates at most ``KEYFRAME`` blobs.
"""

from __future__ import annotations

import zlib

KEYFRAME = 16
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
