"""claimwatch.storage (under construction)."""
