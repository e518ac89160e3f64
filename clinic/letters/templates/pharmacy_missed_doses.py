"""Tells the dispensing pharmacy that doses were missed and what to do
before the next one: "prescriber review before next dose" (DESIGN §4 OST:
three consecutive missed doses). A pharmacist acts on it at the counter, so
it says who the person is (name, date of birth, NHS number, address), the
medicine, the dates missed, the instruction in a box that cannot be missed,
and who signed it with their professional registration.

The data comes from ``clinic.services.ost.letters.pharmacy_missed_notice``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from clinic import nhs_number
from clinic.dates import uk_long
from clinic.letters.layout import TEXT_WIDTH, check_letter, signed
from clinic.letters.model import LetterBase
from clinic.letters.registry import Template, register
from clinic.letters.styles import HEADING, INK, STRONG, label_value_table, para
from clinic.letters.wording import weekday_date

ACTION = "Prescriber review before next dose"


@dataclass(frozen=True, kw_only=True)
class PharmacyMissedDoses(LetterBase):
    patient_name: str
    date_of_birth: date
    #: Checked (Modulus 11): the pharmacy matches the patient by it.
    nhs_number: str | None
    patient_address: tuple[str, ...]
    #: "60 mg methadone daily".
    medicine: str
    #: "6 supervised, 1 take-home days a week"; empty if not known.
    supervision: str = ""
    #: Who prescribes (the prescription's prescriber); empty if not known.
    prescriber: str = ""
    missed_days: tuple[date, ...]
    #: What the pharmacy is to do before the next dose.
    instruction: str


def check(letter: PharmacyMissedDoses) -> None:
    check_letter(letter)
    if not letter.patient_name.strip():
        raise ValueError("Say who the notice is about: the patient's name is missing.")
    if letter.nhs_number:
        nhs_number.normalise(letter.nhs_number)
    if not letter.medicine.strip():
        raise ValueError("Say which medicine the doses were of.")
    if not letter.missed_days:
        raise ValueError("No missed doses are recorded, so there is nothing to tell the pharmacy.")
    if not letter.instruction.strip():
        raise ValueError("Say what the pharmacy should do before the next dose.")
    if not letter.signatory.registration.strip():
        raise ValueError("A pharmacy acts on this notice only from a registered clinician: it must be signed by "
                         "a nurse or prescriber with their registration number (add it to your staff account).")


def _about(letter: PharmacyMissedDoses) -> list[Flowable]:
    facts = [f"Date of birth {uk_long(letter.date_of_birth)}"]
    if letter.nhs_number:
        facts.append(f"NHS number {nhs_number.format(letter.nhs_number)}")
    address = ", ".join(line.strip() for line in letter.patient_address if line.strip())
    return [
        para(f"Re: {letter.patient_name.strip()}", STRONG.clone("re", spaceAfter=1)),
        para(" \u00b7 ".join(facts), STRONG.clone("facts", spaceAfter=1 if address else 8)),
        *([para(address, STRONG.clone("address", spaceAfter=8))] if address else []),
    ]


def days_text(days: tuple[date, ...]) -> str:
    """ "Friday 20, Saturday 21 and Sunday 22 November 2026": the month and
    year once when they are shared, each day with its weekday (the
    pharmacist checks them against the dispensing record)."""
    ordered = sorted(set(days))
    if len({(d.year, d.month) for d in ordered}) == 1:
        parts = [f"{weekday_date(d).split(' ')[0]} {d.day}" for d in ordered]
        parts[-1] = weekday_date(ordered[-1])
    else:
        parts = [weekday_date(d) for d in ordered]
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def in_a_row(days: tuple[date, ...]) -> int:
    """How many of the days run consecutively up to the last one."""
    ordered = sorted(set(days), reverse=True)
    run = 1
    while run < len(ordered) and (ordered[run - 1] - ordered[run]).days == 1:
        run += 1
    return run if ordered else 0


def _missed(days: tuple[date, ...]) -> str:
    count = len(set(days))
    run = in_a_row(days)
    lead = f"{count} dose{'s' if count != 1 else ''}" + (" in a row" if run == count > 1 else "")
    return f"{lead}: {days_text(days)}"


def _action_box(letter: PharmacyMissedDoses) -> Table:
    box = Table([[para("Before the next dose", HEADING.clone("action", spaceBefore=0, spaceAfter=3))],
                 [para(letter.instruction.strip(), STRONG.clone("instruction", spaceAfter=0))]],
                colWidths=(TEXT_WIDTH,), hAlign="LEFT")
    box.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 1.4, INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (0, 0), 7), ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
    ]))
    return box


def body(letter: PharmacyMissedDoses) -> list[Flowable]:
    rows = [("Medicine", letter.medicine.strip())]
    if letter.supervision.strip():
        rows.append(("Dispensing", letter.supervision.strip()))
    if letter.prescriber.strip():
        rows.append(("Prescriber", letter.prescriber.strip()))
    rows.append(("Doses missed", _missed(letter.missed_days)))
    head = letter.letterhead
    contact = f"telephone us on {head.phone}" + (f" or secure email {head.secure_email}" if head.secure_email
                                                 else "")
    opening = "These doses were missed."
    if in_a_row(letter.missed_days) >= 3:
        opening += (" After three or more in a row tolerance may have fallen: the usual dose could now cause an "
                    "overdose.")
    return [
        para("Dear Pharmacist,"),
        para(f"Urgent: {ACTION.lower()}", HEADING.clone("urgent", spaceBefore=0)),
        *_about(letter),
        _action_box(letter),
        Spacer(1, 4 * mm),
        para(opening),
        label_value_table(rows, width=TEXT_WIDTH),
        Spacer(1, 4 * mm),
        signed(letter, para(f"If you have any questions, please {contact}. Thank you for your help.")),
    ]


TEMPLATE = register(Template(
    key="pharmacy_missed_doses", title="Missed doses notice to pharmacy", category="clinical",
    data_class=PharmacyMissedDoses, body=body, check=check,
))
