"""The schema, owned by migrations applied on open. Never edit a released migration: add one."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("claimwatch")


@migrations()
def m001_initial(db: Database) -> None:
    """Sources, fetch log, versioned snapshots, claims, changes, runs and alerts."""
    db.executescript(
        """
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            url TEXT NOT NULL,
            selector TEXT,
            interval TEXT,
            enabled INTEGER NOT NULL DEFAULT 1,
            origin TEXT,             -- the sources file it was imported from, or 'cli'
            created_at TEXT NOT NULL,
            removed_at TEXT          -- tombstone: history kept, no longer watched
        );
        -- Mutable per-source state, updated in place so an unchanged fetch grows nothing here.
        CREATE TABLE source_state (
            source_id INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
            etag TEXT,
            last_modified TEXT,
            raw_hash TEXT,
            last_fetch_at TEXT,
            last_status TEXT,
            last_error TEXT,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            last_change_at TEXT,     -- when the text last changed (adaptive schedules)
            flagged TEXT             -- why the source needs attention, or NULL
        );
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            kind TEXT NOT NULL       -- crawl | reanalyse
        );
        CREATE TABLE fetches (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES runs(id),
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            started_at TEXT NOT NULL,
            ms INTEGER,
            status TEXT NOT NULL CHECK (status IN ('ok','not_modified','unchanged','error')),
            http_status INTEGER,
            error TEXT,
            snapshot_id INTEGER
        );
        CREATE INDEX fetches_source ON fetches(source_id, id);
        CREATE TABLE snapshots (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            fetched_at TEXT NOT NULL,
            run_id INTEGER REFERENCES runs(id),
            text_hash TEXT NOT NULL,
            title TEXT,
            published_at TEXT,
            text_len INTEGER NOT NULL,
            raw_len INTEGER NOT NULL,
            text_z BLOB NOT NULL,    -- zlib, delta-compressed against base_id's text
            raw_z BLOB NOT NULL,     -- zlib, delta-compressed against base_id's raw HTML
            base_id INTEGER REFERENCES snapshots(id),
            analysed_at TEXT,
            claim_count INTEGER,
            suspect TEXT,            -- why this version is not a trusted baseline, or NULL
            UNIQUE (source_id, version)
        );
        CREATE INDEX snapshots_pending ON snapshots(analysed_at) WHERE analysed_at IS NULL;
        -- Distinct claim texts, stored once however many versions hold them.
        CREATE TABLE claims (
            id INTEGER PRIMARY KEY,
            text TEXT NOT NULL UNIQUE,
            norm_hash TEXT NOT NULL,
            category TEXT NOT NULL,
            facets TEXT NOT NULL     -- JSON
        );
        CREATE INDEX claims_norm ON claims(norm_hash);
        CREATE TABLE snapshot_claims (
            snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            lineage_id INTEGER NOT NULL,   -- follows one claim across its edits
            PRIMARY KEY (snapshot_id, position)
        ) WITHOUT ROWID;
        CREATE INDEX snapshot_claims_claim ON snapshot_claims(claim_id);
        CREATE TABLE changes (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES runs(id),
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            from_snapshot INTEGER REFERENCES snapshots(id) ON DELETE CASCADE,
            to_snapshot INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('added','removed','changed')),
            old_claim_id INTEGER REFERENCES claims(id),
            new_claim_id INTEGER REFERENCES claims(id),
            significant INTEGER NOT NULL,
            reason TEXT NOT NULL,
            category TEXT,
            detail TEXT,             -- JSON facet delta
            detected_at TEXT NOT NULL
        );
        CREATE INDEX changes_run ON changes(run_id);
        CREATE INDEX changes_source ON changes(source_id, to_snapshot);
        -- One alert per source per cycle, written with the changes it reports.
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES runs(id),
            source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,      -- changes | source_failing | source_recovered
            payload TEXT NOT NULL,   -- JSON
            idempotency_key TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        );
        """
    )
    db["claims"].enable_fts(["text"], create_triggers=True, tokenize="porter")


@migrations()
def m002_alerts(db: Database) -> None:
    """Delivery state of alerts: one row per alert and hook, created when fanned out."""
    db.executescript(
        """
        CREATE TABLE deliveries (
            id INTEGER PRIMARY KEY,
            alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
            hook TEXT NOT NULL,          -- the hook's name in the config file
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending','sent','failed','dead')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            last_error TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            UNIQUE (alert_id, hook)
        );
        CREATE INDEX deliveries_due ON deliveries(status, next_attempt_at);
        -- When each hook name was first configured: it receives alerts from backlog_days
        -- before that on, so a long delivery outage never loses alerts for known hooks.
        CREATE TABLE hooks (
            name TEXT PRIMARY KEY,
            first_seen_at TEXT NOT NULL
        );
        CREATE INDEX alerts_created ON alerts(created_at);
        CREATE INDEX alerts_source ON alerts(source_id, kind, id);
        """
    )


@migrations()
def m003_claim_lists(db: Database) -> None:
    """Claim membership as one blob per version plus a per-source summary.

    ``snapshot_claims`` held one row per claim per version (~3 KB per version of a typical
    page); each version's list now sits on its snapshot row (see ``claimlist``) and
    ``source_claims`` keeps, per source and claim text, what history and search need. It is
    fed by trusted versions only. ``claims_norm`` indexed a column nothing looks up.
    """
    db.executescript(
        """
        ALTER TABLE snapshots ADD COLUMN claim_list BLOB;  -- claimlist.encode(), once analysed
        CREATE TABLE source_claims (
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            lineage_id INTEGER NOT NULL,      -- the smallest lineage id it was stored with
            first_version INTEGER NOT NULL,   -- first and last trusted version holding it
            last_version INTEGER NOT NULL,
            first_seen TEXT NOT NULL,         -- fetched_at of first_version
            min_position INTEGER NOT NULL,    -- the smallest position it held (listing order)
            PRIMARY KEY (source_id, claim_id)
        ) WITHOUT ROWID;
        CREATE INDEX source_claims_claim ON source_claims(claim_id);
        """
    )
    _move_claim_lists(db)
    db.executescript(
        """
        INSERT INTO source_claims
        SELECT s.source_id, sc.claim_id, MIN(sc.lineage_id), MIN(s.version), MAX(s.version),
               MIN(s.fetched_at), MIN(sc.position)
        FROM snapshot_claims sc JOIN snapshots s ON s.id = sc.snapshot_id
        WHERE s.suspect IS NULL GROUP BY s.source_id, sc.claim_id;
        DROP TABLE snapshot_claims;
        DROP INDEX claims_norm;
        """
    )


def _move_claim_lists(db: Database) -> None:
    """Write each analysed version's rows of ``snapshot_claims`` as its claim list blob."""
    from claimwatch.storage import claimlist

    def flush(snapshot_id: int | None, entries: list[claimlist.Entry]) -> None:
        if snapshot_id is not None:
            db.execute(
                "UPDATE snapshots SET claim_list = ? WHERE id = ?",
                [claimlist.encode(entries), snapshot_id],
            )

    current: int | None = None
    entries: list[claimlist.Entry] = []
    rows = db.execute(
        "SELECT snapshot_id, claim_id, position, lineage_id FROM snapshot_claims"
        " ORDER BY snapshot_id, position"
    )
    for snapshot_id, claim_id, position, lineage_id in rows:
        if snapshot_id != current:
            flush(current, entries)
            current, entries = snapshot_id, []
        entries.append(claimlist.Entry(claim_id, position, lineage_id))
    flush(current, entries)
    db.execute(
        "UPDATE snapshots SET claim_list = ? WHERE analysed_at IS NOT NULL AND claim_list IS NULL",
        [claimlist.encode([])],
    )
