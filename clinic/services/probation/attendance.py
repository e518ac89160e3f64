"""Attendance outcomes and drug tests for DRR/ATR orders, and the
notifications to Probation they make due.

Every absence (acceptable or not, ``Outcome.needs_notification``) owes a
non-attendance notification by ``clinic.probation.notification_due``; other
outcomes owe an attendance confirmation at the frequency the site setting
asks (per appointment, weekly or monthly summary). An outcome is recorded
once; a mistake is amended, and if the letter about it has already gone a
corrected letter is made due that supersedes it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select

from clinic import probation
from clinic.changes import Area, Changes
from clinic.dates import uk_long
from clinic.errors import Refused
from clinic.permissions import Actor, Permission, require
from clinic.probation import ABOUT_ATTENDANCE, LIVE, OrderStatus, Outcome
from clinic.probation import NotificationKind as Kind
from clinic.probation import NotificationStatus as NoteStatus
from clinic.services.appointments import series as appointments_series
from clinic.services.probation.common import AREA, flush, get_row
from clinic.services.probation.orders import breach_flagged
from clinic.uow import UnitOfWork, changed_fields
from db.tables.appointments import AppointmentType
from db.tables.probation import (
    Attendance,
    DrrOrder,
    DrugTest,
    Notification,
    RequiredAppointment,
)

OUTCOME_LABELS = {
    Outcome.ATTENDED: "Attended",
    Outcome.ATTENDED_LATE: "Attended late",
    Outcome.ACCEPTABLE_ABSENCE: "Acceptable absence",
    Outcome.UNACCEPTABLE_ABSENCE: "Did not attend (unacceptable absence)",
}
TEST_RESULTS = ("negative", "positive", "refused", "void")


@dataclass(frozen=True)
class RecordOutcome:
    order_id: int
    occurred_at: datetime  # local clinic wall clock
    outcome: Outcome
    appointment_id: int | None = None
    absence_reason: str = ""
    evidence_seen: str = ""


@dataclass(frozen=True)
class AmendOutcome:
    attendance_id: int
    version: int
    outcome: Outcome
    absence_reason: str = ""
    evidence_seen: str = ""


@dataclass(frozen=True)
class OutcomeRecorded:
    attendance_id: int
    notification_id: int | None  # the notification this outcome made due, if any
    due_on: date | None
    breach_flag: bool
    message: str
    changes: Changes = field(default_factory=Changes)


@dataclass(frozen=True)
class RecordDrugTest:
    order_id: int
    tested_on: date
    substance: str
    result: str


@dataclass(frozen=True)
class AttendanceRow:
    id: int
    order_id: int
    appointment_id: int | None
    occurred_at: datetime
    outcome: Outcome
    absence_reason: str
    evidence_seen: str
    version: int

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


@dataclass(frozen=True)
class DrugTestRow:
    id: int
    order_id: int
    tested_on: date
    substance: str
    result: str


@dataclass(frozen=True)
class DrugTestRecorded:
    test: DrugTestRow
    #: The Probation tab (and the order's summary) reload.
    changes: Changes


def record_outcome(uow: UnitOfWork, actor: Actor, cmd: RecordOutcome) -> OutcomeRecorded:
    require(actor, Permission.PROBATION_WRITE)
    return record_on_order(uow, actor, get_row(uow, DrrOrder, cmd.order_id), cmd)


def record_on_order(uow: UnitOfWork, actor: Actor, order: DrrOrder, cmd: RecordOutcome) -> OutcomeRecorded:
    """Record an outcome on an order already loaded and checked: ``record_outcome``'s
    body, and what marking a linked booking does (its caller checked the role)."""
    _check_outcome(uow, order, cmd.occurred_at, cmd.outcome, cmd.absence_reason)
    clash = [Attendance.occurred_at == cmd.occurred_at]
    if cmd.appointment_id is not None:
        clash.append(Attendance.appointment_id == cmd.appointment_id)
    if uow.session.execute(select(Attendance.id).where(Attendance.order_id == order.id, or_(*clash))).first():
        raise Refused("An outcome is already recorded for this appointment. Amend it instead of recording it again.",
                      field="occurred_at")
    row = Attendance(order_id=order.id, appointment_id=cmd.appointment_id, occurred_at=cmd.occurred_at,
                     outcome=cmd.outcome.value, absence_reason=cmd.absence_reason.strip(),
                     evidence_seen=cmd.evidence_seen.strip(), recorded_by=actor.staff_id,
                     recorded_at=uow.clock.now())
    uow.session.add(row)
    uow.session.flush()
    note = _make_due(uow, order, row)
    uow.audit(actor, "probation.outcome_recorded", "drr_attendance", row.id, person_id=order.person_id,
              changes={"outcome": [None, row.outcome], "occurred_at": [None, row.occurred_at.isoformat()]})
    return _recorded(uow, order, row, note)


def amend_outcome(uow: UnitOfWork, actor: Actor, cmd: AmendOutcome) -> OutcomeRecorded:
    """Correct an outcome. An unsent letter about it is withdrawn or kept; a
    sent one is superseded by a corrected letter (both stay filed)."""
    require(actor, Permission.PROBATION_WRITE)
    row = get_row(uow, Attendance, cmd.attendance_id)
    if row.version != cmd.version:
        raise ValueError("Someone else changed this outcome. Reload it and try again.")
    order = get_row(uow, DrrOrder, row.order_id)
    _check_outcome(uow, order, row.occurred_at, cmd.outcome, cmd.absence_reason)
    values = {"outcome": cmd.outcome.value, "absence_reason": cmd.absence_reason.strip(),
              "evidence_seen": cmd.evidence_seen.strip()}
    before = {k: getattr(row, k) for k in values}
    changes = changed_fields(before, values)
    if not changes:
        raise ValueError("Nothing has changed.")
    for k, v in values.items():
        setattr(row, k, v)
    flush(uow)
    note = _after_amend(uow, order, row)
    uow.audit(actor, "probation.outcome_amended", "drr_attendance", row.id, person_id=order.person_id,
              changes=changes)
    return _recorded(uow, order, row, note)


def record_drug_test(uow: UnitOfWork, actor: Actor, cmd: RecordDrugTest) -> DrugTestRecorded:
    require(actor, Permission.PROBATION_WRITE)
    order = get_row(uow, DrrOrder, cmd.order_id)
    if not order.testing_required:
        raise ValueError("This order has no drug-testing requirement, so test results are not recorded here.")
    if cmd.result not in TEST_RESULTS:
        raise Refused("Choose the result: negative, positive, refused or void.", field="result")
    if not cmd.substance.strip():
        raise Refused("Enter the substance tested for.", field="substance")
    if cmd.tested_on > uow.clock.today():
        raise Refused("A test cannot be dated in the future.", field="tested_on")
    if cmd.tested_on < order.start_on:
        raise Refused(f"The order started on {uk_long(order.start_on)}; this test is before it.", field="tested_on")
    row = DrugTest(order_id=order.id, tested_on=cmd.tested_on, substance=cmd.substance.strip(),
                   result=cmd.result, recorded_by=actor.staff_id, recorded_at=uow.clock.now())
    uow.session.add(row)
    uow.session.flush()
    uow.audit(actor, "probation.drug_test_recorded", "drr_drug_test", row.id, person_id=order.person_id,
              changes={"tested_on": [None, row.tested_on.isoformat()], "substance": [None, row.substance],
                       "result": [None, row.result]})
    return DrugTestRecorded(DrugTestRow(row.id, row.order_id, row.tested_on, row.substance, row.result),
                            Changes.of(AREA, person_id=order.person_id))


def attendance_for_order(uow: UnitOfWork, actor: Actor, order_id: int) -> list[AttendanceRow]:
    require(actor, Permission.PROBATION_READ)
    rows = uow.session.execute(select(Attendance).where(Attendance.order_id == order_id)
                               .order_by(Attendance.occurred_at)).scalars()
    return [_row(r) for r in rows]


def drug_tests_for_order(uow: UnitOfWork, actor: Actor, order_id: int) -> list[DrugTestRow]:
    require(actor, Permission.PROBATION_READ)
    rows = uow.session.execute(select(DrugTest).where(DrugTest.order_id == order_id)
                               .order_by(DrugTest.tested_on)).scalars()
    return [DrugTestRow(r.id, r.order_id, r.tested_on, r.substance, r.result) for r in rows]


def order_for_appointment(uow: UnitOfWork, appointment_id: int) -> int | None:
    return uow.session.execute(select(RequiredAppointment.order_id)
                               .where(RequiredAppointment.appointment_id == appointment_id)).scalar()


def amend_for_booking(uow: UnitOfWork, actor: Actor, order: DrrOrder, row: Attendance,
                      outcome: Outcome) -> OutcomeRecorded:
    """A booking re-marked (a DNA found to have been seen): the outcome
    follows it, as an amendment would (called by ``probation_links``)."""
    before = row.outcome
    row.outcome = outcome.value
    flush(uow)
    note = _after_amend(uow, order, row)
    uow.audit(actor, "probation.outcome_amended", "drr_attendance", row.id, person_id=order.person_id,
              changes={"outcome": [before, row.outcome]})
    return _recorded(uow, order, row, note)


_SERIES = {"weekly": [("weekly", 1, 0)], "fortnightly": [("weekly", 2, 0)], "monthly": [("monthly", 1, 0)],
           "twice_weekly": [("weekly", 1, 0), ("weekly", 1, 3)]}


@dataclass(frozen=True)
class BookRequired:
    order_id: int
    clinician_id: int
    first_start: datetime  # local wall clock
    room_id: int | None = None
    minutes: int | None = None


@dataclass(frozen=True)
class RequiredBooked:
    appointment_ids: tuple[int, ...]
    moved: int
    skipped: int
    changes: Changes = field(default_factory=Changes)


def book_required(uow: UnitOfWork, actor: Actor, cmd: BookRequired) -> RequiredBooked:
    """Book the order's required appointments as a recurring series (two for
    twice weekly) up to the order's expected end; each booking is linked to
    the order as it is made (``probation_links.link_booking``)."""
    require(actor, Permission.PROBATION_WRITE)
    order = get_row(uow, DrrOrder, cmd.order_id)
    if order.status not in LIVE:
        raise ValueError("Appointments can only be booked for a pending or active order.")
    if cmd.first_start.date() > order.expected_end:
        raise Refused("The first appointment is after the order ends.", field="first_start")
    type_id = uow.session.execute(select(AppointmentType.id).where(
        AppointmentType.code.in_(probation.REQUIRED_APPOINTMENT_TYPES))).scalar()
    if type_id is None:
        raise ValueError("There is no DRR appointment type; ask the administrator to add one.")
    ids: list[int] = []
    moved = skipped = 0
    for freq, interval, offset_days in _SERIES[order.frequency]:
        booked = appointments_series.book_series(uow, actor, appointments_series.BookSeries(
            order.person_id, cmd.clinician_id, type_id, cmd.first_start + timedelta(days=offset_days),
            cmd.minutes, cmd.room_id, freq=freq, interval=interval, until=order.expected_end, order_id=order.id))
        ids.extend(booked.appointment_ids)
        moved += len(booked.plan.moved)
        skipped += len(booked.plan.skipped)
    uow.audit(actor, "probation.appointments_booked", "drr_order", order.id, person_id=order.person_id,
              changes={"appointments": [None, len(ids)]})
    return RequiredBooked(tuple(ids), moved, skipped, Changes.of(AREA, Area.APPOINTMENTS, person_id=order.person_id))


# ---- notifications ---------------------------------------------------------


def _check_outcome(uow: UnitOfWork, order: DrrOrder, at: datetime, outcome: Outcome, reason: str) -> None:
    if order.status == OrderStatus.PENDING:
        raise Refused("This order has not been activated yet: activate it before recording attendance.")
    if at.date() < order.start_on:
        raise Refused(f"The order started on {uk_long(order.start_on)}; this appointment is before it.",
                      field="occurred_at")
    if order.ended_on is not None and at.date() > order.ended_on:
        raise Refused(f"The order ended on {uk_long(order.ended_on)}; this appointment is after it.",
                      field="occurred_at")
    if at.date() > uow.clock.today():
        raise Refused("An outcome cannot be recorded for an appointment that has not happened yet.",
                      field="occurred_at")
    if outcome is Outcome.ACCEPTABLE_ABSENCE and not reason.strip():
        raise Refused("Give the reason the absence was accepted.", field="absence_reason")


def due_for(uow: UnitOfWork, outcome: Outcome, day: date) -> date:
    """When the letter an outcome on ``day`` makes due is owed (the period's
    end for a weekly or monthly confirmation)."""
    if outcome.needs_notification:
        return _deadline(uow, day)
    return _deadline(uow, confirmation_period(day, uow.settings["probation.confirmation_frequency"])[1])


def _deadline(uow: UnitOfWork, day: date) -> date:
    s = uow.settings
    return probation.notification_due(day, working_days=s["probation.notification_working_days"],
                                      closures=s.closures)


def confirmation_period(day: date, frequency: str) -> tuple[date, date]:
    """The attendance period a confirmation covers: the day, its Monday-to-
    Sunday week, or its calendar month."""
    if frequency == "weekly":
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    if frequency == "monthly":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day, day


def _make_due(uow: UnitOfWork, order: DrrOrder, att: Attendance) -> Notification | None:
    day = att.occurred_at.date()
    if Outcome(att.outcome).needs_notification:
        note = Notification(order_id=order.id, attendance_id=att.id, kind=Kind.NON_ATTENDANCE,
                            due_on=_deadline(uow, day), period_from=day, period_to=day, status=NoteStatus.DUE,
                            created_at=uow.clock.now(), summary="")
        uow.session.add(note)
        uow.session.flush()
        return note
    frequency = uow.settings["probation.confirmation_frequency"]
    start, end = confirmation_period(day, frequency)
    if frequency != "per_appointment":
        existing = uow.session.execute(select(Notification).where(
            Notification.order_id == order.id, Notification.kind == Kind.ATTENDANCE_CONFIRMATION,
            Notification.period_from == start, Notification.status == NoteStatus.DUE)).scalars().first()
        if existing is not None:
            return existing
    due = _deadline(uow, end)
    note = Notification(order_id=order.id, attendance_id=att.id if frequency == "per_appointment" else None,
                        kind=Kind.ATTENDANCE_CONFIRMATION, due_on=due, period_from=start, period_to=end,
                        status=NoteStatus.DUE, created_at=uow.clock.now(), summary="")
    uow.session.add(note)
    uow.session.flush()
    return note


def _after_amend(uow: UnitOfWork, order: DrrOrder, att: Attendance) -> Notification | None:
    """Notifications about this attendance: unsent ones follow the new
    outcome; a sent (or filed) one is superseded by a corrected letter."""
    day = att.occurred_at.date()
    about = uow.session.execute(select(Notification).where(
        Notification.order_id == order.id, Notification.status.in_((NoteStatus.DUE, NoteStatus.FILED, NoteStatus.SENT)),
        Notification.kind.in_(ABOUT_ATTENDANCE),
        or_(Notification.attendance_id == att.id,
            (Notification.attendance_id.is_(None)) & (Notification.period_from <= day)
            & (Notification.period_to >= day)))).scalars().all()
    sent = [n for n in about if n.status in (NoteStatus.FILED, NoteStatus.SENT)]
    for n in about:
        if n.status == NoteStatus.DUE:
            n.status = NoteStatus.CANCELLED
    uow.session.flush()
    note = _make_due(uow, order, att)
    if note is not None and sent:
        note.corrects_id = sent[-1].id
        for old in sent:
            old.superseded_by = note.id
            old.status = NoteStatus.SUPERSEDED
    uow.session.flush()
    return note


def _recorded(uow: UnitOfWork, order: DrrOrder, att: Attendance, note: Notification | None) -> OutcomeRecorded:
    flagged = order.id in breach_flagged(uow, [order.id])
    outcome = Outcome(att.outcome)
    message = f"{OUTCOME_LABELS[outcome]} recorded."
    if note is not None and note.kind == Kind.NON_ATTENDANCE:
        message += f" Probation must be told by the end of {uk_long(note.due_on)}."
    if note is not None and note.corrects_id is not None:
        message += " A corrected letter is due; it will supersede the one already sent."
    if flagged:
        message += " This order has reached the breach threshold: Probation's attention is needed."
    if order.consent_withdrawn_on is not None:
        message += " Consent to share has been withdrawn, so no letter will be sent: contact the probation officer."
    return OutcomeRecorded(att.id, note.id if note else None, note.due_on if note else None, flagged, message,
                           Changes.of(AREA, person_id=order.person_id))


def _row(r: Attendance) -> AttendanceRow:
    return AttendanceRow(r.id, r.order_id, r.appointment_id, r.occurred_at, Outcome(r.outcome), r.absence_reason,
                         r.evidence_seen, r.version)

