"""Vaccination: the person tab, the nurse page with worklists and stock."""
