"""The pipeline: crawl -> analyse -> deliver, each stage idempotent and resumable.

A crash between stages loses nothing: new versions wait in ``snapshots`` with
``analysed_at`` NULL, and alerts wait in the outbox, until the next run picks them up.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from claimwatch.config import Config, load_sources, read_topic
from claimwatch.crawler.pipelines import Outcome
from claimwatch.storage import ChangeRecord, SnapshotRow, SourceRow, Store

log = logging.getLogger("claimwatch")

COLLAPSE_MIN_CLAIMS = 4  # the claim-collapse guard applies from this many baseline claims
COMMIT_EVERY = 32  # versions analysed per transaction (a crash redoes at most these)


@dataclass
class Analysis:
    """What analysing one new version found."""

    source_id: int
    version: int
    added: int = 0
    removed: int = 0
    changed_significant: int = 0
    changed_minor: int = 0
    minor: int = 0  # restored and other minor adds
    baseline: bool = False  # first version: claims stored, nothing reported
    suspect: str | None = None
    claims: int = 0

    @property
    def significant(self) -> int:
        return self.added + self.removed + self.changed_significant


@dataclass
class CycleResult:
    """One full cycle's results, for the summary."""

    run_id: int | None
    outcomes: list[Outcome] = field(default_factory=list)
    analyses: dict[int, Analysis] = field(default_factory=dict)
    delivery: Any = None

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "error"]


def import_sources(store: Store, cfg: Config) -> list[str]:
    """Bring the sources file's sources into the database (the watched set)."""
    return store.import_sources(load_sources(cfg.sources), origin=str(cfg.sources))


def load_topic(cfg: Config, text: str | None = None) -> Any:
    """The parsed topic definition (``text``: the file's content, if already read)."""
    from claimwatch.differ import load_topic as parse
    from claimwatch.errors import ConfigError

    try:
        return parse(read_topic(cfg.topic) if text is None else text)
    except ValueError as exc:
        raise ConfigError(str(cfg.topic), None, str(exc)) from None


def run_cycle(
    store: Store,
    cfg: Config,
    sources: Sequence[SourceRow] | None = None,
    *,
    progress: Callable[[Outcome], None] | None = None,
) -> CycleResult:
    """Crawl ``sources`` (default: every enabled source), analyse, deliver."""
    from claimwatch.crawler.runner import run_crawl

    jobs = list(store.sources(enabled_only=True) if sources is None else sources)
    # Nothing due (a cron tick): record no run, but still finish what earlier runs left.
    run_id = store.start_run("crawl") if jobs else None
    result = CycleResult(run_id=run_id)
    if run_id is not None:
        result.outcomes = run_crawl(jobs, store, run_id, cfg.crawl, progress=progress)
        check_health(store, cfg, run_id)
    result.analyses = analyse_pending(store, cfg)
    if run_id is not None:
        store.finish_run(run_id)
    result.delivery = deliver(store, cfg)
    return result


def check_health(store: Store, cfg: Config, run_id: int) -> None:
    """Queue "source failing" / "source recovered" alerts from the sources' fetch state."""
    from claimwatch.alerts.health import raise_health_alerts

    raise_health_alerts(store, cfg, run_id)


def deliver(store: Store, cfg: Config) -> Any:
    """Deliver queued alerts through the configured hooks."""
    from claimwatch.alerts.outbox import deliver_pending

    return deliver_pending(store, cfg)


def analyse_pending(
    store: Store, cfg: Config, source_id: int | None = None, *, alerts: bool = True
) -> dict[int, Analysis]:
    """Analyse every version without claims, oldest first, one transaction each."""
    from claimwatch.workers import ClaimExtractor, chunks

    pending = store.pending_snapshots(source_id)
    if not pending:
        return {}
    topic_text = read_topic(cfg.topic)
    topic = load_topic(cfg, topic_text)
    out: dict[int, Analysis] = {}
    with ClaimExtractor(topic_text, topic, len(pending)) as extractor:
        for chunk in chunks(pending):
            texts = [store.snapshot_text(s.id) for s in chunk]
            results = iter(zip(chunk, extractor.map(texts), strict=True))
            while batch := list(islice(results, COMMIT_EVERY)):
                # One commit per batch: each commit also flushes the full-text index, which
                # made per-version commits most of a first cycle's write time.
                with store.transaction():
                    for snap, claims in batch:
                        out[snap.source_id] = analyse_snapshot(
                            store, snap, claims, alerts=alerts, topic=topic
                        )
    return out


def analyse_snapshot(
    store: Store,
    snap: SnapshotRow,
    claims: Sequence[Any],
    *,
    alerts: bool = True,
    topic: Any = None,
) -> Analysis:
    """Diff a version's claims against the last good version's; store claims and changes.

    Claims may come with thin facets (extracted lazily): ``topic`` lets the differ compute
    the facets it needs.
    """
    from claimwatch.differ import Claim, diff_claims

    rows = [_claim_dict(c) for c in claims]
    base = store.baseline(snap.source_id, snap.version)
    res = Analysis(snap.source_id, snap.version, claims=len(claims))
    if base is None:
        res.baseline = True
        store.record_analysis(snap, None, rows, [None] * len(rows), [])
        return res
    old_stored = store.claims_of(base.id)
    if len(old_stored) >= COLLAPSE_MIN_CLAIMS and len(claims) < len(old_stored) / 2:
        res.suspect = (
            f"claims collapsed from {len(old_stored)} to {len(claims)}: extraction failure"
            " suspected, no removals reported"
        )
        store.record_analysis(snap, base, rows, [None] * len(rows), [], suspect=res.suspect)
        store.flag_source(snap.source_id, res.suspect)
        return res
    old = [Claim(c.text, c.position, c.norm_hash, c.category, c.facets) for c in old_stored]
    seen = store.hashes_seen(snap.source_id, snap.version) - {c.norm_hash for c in old}
    changes = diff_claims(old, claims, removed_before=seen, topic=topic)
    records = [_change_record(ch) for ch in changes]
    lineage = _lineage(old_stored, claims, changes)
    _count(res, records)
    alert = _alert(store, snap, base, records) if alerts and records else None
    store.record_analysis(snap, base, rows, lineage, records, alert=alert)
    store.flag_source(snap.source_id, None)
    return res


def _claim_dict(c: Any) -> dict[str, Any]:
    from claimwatch.differ import thin_facets

    return {
        "text": c.text,
        "position": c.position,
        "norm_hash": c.norm_hash,
        "category": c.category,
        "facets": thin_facets(c.facets),  # the rest follows from the text
    }


def _change_record(ch: Any) -> ChangeRecord:
    claim = ch.new or ch.old
    return ChangeRecord(
        kind=ch.kind,
        old_text=ch.old.text if ch.old else None,
        new_text=ch.new.text if ch.new else None,
        significant=ch.significant,
        reason=ch.reason,
        category=claim.category if claim else None,
        detail=ch.detail,
    )


def _lineage(old: Sequence[Any], new: Sequence[Any], changes: Sequence[Any]) -> list[int | None]:
    """Carry lineage ids: same text keeps its lineage, a changed claim inherits the old one's."""
    by_hash = {c.norm_hash: c.lineage_id for c in old}
    by_text = {c.text: c.lineage_id for c in old}
    edited = {ch.new.text: by_text.get(ch.old.text) for ch in changes if ch.old and ch.new}
    return [edited.get(c.text) or by_hash.get(c.norm_hash) for c in new]


def _count(res: Analysis, records: Sequence[ChangeRecord]) -> None:
    for r in records:
        if r.kind == "changed":
            if r.significant:
                res.changed_significant += 1
            else:
                res.changed_minor += 1
        elif not r.significant:
            res.minor += 1
        elif r.kind == "added":
            res.added += 1
        else:
            res.removed += 1


def _alert(
    store: Store, snap: SnapshotRow, base: SnapshotRow, records: Sequence[ChangeRecord]
) -> dict[str, Any]:
    """One alert per source per cycle, carrying all of the version's changes."""
    src = store.source_by_id(snap.source_id)
    key = hashlib.sha256(f"changes:{src.name}:{base.version}:{snap.version}".encode()).hexdigest()
    payload = {
        "schema": "claimwatch.alert/1",
        "kind": "changes",
        "idempotency_key": key,
        "source": {"name": src.name, "url": src.url},
        "from_version": base.version,
        "to_version": snap.version,
        "detected_at": snap.fetched_at,
        "changes": [
            {
                "kind": r.kind,
                "significant": r.significant,
                "reason": r.reason,
                "old_text": r.old_text,
                "new_text": r.new_text,
                "category": r.category,
            }
            for r in records
        ],
    }
    return {"kind": "changes", "payload": payload, "idempotency_key": key}
