"""The appointment book's letter data: a booking confirmed or reminded, a
missed appointment with the next one, and reception's day sheet."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from clinic.appointment_status import AppointmentStatus
from clinic.clock import SITE_TZ
from clinic.letters.templates import day_sheet
from clinic.letters.templates.appointment_details import Appointment as AppointmentDetails
from clinic.permissions import Actor, require
from clinic.services.appointments.book import book_range
from clinic.services.letters import filing
from clinic.services.letters.parts import lines
from clinic.uow import UnitOfWork
from db import audit
from db.tables.appointments import Appointment, Room
from db.tables.people import Person
from db.tables.staff import Staff


def _appointment_details(uow: UnitOfWork, row: Appointment) -> AppointmentDetails:
    place: list[str] = []
    if row.room_id is not None:
        room = uow.session.get(Room, row.room_id)
        if room is not None:
            place.append(room.name)
    place += list(lines(uow.settings["site.address"]))
    clinician = uow.session.get(Staff, row.clinician_id)
    ask_for = f"{clinician.full_name} at reception" if clinician else "Reception"
    return AppointmentDetails(starts_at=row.start, place=tuple(place), ask_for=ask_for)


def _appointment(uow: UnitOfWork, person: Person, appointment_id: int | None, *, missed: bool) -> Appointment:
    query = select(Appointment).where(Appointment.person_id == person.id)
    if appointment_id is not None:
        row = uow.session.execute(query.where(Appointment.id == appointment_id)).scalar_one_or_none()
    elif missed:
        row = uow.session.execute(query.where(Appointment.status == AppointmentStatus.DNA)
                                  .order_by(Appointment.start.desc()).limit(1)).scalar_one_or_none()
    else:
        now = uow.clock.now().astimezone(SITE_TZ).replace(tzinfo=None)
        row = uow.session.execute(query.where(Appointment.status == AppointmentStatus.BOOKED, Appointment.start >= now)
                                  .order_by(Appointment.start).limit(1)).scalar_one_or_none()
    if row is None:
        what = "missed appointment" if missed else "booked appointment still to come"
        raise ValueError(f"There is no {what} on this person's record to write about.")
    return row


def _next_booked(uow: UnitOfWork, person: Person, after: Any) -> Appointment | None:
    return uow.session.execute(
        select(Appointment).where(Appointment.person_id == person.id, Appointment.status == AppointmentStatus.BOOKED,
                                  Appointment.start > after).order_by(Appointment.start).limit(1)
    ).scalar_one_or_none()


def booked(uow: UnitOfWork, actor: Actor, person: Person, form: dict[str, Any]) -> dict[str, Any]:
    row = _appointment(uow, person, form.pop("appointment_id", None), missed=False)
    return {"appointment": _appointment_details(uow, row)}


def missed(uow: UnitOfWork, actor: Actor, person: Person, form: dict[str, Any]) -> dict[str, Any]:
    row = _appointment(uow, person, form.pop("appointment_id", None), missed=True)
    following = _next_booked(uow, person, row.start)
    return {"missed_at": row.start,
            "next_appointment": _appointment_details(uow, following) if following else None}


def draft_day_sheet(uow: UnitOfWork, actor: Actor, day: date) -> day_sheet.DaySheet:
    """Every clinician's session on ``day`` with its bookings, for reception."""
    require(actor, filing.permission_for(day_sheet.TEMPLATE.category))
    view = book_range(uow, actor, day, day)
    sessions = []
    for s in view.sessions:
        bookings = tuple(
            day_sheet.Booking(at=a.start.time(), client=a.person_name, appointment_type=a.type_name,
                              status=AppointmentStatus(a.status).short_label, notes=a.reception_note)
            for a in view.appointments if a.session_id == s.id)
        sessions.append(day_sheet.ClinicianSession(clinician=s.clinician_name, room=s.room_name,
                                                   starts=s.start.time(), ends=s.end.time(), bookings=bookings))
    in_sessions = {a.id for a in view.appointments if a.session_id in {s.id for s in view.sessions}}
    loose = [a for a in view.appointments if a.id not in in_sessions]
    for clinician, room in sorted({(a.clinician_name, a.room_name) for a in loose}):
        mine = [a for a in loose if (a.clinician_name, a.room_name) == (clinician, room)]
        sessions.append(day_sheet.ClinicianSession(
            clinician=clinician, room=room or "No room", starts=min(a.start for a in mine).time(),
            ends=max(a.end for a in mine).time(),
            bookings=tuple(day_sheet.Booking(at=a.start.time(), client=a.person_name,
                                             appointment_type=a.type_name,
                                             status=AppointmentStatus(a.status).short_label, notes=a.reception_note)
                           for a in mine)))
    # time order, with sessions that have no bookings compact at the end (UI-11)
    sessions.sort(key=lambda s: (not s.bookings, s.starts, s.clinician))
    return day_sheet.DaySheet(day=day, site_name=uow.settings["site.service_name"], printed_at=uow.clock.now(),
                              sessions=tuple(sessions), audit_head=audit.head(uow.session))
