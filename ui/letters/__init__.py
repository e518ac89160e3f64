"""The Letters tab and the held-letters page (writing, preview and printing are ui/output)."""
