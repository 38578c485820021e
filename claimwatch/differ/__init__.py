"""Pure claim logic: main text -> claims, and claims x claims -> changes.

No I/O and no imports from the rest of claimwatch: everything here is tested with plain
strings. The public entry points are re-exported here.
"""

from claimwatch.differ.model import Change, Claim

__all__ = ["Change", "Claim"]
