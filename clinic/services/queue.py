"""The drop-in queue: walk-ins wait, a clinician calls the next one in.

waiting → with_clinician → seen, or left (from waiting or with the
clinician). Waiting time is measured with ``uow.clock`` from arrival to
being called in (or to now, while still waiting); waits over the setting
``queue.wait_warn_minutes`` are flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import overload

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from clinic.changes import Area, Changes
from clinic.clock import day_start, to_local
from clinic.drop_in import IN_QUEUE, REACHED_FROM, QueueStatus
from clinic.errors import Refused
from clinic.permissions import Actor, Permission, require
from clinic.services.appointments.common import StaleAppointment, person_name
from clinic.uow import UnitOfWork, changed_fields
from db.tables.appointments import QueueEntry
from db.tables.people import Person
from db.tables.staff import Staff

#: The screens' words for each status, keyed by its stored value.
STATUS_LABELS: dict[str, str] = {s: s.label for s in QueueStatus}


@dataclass(frozen=True)
class AddWalkIn:
    person_id: int | None
    reason: str
    walk_in_name: str = ""  # when not (yet) on the register


@dataclass(frozen=True)
class QueueRow:
    id: int
    person_id: int | None
    name: str
    reason: str
    arrived_at: datetime  # local wall clock
    status: str
    called_by_name: str
    wait_minutes: int
    over_threshold: bool
    version: int


@dataclass(frozen=True)
class QueueView:
    rows: tuple[QueueRow, ...]
    threshold_minutes: int
    now: datetime  # local wall clock

    @property
    def waiting(self) -> tuple[QueueRow, ...]:
        return tuple(r for r in self.rows if r.status == QueueStatus.WAITING)


@dataclass(frozen=True)
class QueueChanged:
    id: int
    changes: Changes


@overload
def _utc(value: datetime) -> datetime: ...
@overload
def _utc(value: datetime | None) -> datetime | None: ...
def _utc(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def add_walk_in(uow: UnitOfWork, actor: Actor, cmd: AddWalkIn) -> QueueChanged:
    require(actor, Permission.QUEUE_WRITE)
    if cmd.person_id is None and not cmd.walk_in_name.strip():
        raise ValueError("Choose the person, or give a name for someone not on the register.")
    if cmd.person_id is not None and uow.session.get(Person, cmd.person_id) is None:
        raise ValueError("That person is not on the register.")
    if not cmd.reason.strip():
        raise Refused("Give a reason for the visit (for example: needle exchange, advice).", field="reason")
    if cmd.person_id is not None and uow.session.execute(select(QueueEntry.id).where(
            QueueEntry.person_id == cmd.person_id, QueueEntry.status.in_(IN_QUEUE))).first():
        raise Refused("This person is already in the queue today.", field="person_id")  # m5
    row = QueueEntry(person_id=cmd.person_id, walk_in_name=cmd.walk_in_name.strip(), reason=cmd.reason.strip(),
                     arrived_at=uow.clock.now(), status=QueueStatus.WAITING, added_by=actor.staff_id)
    uow.session.add(row)
    uow.session.flush()
    uow.audit(actor, "queue.added", "queue_entry", row.id, person_id=cmd.person_id,
              changes={"reason": [None, row.reason], "status": [None, QueueStatus.WAITING]})
    return QueueChanged(row.id, Changes.of(Area.QUEUE, person_id=cmd.person_id))


def _move(uow: UnitOfWork, actor: Actor, entry_id: int, status: QueueStatus, version: int | None) -> QueueChanged:
    require(actor, Permission.QUEUE_WRITE)
    row = uow.session.get(QueueEntry, entry_id)
    if row is None:
        raise ValueError("That queue entry no longer exists.")
    if version is not None and row.version != version:
        raise StaleAppointment("queue entry")
    if row.status not in REACHED_FROM[status]:
        raise ValueError(f"This person is already marked {STATUS_LABELS[row.status].lower()}.")
    before = {"status": row.status}
    row.status = status
    now = uow.clock.now()
    if status == QueueStatus.WITH_CLINICIAN:
        row.called_by, row.called_at = actor.staff_id, now
    elif status == QueueStatus.WAITING:
        row.called_by, row.called_at = None, None
    else:
        row.finished_at = now
    uow.session.flush()
    uow.audit(actor, f"queue.{status}", "queue_entry", row.id, person_id=row.person_id,
              changes=changed_fields(before, {"status": status}))
    return QueueChanged(row.id, Changes.of(Area.QUEUE, person_id=row.person_id))


def call_next(uow: UnitOfWork, actor: Actor, entry_id: int | None = None) -> QueueChanged:
    """Call in ``entry_id``, or whoever has waited longest."""
    require(actor, Permission.QUEUE_WRITE)
    if entry_id is None:
        entry_id = uow.session.execute(
            select(QueueEntry.id)
            .where(QueueEntry.status == QueueStatus.WAITING, QueueEntry.arrived_at >= day_start(uow.clock))
            .order_by(QueueEntry.arrived_at, QueueEntry.id).limit(1)
        ).scalar_one_or_none()
        if entry_id is None:
            raise ValueError("Nobody is waiting.")
    return _move(uow, actor, entry_id, QueueStatus.WITH_CLINICIAN, None)


def mark_seen(uow: UnitOfWork, actor: Actor, entry_id: int, version: int | None = None) -> QueueChanged:
    return _move(uow, actor, entry_id, QueueStatus.SEEN, version)


def mark_left(uow: UnitOfWork, actor: Actor, entry_id: int, version: int | None = None) -> QueueChanged:
    return _move(uow, actor, entry_id, QueueStatus.LEFT, version)



def today_queue(uow: UnitOfWork, actor: Actor, *, include_finished: bool = True) -> QueueView:
    require(actor, Permission.QUEUE_WRITE)
    threshold = uow.settings["queue.wait_warn_minutes"]
    now = uow.clock.now()
    caller = aliased(Staff)
    q = QueueEntry
    query = (select(q, Person.forename, Person.surname, Person.preferred_name, caller.full_name)
             .outerjoin(Person, Person.id == q.person_id).outerjoin(caller, caller.id == q.called_by)
             .where(q.arrived_at >= day_start(uow.clock)))
    if not include_finished:
        query = query.where(q.status.in_(IN_QUEUE))
    rows = []
    for entry, forename, surname, preferred, caller_name in uow.session.execute(query.order_by(q.arrived_at, q.id)):
        arrived = _utc(entry.arrived_at)
        finished = _utc(entry.finished_at) if entry.status != QueueStatus.WAITING else None
        until = _utc(entry.called_at) or finished or now
        wait = max(0, int((until - arrived).total_seconds() // 60))
        name = person_name(forename, surname, preferred) if forename is not None else entry.walk_in_name
        rows.append(QueueRow(entry.id, entry.person_id, name, entry.reason, to_local(arrived),
                             entry.status, caller_name or "", wait,
                             entry.status == QueueStatus.WAITING and wait > threshold, entry.version))
    return QueueView(tuple(rows), threshold, to_local(now))


def waiting_count(uow: UnitOfWork, actor: Actor) -> int:
    """How many are waiting in today's drop-in queue (the navigation's badge): one count, no names."""
    require(actor, Permission.QUEUE_WRITE)
    return uow.session.execute(select(func.count(QueueEntry.id)).where(
        QueueEntry.arrived_at >= day_start(uow.clock), QueueEntry.status == "waiting")).scalar_one()
