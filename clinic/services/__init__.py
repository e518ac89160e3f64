"""The services: every read and write a screen or the admin tool makes, each
checking the user's role and auditing in the same unit of work.

Importing any of them wires the appointment book's one watcher (probation's
links), so a DRR booking links to its order and a DNA reaches Probation
whichever service was imported first.
"""

from clinic.services.appointments import watchers as _watchers
from clinic.services.probation.links import BOOKING_LINKS as _BOOKING_LINKS

_watchers.watch(_BOOKING_LINKS)
