"""Store reads for ``claimwatch status``: the schedule itself needs only the sources table."""

from __future__ import annotations

from typing import Any


def latest_versions(store: Any) -> dict[int, tuple[int, str]]:
    """Per source id: its newest version number and when it was fetched."""
    rows = store.db.execute(
        "SELECT s.source_id, s.version, s.fetched_at FROM snapshots s"
        " JOIN (SELECT source_id, MAX(version) AS v FROM snapshots GROUP BY source_id) m"
        " ON m.source_id = s.source_id AND m.v = s.version"
    ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}
