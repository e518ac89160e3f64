"""The one place a probation letter's content is gathered: the sharing rule.

DESIGN.md §3: what goes to Probation is limited to the order, attendance,
and drug-test results where the order has a testing requirement and consent
to share is recorded. This module is the gate. It imports only the probation
tables and the person's table, and from the person it selects exactly three
columns (forename, surname, date of birth) by name; it never loads a whole
``Person`` row, and it has no import of any clinical module or table
(tests/clinic/services/probation/ checks its imports). The
result is a ``ProbationLetter``, whose fields cannot hold anything else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

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
from clinic.probation import ABOUT_ATTENDANCE, Outcome
from clinic.probation import NotificationKind as Kind
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


@dataclass
class Loaded:
    """Everything the letters for a set of notifications need, read in a few
    set-based queries (not seven per letter): what ``build`` reads from."""

    notes: dict[int, Notification]
    orders: dict[int, DrrOrder]
    people: dict[int, tuple[str, str, date]]
    officers: dict[int, ProbationContact]
    hearings: dict[int, ReviewHearing]
    attendance: dict[int, list[tuple[datetime, str, str, str, int]]]
    tests: dict[int, list[tuple[date, str, str]]]


_CHUNK = 500  # stay well under SQLite's bound-parameter limit


def _in(uow: UnitOfWork, stmt_for: Callable[[list[int]], Any], ids: Iterable[int]) -> list[Any]:
    wanted = sorted(set(ids))
    out: list[Any] = []
    for i in range(0, len(wanted), _CHUNK):
        out.extend(uow.session.execute(stmt_for(wanted[i:i + _CHUNK])).all())
    return out


def load(uow: UnitOfWork, notification_ids: Iterable[int]) -> Loaded:
    """Read the notifications, their orders, people (three columns), officers,
    hearings, attendances and drug tests, one query each."""
    def rows(entity: Any, ids: Iterable[int]) -> dict[int, Any]:
        return {r.id: r for (r,) in _in(uow, lambda chunk: select(entity).where(entity.id.in_(chunk)), ids)}

    notes = rows(Notification, notification_ids)
    notes |= rows(Notification, [n.corrects_id for n in notes.values() if n.corrects_id is not None])
    orders = rows(DrrOrder, [n.order_id for n in notes.values()])
    people = {pid: (f, s, dob) for pid, f, s, dob in _in(uow, lambda chunk: select(
        Person.id, Person.forename, Person.surname, Person.date_of_birth).where(Person.id.in_(chunk)),
        [o.person_id for o in orders.values()])}
    officers = rows(ProbationContact, [o.officer_id for o in orders.values() if o.officer_id])
    hearings = {r.id: r for (r,) in _in(uow, lambda chunk: select(ReviewHearing).where(
        ReviewHearing.order_id.in_(chunk)), orders)}
    attendance: dict[int, list[Any]] = {o: [] for o in orders}
    for oid, *row in _in(uow, lambda chunk: select(
            Attendance.order_id, Attendance.occurred_at, Attendance.outcome, Attendance.absence_reason,
            Attendance.evidence_seen, Attendance.id).where(Attendance.order_id.in_(chunk))
            .order_by(Attendance.occurred_at), orders):
        attendance[oid].append(tuple(row))
    tests: dict[int, list[Any]] = {o: [] for o in orders}
    for oid, *row in _in(uow, lambda chunk: select(
            DrugTest.order_id, DrugTest.tested_on, DrugTest.substance, DrugTest.result)
            .where(DrugTest.order_id.in_(chunk)).order_by(DrugTest.tested_on), orders):
        tests[oid].append(tuple(row))
    return Loaded(notes, orders, people, officers, hearings, attendance, tests)


def build(uow: UnitOfWork, notification_id: int, who: Sender, on: date, loaded: Loaded | None = None
          ) -> ProbationLetter:
    """The letter owed by one notification, or ``LetterBlocked`` saying why not.
    A batch passes ``loaded`` (from ``load``) so that nothing is read per letter."""
    data = loaded if loaded is not None else load(uow, [notification_id])
    note = data.notes.get(notification_id)
    if note is None:
        raise LetterBlocked("That notification no longer exists.")
    order = data.orders[note.order_id]
    forename, surname, dob = data.people[order.person_id]
    name = f"{forename} {surname}"
    if order.consent_withdrawn_on is not None:
        raise LetterBlocked(f"{name}: consent to share was withdrawn, so no letter can be sent. "
                            "Contact the probation officer to tell them.")
    if order.consent_signed_on is None:
        raise LetterBlocked(f"{name}: there is no signed consent to share on the order.")
    officer = data.officers.get(order.officer_id) if order.officer_id else None
    if officer is None:
        raise LetterBlocked(f"{name}: no probation officer is recorded on the order.")
    if not (officer.address.strip() or officer.secure_email.strip()):
        raise LetterBlocked(f"{name}: {officer.name} has no postal address or secure email. Add one to the contact.")
    if note.kind == Kind.PROGRESS_REPORT:
        check_summary(note.summary)
    lines = _attendance(data.attendance[order.id], note)
    hearing = data.hearings.get(note.hearing_id) if note.hearing_id else None
    period_from, period_to = note.period_from, note.period_to
    if note.kind == Kind.PROGRESS_REPORT:
        period_from, period_to = order.start_on, hearing.hearing_on if hearing else on
    return ProbationLetter(
        reference=reference(order.id, note.id), date=on, recipient=_recipient(officer),
        signatory=who.signatory, letterhead=who.letterhead, kind=note.kind, person_name=name,
        date_of_birth=dob, order=_facts(data, order, on), attendance=lines,
        tests=_tests(data.tests[order.id], order, note)
        if note.kind in (Kind.ATTENDANCE_CONFIRMATION, Kind.PROGRESS_REPORT) else (),
        period_from=period_from, period_to=period_to, hearing_on=hearing.hearing_on if hearing else None,
        engagement_summary=note.summary if note.kind == Kind.PROGRESS_REPORT else "",
        closure_status=order.status if note.kind == Kind.CLOSURE else "", ended_on=order.ended_on,
        correction=_correction(data, note),
    )


def _recipient(officer: ProbationContact) -> Recipient:
    lines = [line for line in officer.address.split("\n") if line.strip()]
    if officer.office:
        lines.insert(0, officer.office)
    if not officer.address.strip():
        lines.append(f"By secure email: {officer.secure_email}")
    return Recipient(officer.name, tuple(lines))


def _facts(data: Loaded, order: DrrOrder, on: date) -> OrderFacts:
    """The order as a letter dated ``on`` describes it: only hearings still to come (UI-36)."""
    hearings = tuple(sorted(h.hearing_on for h in data.hearings.values()
                            if h.order_id == order.id and h.hearing_on >= on))
    return OrderFacts(order.order_type, order.court, order.order_date, order.start_on, order.expected_end,
                      order.length_months, _FREQUENCIES.get(order.frequency, order.frequency),
                      order.testing_required, order.probation_reference, hearings)


def _attendance(rows_: list[tuple[datetime, str, str, str, int]], note: Notification
                ) -> tuple[AttendanceLine, ...]:
    """The order's attendances (in time order) that this notification reports."""
    rows = [r for r in rows_ if _reports(note, r[0], r[4])]
    out = []
    for at, outcome, reason, evidence, _ in rows:
        # Typed before the vocabulary was checked at entry, or by a route that
        # skipped it: the letter is refused rather than printed (M1).
        clinical_words.check(reason, field="absence_reason", label=f"The absence reason for {at:%d/%m/%Y}")
        clinical_words.check(evidence, field="evidence_seen", label=f"The evidence seen for {at:%d/%m/%Y}")
        why = reason + (f" (evidence seen: {evidence})" if evidence else "") if outcome == "acceptable_absence" else ""
        out.append(AttendanceLine(at, _OUTCOMES[outcome], why))
    return tuple(out)


def _reports(note: Notification, at: datetime, attendance_id: int) -> bool:
    if note.attendance_id is not None:
        return attendance_id == note.attendance_id
    if note.kind in ABOUT_ATTENDANCE and note.period_from and note.period_to:
        return datetime.combine(note.period_from, time()) <= at <= datetime.combine(note.period_to, time.max)
    return True


def _tests(rows: list[tuple[date, str, str]], order: DrrOrder, note: Notification) -> tuple[TestLine, ...]:
    """Drug tests only where the order requires testing AND consent is recorded."""
    if not order.testing_required or order.consent_signed_on is None or order.consent_withdrawn_on is not None:
        return ()
    if note.kind == Kind.ATTENDANCE_CONFIRMATION and note.period_from and note.period_to:
        rows = [r for r in rows if note.period_from <= r[0] <= note.period_to]
    return tuple(TestLine(d, s, r) for d, s, r in rows)


def _correction(data: Loaded, note: Notification) -> Correction | None:
    old = data.notes.get(note.corrects_id) if note.corrects_id is not None else None
    if old is None:
        return None
    return Correction(reference(old.order_id, old.id), old.sent_on or old.due_on)
