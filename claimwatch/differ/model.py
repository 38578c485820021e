"""The differ's value types, shared with storage and the reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Claim:
    """One sentence of the main text that says something about the topic."""

    text: str
    position: int  # index of the claim within its version, in reading order
    norm_hash: str  # hash of the normalised text: equal hashes mean "same claim text"
    category: str  # e.g. "military", "arms", "diplomatic"; "general" when none fits
    facets: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Change:
    """One claim-level difference between two versions of a source."""

    kind: ChangeKind
    old: Claim | None
    new: Claim | None
    significant: bool
    reason: str  # a sentence a reader trusts: "number: a million -> three million"
    detail: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
