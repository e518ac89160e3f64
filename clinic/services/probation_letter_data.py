"""The one place a probation letter's content is gathered: the sharing rule.

DESIGN.md §3: what goes to Probation is limited to the order, attendance,
and drug-test results where the order has a testing requirement and consent
to share is recorded. This module is the gate. It imports only the probation
tables and the person's table, and from the person it selects exactly three
columns (forename, surname, date of birth) by name; it never loads a whole
``Person`` row, and it has no import of any clinical module or table
(tests/clinic/services/test_probation_letters.py checks its imports). The
result is a ``ProbationLetter``, whose fields cannot hold anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select

from clinic import clinical_words
from clinic.letters.model import Letterhead, Recipient, Signatory
from clinic.letters.templates.probation_common import (
    AttendanceLine,
    Correction,
    OrderFacts,
    ProbationLetter,
    TestLine,
)
from clinic.permissions import Actor
from clinic.probation import Outcome
from clinic.uow import UnitOfWork
from db.tables.people import Person
from db.tables.probation import (
    Attendance,
    DrrOrder,
    DrugTest,
    Notification,
    ProbationContact,
    ReviewHearing,
)

_OUTCOMES = {
    Outcome.ATTENDED.value: "Attended",
    Outcome.ATTENDED_LATE.value: "Attended late",
    Outcome.ACCEPTABLE_ABSENCE.value: "Acceptable absence",
    Outcome.UNACCEPTABLE_ABSENCE.value: "Unacceptable absence (did not attend)",
}
_FREQUENCIES = {"weekly": "Weekly", "twice_weekly": "Twice weekly", "fortnightly": "Fortnightly",
                "monthly": "Monthly"}
class LetterBlocked(ValueError):
    """The letter must not (or cannot) be sent; the message says what to do."""


@dataclass(frozen=True)
class Sender:
    letterhead: Letterhead
    signatory: Signatory


def sender(uow: UnitOfWork, actor: Actor) -> Sender:
    s = uow.settings
    head = Letterhead(s["site.service_name"], tuple(s["site.address"].split("\n")), s["site.phone"],
                      s["site.secure_email"], s["site.return_address"], s["site.letter_footer"])
    return Sender(head, Signatory(actor.full_name, "Probation liaison worker"))


def check_summary(text: str) -> None:
    """Refuse an engagement summary that carries clinical detail (M1)."""
    clinical_words.check(text, field="summary", label="The engagement summary")


def reference(order_id: int, notification_id: int) -> str:
    return f"PRB/{order_id}/{notification_id}"


def build(uow: UnitOfWork, notification_id: int, who: Sender, on: date) -> ProbationLetter:
    """The letter owed by one notification, or ``LetterBlocked`` saying why not."""
    note = uow.session.get(Notification, notification_id)
    if note is None:
        raise LetterBlocked("That notification no longer exists.")
    order = uow.session.get(DrrOrder, note.order_id)
    assert order is not None
    forename, surname, dob = uow.session.execute(
        select(Person.forename, Person.surname, Person.date_of_birth).where(Person.id == order.person_id)).one()
    name = f"{forename} {surname}"
    if order.consent_withdrawn_on is not None:
        raise LetterBlocked(f"{name}: consent to share was withdrawn, so no letter can be sent. "
                            "Contact the probation officer to tell them.")
    if order.consent_signed_on is None:
        raise LetterBlocked(f"{name}: there is no signed consent to share on the order.")
    officer = uow.session.get(ProbationContact, order.officer_id) if order.officer_id else None
    if officer is None:
        raise LetterBlocked(f"{name}: no probation officer is recorded on the order.")
    if not (officer.address.strip() or officer.secure_email.strip()):
        raise LetterBlocked(f"{name}: {officer.name} has no postal address or secure email. Add one to the contact.")
    if note.kind == "progress_report":
        check_summary(note.summary)
    lines = _attendance(uow, note, order)
    hearing = uow.session.get(ReviewHearing, note.hearing_id) if note.hearing_id else None
    period_from, period_to = note.period_from, note.period_to
    if note.kind == "progress_report":
        period_from, period_to = order.start_on, hearing.hearing_on if hearing else on
    return ProbationLetter(
        reference=reference(order.id, note.id), date=on, recipient=_recipient(officer),
        signatory=who.signatory, letterhead=who.letterhead, kind=note.kind, person_name=name,
        date_of_birth=dob, order=_facts(uow, order, on), attendance=lines,
        tests=_tests(uow, order, note) if note.kind in ("attendance_confirmation", "progress_report") else (),
        period_from=period_from, period_to=period_to, hearing_on=hearing.hearing_on if hearing else None,
        engagement_summary=note.summary if note.kind == "progress_report" else "",
        closure_status=order.status if note.kind == "closure" else "", ended_on=order.ended_on,
        correction=_correction(uow, note),
    )


def _recipient(officer: ProbationContact) -> Recipient:
    lines = [line for line in officer.address.split("\n") if line.strip()]
    if officer.office:
        lines.insert(0, officer.office)
    if not officer.address.strip():
        lines.append(f"By secure email: {officer.secure_email}")
    return Recipient(officer.name, tuple(lines))


def _facts(uow: UnitOfWork, order: DrrOrder, on: date) -> OrderFacts:
    """The order as a letter dated ``on`` describes it: only hearings still to come (UI-36)."""
    hearings = tuple(uow.session.execute(select(ReviewHearing.hearing_on).where(
        ReviewHearing.order_id == order.id, ReviewHearing.hearing_on >= on)
        .order_by(ReviewHearing.hearing_on)).scalars())
    return OrderFacts(order.order_type, order.court, order.order_date, order.start_on, order.expected_end,
                      order.length_months, _FREQUENCIES.get(order.frequency, order.frequency),
                      order.testing_required, order.probation_reference, hearings)


def _attendance(uow: UnitOfWork, note: Notification, order: DrrOrder) -> tuple[AttendanceLine, ...]:
    q = select(Attendance.occurred_at, Attendance.outcome, Attendance.absence_reason,
               Attendance.evidence_seen).where(Attendance.order_id == order.id)
    if note.attendance_id is not None:
        q = q.where(Attendance.id == note.attendance_id)
    elif note.kind in ("attendance_confirmation", "non_attendance") and note.period_from and note.period_to:
        q = q.where(Attendance.occurred_at >= datetime.combine(note.period_from, time()),
                    Attendance.occurred_at <= datetime.combine(note.period_to, time.max))
    rows = uow.session.execute(q.order_by(Attendance.occurred_at)).all()
    out = []
    for at, outcome, reason, evidence in rows:
        # Typed before the vocabulary was checked at entry, or by a route that
        # skipped it: the letter is refused rather than printed (M1).
        clinical_words.check(reason, field="absence_reason", label=f"The absence reason for {at:%d/%m/%Y}")
        clinical_words.check(evidence, field="evidence_seen", label=f"The evidence seen for {at:%d/%m/%Y}")
        why = reason + (f" (evidence seen: {evidence})" if evidence else "") if outcome == "acceptable_absence" else ""
        out.append(AttendanceLine(at, _OUTCOMES[outcome], why))
    return tuple(out)


def _tests(uow: UnitOfWork, order: DrrOrder, note: Notification) -> tuple[TestLine, ...]:
    """Drug tests only where the order requires testing AND consent is recorded."""
    if not order.testing_required or order.consent_signed_on is None or order.consent_withdrawn_on is not None:
        return ()
    q = select(DrugTest.tested_on, DrugTest.substance, DrugTest.result).where(DrugTest.order_id == order.id)
    if note.kind == "attendance_confirmation" and note.period_from and note.period_to:
        q = q.where(DrugTest.tested_on >= note.period_from, DrugTest.tested_on <= note.period_to)
    return tuple(TestLine(d, s, r) for d, s, r in uow.session.execute(q.order_by(DrugTest.tested_on)))


def _correction(uow: UnitOfWork, note: Notification) -> Correction | None:
    if note.corrects_id is None:
        return None
    old = uow.session.get(Notification, note.corrects_id)
    if old is None:
        return None
    return Correction(reference(old.order_id, old.id), old.sent_on or old.due_on)
