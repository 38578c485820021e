"""claimwatch.report (under construction)."""
