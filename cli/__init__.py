"""Command-line entry points (the site administrator's tools)."""
