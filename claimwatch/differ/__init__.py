"""Pure claim logic: main text -> claims, and claims x claims -> changes.

No I/O and no imports from the rest of claimwatch: everything here is tested with plain
strings. The public entry points are re-exported here.
"""

from claimwatch.differ.claims import extract_claims
from claimwatch.differ.diff import diff_claims, inline_diff
from claimwatch.differ.model import Change, Claim
from claimwatch.differ.text import normalise
from claimwatch.differ.topic import Topic, load_topic

__all__ = [
    "Change",
    "Claim",
    "Topic",
    "diff_claims",
    "extract_claims",
    "inline_diff",
    "load_topic",
    "normalise",
]
