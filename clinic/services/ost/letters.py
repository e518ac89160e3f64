"""The data for OST letters: review summary to the GP, missed-dose notice to
the pharmacy, safe-storage advice leaflet.

Plain data only. ``GpReviewSummary.summary`` and ``.paragraphs`` are shaped
for ``clinic.letters.templates.gp_letter.LetterToGP`` (label/value rows and
paragraphs); the pharmacy notice and the leaflet still need templates of
their own in ``clinic/letters/templates/`` (owned by the letters module).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from clinic.dates import uk_long
from clinic.permissions import Actor, Permission, require
from clinic.services.ost import prescriptions as ost
from clinic.services.ost import missed as ost_missed
from clinic.services.ost import reviews as ost_reviews
from clinic.services.letters.parts import handed_over, lines, patient_facts, to_gp
from clinic.services.ost.record import ost_record
from clinic.services.safe_storage import person_boxes
from clinic.uow import UnitOfWork
from clinic.letters.model import Recipient
from db.tables.ost import Pharmacy
from db.tables.people import Person

#: The everyday habits on the safe-storage leaflet. Why they matter, and what
#: to do if a child may have taken any (999, naloxone), are fixed in the
#: leaflet's template, so no leaflet goes out without them.
LEAFLET_POINTS = (
    "Keep all your medicine in the locked box, every time, including a dose you mean to take later today.",
    "Keep the box out of children's reach and out of their sight, and keep the key with you.",
    "Never decant doses into other bottles, cups or containers, and never leave a dose out to take later.",
    "Try not to take your medicine where children can see you: children copy what adults do.",
    "Return empty bottles to the pharmacy; do not put them in household rubbish.",
    "Tell us straight away if the box is lost or broken: we will replace it.",
)


@dataclass(frozen=True)
class GpReviewSummary:
    person_id: int
    review_id: int
    summary: tuple[tuple[str, str], ...]
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class PharmacyMissedNotice:
    person_id: int
    pharmacy: ost.PharmacyRow | None
    prescription: str
    missed_days: tuple[date, ...]
    instruction: str  # what the pharmacy must do before the next dose
    supervision: str = ""  # "6 supervised, 1 take-home days a week"
    prescriber: str = ""  # the prescription's prescriber, named on the notice


@dataclass(frozen=True)
class SafeStorageLeaflet:
    person_id: int
    box_number: str
    issued_on: date
    points: tuple[str, ...]


def gp_review_summary(uow: UnitOfWork, actor: Actor, person_id: int) -> GpReviewSummary:
    """From the latest review and the current prescription."""
    require(actor, Permission.LETTER_CLINICAL)
    record = ost_record(uow, actor, person_id)
    if not record.reviews:
        raise ValueError("There is no OST review to summarise yet.")
    r = record.reviews[0]
    p = record.current[-1] if record.current else None
    summary = (
        ("Medication", f"{p.daily_dose_mg:g} mg {p.medicine} ({p.formulation}) daily" if p else "Not on OST"),
        ("Supervision", p.supervision_text if p else "—"),
        ("Review date", uk_long(r.reviewed_on)),
        ("Attendance", ost_reviews.ATTENDANCE[r.attendance]),
        ("Dose", ost_reviews.DOSE_ADEQUACY[r.dose_adequacy]),
        ("On-top use", r.on_top_substances if r.on_top_use else "None reported"),
        ("Injecting", "Yes" if r.injecting else "No"),
        ("Overdose risk", ost_reviews.OVERDOSE_RISK[r.overdose_risk]),
        ("Naloxone held", "Yes" if r.naloxone_held else "No"),
        ("Next review", uk_long(r.next_review_on)),
    )
    paragraphs = (
        "We reviewed your patient's opioid substitution treatment. The main points are summarised above.",
        f"Agreed plan: {r.agreed_plan}",
        "Please do not prescribe opioids or sedatives without contacting us first.",
    )
    return GpReviewSummary(person_id, r.id, summary, paragraphs)


def pharmacy_missed_notice(uow: UnitOfWork, actor: Actor, person_id: int) -> PharmacyMissedNotice:
    require(actor, Permission.LETTER_CLINICAL)
    record = ost_record(uow, actor, person_id)
    if not record.current:
        raise ValueError("This person has no current OST prescription.")
    p = record.current[-1]
    run: list[date] = []
    for m in record.missed:  # newest first: the latest run
        if not run or (run[-1] - m.missed_on).days == 1:
            run.append(m.missed_on)
        else:
            break
    decision = record.decisions[0] if record.decisions and (
        not run or record.decisions[0].decided_on >= run[0]) else None
    instruction = (f"Prescriber's decision of {uk_long(decision.decided_on)}: "
                   f"{ost_missed.DECISIONS[decision.decision]}. {decision.note}".strip() if decision else
                   "Do not dispense the next dose until the prescriber has reviewed the prescription and told you "
                   "how to continue.")
    pharmacy = uow.session.get(Pharmacy, p.pharmacy_id) if p.pharmacy_id else None
    row = ost.PharmacyRow(pharmacy.id, pharmacy.name, pharmacy.address, pharmacy.phone, pharmacy.fax,
                          pharmacy.secure_email) if pharmacy else None
    return PharmacyMissedNotice(person_id, row, p.dose_text, tuple(sorted(run)), instruction,
                                supervision=p.supervision_text, prescriber=p.prescriber_name)


def safe_storage_leaflet(person_id: int, box_number: str, issued_on: date) -> SafeStorageLeaflet:
    """The leaflet printed on issue (pure: the issue itself was checked)."""
    return SafeStorageLeaflet(person_id, box_number, issued_on, LEAFLET_POINTS)


# -- the letters' data, as the letter writer asks for it (clinic/services/letters/writing.PREFILL)


def review_to_gp(uow: UnitOfWork, actor: Actor, person: Person, form: dict[str, Any]) -> dict[str, Any]:
    review = gp_review_summary(uow, actor, person.id)
    return to_gp(uow, actor, person, form) | {"summary": review.summary, "paragraphs": review.paragraphs}


def to_pharmacy_missed(uow: UnitOfWork, actor: Actor, person: Person, form: dict[str, Any]) -> dict[str, Any]:
    notice = pharmacy_missed_notice(uow, actor, person.id)
    if notice.pharmacy is None:
        raise ValueError("No dispensing pharmacy is recorded on the prescription: add it first.")
    if not notice.missed_days:
        raise ValueError("No missed doses are recorded, so there is nothing to tell the pharmacy.")
    return patient_facts(person) | {
        "recipient": Recipient(name=notice.pharmacy.name, address_lines=lines(notice.pharmacy.address)),
        "medicine": notice.prescription, "supervision": notice.supervision, "prescriber": notice.prescriber,
        "missed_days": notice.missed_days, "instruction": notice.instruction,
    }


def safe_storage_handout(uow: UnitOfWork, actor: Actor, person: Person, form: dict[str, Any]) -> dict[str, Any]:
    """The box the person holds, from its latest issue (or replacement);
    ``box_number`` and ``issued_on`` in the form (the issue dialog's preset)
    say which when it has only just been handed over."""
    boxes = person_boxes(uow, actor, person.id)
    number, issued_on = form.get("box_number"), form.get("issued_on")
    if number is None:
        handed = [(e.new_box_number if e.kind == "replaced" else e.box_number, e.event_on)
                  for e in boxes.events if e.kind in ("issued", "replaced")]
        held = [(n, on) for n, on in handed if n in boxes.held]
        if not held:
            raise ValueError("This person does not hold a safe-storage box: issue one first.")
        number, issued_on = held[0]  # newest first
    data = safe_storage_leaflet(person.id, str(number), issued_on or uow.clock.today())
    return {"recipient": handed_over(person), "box_number": data.box_number,
            "issued_on": data.issued_on, "points": data.points}
