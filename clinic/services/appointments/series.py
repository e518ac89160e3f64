"""Repeating bookings: weekly DRR appointments, a vaccine course's next doses.

Occurrences come from ``clinic.scheduling.recurrence`` with the site's
closure days: one on a weekend, bank holiday or closure is moved to the next
working day or skipped, as the user chooses. A series is booked whole or not
at all: any clash refuses it, with every clash shown. Afterwards each
occurrence is an ordinary appointment (edit one with
``appointments.edit``); ``change_following`` and ``cancel_following`` act on
one occurrence and every later one still booked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, rrule
from sqlalchemy import select

from clinic.clock import local_now
from clinic.dates import uk_day
from clinic import scheduling, workdays
from clinic.appointment_status import CANCELLED, AppointmentStatus
from clinic.changes import Area, Changes
from clinic.errors import Refused
from clinic.permissions import Actor, Permission, require
from clinic.services.appointments import booking as appointments
from clinic.services.appointments.common import ClashError
from clinic.uow import UnitOfWork, changed_fields
from db.tables.appointments import Appointment, AppointmentSeries, AppointmentType

_FREQ: dict[str, Literal[1, 2, 3]] = {"daily": DAILY, "weekly": WEEKLY, "monthly": MONTHLY}  # rrule wants the literals


@dataclass(frozen=True)
class BookSeries:
    person_id: int
    clinician_id: int
    type_id: int
    first_start: datetime  # local wall clock
    minutes: int | None = None  # None: the type's default length
    room_id: int | None = None
    freq: str = "weekly"
    interval: int = 1
    count: int | None = None
    until: date | None = None
    on_closure: scheduling.OnClosure = "move"
    reception_note: str = ""
    order_id: int | None = None  # the DRR/ATR order the bookings are for (probation_links)


@dataclass(frozen=True)
class SeriesPlan:
    starts: tuple[datetime, ...]
    #: (planned, moved to) for occurrences moved off a non-working day
    moved: tuple[tuple[datetime, datetime], ...]
    #: planned dates left out because they were not working days
    skipped: tuple[datetime, ...]
    minutes: int

    def describe(self) -> list[str]:
        lines = [f"{uk_day(a)} moved to {uk_day(b)}" for a, b in self.moved]
        lines += [f"{uk_day(a)} skipped (not a working day)" for a in self.skipped]
        return lines


@dataclass(frozen=True)
class SeriesBooked:
    series_id: int
    appointment_ids: tuple[int, ...]
    plan: SeriesPlan
    changes: Changes


def plan_series(uow: UnitOfWork, actor: Actor, cmd: BookSeries) -> SeriesPlan:
    """The dates a series would take, and which were moved or skipped."""
    require(actor, Permission.APPOINTMENT_READ)
    kind = uow.session.get(AppointmentType, cmd.type_id)
    if kind is None:
        raise ValueError("That appointment type does not exist.")
    minutes = cmd.minutes or kind.default_minutes
    if minutes <= 0:
        raise ValueError("An appointment must end after it starts.")
    closures = uow.settings.closures
    starts = scheduling.recurrence(cmd.first_start, freq=cmd.freq, interval=cmd.interval, count=cmd.count,
                                   until=cmd.until, closures=closures, on_closure=cmd.on_closure)
    placed = set(starts)
    moved: list[tuple[datetime, datetime]] = []
    skipped: list[datetime] = []
    raw = rrule(_FREQ[cmd.freq], dtstart=cmd.first_start, interval=cmd.interval, until=starts[-1])
    for planned in raw:
        if workdays.is_working_day(planned.date(), closures=closures):
            continue
        if cmd.on_closure == "skip":
            skipped.append(planned)
        else:
            target = datetime.combine(workdays.next_working_day(planned.date(), closures=closures), planned.time())
            if target in placed:
                moved.append((planned, target))
    return SeriesPlan(tuple(starts), tuple(moved), tuple(skipped), minutes)


def _rrule_text(cmd: BookSeries) -> str:
    parts = [f"FREQ={cmd.freq.upper()}", f"INTERVAL={cmd.interval}"]
    if cmd.count is not None:
        parts.append(f"COUNT={cmd.count}")
    if cmd.until is not None:
        parts.append(f"UNTIL={cmd.until:%Y%m%d}")
    return ";".join(parts)


def book_series(uow: UnitOfWork, actor: Actor, cmd: BookSeries) -> SeriesBooked:
    require(actor, Permission.APPOINTMENT_WRITE)
    plan = plan_series(uow, actor, cmd)
    if plan.starts[0] < local_now(uow.clock):
        raise Refused("A repeating booking cannot start in the past.", field="first_start")
    series = AppointmentSeries(person_id=cmd.person_id, rrule=_rrule_text(cmd), first_start=cmd.first_start,
                               on_closure=cmd.on_closure, created_by=actor.staff_id, created_at=uow.clock.now())
    uow.session.add(series)
    uow.session.flush()
    ids: list[int] = []
    clashes = []
    for start in plan.starts:
        booking = appointments.BookAppointment(
            cmd.person_id, cmd.clinician_id, cmd.type_id, start, start + timedelta(minutes=plan.minutes),
            cmd.room_id, reception_note=cmd.reception_note, confirm=True, order_id=cmd.order_id)
        try:
            ids.append(appointments.book(uow, actor, booking, series_id=series.id).id)
        except ClashError as exc:
            clashes.extend(exc.clashes)
    if clashes:
        raise ClashError(clashes)  # the unit of work rolls the whole series back
    uow.audit(actor, "appointment.series_booked", "appointment_series", series.id, person_id=cmd.person_id,
              changes={"rrule": [None, series.rrule], "on_closure": [None, cmd.on_closure],
                       "appointments": [None, len(ids)]})
    return SeriesBooked(series.id, tuple(ids), plan, Changes.of(Area.APPOINTMENTS, person_id=cmd.person_id))


def _following(uow: UnitOfWork, appointment_id: int, version: int | None) -> list[Appointment]:
    row = appointments.get_for_update(uow, appointment_id, version)
    if row.series_id is None:
        return [row]
    return list(uow.session.execute(
        select(Appointment).where(Appointment.series_id == row.series_id, Appointment.start >= row.start,
                                  Appointment.status == AppointmentStatus.BOOKED).order_by(Appointment.start)
    ).scalars())


def following_starts(uow: UnitOfWork, actor: Actor, appointment_id: int) -> tuple[datetime, ...]:
    """When this occurrence and every later one still booked start: what
    ``change_following`` and ``cancel_following`` would act on, for the
    screen to say before saving."""
    require(actor, Permission.APPOINTMENT_READ)
    return tuple(r.start for r in _following(uow, appointment_id, None))


@dataclass(frozen=True)
class ChangeFollowing:
    appointment_id: int
    version: int | None
    shift: timedelta = timedelta(0)  # e.g. +1 hour for "from now on at 11:00"
    clinician_id: int | None = None
    room_id: int | None = None


@dataclass(frozen=True)
class SeriesChanged:
    appointment_ids: tuple[int, ...]
    changes: Changes


def change_following(uow: UnitOfWork, actor: Actor, cmd: ChangeFollowing) -> SeriesChanged:
    """Move this occurrence and every later booked one; refused whole on any clash.

    Moved latest-first when moving later (earliest-first when earlier), so a
    shift of a week or more never lands on a slot the series itself is about
    to leave."""
    require(actor, Permission.APPOINTMENT_WRITE)
    rows = _following(uow, cmd.appointment_id, cmd.version)
    clashes = []
    for row in sorted(rows, key=lambda r: r.start, reverse=cmd.shift > timedelta(0)):
        edit = appointments.EditAppointment(
            row.id, row.version, row.start + cmd.shift, row.end + cmd.shift,
            cmd.clinician_id or row.clinician_id, row.type_id,
            cmd.room_id if cmd.room_id is not None else row.room_id, None, row.reception_note, confirm=True)
        try:
            appointments.edit(uow, actor, edit)
        except ClashError as exc:
            clashes.extend(exc.clashes)
    if clashes:
        raise ClashError(clashes)
    person = rows[0].person_id
    return SeriesChanged(tuple(r.id for r in rows), Changes.of(Area.APPOINTMENTS, person_id=person))


def cancel_following(uow: UnitOfWork, actor: Actor, appointment_id: int, version: int | None, *,
                     by: str = AppointmentStatus.CANCELLED_SERVICE) -> SeriesChanged:
    require(actor, Permission.APPOINTMENT_WRITE)
    if by not in CANCELLED:
        raise Refused("Say who cancelled: the client or the service.", field="by")
    rows = _following(uow, appointment_id, version)
    for row in rows:
        appointments.set_status(uow, actor, appointments.SetStatus(row.id, by))
    person = rows[0].person_id
    if rows and rows[0].series_id is not None:
        uow.audit(actor, "appointment.series_cancelled_from", "appointment_series", rows[0].series_id,
                  person_id=person, changes=changed_fields({}, {"from": rows[0].start.isoformat()}))
    return SeriesChanged(tuple(r.id for r in rows), Changes.of(Area.APPOINTMENTS, person_id=person))
