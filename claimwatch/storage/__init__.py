"""The SQLite database: schema and migrations, WAL, and every SQL statement of claimwatch."""

from claimwatch.storage.claims import ChangeRecord, StoredClaim
from claimwatch.storage.snapshots import FetchRecord, SnapshotRow
from claimwatch.storage.sources import SourceRow
from claimwatch.storage.store import Store, StoreError, iso, utcnow

__all__ = [
    "ChangeRecord",
    "FetchRecord",
    "SnapshotRow",
    "SourceRow",
    "Store",
    "StoreError",
    "StoredClaim",
    "iso",
    "utcnow",
]
