"""What leaves the building, for every screen: the letter writer, the batch,
the preview, printing and export (the Letters tab itself is ui/letters)."""
