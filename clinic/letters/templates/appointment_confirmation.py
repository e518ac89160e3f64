"""Confirms a booked appointment to the person: when, where, who to ask for."""

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
class AppointmentConfirmation(LetterBase):
    appointment: Appointment


def check(letter: AppointmentConfirmation) -> None:
    check_letter(letter)
    check_appointment(letter, letter.appointment)


def body(letter: AppointmentConfirmation) -> list[Flowable]:
    return [
        greeting(letter),
        para("Your appointment", STRONG),
        para("We have booked an appointment for you. The details are below."),
        *appointment_table(letter.appointment),
        to_rearrange(letter),
        signed(letter, para("You are welcome to bring someone with you. If you would like an interpreter, "
                            "or any help to get here, please let us know before the day.")),
    ]


TEMPLATE = register(Template(
    key="appointment_confirmation", title="Appointment confirmation", category="appointment",
    data_class=AppointmentConfirmation, body=body, check=check,
))
