"""Answerphone and telephone messages to return.

Seed 000: messages "will be responded to by the end of the next working
day". ``due_at`` is closing time (17:00, local wall clock) on the working
day ``callbacks.due_working_days`` after the message was taken, skipping
weekends, bank holidays and site closures (``clinic.scheduling.callback_due``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from clinic.clock import day_start, local_now, to_local
from clinic import scheduling
from clinic.changes import Area, Changes
from clinic.permissions import Actor, Permission, allows, require
from clinic.services.appointments.common import StaleAppointment, person_name
from clinic.uow import UnitOfWork
from db.tables.appointments import Callback
from db.tables.people import Person
from db.tables.staff import Staff


#: What a probation liaison sees of a message someone else took (m9).
HIDDEN_MESSAGE = "(message for the clinic team)"


@dataclass(frozen=True)
class TakeMessage:
    caller_name: str
    phone: str
    message: str
    person_id: int | None = None


@dataclass(frozen=True)
class CallbackRow:
    id: int
    person_id: int | None
    person_name: str
    caller_name: str
    phone: str
    message: str
    taken_by_name: str
    taken_at: datetime  # local wall clock
    due_at: datetime  # local wall clock
    done_at: datetime | None
    outcome: str
    overdue: bool
    version: int


@dataclass(frozen=True)
class CallbackSaved:
    id: int
    due_at: datetime
    changes: Changes


def _due_for(uow: UnitOfWork, taken_local: datetime) -> datetime:
    return scheduling.callback_due(taken_local, working_days=uow.settings["callbacks.due_working_days"],
                                   closures=uow.settings.closures)


def take_message(uow: UnitOfWork, actor: Actor, cmd: TakeMessage) -> CallbackSaved:
    require(actor, Permission.CALLBACK_WRITE)
    if not cmd.caller_name.strip():
        raise ValueError("Who called? Give the caller's name.")
    if not cmd.phone.strip():
        raise ValueError("Give a number to call back.")
    if not cmd.message.strip():
        raise ValueError("Write down the message.")
    if cmd.person_id is not None and uow.session.get(Person, cmd.person_id) is None:
        raise ValueError("That person is not on the register.")
    due = _due_for(uow, local_now(uow.clock))
    row = Callback(person_id=cmd.person_id, caller_name=cmd.caller_name.strip(), phone=cmd.phone.strip(),
                   message=cmd.message.strip(), taken_by=actor.staff_id, taken_at=uow.clock.now(), due_at=due,
                   outcome="")
    uow.session.add(row)
    uow.session.flush()
    uow.audit(actor, "callback.taken", "callback", row.id, person_id=cmd.person_id,
              changes={"due_at": [None, due.isoformat()]})
    return CallbackSaved(row.id, due, Changes.of(Area.CALLBACKS, person_id=cmd.person_id))


def mark_done(uow: UnitOfWork, actor: Actor, callback_id: int, outcome: str,
              version: int | None = None) -> CallbackSaved:
    require(actor, Permission.CALLBACK_WRITE)
    row = uow.session.get(Callback, callback_id)
    if row is None:
        raise ValueError("That message no longer exists.")
    if version is not None and row.version != version:
        raise StaleAppointment("message")
    if row.done_at is not None:
        raise ValueError("This message has already been dealt with.")
    if not outcome.strip():
        raise ValueError("Say what happened (for example: spoke to caller, left voicemail, no answer).")
    row.done_at, row.done_by, row.outcome = uow.clock.now(), actor.staff_id, outcome.strip()
    uow.session.flush()
    uow.audit(actor, "callback.done", "callback", row.id, person_id=row.person_id,
              changes={"done": [False, True]})
    return CallbackSaved(row.id, row.due_at, Changes.of(Area.CALLBACKS, person_id=row.person_id))


def callbacks_open(uow: UnitOfWork, actor: Actor, *, include_done_today: bool = False,
                   limit: int = 500) -> list[CallbackRow]:
    """Messages not yet returned, soonest due first (overdue at the top)."""
    require(actor, Permission.CALLBACK_WRITE)
    now = local_now(uow.clock)
    taker = aliased(Staff)
    c = Callback
    query = (select(c, Person.forename, Person.surname, Person.preferred_name, taker.full_name)
             .outerjoin(Person, Person.id == c.person_id).join(taker, taker.id == c.taken_by))
    if include_done_today:
        query = query.where(or_(c.done_at.is_(None), c.done_at >= day_start(uow.clock)))
    else:
        query = query.where(c.done_at.is_(None))
    detail = allows(actor, Permission.FRONT_DESK_DETAIL)
    rows = []
    for row, forename, surname, preferred, taker_name in uow.session.execute(
            query.order_by(c.done_at.is_not(None), c.due_at, c.id).limit(limit)):
        # Without front-desk detail (probation) only one's own messages are
        # shown as written: others may be about clinical matters (m9).
        shown = detail or row.taken_by == actor.staff_id
        rows.append(CallbackRow(
            row.id, row.person_id, person_name(forename, surname, preferred) if forename else "",
            row.caller_name, row.phone, row.message if shown else HIDDEN_MESSAGE, taker_name,
            to_local(row.taken_at), row.due_at, to_local(row.done_at),
            row.outcome if shown else "", row.done_at is None and row.due_at < now, row.version))
    return rows
