"""Opioid substitution treatment: prescriptions, missed doses, reviews, the record, worklists and letters."""
