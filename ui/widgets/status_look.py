"""How an appointment status looks, everywhere it is shown: a colour and
always a word with a symbol too, so nothing depends on telling colours
apart (colour-blind safe; the palette is Okabe–Ito based)."""

from __future__ import annotations

from clinic.services.appointments.common import STATUS_LABELS

#: Fill colours: light tints, dark text stays readable on all of them.
STATUS_COLOURS = {
    "booked": "#d6e6f5",            # blue
    "arrived": "#fde9b8",           # amber
    "in_progress": "#f7d2b2",       # orange
    "seen": "#cfe8d8",              # bluish green
    "dna": "#f3c6d6",               # reddish purple
    "cancelled_client": "#e6e6e6",  # grey
    "cancelled_service": "#e6e6e6",
    "left_unseen": "#f1c9b8",       # vermilion
}
#: The edge drawn down the left of a booking, a stronger shade of the fill.
STATUS_EDGES = {
    "booked": "#0072b2", "arrived": "#b38600", "in_progress": "#d55e00", "seen": "#009e73",
    "dna": "#cc79a7", "cancelled_client": "#7a7a7a", "cancelled_service": "#7a7a7a", "left_unseen": "#a33a12",
}
STATUS_SYMBOLS = {
    "booked": "○", "arrived": "●", "in_progress": "▶", "seen": "✓", "dna": "✗",
    "cancelled_client": "—", "cancelled_service": "—", "left_unseen": "↩",
}
FREE_COLOUR = "#ffffff"
FREE_EDGE = "#2e7d32"
SESSION_COLOUR = "#eef3f8"


def status_text(status: str) -> str:
    """"✓ Seen", "✗ Did not attend": the symbol and the word."""
    return f"{STATUS_SYMBOLS.get(status, '')} {STATUS_LABELS[status]}".strip()
