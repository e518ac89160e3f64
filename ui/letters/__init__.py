"""Letters: preview, print, save as PDF, write, file, batch."""
