"""Fixed letters for the tests: the same input every time, so output can be
compared byte for byte. Names are chosen to need more than Latin-1."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime, time

from PIL import Image
from pypdf import PdfReader

from clinic.clock import SITE_TZ
from clinic.letters import Letterhead, Recipient, Signatory
from clinic.letters.templates.appointment_confirmation import AppointmentConfirmation
from clinic.letters.templates.appointment_details import Appointment
from clinic.letters.templates.appointment_reminder import AppointmentReminder
from clinic.letters.templates.day_sheet import Booking, ClinicianSession, DaySheet
from clinic.letters.templates.gp_letter import LetterToGP
from clinic.letters.templates.missed_appointment import MissedAppointment

SERVICE = "Harbour Harm Reduction Service"
HEAD = Letterhead(
    service_name=SERVICE, address_lines=("1 Example Street", "Exampletown", "EX1 1AA"), phone="01234 567890",
    secure_email="harbour.service@nhs.net", return_address="PO Box 1, Exampletown EX1 1AA",
    footer="This letter contains confidential information. If it has reached you in error, "
           "please return it to the sender unopened.")
NURSE = Signatory("Sam Jones", "Harm reduction nurse", "NMC 12A3456E")
ZOE = Recipient("Zoë Ó Súilleabháin", ("Flat 2", "14 Łukasz Court", "Exampletown", "EX2 3BB"))
TODAY = date(2026, 11, 23)
APPOINTMENT = Appointment(datetime(2026, 12, 7, 10, 30, tzinfo=SITE_TZ), ("1 Example Street", "Exampletown EX1 1AA"),
                          "Sam Jones at reception")


def logo_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (240, 80), (20, 80, 120, 255)).save(out, "PNG")
    return out.getvalue()


def confirmation(recipient: Recipient = ZOE, reference: str = "H000123/4", **head: object) -> AppointmentConfirmation:
    return AppointmentConfirmation(reference=reference, date=TODAY, recipient=recipient, signatory=NURSE,
                                   letterhead=replace(HEAD, **head), appointment=APPOINTMENT)


def reminder(recipient: Recipient = ZOE) -> AppointmentReminder:
    return AppointmentReminder(reference="H000123/5", date=TODAY, recipient=recipient, signatory=NURSE,
                               letterhead=HEAD, appointment=APPOINTMENT)


def missed(recipient: Recipient = ZOE, *, rebooked: bool = False) -> MissedAppointment:
    return MissedAppointment(reference="H000123/6", date=TODAY, recipient=recipient, signatory=NURSE,
                             letterhead=HEAD, missed_at=datetime(2026, 11, 16, 9, 15, tzinfo=SITE_TZ),
                             next_appointment=APPOINTMENT if rebooked else None)


LONG_PARAGRAPH = (
    "Zoë has attended the service regularly since March 2026 and has made good use of the support offered. "
    "We have discussed her plans for the coming months, and she would like her GP to be aware of the summary "
    "above so that any prescribing elsewhere takes it into account. She is happy for us to share this letter. ")


def gp_letter(length: int = 8, **fields: object) -> LetterToGP:
    letter = LetterToGP(
        reference="H000123/7", date=TODAY, signatory=Signatory("Dr Priya Shah", "Prescriber", "GMC 7654321"),
        letterhead=HEAD, recipient=Recipient("Dr A Patel", ("Riverside Surgery", "5 River Road", "Exampletown")),
        patient_name="Zoë Ó Súilleabháin", date_of_birth=date(1985, 7, 3), nhs_number="9434765919",
        patient_address=("Flat 2", "14 Łukasz Court", "Exampletown", "EX2 3BB"),
        summary=(("Medication", "Methadone oral solution 1 mg/mL, 60 mg daily, supervised"),
                 ("Hepatitis B", "Course completed 2 November 2026"),
                 ("Next review", "19 February 2027")),
        paragraphs=tuple(f"{n}. {LONG_PARAGRAPH * 3}" for n in range(1, length + 1)))
    return replace(letter, **fields)


def day_sheet(bookings: int = 6) -> DaySheet:
    names = ("Zoë Ó Súilleabháin", "Łukasz Nowak", "Siobhán Ní Bhriain", "Chris O'Neill & partner")
    rows = tuple(Booking(time(9 + n // 4, 15 * (n % 4)), names[n % 4], "Review <first>", "Booked",
                         "Needs step-free access" if n == 1 else "") for n in range(bookings))
    return DaySheet(TODAY, SERVICE, datetime(2026, 11, 23, 8, 5, tzinfo=SITE_TZ), (
        ClinicianSession("Sam Jones", "Room 2", time(9), time(12, 30), rows),
        ClinicianSession("Alex Reed", "Room 3", time(13), time(17), ()),
    ))


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
