"""What every appointment letter to a person says: when, where, who to ask
for, and how to change it.

Letters to the person never say what the appointment is for: the letter
may be opened by someone else at the address. Discreet letters are also
refused if their own details name the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from clinic.letters.model import LetterBase
from clinic.letters.styles import label_value_table, para
from clinic.letters.wording import clock_time, local, weekday_date


@dataclass(frozen=True)
class Appointment:
    #: Clinic time; an aware datetime is shown in the clinic's time zone.
    starts_at: datetime
    #: Where to come, one line each: "Room 2", "1 Example Street", "Exampletown".
    place: tuple[str, ...]
    #: "Sam Jones at reception".
    ask_for: str


def day_text(at: datetime) -> str:
    return weekday_date(local(at).date())


def time_text(at: datetime) -> str:
    return clock_time(local(at))


def appointment_table(appointment: Appointment) -> list[Flowable]:
    rows = (
        ("Date", day_text(appointment.starts_at)),
        ("Time", time_text(appointment.starts_at)),
        ("Place", "\n".join(line for line in appointment.place if line.strip())),
        ("Please ask for", appointment.ask_for),
    )
    return [Spacer(1, 1 * mm), label_value_table(rows, label_width=34 * mm, width=130 * mm), Spacer(1, 5 * mm)]


def to_rearrange(letter: LetterBase) -> Flowable:
    return para(f"If this time does not suit you, or you cannot come, please phone us on "
                f"{letter.letterhead.phone} and we will arrange another time.")


def check_discreet(letter: LetterBase, *texts: str) -> None:
    """A discreet letter whose own details name the service is refused."""
    name = letter.letterhead.service_name.strip().casefold()
    if letter.recipient.discreet and name and any(name in text.casefold() for text in texts):
        raise ValueError("This letter must be discreet, but its appointment details name the service "
                         f"({letter.letterhead.service_name}). Give the street address instead.")


def check_appointment(letter: LetterBase, appointment: Appointment) -> None:
    if not any(line.strip() for line in appointment.place):
        raise ValueError("The appointment has no place: say where to come.")
    if not appointment.ask_for.strip():
        raise ValueError("The appointment letter must say who to ask for.")
    check_discreet(letter, *appointment.place, appointment.ask_for)
