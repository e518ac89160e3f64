"""Shared pieces of the appointment services: errors, time, names.

Appointment times are naive local clinic wall-clock datetimes (see
``db/tables/appointments.py``); ``clinic.clock.local_now`` turns the clock's UTC instant
into the same form so the two can be compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clinic.dates import uk_day
from clinic.appointment_status import AppointmentStatus
from clinic.scheduling import Dimension

#: The screens' words for each status, keyed by its stored value.
STATUS_LABELS: dict[str, str] = {s: s.label for s in AppointmentStatus}


class StaleAppointment(ValueError):
    """Someone else changed this since it was shown."""

    def __init__(self, what: str = "appointment") -> None:
        super().__init__(f"Someone else has just changed this {what}. "
                         "The screen has been refreshed; please check and try again.")


@dataclass(frozen=True)
class ClashInfo:
    appointment_id: int
    person_name: str
    clinician_name: str
    room_name: str
    start: datetime
    end: datetime
    dimensions: tuple[Dimension, ...]

    def describe(self) -> str:
        what = {"person": "the same person", "clinician": "the same clinician", "room": "the same room"}
        shared = " and ".join(what[d.value] for d in self.dimensions)
        room = f" in {self.room_name}" if self.room_name else ""
        return (f"{uk_day(self.start)} {self.start:%H:%M}–{self.end:%H:%M} {self.person_name} with "
                f"{self.clinician_name}{room} ({shared})")


class ClashError(ValueError):
    """A booking refused because it overlaps others; ``clashes`` says which."""

    def __init__(self, clashes: list[ClashInfo]) -> None:
        self.clashes = clashes
        lines = "\n".join("• " + c.describe() for c in clashes[:10])
        more = f"\n…and {len(clashes) - 10} more" if len(clashes) > 10 else ""
        super().__init__(f"This time is already taken:\n{lines}{more}")


class NeedsConfirmation(ValueError):
    """A booking that may go ahead only if the user confirms the warnings."""

    def __init__(self, warnings: list[str]) -> None:
        self.warnings = warnings
        super().__init__("Please confirm: " + " ".join(warnings))


def person_name(forename: str, surname: str, preferred: str = "") -> str:
    if preferred and preferred != forename:
        return f"{forename} ({preferred}) {surname}"
    return f"{forename} {surname}"
