"""People: the record itself, search, the summary and merging duplicates."""
