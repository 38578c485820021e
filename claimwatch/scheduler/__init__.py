"""claimwatch.scheduler (under construction)."""
