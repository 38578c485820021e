"""Pure claim logic: main text -> claims, and claims x claims -> changes.

No I/O and no imports from the rest of claimwatch: everything here is tested with plain
strings. The public entry points are re-exported here:

    topic = load_topic(toml_text)                 # ValueError("key 'x': ...") on bad data
    claims = extract_claims(text, topic)          # sentences about the topic, in reading order
    claims = extract_claims(text, topic, lazy=True)   # same claims, facets left thin
    changes = diff_claims(old, new, removed_before=hashes, topic=topic)  # fills thin facets
    complete_facets(claims, topic) / thin_facets(facets)   # fill in place / what to store
    inline_diff(old_text, new_text)               # [("equal"|"delete"|"insert", text), ...]
    normalise(text) / norm_hash(text)             # what Claim.norm_hash is computed from

``Claim.facets`` (plain JSON) holds: canon (canonical tokens: aliases as @id, numbers as
digits, months as m01..m12), spans (character spans of those tokens in the plain text),
numbers, dates, actors (topic actor ids), entities ([id, token index]), names (the entities
found as capitalised words rather than topic aliases), hedges (modal,
evidential, attribution, assertive markers), negations, category, and, when the next
(previous) sentence of the paragraph is not a claim, tail (head): that sentence's facets and
text, used to recognise splits and merges. ``Change.detail`` is the deepdiff of the
reader-facing facets.
"""

from claimwatch.differ.claims import complete_facets, extract_claims, thin_facets
from claimwatch.differ.diff import diff_claims, inline_diff
from claimwatch.differ.model import Change, Claim
from claimwatch.differ.text import norm_hash, normalise
from claimwatch.differ.topic import Topic, load_topic

__all__ = [
    "Change",
    "Claim",
    "Topic",
    "complete_facets",
    "diff_claims",
    "extract_claims",
    "inline_diff",
    "load_topic",
    "norm_hash",
    "normalise",
    "thin_facets",
]
