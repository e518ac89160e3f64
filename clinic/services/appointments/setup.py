"""Rooms and appointment types, managed by the service manager: add,
change, retire and bring back. Nothing is ever deleted, because bookings
and sessions refer to them; a retired room or type is simply not offered
for new bookings or sessions. Clinic sessions themselves are in
``appointments_sessions``."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select

from clinic.changes import Area, Changes
from clinic import probation
from clinic.errors import Refused
from clinic.permissions import Actor, Permission, require
from clinic.services.appointments.sessions import Saved
from clinic.uow import UnitOfWork
from db.tables.appointments import AppointmentType, ClinicSession, Room


def _room(uow: UnitOfWork, room_id: int) -> Room:
    row = uow.session.get(Room, room_id)
    if row is None:
        raise Refused("That room no longer exists.")
    return row


def rename_room(uow: UnitOfWork, actor: Actor, room_id: int, name: str) -> Saved:
    require(actor, Permission.SESSION_ADMIN)
    row, name = _room(uow, room_id), name.strip()
    if not name:
        raise Refused("A room needs a name.", field="name")
    if uow.session.execute(select(Room.id).where(Room.name == name, Room.id != room_id)).first():
        raise Refused(f"There is already a room called {name}.", field="name")
    before, row.name = row.name, name
    uow.session.flush()
    uow.audit(actor, "appointments.room_renamed", "room", row.id, changes={"name": [before, name]})
    return Saved(row.id, _changes())


def set_room_active(uow: UnitOfWork, actor: Actor, room_id: int, active: bool, *, today: date | None = None) -> Saved:
    """Retire a room (refused while sessions from today on use it) or bring it back."""
    require(actor, Permission.SESSION_ADMIN)
    row = _room(uow, room_id)
    if not active:
        upcoming = uow.session.execute(select(func.count()).select_from(ClinicSession).where(
            ClinicSession.room_id == room_id, ClinicSession.cancelled.is_(False),
            ClinicSession.day >= (today or uow.clock.today()))).scalar_one()
        if upcoming:
            raise Refused(f"{row.name} has {upcoming} clinic session{'s' if upcoming != 1 else ''} from today on: "
                          "move or cancel them before retiring it.")
    before, row.active = row.active, active
    uow.session.flush()
    uow.audit(actor, "appointments.room_retired" if not active else "appointments.room_restored", "room", row.id,
              changes={"active": [before, active]})
    return Saved(row.id, _changes())


def _type(uow: UnitOfWork, type_id: int) -> AppointmentType:
    row = uow.session.get(AppointmentType, type_id)
    if row is None:
        raise Refused("That appointment type no longer exists.")
    return row


def _check_type(uow: UnitOfWork, name: str, minutes: int, own_id: int | None) -> str:
    name = name.strip()
    if not name:
        raise Refused("An appointment type needs a name.", field="name")
    if not 5 <= minutes <= 480:
        raise Refused("The usual length must be between 5 minutes and 8 hours.", field="minutes")
    clash = select(AppointmentType.id).where(func.lower(AppointmentType.name) == name.lower())
    if own_id is not None:
        clash = clash.where(AppointmentType.id != own_id)
    if uow.session.execute(clash).first():
        raise Refused(f"There is already an appointment type called {name}.", field="name")
    return name


def add_type(uow: UnitOfWork, actor: Actor, name: str, minutes: int) -> Saved:
    require(actor, Permission.SESSION_ADMIN)
    name = _check_type(uow, name, minutes, None)
    code = base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:30] or "type"
    n = 1
    while uow.session.execute(select(AppointmentType.id).where(AppointmentType.code == code)).first():
        n += 1
        code = f"{base}_{n}"
    row = AppointmentType(code=code, name=name, default_minutes=minutes, active=True)
    uow.session.add(row)
    uow.session.flush()
    uow.audit(actor, "appointments.type_added", "appointment_type", row.id,
              changes={"name": [None, name], "default_minutes": [None, minutes]})
    return Saved(row.id, _changes())


def update_type(uow: UnitOfWork, actor: Actor, type_id: int, name: str, minutes: int) -> Saved:
    require(actor, Permission.SESSION_ADMIN)
    row = _type(uow, type_id)
    name = _check_type(uow, name, minutes, type_id)
    changes = {k: [getattr(row, k), v] for k, v in (("name", name), ("default_minutes", minutes))
               if getattr(row, k) != v}
    if not changes:
        raise Refused("Nothing has changed.")
    row.name, row.default_minutes = name, minutes
    uow.session.flush()
    uow.audit(actor, "appointments.type_changed", "appointment_type", row.id, changes=changes)
    return Saved(row.id, _changes())


def set_type_active(uow: UnitOfWork, actor: Actor, type_id: int, active: bool) -> Saved:
    """Retire a type (not offered for new bookings; old bookings keep it) or bring it back."""
    require(actor, Permission.SESSION_ADMIN)
    row = _type(uow, type_id)
    if not active and row.code in probation.REQUIRED_APPOINTMENT_TYPES:
        raise Refused(f"{row.name} is the type Probation's required appointments are booked as: it cannot be retired.")
    before, row.active = row.active, active
    uow.session.flush()
    uow.audit(actor, "appointments.type_retired" if not active else "appointments.type_restored",
              "appointment_type", row.id, changes={"active": [before, active]})
    return Saved(row.id, _changes())


def _changes() -> Changes:
    return Changes.of(Area.APPOINTMENTS)
