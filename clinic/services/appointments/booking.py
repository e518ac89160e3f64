"""Booking appointments and recording what happened.

Booking checks, in the write transaction (``clinic.unit_of_work(write=True)``
takes the write lock at BEGIN IMMEDIATE, so two receptionists booking the same
slot queue: the first wins and the second is shown the clash):

* the person exists, the clinician is active, the type is known;
* end after start; inside its clinic session when booked into one;
* a time already past needs a reason;
* no overlap with the same person, clinician or room (cancelled bookings
  free their slot);
* a bank holiday, weekend or site closure needs ``confirm=True``.

Status flow: booked → arrived → in_progress → seen; did not attend (only
once the start time has passed, and never automatically); cancelled by the
client or the service (late if under ``appointments.late_cancel_hours``);
left without being seen.

**A DRR booking is Probation's.** Booking the DRR type links it to the
person's order (with several orders the booking names one); editing a
booking into or out of the DRR type links or unlinks it, and a booking whose
outcome is already on the order keeps its type. Marking a linked
booking did-not-attend, seen or seen late (``SetStatus.late``) records the
attendance outcome in the same transaction, so the outcome and the letter it
makes due exist with the marking or not at all. The book reaches probation
through ``watchers``, the one seam between them: probation books through this
module, so it cannot be imported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from clinic.clock import local_now
from clinic.errors import Refused

from clinic import scheduling, workdays
from clinic.appointment_status import CANCELLED, HOLDS_SLOT, ON_THE_DAY, OUTCOMES
from clinic.appointment_status import TRANSITIONS as TRANSITIONS  # the screens ask the book
from clinic.appointment_status import AppointmentStatus as S
from clinic.changes import Area, Changes
from clinic.people import PersonStatus
from clinic.permissions import Actor, Permission, require
from clinic.services.appointments import watchers
from clinic.services.appointments.common import ClashError, ClashInfo, NeedsConfirmation, StaleAppointment, person_name
from clinic.uow import UnitOfWork, changed_fields
from db.tables.appointments import Appointment, AppointmentType, ClinicSession, Room
from db.tables.people import Person
from db.tables.staff import Staff


@dataclass(frozen=True)
class BookAppointment:
    person_id: int
    clinician_id: int
    type_id: int
    start: datetime  # local wall clock, naive
    end: datetime | None = None  # None: the type's default length
    room_id: int | None = None
    session_id: int | None = None
    reception_note: str = ""
    past_reason: str = ""
    confirm: bool = False  # go ahead despite closure / bank-holiday warnings
    order_id: int | None = None  # the DRR/ATR order a DRR booking is for (needed when there are several)


@dataclass(frozen=True)
class Booked:
    id: int
    start: datetime
    end: datetime
    warnings: tuple[str, ...]
    changes: Changes
    order_label: str = ""  # the order a DRR booking was linked to (or, edited, how its link changed)


def _closure_warnings(day: date, closures: frozenset[date]) -> list[str]:
    if day in closures:
        return [f"{day:%A %d %B %Y} is a site closure day."]
    if workdays.is_bank_holiday(day):
        return [f"{day:%A %d %B %Y} is a bank holiday."]
    if day.weekday() >= 5:
        return [f"{day:%A %d %B %Y} is a weekend."]
    return []


def _find_clashes(uow: UnitOfWork, candidate: scheduling.Booking) -> list[ClashInfo]:
    """Live bookings overlapping ``candidate`` for its person, clinician or room."""
    a = Appointment
    near = (a.start < candidate.end) & (a.start > candidate.start - timedelta(hours=12))
    who = a.person_id == candidate.person_id
    who = who | (a.clinician_id == candidate.clinician_id)
    if candidate.room_id is not None:
        who = who | (a.room_id == candidate.room_id)
    rows = uow.session.execute(
        select(a, Person.forename, Person.surname, Staff.full_name, Room.name)
        .join(Person, Person.id == a.person_id).join(Staff, Staff.id == a.clinician_id)
        .outerjoin(Room, Room.id == a.room_id)
        .where(near, who, a.status.in_(HOLDS_SLOT))
    ).all()
    existing = {r[0].id: r for r in rows}
    bookings = [scheduling.Booking(r[0].person_id, r[0].clinician_id, r[0].room_id, r[0].start, r[0].end, r[0].id)
                for r in rows]
    out = []
    for clash in scheduling.find_clashes(candidate, bookings):
        appt, forename, surname, clinician, room = existing[clash.booking.id]  # type: ignore[index]
        out.append(ClashInfo(appt.id, person_name(forename, surname), clinician, room or "",
                             appt.start, appt.end, clash.dimensions))
    return sorted(out, key=lambda c: c.start)


def _resolve(uow: UnitOfWork, cmd: BookAppointment) -> tuple[AppointmentType, datetime, int | None]:
    person = uow.session.get(Person, cmd.person_id)
    if person is None or person.status == PersonStatus.MERGED:
        raise ValueError("That person is not on the register (they may have been merged into another record).")
    clinician = uow.session.get(Staff, cmd.clinician_id)
    if clinician is None or not clinician.active:
        raise ValueError("That clinician is not an active member of staff.")
    kind = uow.session.get(AppointmentType, cmd.type_id)
    if kind is None:
        raise ValueError("That appointment type does not exist.")
    end = cmd.end or cmd.start + timedelta(minutes=kind.default_minutes)
    if end <= cmd.start:
        raise ValueError("An appointment must end after it starts.")
    if end.date() != cmd.start.date():
        raise ValueError("An appointment must start and end on the same day.")
    room_id = cmd.room_id
    if cmd.session_id is not None:
        session = uow.session.get(ClinicSession, cmd.session_id)
        if session is None or session.cancelled:
            raise ValueError("That clinic session no longer exists.")
        s_start = datetime.combine(session.day, session.start_time)
        s_end = datetime.combine(session.day, session.end_time)
        if cmd.start < s_start or end > s_end:
            raise ValueError(
                f"This is outside the session ({session.day:%a %d %b} "
                f"{session.start_time:%H:%M}–{session.end_time:%H:%M}).")
        if session.clinician_id != cmd.clinician_id:
            raise ValueError("This session belongs to another clinician.")
        room_id = room_id or session.room_id
    if room_id is not None and uow.session.get(Room, room_id) is None:
        raise ValueError("That room does not exist.")
    return kind, end, room_id


def _check_booking(uow: UnitOfWork, cmd: BookAppointment, *,
                  own_id: int | None = None) -> tuple[datetime, int | None, list[str]]:
    """Every refusal and warning for a booking, without saving it."""
    if not isinstance(cmd.start, datetime) or cmd.start.tzinfo is not None:
        raise Refused("The start must be a local date and time.", field="start")
    _kind, end, room_id = _resolve(uow, cmd)
    if cmd.start < local_now(uow.clock) and own_id is None and not cmd.past_reason.strip():
        raise Refused("This time has already passed. Give a reason to record a past booking.",
                      field="past_reason")
    clashes = _find_clashes(uow, scheduling.Booking(cmd.person_id, cmd.clinician_id, room_id, cmd.start, end, own_id))
    if clashes:
        raise ClashError(clashes)
    warnings = _closure_warnings(cmd.start.date(), uow.settings.closures)
    if warnings and not cmd.confirm:
        raise NeedsConfirmation(warnings)
    return end, room_id, warnings


def _fields(a: Appointment) -> dict[str, object]:
    return {"person_id": a.person_id, "clinician_id": a.clinician_id, "room_id": a.room_id,
            "session_id": a.session_id, "type_id": a.type_id, "start": a.start.isoformat(),
            "end": a.end.isoformat(), "status": a.status, "late_cancellation": a.late_cancellation,
            "reception_note": a.reception_note, "past_reason": a.past_reason, "series_id": a.series_id}


def book(uow: UnitOfWork, actor: Actor, cmd: BookAppointment, *, series_id: int | None = None) -> Booked:
    require(actor, Permission.APPOINTMENT_WRITE)
    end, room_id, warnings = _check_booking(uow, cmd)
    row = Appointment(
        person_id=cmd.person_id, clinician_id=cmd.clinician_id, room_id=room_id, session_id=cmd.session_id,
        type_id=cmd.type_id, start=cmd.start, end=end, status=S.BOOKED, late_cancellation=False,
        reception_note=cmd.reception_note.strip(), past_reason=cmd.past_reason.strip(), series_id=series_id,
        created_by=actor.staff_id, created_at=uow.clock.now(),
    )
    uow.session.add(row)
    uow.session.flush()
    linked = watchers.watcher().booked(uow, row, cmd.order_id)
    fields = _fields(row) | ({"order_id": linked.order_id} if linked else {})
    uow.audit(actor, "appointment.booked", "appointment", row.id, person_id=row.person_id,
              changes=changed_fields({}, fields))
    areas = (Area.APPOINTMENTS, Area.PROBATION) if linked else (Area.APPOINTMENTS,)
    return Booked(row.id, row.start, row.end, tuple(warnings), Changes.of(*areas, person_id=row.person_id),
                  linked.label if linked else "")


@dataclass(frozen=True)
class EditAppointment:
    appointment_id: int
    version: int
    start: datetime
    end: datetime
    clinician_id: int
    type_id: int
    room_id: int | None = None
    session_id: int | None = None
    reception_note: str = ""
    confirm: bool = False
    order_id: int | None = None  # the order a booking changed to the DRR type is for (needed when there are several)


def get_for_update(uow: UnitOfWork, appointment_id: int, version: int | None) -> Appointment:
    row = uow.session.get(Appointment, appointment_id)
    if row is None:
        raise ValueError("That appointment no longer exists.")
    if version is not None and row.version != version:
        raise StaleAppointment()
    return row


def edit(uow: UnitOfWork, actor: Actor, cmd: EditAppointment) -> Booked:
    """Move or change one booking (one occurrence of a series stays in it)."""
    require(actor, Permission.APPOINTMENT_WRITE)
    row = get_for_update(uow, cmd.appointment_id, cmd.version)
    if row.status not in (S.BOOKED, S.ARRIVED):
        raise ValueError(f"A booking marked {S(row.status).label.lower()} cannot be moved.")
    if cmd.start < local_now(uow.clock) and cmd.start != row.start:
        raise ValueError("An appointment cannot be moved into the past.")
    booking = BookAppointment(row.person_id, cmd.clinician_id, cmd.type_id, cmd.start, cmd.end, cmd.room_id,
                              cmd.session_id, cmd.reception_note, confirm=cmd.confirm)
    end, room_id, warnings = _check_booking(uow, booking, own_id=row.id)
    before, old_type = _fields(row), row.type_id
    row.start, row.end, row.clinician_id, row.type_id = cmd.start, end, cmd.clinician_id, cmd.type_id
    row.room_id, row.session_id, row.reception_note = room_id, cmd.session_id, cmd.reception_note.strip()
    uow.session.flush()
    relinked = watchers.watcher().changed(uow, row, old_type, cmd.order_id)
    after = _fields(row)
    if relinked:
        before, after = before | {"order_id": relinked.was_order_id}, after | {"order_id": relinked.order_id}
    uow.audit(actor, "appointment.changed", "appointment", row.id, person_id=row.person_id,
              changes=changed_fields(before, after))
    areas = (Area.APPOINTMENTS, Area.PROBATION) if relinked else (Area.APPOINTMENTS,)
    return Booked(row.id, row.start, row.end, tuple(warnings), Changes.of(*areas, person_id=row.person_id),
                  relinked.message if relinked else "")


@dataclass(frozen=True)
class SetStatus:
    appointment_id: int
    status: str
    version: int | None = None  # the version shown; None skips the check
    late: bool = False  # "seen", arrived late: a DRR booking records "attended late"


@dataclass(frozen=True)
class StatusSet:
    id: int
    status: str
    late_cancellation: bool
    changes: Changes
    probation_message: str = ""  # what was recorded on a DRR/ATR order, if anything


def set_status(uow: UnitOfWork, actor: Actor, cmd: SetStatus) -> StatusSet:
    require(actor, Permission.APPOINTMENT_WRITE)
    if cmd.status not in list(S):
        raise ValueError(f"{cmd.status!r} is not an appointment status.")
    status = S(cmd.status)
    row = get_for_update(uow, cmd.appointment_id, cmd.version)
    if status == row.status:
        return StatusSet(row.id, row.status, row.late_cancellation, Changes())
    was = S(row.status)
    if status not in TRANSITIONS[was]:
        raise ValueError(f"A booking marked {was.label.lower()} cannot be marked {status.label.lower()}.")
    now_local = local_now(uow.clock)
    if status in ON_THE_DAY and row.start.date() > now_local.date():
        raise ValueError("This appointment is on a later day; it can only be cancelled or moved.")
    if status == S.DNA and row.start > now_local:
        raise ValueError("Did-not-attend can only be recorded once the appointment time has passed.")
    before = _fields(row)
    row.status = status
    if status in CANCELLED:
        row.cancelled_at = uow.clock.now()
        row.late_cancellation = scheduling.is_late_cancellation(
            row.start, now_local, notice_hours=uow.settings["appointments.late_cancel_hours"])
    if status == S.ARRIVED and row.arrived_at is None:
        row.arrived_at = uow.clock.now()
    if status in OUTCOMES:
        row.outcome_by, row.outcome_at = actor.staff_id, uow.clock.now()
    uow.session.flush()
    uow.audit(actor, f"appointment.{status}", "appointment", row.id, person_id=row.person_id,
              changes=changed_fields(before, _fields(row)))
    marked = "late" if cmd.late and status == S.SEEN else status
    recorded = watchers.watcher().status_set(uow, actor, row, marked)
    areas = (Area.APPOINTMENTS, Area.PROBATION) if recorded else (Area.APPOINTMENTS,)
    return StatusSet(row.id, row.status, row.late_cancellation, Changes.of(*areas, person_id=row.person_id),
                     recorded.message if recorded else "")
