"""After a missed appointment: a kind letter that keeps the door open.

This is a harm-reduction service: the letter never scolds, warns or talks
of discharge. It says we missed the person, that they are welcome, and how
to get a new time (or gives one already booked).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reportlab.platypus import Flowable

from clinic.letters.layout import check_letter, greeting, signed
from clinic.letters.model import LetterBase
from clinic.letters.registry import Template, register
from clinic.letters.styles import STRONG, para
from clinic.letters.templates.appointment_details import (Appointment, appointment_table,
                                                          check_appointment, day_text, time_text)


@dataclass(frozen=True, kw_only=True)
class MissedAppointment(LetterBase):
    missed_at: datetime
    #: A new appointment already booked, or None to invite a phone call.
    next_appointment: Appointment | None = None


def check(letter: MissedAppointment) -> None:
    check_letter(letter)
    if letter.next_appointment is not None:
        check_appointment(letter, letter.next_appointment)


def body(letter: MissedAppointment) -> list[Flowable]:
    phone = letter.letterhead.phone
    missed = letter.missed_at
    story: list[Flowable] = [
        greeting(letter),
        para(f"Your appointment on {day_text(missed)}", STRONG),
        para(f"We were sorry not to see you at your appointment on {day_text(missed)} at {time_text(missed)}."),
        para("We know things come up and it is not always possible to get here. You are still very welcome, "
             "and we would like to see you."),
    ]
    if letter.next_appointment is None:
        story.append(para(f"Please phone us on {phone} when you can, and we will find a time that suits you."))
    else:
        story += [
            para("We have booked another appointment for you:"),
            *appointment_table(letter.next_appointment),
            para(f"If this time does not suit you, please phone us on {phone} and we will find one that does."),
        ]
    story.append(signed(letter, para(
        "If something makes it hard to come, such as the time of day, travel or anything else, please tell us. "
        "We will do what we can to help.")))
    return story


TEMPLATE = register(Template(
    key="missed_appointment", title="Sorry we missed you", category="appointment",
    data_class=MissedAppointment, body=body, check=check,
))
