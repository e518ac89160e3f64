"""Reminds the person of an appointment that is coming up."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.platypus import Flowable

from clinic.letters.layout import check_letter, greeting, signed
from clinic.letters.model import LetterBase
from clinic.letters.registry import Template, register
from clinic.letters.styles import STRONG, para
from clinic.letters.templates.appointment_details import (Appointment, appointment_table,
                                                          check_appointment, to_rearrange)


@dataclass(frozen=True, kw_only=True)
class AppointmentReminder(LetterBase):
    appointment: Appointment


def check(letter: AppointmentReminder) -> None:
    check_letter(letter)
    check_appointment(letter, letter.appointment)


def body(letter: AppointmentReminder) -> list[Flowable]:
    return [
        greeting(letter),
        para("Reminder of your appointment", STRONG),
        para("This is a reminder of your appointment with us."),
        *appointment_table(letter.appointment),
        to_rearrange(letter),
        signed(letter, para("We look forward to seeing you.")),
    ]


TEMPLATE = register(Template(
    key="appointment_reminder", title="Appointment reminder", category="appointment",
    data_class=AppointmentReminder, body=body, check=check,
))
