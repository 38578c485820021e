"""claimwatch.scheduler: background runs. Interval parsing (durations, cron, adaptive), which
sources are due (from the database alone), the one-daemon-per-database lock, and the
APScheduler daemon behind ``claimwatch schedule``."""
