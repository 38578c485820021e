"""claimwatch.crawler (under construction)."""
