"""Rooms, appointment types, clinicians and clinic sessions.

A session is a clinician in a room for part of one day, cut into slots
("BBV nurse clinic, Tue 10:00–13:00, Room 2, 20-minute slots"). Two live
sessions never share a room or a clinician at the same time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from clinic import scheduling
from clinic.changes import Area, Changes
from clinic.errors import Refused
from clinic.permissions import Actor, Permission, Role, parse_roles, require
from clinic.services.appointments import book
from clinic.services.appointments.common import StaleAppointment
from clinic.uow import UnitOfWork, changed_fields
from db.tables.appointments import AppointmentType, ClinicSession, Room
from db.tables.staff import Staff

#: Roles that see people in sessions and can have appointments booked with them.
CLINICIAN_ROLES = frozenset({Role.NURSE, Role.PRESCRIBER, Role.PROBATION})


@dataclass(frozen=True)
class RoomInfo:
    id: int
    name: str
    active: bool


@dataclass(frozen=True)
class TypeInfo:
    id: int
    code: str
    name: str
    default_minutes: int
    active: bool


@dataclass(frozen=True)
class ClinicianInfo:
    id: int
    full_name: str


@dataclass(frozen=True)
class Saved:
    id: int
    changes: Changes


def list_rooms(uow: UnitOfWork, actor: Actor) -> list[RoomInfo]:
    require(actor, Permission.APPOINTMENT_READ)
    return _rooms(uow)


def _rooms(uow: UnitOfWork) -> list[RoomInfo]:
    rows = uow.session.execute(select(Room).order_by(Room.name)).scalars()
    return [RoomInfo(r.id, r.name, r.active) for r in rows]


def add_room(uow: UnitOfWork, actor: Actor, name: str) -> Saved:
    require(actor, Permission.SESSION_ADMIN)
    name = name.strip()
    if not name:
        raise Refused("A room needs a name.", field="name")
    if uow.session.execute(select(Room.id).where(Room.name == name)).first():
        raise Refused(f"There is already a room called {name}.", field="name")
    room = Room(name=name, active=True)
    uow.session.add(room)
    uow.session.flush()
    uow.audit(actor, "appointments.room_added", "room", room.id, changes={"name": [None, name]})
    return Saved(room.id, Changes.of(Area.APPOINTMENTS))


def list_types(uow: UnitOfWork, actor: Actor, *, active_only: bool = True) -> list[TypeInfo]:
    require(actor, Permission.APPOINTMENT_READ)
    return _types(uow, active_only)


def _types(uow: UnitOfWork, active_only: bool) -> list[TypeInfo]:
    query = select(AppointmentType).order_by(AppointmentType.name)
    if active_only:
        query = query.where(AppointmentType.active.is_(True))
    return [TypeInfo(t.id, t.code, t.name, t.default_minutes, t.active) for t in uow.session.execute(query).scalars()]


def list_clinicians(uow: UnitOfWork, actor: Actor) -> list[ClinicianInfo]:
    """Active staff who see people: nurses, prescribers, probation liaison."""
    require(actor, Permission.APPOINTMENT_READ)
    return _clinicians(uow)


def _clinicians(uow: UnitOfWork) -> list[ClinicianInfo]:
    rows = uow.session.execute(select(Staff).where(Staff.active.is_(True)).order_by(Staff.full_name)).scalars()
    return [ClinicianInfo(r.id, r.full_name) for r in rows if parse_roles(r.roles) & CLINICIAN_ROLES]


@dataclass(frozen=True)
class SetupLists:
    clinicians: list[ClinicianInfo]
    rooms: list[RoomInfo]
    types: list[TypeInfo]  # retired ones too
    sessions: tuple[book.SessionRow, ...]


def setup_lists(uow: UnitOfWork, actor: Actor, monday: date) -> SetupLists:
    """What clinic set-up shows for the week from ``monday``. Its own
    permission, not the book's: the admin manages the configuration without
    seeing who is booked."""
    require(actor, Permission.SESSION_ADMIN)
    return SetupLists(_clinicians(uow), _rooms(uow), _types(uow, False),
                      book.sessions_between(uow, monday, monday + timedelta(days=6)))


@dataclass(frozen=True)
class SessionSpec:
    clinician_id: int
    room_id: int
    day: date
    start_time: time
    end_time: time
    slot_minutes: int
    label: str = ""
    appointment_type_id: int | None = None


def _check_spec(uow: UnitOfWork, spec: SessionSpec, session_id: int | None) -> None:
    start = datetime.combine(spec.day, spec.start_time)
    end = datetime.combine(spec.day, spec.end_time)
    if end <= start:
        raise Refused("A session must end after it starts.", field="end_time")
    if spec.slot_minutes <= 0:
        raise Refused("Slots must be at least one minute long.", field="slot_minutes")
    if not scheduling.session_slots(start, end, spec.slot_minutes):
        raise Refused("The slot length is longer than the session.", field="slot_minutes")
    room = uow.session.get(Room, spec.room_id)
    if room is None:
        raise Refused("That room does not exist.", field="room_id")
    if not room.active:
        raise Refused(f"{room.name} has been retired: choose another room.", field="room_id")
    clinician = uow.session.get(Staff, spec.clinician_id)
    if clinician is None or not clinician.active:
        raise Refused("That clinician is not an active member of staff.", field="clinician_id")
    others = uow.session.execute(
        select(ClinicSession, Room.name, Staff.full_name)
        .join(Room, Room.id == ClinicSession.room_id)
        .join(Staff, Staff.id == ClinicSession.clinician_id)
        .where(ClinicSession.day == spec.day, ClinicSession.cancelled.is_(False))
    ).all()
    for other, room_name, clinician_name in others:
        if other.id == session_id:
            continue
        if not (other.room_id == spec.room_id or other.clinician_id == spec.clinician_id):
            continue
        if scheduling.overlaps(start, end, datetime.combine(other.day, other.start_time),
                               datetime.combine(other.day, other.end_time)):
            what = room_name if other.room_id == spec.room_id else clinician_name
            raise Refused(
                f"{what} already has a session {other.start_time:%H:%M}–{other.end_time:%H:%M}"
                f"{' (' + other.label + ')' if other.label else ''} that overlaps this one.", field="start_time"
            )


def _fields(s: ClinicSession) -> dict[str, object]:
    return {
        "clinician_id": s.clinician_id, "room_id": s.room_id, "day": s.day.isoformat(),
        "start_time": s.start_time.strftime("%H:%M"), "end_time": s.end_time.strftime("%H:%M"),
        "slot_minutes": s.slot_minutes, "label": s.label, "appointment_type_id": s.appointment_type_id,
    }


def create_session(uow: UnitOfWork, actor: Actor, spec: SessionSpec) -> Saved:
    require(actor, Permission.SESSION_ADMIN)
    _check_spec(uow, spec, None)
    row = ClinicSession(cancelled=False, **spec.__dict__)
    uow.session.add(row)
    uow.session.flush()
    uow.audit(actor, "appointments.session_created", "clinic_session", row.id,
              changes=changed_fields({}, _fields(row)))
    return Saved(row.id, Changes.of(Area.APPOINTMENTS))


def update_session(uow: UnitOfWork, actor: Actor, session_id: int, version: int, spec: SessionSpec) -> Saved:
    require(actor, Permission.SESSION_ADMIN)
    row = uow.session.get(ClinicSession, session_id)
    if row is None or row.cancelled:
        raise ValueError("That session no longer exists.")
    if row.version != version:
        raise StaleAppointment("session")
    _check_spec(uow, spec, session_id)
    before = _fields(row)
    for key, value in spec.__dict__.items():
        setattr(row, key, value)
    uow.session.flush()
    uow.audit(actor, "appointments.session_changed", "clinic_session", row.id,
              changes=changed_fields(before, _fields(row)))
    return Saved(row.id, Changes.of(Area.APPOINTMENTS))


def cancel_session(uow: UnitOfWork, actor: Actor, session_id: int) -> Saved:
    """Take a session out of the book. Its bookings stay (and are shown) so
    reception can move or cancel each one with the person."""
    require(actor, Permission.SESSION_ADMIN)
    row = uow.session.get(ClinicSession, session_id)
    if row is None or row.cancelled:
        raise ValueError("That session no longer exists.")
    row.cancelled = True
    uow.session.flush()
    uow.audit(actor, "appointments.session_cancelled", "clinic_session", row.id, changes={"cancelled": [False, True]})
    return Saved(row.id, Changes.of(Area.APPOINTMENTS))
