"""claimwatch.alerts (under construction)."""
