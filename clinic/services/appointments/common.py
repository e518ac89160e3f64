"""Shared pieces of the appointment services: errors, time, names.

Appointment times are naive local clinic wall-clock datetimes (see
``db/tables/appointments.py``); ``local_now`` turns the clock's UTC instant
into the same form so the two can be compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import overload

from clinic.dates import uk_day
from clinic.appointment_status import AppointmentStatus
from clinic.clock import SITE_TZ
from clinic.scheduling import Dimension
from clinic.uow import UnitOfWork

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


def local_now(uow: UnitOfWork) -> datetime:
    """The clinic's wall-clock time now, naive, comparable with appointment times."""
    return uow.clock.now().astimezone(SITE_TZ).replace(tzinfo=None)


@overload
def to_local(instant: datetime) -> datetime: ...
@overload
def to_local(instant: None) -> None: ...
@overload
def to_local(instant: datetime | None) -> datetime | None: ...
def to_local(instant: datetime | None) -> datetime | None:
    """A stored UTC instant as naive local wall-clock time (for display)."""
    if instant is None:
        return None
    if instant.tzinfo is None:  # SQLite hands back naive values: they were UTC
        from datetime import UTC
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(SITE_TZ).replace(tzinfo=None)


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, day after last 00:00) in wall-clock time."""
    from datetime import time, timedelta
    return datetime.combine(first, time.min), datetime.combine(last + timedelta(days=1), time.min)


def person_name(forename: str, surname: str, preferred: str = "") -> str:
    if preferred and preferred != forename:
        return f"{forename} ({preferred}) {surname}"
    return f"{forename} {surname}"
