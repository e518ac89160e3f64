"""The counter: needle exchange, naloxone, alcohol screening, and their record and reports."""
