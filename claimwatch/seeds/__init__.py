"""Bundled data: seed sources, seed article pages and the topic definition."""
