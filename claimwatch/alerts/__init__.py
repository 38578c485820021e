"""Alert hooks (webhook, command, Apprise, stdout) behind one interface, and the outbox worker.

Importing this package registers every hook kind in ``Hook.registry``.
"""

from claimwatch.alerts import command, notify, stdout, webhook  # noqa: F401  (registration)
from claimwatch.alerts.hooks import Hook

__all__ = ["Hook"]
