"""The built-in templates. Importing a module registers its template; to add
one, write a module here (see appointment_reminder.py for the smallest)
and import it below."""

from clinic.letters.templates import (appointment_confirmation, appointment_reminder, day_sheet, gp_letter,
                                      missed_appointment, ost_review_gp, pharmacy_missed_doses, results_ready,
                                      safe_storage_leaflet, vaccination_recall)
from clinic.letters.templates import recovery_plan  # the treatment journey's handout

__all__ = ["appointment_confirmation", "appointment_reminder", "day_sheet", "gp_letter", "missed_appointment",
           "ost_review_gp", "pharmacy_missed_doses", "recovery_plan", "results_ready", "safe_storage_leaflet",
           "vaccination_recall"]
