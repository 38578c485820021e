"""claimwatch.cli (under construction)."""
