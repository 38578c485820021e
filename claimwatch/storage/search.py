"""Full-text search over claims (the ``claims_fts`` FTS5 index, porter stemming), ranked by bm25.

"Current" claims are those of each source's latest trusted, analysed version; with
``history`` every claim any trusted version ever held is searched, once per source. Both come
from ``source_claims``, which records per source the first and last trusted version that
held each claim: a claim is current when its last version is the source's latest.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from claimwatch.errors import ClaimwatchError

_OPEN, _CLOSE = "\x01", "\x02"  # match markers from FTS5 highlight()
_TERMS = re.compile(r'"([^"]*)"|([^\s"]+)')


@dataclass(frozen=True)
class SearchHit:
    """One claim of one source matching a search."""

    text: str
    source: str
    url: str
    category: str
    version: int  # the latest version holding the claim
    first_version: int
    first_seen: str  # when the source first showed the claim
    current: bool  # the source's latest version holds it
    rank: float  # bm25: lower is better
    parts: tuple[tuple[bool, str], ...]  # (is a match, text) pieces of ``text``


def fts_query(text: str) -> str:
    """A user's search as an FTS5 query: every word (or "quoted phrase") must match.

    Each term is quoted, so FTS5 operators typed by the user are searched as words.
    ValueError when nothing searchable is left.
    """
    terms = []
    for phrase, word in _TERMS.findall(text):
        term = (phrase or word).strip()
        if term and re.search(r"\w", term):
            terms.append('"' + term.replace('"', '""') + '"')
    if not terms:
        raise ValueError(f"nothing to search for in '{text}': give words or \"a phrase\"")
    return " ".join(terms)


_SQL = """
WITH hits AS (
    SELECT rowid AS claim_id, bm25(claims_fts) AS rank,
           highlight(claims_fts, 0, char(1), char(2)) AS marked
    FROM claims_fts WHERE claims_fts MATCH :query
),
latest AS (
    SELECT source_id, MAX(version) AS version FROM snapshots
    WHERE analysed_at IS NOT NULL AND suspect IS NULL GROUP BY source_id
)
SELECT c.text, s.name, s.url, c.category, held.last_version, held.first_version,
       held.first_seen, held.last_version = latest.version, h.rank, h.marked
FROM hits h
JOIN source_claims held ON held.claim_id = h.claim_id
JOIN claims c ON c.id = held.claim_id
JOIN sources s ON s.id = held.source_id
LEFT JOIN latest ON latest.source_id = held.source_id
WHERE (:history OR held.last_version = latest.version)
  AND (:source IS NULL OR s.name = :source)
  AND (:category IS NULL OR c.category = :category)
ORDER BY h.rank, s.name, held.first_seen
LIMIT :limit
"""


def search_claims(
    store: Any,
    text: str,
    *,
    source: str | None = None,
    category: str | None = None,
    history: bool = False,
    limit: int = 50,
) -> list[SearchHit]:
    """Claims matching ``text``, best first (bm25), with source, version and first-seen time."""
    args = {
        "query": fts_query(text),
        "source": source,
        "category": category,
        "history": int(history),
        "limit": limit,
    }
    try:
        rows = store.db.execute(_SQL, args).fetchall()
    except sqlite3.OperationalError as exc:  # a query FTS5 still cannot parse
        raise ClaimwatchError(f"cannot search for '{text}': {exc}") from None
    return [SearchHit(*r[:7], bool(r[7]), r[8], _parts(r[9])) for r in rows]


def _parts(marked: str) -> tuple[tuple[bool, str], ...]:
    """Split FTS5 highlight() output into (is a match, text) pieces."""
    out: list[tuple[bool, str]] = []
    for i, piece in enumerate(re.split(f"[{_OPEN}{_CLOSE}]", marked)):
        if piece:
            out.append((i % 2 == 1, piece))
    return tuple(out)


def categories(store: Any) -> list[str]:
    """The claim categories present in the database."""
    rows = store.db.execute("SELECT DISTINCT category FROM claims ORDER BY category")
    return [r[0] for r in rows.fetchall()]
