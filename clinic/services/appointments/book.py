"""Reading the appointment book: day and week views, free slots, the
"outcomes to record" worklist, a person's upcoming appointments.

Every query fetches only the range asked for, through the indexes on
(clinician, start), (room, start), (person, start) and (status, start); one
joined query per view, no per-row queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, select

from clinic.clock import day_bounds, local_now
from clinic.dates import uk_day
from clinic import probation, scheduling
from clinic.outstanding import Outstanding, Severity
from clinic.permissions import Actor, Permission, allows, require
from clinic.appointment_status import HOLDS_SLOT, NO_OUTCOME
from clinic.services.appointments.common import person_name
from clinic.uow import UnitOfWork
from db.tables.appointments import Appointment, AppointmentType, ClinicSession, Room
from db.tables.people import Person
from db.tables.staff import Staff


@dataclass(frozen=True)
class AppointmentRow:
    id: int
    person_id: int
    person_name: str
    date_of_birth: date
    clinician_id: int
    clinician_name: str
    room_id: int | None
    room_name: str
    type_id: int
    type_name: str
    start: datetime
    end: datetime
    status: str
    late_cancellation: bool
    reception_note: str
    series_id: int | None
    session_id: int | None
    version: int


@dataclass(frozen=True)
class SessionRow:
    id: int
    clinician_id: int
    clinician_name: str
    room_id: int
    room_name: str
    day: date
    start: datetime
    end: datetime
    slot_minutes: int
    label: str
    appointment_type_id: int | None
    version: int


@dataclass(frozen=True)
class FreeSlot:
    session_id: int
    clinician_id: int
    room_id: int
    start: datetime
    end: datetime


@dataclass(frozen=True)
class BookView:
    first: date
    last: date
    sessions: tuple[SessionRow, ...]
    appointments: tuple[AppointmentRow, ...]
    free_slots: tuple[FreeSlot, ...]


def _appointment_query() -> Select[*tuple[Any, ...]]:
    a = Appointment
    return (
        select(a.id, a.person_id, Person.forename, Person.surname, Person.preferred_name, Person.date_of_birth,
               a.clinician_id, Staff.full_name, a.room_id, Room.name, a.type_id, AppointmentType.name,
               a.start, a.end, a.status, a.late_cancellation, a.reception_note, a.series_id, a.session_id,
               a.version, AppointmentType.code)
        .join(Person, Person.id == a.person_id)
        .join(Staff, Staff.id == a.clinician_id)
        .join(AppointmentType, AppointmentType.id == a.type_id)
        .outerjoin(Room, Room.id == a.room_id)
    )


#: What a booking of any other type reads as without front-desk detail.
UNNAMED_TYPE = "Appointment at the clinic"


def _rows(uow: UnitOfWork, actor: Actor, query: Select[*tuple[Any, ...]]) -> list[AppointmentRow]:
    """Run an appointment query for ``actor``: without front-desk detail
    (probation) the type and the clinician are named only when it is a DRR/ATR
    booking, and the reception note is left out, so no booking says "OST
    review" or "with Dr … Prescriber" (M2, UI-38)."""
    detail = allows(actor, Permission.FRONT_DESK_DETAIL)
    return [_row(r, detail) for r in uow.session.execute(query).all()]


def _row(r: Sequence[object], detail: bool) -> AppointmentRow:
    (aid, pid, forename, surname, preferred, dob, cid, cname, rid, rname, tid, tname,
     start, end, status, late, note, series, session, version, code) = r
    if not detail:
        note = ""
        if code not in probation.REQUIRED_APPOINTMENT_TYPES:
            tname, cname = UNNAMED_TYPE, ""
    return AppointmentRow(aid, pid, person_name(forename, surname, preferred), dob, cid, cname, rid,  # type: ignore[arg-type]
                          rname or "", tid, tname, start, end, status, bool(late), note or "", series,  # type: ignore[arg-type]
                          session, version)  # type: ignore[arg-type]


def book_range(
    uow: UnitOfWork,
    actor: Actor,
    first: date,
    last: date,
    *,
    clinician_ids: Sequence[int] | None = None,
    room_ids: Sequence[int] | None = None,
    include_cancelled: bool = False,
) -> BookView:
    """Sessions, bookings and free slots from ``first`` to ``last`` inclusive."""
    require(actor, Permission.APPOINTMENT_READ)
    if last < first:
        raise ValueError("The end of the range is before its start.")
    if (last - first).days > 31:
        raise ValueError("Show at most a month of appointments at a time.")
    lo, hi = day_bounds(first, last)
    a = Appointment
    query = _appointment_query().where(a.start >= lo, a.start < hi)
    if clinician_ids is not None:
        query = query.where(a.clinician_id.in_(list(clinician_ids)))
    if room_ids is not None:
        query = query.where(a.room_id.in_(list(room_ids)))
    if not include_cancelled:
        query = query.where(a.status.in_(HOLDS_SLOT))
    appointments = tuple(_rows(uow, actor, query.order_by(a.start, a.id)))
    sessions = sessions_between(uow, first, last, clinician_ids, room_ids)
    return BookView(first, last, sessions, appointments, free_slots(sessions, appointments))


def sessions_between(uow: UnitOfWork, first: date, last: date, clinician_ids: Sequence[int] | None = None,
                     room_ids: Sequence[int] | None = None) -> tuple[SessionRow, ...]:
    """Live clinic sessions from ``first`` to ``last`` (no bookings: clinic
    set-up reads them without the book's permission)."""
    s = ClinicSession
    query = (select(s, Staff.full_name, Room.name).join(Staff, Staff.id == s.clinician_id)
             .join(Room, Room.id == s.room_id)
             .where(s.day >= first, s.day <= last, s.cancelled.is_(False)))
    if clinician_ids is not None:
        query = query.where(s.clinician_id.in_(list(clinician_ids)))
    if room_ids is not None:
        query = query.where(s.room_id.in_(list(room_ids)))
    return tuple(
        SessionRow(row.id, row.clinician_id, cname, row.room_id, rname, row.day,
                   datetime.combine(row.day, row.start_time), datetime.combine(row.day, row.end_time),
                   row.slot_minutes, row.label, row.appointment_type_id, row.version)
        for row, cname, rname in uow.session.execute(query.order_by(s.day, s.start_time)).all()
    )


def free_slots(sessions: Sequence[SessionRow], appointments: Sequence[AppointmentRow]) -> tuple[FreeSlot, ...]:
    """Slots in each session not overlapped by a live booking of its clinician
    or room. The bookings are grouped by day and clinician and by day and room
    first, so each session meets only its own day's, which
    ``scheduling.free_session_slots`` then sweeps once."""
    by_clinician: defaultdict[tuple[date, int], list[tuple[datetime, datetime]]] = defaultdict(list)
    by_room: defaultdict[tuple[date, int | None], list[tuple[datetime, datetime]]] = defaultdict(list)
    for x in appointments:
        if x.status in HOLDS_SLOT:
            by_clinician[x.start.date(), x.clinician_id].append((x.start, x.end))
            by_room[x.start.date(), x.room_id].append((x.start, x.end))
    return tuple(
        FreeSlot(session.id, session.clinician_id, session.room_id, start,
                 start + timedelta(minutes=session.slot_minutes))
        for session in sessions
        for start in scheduling.free_session_slots(
            session.start, session.end, session.slot_minutes,
            by_clinician.get((session.day, session.clinician_id), []) + by_room.get((session.day, session.room_id), []))
    )


def outcomes_to_record(uow: UnitOfWork, actor: Actor, *, clinician_id: int | None = None,
                       limit: int = 500) -> list[AppointmentRow]:
    """Past appointments still booked, arrived or in progress: nothing is
    marked did-not-attend automatically, so someone must record each one."""
    require(actor, Permission.APPOINTMENT_READ)
    now = local_now(uow.clock)
    a = Appointment
    # The statuses are written into the SQL, not bound, so PostgreSQL sees the
    # partial index of bookings awaiting an outcome (migration 0019) even in a
    # prepared statement's generic plan; without it, it walks the start index
    # back through every past appointment to find the few still waiting.
    awaiting: BindParameter[list[str]] = bindparam("awaiting", list(NO_OUTCOME), expanding=True, literal_execute=True)
    query = _appointment_query().where(a.status.in_(awaiting), a.start < now, a.end <= now)
    if clinician_id is not None:
        query = query.where(a.clinician_id == clinician_id)
    return _rows(uow, actor, query.order_by(a.start.desc()).limit(limit))


def person_appointments(uow: UnitOfWork, actor: Actor, person_id: int, *, upcoming_only: bool = False,
                        limit: int = 200) -> list[AppointmentRow]:
    require(actor, Permission.APPOINTMENT_READ)
    a = Appointment
    query = _appointment_query().where(a.person_id == person_id)
    if upcoming_only:
        query = query.where(a.start >= datetime.combine(uow.clock.today(), datetime.min.time()),
                            a.status.in_(NO_OUTCOME))
        query = query.order_by(a.start).limit(limit)
    else:
        query = query.order_by(a.start.desc()).limit(limit)
    return _rows(uow, actor, query)


def outstanding(uow: UnitOfWork, actor: Actor, person_id: int) -> list[Outstanding]:
    """Outstanding-items provider for the person summary: upcoming appointments
    (a masked booking comes with no clinician name, ``_row``)."""
    require(actor, Permission.APPOINTMENT_READ)
    today = uow.clock.today()
    items = []
    for row in person_appointments(uow, actor, person_id, upcoming_only=True, limit=5):
        label = f"{row.type_name} {uk_day(row.start)} {row.start:%H:%M}"
        if row.clinician_name:
            label += f" with {row.clinician_name}"
        severity = Severity.DUE if row.start.date() == today else Severity.INFO
        items.append(Outstanding("appointments", label, row.start.date(), severity))
    return items
