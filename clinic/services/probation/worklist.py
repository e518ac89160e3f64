"""The probation liaison worker's home: what Probation must hear, and when.

Five bounded queries whatever the size of the register: letters owed (due
today, overdue, coming up — progress reports for review hearings among
them), orders ending soon, and orders at the breach threshold. Deadlines
were worked out with clinic.workdays when each notification was made due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, func, select

from clinic.permissions import Actor, Permission, require
from clinic.probation import NotificationKind as Kind
from clinic.probation import NotificationStatus as NoteStatus
from clinic.probation import OrderStatus
from clinic.services.probation.orders import NOTIFICATION_LABELS, breach_flagged
from clinic.uow import UnitOfWork
from db.tables.people import Person
from db.tables.probation import DrrOrder, Notification, ProbationContact, ReviewHearing

#: No screen shows more rows than this; the count says if there are more.
LIMIT = 500


@dataclass(frozen=True)
class NotificationItem:
    id: int
    order_id: int
    person_id: int
    person_name: str
    order_type: str
    kind: str
    due_on: date
    hearing_on: date | None
    officer_name: str
    #: Letters cannot go: consent withdrawn, or no officer address/email.
    blocked: str
    is_correction: bool
    version: int

    @property
    def label(self) -> str:
        text = NOTIFICATION_LABELS[self.kind]
        return f"Corrected {text[0].lower()}{text[1:]}" if self.is_correction else text


@dataclass(frozen=True)
class OrderItem:
    order_id: int
    person_id: int
    person_name: str
    order_type: str
    expected_end: date
    officer_name: str


@dataclass(frozen=True)
class Worklist:
    today: date
    overdue: tuple[NotificationItem, ...]
    due_today: tuple[NotificationItem, ...]
    upcoming: tuple[NotificationItem, ...]  # due within the horizon (reports for hearings among them)
    ending_soon: tuple[OrderItem, ...]
    breach_flagged: tuple[OrderItem, ...]

    @property
    def printable_today(self) -> tuple[NotificationItem, ...]:
        """What batch print takes: overdue and due today, not blocked."""
        return tuple(n for n in self.overdue + self.due_today if not n.blocked)


def worklist(uow: UnitOfWork, actor: Actor, *, horizon_days: int = 14, ending_within_days: int = 28) -> Worklist:
    require(actor, Permission.PROBATION_READ)
    today = uow.clock.today()
    items = owed(uow, until=today + timedelta(days=horizon_days))
    ending = _orders(uow, (DrrOrder.status == OrderStatus.ACTIVE, DrrOrder.expected_end >= today,
                           DrrOrder.expected_end <= today + timedelta(days=ending_within_days)))
    flagged_ids = breach_flagged(uow)
    flagged = _orders(uow, (DrrOrder.id.in_(flagged_ids),)) if flagged_ids else []
    return Worklist(
        today,
        tuple(n for n in items if n.due_on < today),
        tuple(n for n in items if n.due_on == today),
        tuple(n for n in items if n.due_on > today),
        tuple(ending), tuple(flagged),
    )


def owed_now_count(uow: UnitOfWork, actor: Actor) -> int:
    """How many letters to Probation are due today or overdue (the navigation's badge): one count, no names."""
    require(actor, Permission.PROBATION_READ)
    return uow.session.execute(select(func.count(Notification.id)).where(
        Notification.status == "due", Notification.due_on <= uow.clock.today())).scalar_one()


def owed(uow: UnitOfWork, *, until: date, ids: list[int] | None = None) -> list[NotificationItem]:
    """Notifications not yet sent, due on or before ``until``: one query."""
    q = (select(Notification.id, Notification.order_id, DrrOrder.person_id, Person.forename, Person.surname,
                DrrOrder.order_type, Notification.kind, Notification.due_on, ReviewHearing.hearing_on,
                ProbationContact.name, ProbationContact.address, ProbationContact.secure_email,
                DrrOrder.consent_withdrawn_on, Notification.corrects_id, Notification.version, Notification.summary)
         .join(DrrOrder, DrrOrder.id == Notification.order_id)
         .join(Person, Person.id == DrrOrder.person_id)
         .outerjoin(ReviewHearing, ReviewHearing.id == Notification.hearing_id)
         .outerjoin(ProbationContact, ProbationContact.id == DrrOrder.officer_id)
         .where(Notification.status == NoteStatus.DUE, Notification.due_on <= until)
         .order_by(Notification.due_on, Person.surname, Notification.id).limit(LIMIT))
    if ids is not None:
        q = q.where(Notification.id.in_(ids))
    out = []
    for (nid, oid, pid, fore, sur, otype, kind, due, hearing, officer, address, email, withdrawn, corrects,
         version, summary) in uow.session.execute(q):
        if withdrawn is not None:
            blocked = "Consent withdrawn: contact Probation"
        elif officer is None:
            blocked = "No probation officer recorded"
        elif not ((address or "").strip() or (email or "").strip()):
            blocked = "Officer has no address or secure email"
        elif kind == Kind.PROGRESS_REPORT and not (summary or "").strip():
            blocked = "Write the engagement summary first (Probation tab)"
        else:
            blocked = ""
        out.append(NotificationItem(nid, oid, pid, f"{sur.upper()}, {fore}", otype, kind, due, hearing,
                                    officer or "", blocked, corrects is not None, version))
    return out


def _orders(uow: UnitOfWork, where: tuple[ColumnElement[bool], ...]) -> list[OrderItem]:
    q = (select(DrrOrder.id, DrrOrder.person_id, Person.forename, Person.surname, DrrOrder.order_type,
                DrrOrder.expected_end, ProbationContact.name)
         .join(Person, Person.id == DrrOrder.person_id)
         .outerjoin(ProbationContact, ProbationContact.id == DrrOrder.officer_id)
         .where(*where).order_by(DrrOrder.expected_end).limit(LIMIT))
    return [OrderItem(oid, pid, f"{sur.upper()}, {fore}", otype, end, officer or "")
            for oid, pid, fore, sur, otype, end, officer in uow.session.execute(q)]
