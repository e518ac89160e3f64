"""Information requests from the MASH or the police, with deadlines (seed 002 §21).

Logged with the time received and the urgency; the due time is worked out
here from the settings (urgent: clock hours; routine: working days) and
stored, so the worklist is one indexed query. Answering records what was
shared, by whom, on what legal basis; sharing without the person's consent
to children's services (or to "other" for the police) records the reason
for overriding it (``clinic.services.safeguarding.consent``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from clinic import safeguarding as rules
from clinic.changes import Changes
from clinic.clock import SITE_TZ
from clinic.errors import NotFound, Refused
from clinic.outstanding import Outstanding, Severity
from clinic.permissions import Actor, Permission, require
from clinic.safeguarding import RecipientKind, RequestSource, Urgency
from clinic.services.people.register import on_register
from clinic.services.safeguarding.consent import consent_in_force, record_override
from clinic.services.safeguarding.common import (
    AREA,
    choice,
    dated,
    same_version,
    text,
)
from clinic.uow import UnitOfWork
from db.tables.people import Person
from db.tables.safeguarding import InformationRequest
from db.tables.staff import Staff

#: Whose consent covers an answer to each source.
RECIPIENT_OF = {RequestSource.MASH: RecipientKind.CHILDRENS_SERVICES, RequestSource.POLICE: RecipientKind.OTHER,
                RequestSource.OTHER: RecipientKind.OTHER}


@dataclass(frozen=True)
class LogRequest:
    person_id: int
    source: str
    requester: str
    received_at: datetime  # aware
    urgency: str


@dataclass(frozen=True)
class AnswerRequest:
    request_id: int
    version: int
    answered_at: datetime  # aware
    shared: str
    legal_basis: str
    #: Needed when the person has not consented to this recipient.
    override_reason: str = ""


@dataclass(frozen=True)
class RequestRow:
    id: int
    person_id: int
    person_name: str
    source: RequestSource
    requester: str
    received_at: datetime  # local
    urgency: Urgency
    due_at: datetime  # local
    answered_at: datetime | None  # local
    shared: str
    shared_by: str
    legal_basis: str
    overdue: bool
    version: int


@dataclass(frozen=True)
class RequestSaved:
    id: int
    due_at: datetime
    changes: Changes


def _local(at: datetime) -> datetime:
    """SQLite hands back stored UTC times without their zone."""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(SITE_TZ)


def _aware(at: datetime | None, field: str) -> datetime:
    if at is None or at.tzinfo is None:
        raise Refused("Enter the date and time.", field=field)
    return at


def log_request(uow: UnitOfWork, actor: Actor, cmd: LogRequest) -> RequestSaved:
    require(actor, Permission.SAFEGUARDING_WRITE)
    who = on_register(uow, cmd.person_id)
    source = choice(RequestSource, cmd.source, "source", "who the request is from")
    urgency = choice(Urgency, cmd.urgency, "urgency", "the urgency")
    requester = text(cmd.requester, "requester", "who asked (name and team)", limit=200, required=True)
    received = _aware(cmd.received_at, "received_at")
    if received > uow.clock.now():
        raise Refused("The time received cannot be in the future.", field="received_at")
    dated(uow, who, received.astimezone(SITE_TZ).date(), "received_at", "date received")
    s = uow.settings
    due = rules.request_due(received, urgency, urgent_hours=s["safeguarding.urgent_request_hours"],
                            routine_working_days=s["safeguarding.routine_request_working_days"],
                            closures=s.closures)
    row = InformationRequest(person_id=who.id, source=source.value, requester=requester, received_at=received,
                             urgency=urgency.value, due_at=due, shared="", legal_basis="",
                             recorded_by=actor.staff_id)
    uow.session.add(row)
    uow.session.flush()
    uow.audit(actor, "safeguarding.request_logged", "information_request", row.id, person_id=who.id,
              changes={"source": [None, source.value], "urgency": [None, urgency.value],
                       "due_at": [None, due.astimezone(UTC).isoformat()]})
    return RequestSaved(row.id, due, Changes.of(AREA, person_id=who.id))


def answer_request(uow: UnitOfWork, actor: Actor, cmd: AnswerRequest) -> RequestSaved:
    require(actor, Permission.SAFEGUARDING_WRITE)
    row = uow.session.get(InformationRequest, cmd.request_id) if isinstance(cmd.request_id, int) else None
    if row is None:
        raise NotFound("That request is not on the record.")
    same_version(row.version, cmd.version)
    if row.answered_at is not None:
        raise Refused("That request has already been answered.")
    shared = text(cmd.shared, "shared", "what was shared", limit=4000, required=True)
    basis = text(cmd.legal_basis, "legal_basis", "the legal basis for sharing", limit=200, required=True)
    answered = _aware(cmd.answered_at, "answered_at")
    if answered > uow.clock.now():
        raise Refused("The time answered cannot be in the future.", field="answered_at")
    if answered < _local(row.received_at):
        raise Refused("The answer cannot come before the request.", field="answered_at")
    kind = RECIPIENT_OF[RequestSource(row.source)]
    consent = consent_in_force(uow, row.person_id, kind)
    if consent is None or consent.decision != "given":
        reason = text(cmd.override_reason, "override_reason",
                      "why this is shared without the person's consent", limit=2000, required=True)
        record_override(uow, actor, row.person_id, kind, f"{RequestSource(row.source).label}: {row.requester}",
                        answered.astimezone(SITE_TZ).date(), reason, request_id=row.id)
    row.answered_at, row.shared, row.legal_basis, row.shared_by = answered, shared, basis, actor.staff_id
    uow.session.flush()
    uow.audit(actor, "safeguarding.request_answered", "information_request", row.id, person_id=row.person_id,
              changes={"answered_at": [None, answered.astimezone(UTC).isoformat()], "legal_basis": [None, basis]})
    return RequestSaved(row.id, _local(row.due_at), Changes.of(AREA, person_id=row.person_id))


# --- reading -------------------------------------------------------------------

def _rows(uow: UnitOfWork, *conditions: object, limit: int = 500) -> list[RequestRow]:
    names = dict(uow.session.execute(select(Staff.id, Staff.full_name)).all())
    now = uow.clock.now()
    rows = uow.session.execute(
        select(InformationRequest, Person.surname, Person.forename)
        .join(Person, Person.id == InformationRequest.person_id)
        .where(*conditions)  # type: ignore[arg-type]
        .order_by(InformationRequest.answered_at.is_not(None), InformationRequest.due_at).limit(limit)).all()
    out = []
    for r, surname, forename in rows:
        due = _local(r.due_at)
        out.append(RequestRow(
            r.id, r.person_id, f"{surname.upper()}, {forename}", RequestSource(r.source), r.requester,
            _local(r.received_at), Urgency(r.urgency), due, _local(r.answered_at) if r.answered_at else None,
            r.shared, names.get(r.shared_by, "") if r.shared_by else "", r.legal_basis,
            rules.request_overdue(due, now, answered=r.answered_at is not None), r.version))
    return out


def person_requests(uow: UnitOfWork, actor: Actor, person_id: int) -> tuple[RequestRow, ...]:
    require(actor, Permission.SAFEGUARDING_READ)
    return tuple(_rows(uow, InformationRequest.person_id == person_id))


def requests_due(uow: UnitOfWork, actor: Actor, *, limit: int = 500) -> tuple[RequestRow, ...]:
    """Every unanswered request, soonest due first; overdue ones say so."""
    require(actor, Permission.SAFEGUARDING_READ)
    return tuple(_rows(uow, InformationRequest.answered_at.is_(None), limit=limit))


def open_request_items(uow: UnitOfWork, person_id: int) -> list[Outstanding]:
    """Unanswered requests for the person summary (no permission: the
    provider in ``clinic.services.safeguarding.household`` checks it)."""
    items = []
    for r in _rows(uow, InformationRequest.person_id == person_id, InformationRequest.answered_at.is_(None)):
        when = r.due_at.strftime("%H:%M on %d/%m/%Y")
        items.append(Outstanding(AREA, f"{r.source.label} request due by {when}" + (" (overdue)" if r.overdue
                                                                                    else ""),
                                 r.due_at.date(), Severity.OVERDUE if r.overdue else Severity.DUE))
    return items
