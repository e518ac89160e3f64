"""Safeguarding flags: raised, reviewed, closed with a reason (seed 002 §10.18).

Domestic abuse (with the MARAC referral date), sexual exploitation, at risk
of homelessness, recently released from prison (also an overdose-risk
prompt), MAPPA, a safeguarding-adults concern. A flag is never deleted: it
is closed, dated, with why. The safeguarding lead (a mark on the staff
account, DESIGN.md §1) sees every open flag across the register.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from clinic import nsp as nsp_rules
from clinic import safeguarding as rules
from clinic.changes import Area, Changes
from clinic.dates import age_on, uk_long
from clinic.errors import NotFound, Refused
from clinic.outstanding import Outstanding, Severity
from clinic.people import PersonStatus
from clinic.permissions import Actor, Permission, require
from clinic.safeguarding import GREETING_FLAGS, FlagKind
from clinic.services.people.register import on_register
from clinic.services.safeguarding.common import (
    AREA,
    choice,
    dated,
    is_lead,
    same_version,
    text,
)
from clinic.uow import UnitOfWork
from db.tables.harm_reduction import NspVisit
from db.tables.people import Person
from db.tables.safeguarding import SafeguardingFlag, SafeguardingLead
from db.tables.staff import Staff

#: Who may carry the lead mark (DESIGN.md §1: nurses or managers; prescribers do what nurses do).
LEAD_ROLES = frozenset({"nurse", "prescriber", "manager"})
OVERDOSE_PROMPT = ("Recently released from prison: overdose risk is high (lower tolerance). "
                   "Offer naloxone and overdose advice.")


@dataclass(frozen=True)
class RaiseFlag:
    person_id: int
    kind: str
    raised_on: date
    review_on: date
    detail: str = ""
    marac_on: date | None = None


@dataclass(frozen=True)
class ReviewFlag:
    flag_id: int
    version: int
    next_review_on: date


@dataclass(frozen=True)
class CloseFlag:
    flag_id: int
    version: int
    closed_on: date
    reason: str


@dataclass(frozen=True)
class MarkLead:
    staff_id: int
    lead: bool


@dataclass(frozen=True)
class FlagRow:
    id: int
    person_id: int
    person_name: str
    kind: FlagKind
    detail: str
    marac_on: date | None
    raised_on: date
    raised_by: str
    review_on: date
    closed_on: date | None
    closed_reason: str
    version: int

    @property
    def label(self) -> str:
        return self.kind.label + (f" (MARAC {uk_long(self.marac_on)})" if self.marac_on else "")


@dataclass(frozen=True)
class FlagSaved:
    id: int
    changes: Changes


def raise_flag(uow: UnitOfWork, actor: Actor, cmd: RaiseFlag) -> FlagSaved:
    require(actor, Permission.SAFEGUARDING_WRITE)
    who = on_register(uow, cmd.person_id)
    kind = choice(FlagKind, cmd.kind, "kind", "the kind of flag")
    dated(uow, who, cmd.raised_on, "raised_on", "date raised")
    dated(uow, who, cmd.review_on, "review_on", "review date", future_allowed=True)
    if cmd.review_on < cmd.raised_on:
        raise Refused("The review date is before the flag was raised.", field="review_on")
    if cmd.marac_on is not None:
        if kind is not FlagKind.DOMESTIC_ABUSE:
            raise Refused("A MARAC referral date belongs to a domestic-abuse flag.", field="marac_on")
        dated(uow, who, cmd.marac_on, "marac_on", "MARAC referral date")
    row = SafeguardingFlag(person_id=who.id, kind=kind.value, detail=text(cmd.detail, "detail", "the detail",
                                                                          limit=2000),
                           marac_on=cmd.marac_on, raised_on=cmd.raised_on, raised_by=actor.staff_id,
                           review_on=cmd.review_on, closed_reason="")
    uow.session.add(row)
    uow.session.flush()
    uow.audit(actor, "safeguarding.flag_raised", "safeguarding_flag", row.id, person_id=who.id,
              changes={"kind": [None, kind.value], "review_on": [None, cmd.review_on.isoformat()]})
    return FlagSaved(row.id, Changes.of(AREA, Area.PEOPLE, person_id=who.id))


def _flag(uow: UnitOfWork, flag_id: int, version: int) -> SafeguardingFlag:
    row = uow.session.get(SafeguardingFlag, flag_id) if isinstance(flag_id, int) else None
    if row is None:
        raise NotFound("That flag is not on the record.")
    same_version(row.version, version)
    if row.closed_on is not None:
        raise Refused("That flag is already closed.")
    return row


def review_flag(uow: UnitOfWork, actor: Actor, cmd: ReviewFlag) -> FlagSaved:
    """Reviewed today and still in force: set the next review date."""
    require(actor, Permission.SAFEGUARDING_WRITE)
    row = _flag(uow, cmd.flag_id, cmd.version)
    today = uow.clock.today()
    if cmd.next_review_on is None or cmd.next_review_on <= today:
        raise Refused("The next review date must be after today.", field="next_review_on")
    dated(uow, on_register(uow, row.person_id), cmd.next_review_on, "next_review_on", "review date",
          future_allowed=True)
    before = row.review_on
    row.review_on = cmd.next_review_on
    uow.session.flush()
    uow.audit(actor, "safeguarding.flag_reviewed", "safeguarding_flag", row.id, person_id=row.person_id,
              changes={"review_on": [before.isoformat(), cmd.next_review_on.isoformat()]})
    return FlagSaved(row.id, Changes.of(AREA, Area.PEOPLE, person_id=row.person_id))


def close_flag(uow: UnitOfWork, actor: Actor, cmd: CloseFlag) -> FlagSaved:
    require(actor, Permission.SAFEGUARDING_WRITE)
    row = _flag(uow, cmd.flag_id, cmd.version)
    reason = text(cmd.reason, "reason", "why the flag is closed", limit=500, required=True)
    dated(uow, on_register(uow, row.person_id), cmd.closed_on, "closed_on", "date closed")
    if cmd.closed_on < row.raised_on:
        raise Refused("A flag cannot close before it was raised.", field="closed_on")
    row.closed_on, row.closed_reason, row.closed_by = cmd.closed_on, reason, actor.staff_id
    uow.session.flush()
    uow.audit(actor, "safeguarding.flag_closed", "safeguarding_flag", row.id, person_id=row.person_id,
              changes={"closed_on": [None, cmd.closed_on.isoformat()]})
    return FlagSaved(row.id, Changes.of(AREA, Area.PEOPLE, person_id=row.person_id))


# --- reading -------------------------------------------------------------------

def _rows(uow: UnitOfWork, *conditions: object) -> tuple[FlagRow, ...]:
    rows = uow.session.execute(
        select(SafeguardingFlag, Staff.full_name, Person.surname, Person.forename)
        .join(Staff, Staff.id == SafeguardingFlag.raised_by)
        .join(Person, Person.id == SafeguardingFlag.person_id)
        .where(*conditions)  # type: ignore[arg-type]
        .order_by(SafeguardingFlag.closed_on.is_not(None), SafeguardingFlag.review_on, SafeguardingFlag.id)).all()
    return tuple(FlagRow(f.id, f.person_id, f"{s.upper()}, {fn}", FlagKind(f.kind), f.detail, f.marac_on,
                         f.raised_on, by, f.review_on, f.closed_on, f.closed_reason, f.version)
                 for f, by, s, fn in rows)


def person_flags(uow: UnitOfWork, actor: Actor, person_id: int) -> tuple[FlagRow, ...]:
    """Open flags first (by review date), then closed ones."""
    require(actor, Permission.SAFEGUARDING_READ)
    return _rows(uow, SafeguardingFlag.person_id == person_id)


def all_open_flags(uow: UnitOfWork, actor: Actor, *, limit: int = 1000) -> tuple[FlagRow, ...]:
    """The safeguarding lead's view: every open flag, soonest review first."""
    require(actor, Permission.SAFEGUARDING_LEAD)
    if not is_lead(uow, actor.staff_id):
        raise Refused("Only a safeguarding lead sees every flag. Ask the administrator to mark you as one.")
    uow.audit(actor, "safeguarding.lead_view", "safeguarding_flag")
    return _rows(uow, SafeguardingFlag.closed_on.is_(None))[:limit]


def greeting_chip(uow: UnitOfWork, actor: Actor, person_id: int) -> bool:
    """Whether an open flag changes how the front desk greets the person;
    which flag, and what it says, is not part of the answer."""
    require(actor, Permission.SAFEGUARDING_CHIP)
    return uow.session.execute(select(SafeguardingFlag.id).where(
        SafeguardingFlag.person_id == person_id, SafeguardingFlag.closed_on.is_(None),
        SafeguardingFlag.kind.in_([k.value for k in GREETING_FLAGS])).limit(1)).first() is not None


def open_flag_items(uow: UnitOfWork, person_id: int) -> list[Outstanding]:
    """Chips, review dates and the overdose prompt for the person summary
    (no permission: ``safeguarding_outstanding`` checks it)."""
    today = uow.clock.today()
    items = []
    for f in _rows(uow, SafeguardingFlag.person_id == person_id, SafeguardingFlag.closed_on.is_(None)):
        severity = Severity.OVERDUE if f.review_on < today else Severity.INFO
        items.append(Outstanding(AREA, f"{f.label}: review {uk_long(f.review_on)}", f.review_on, severity,
                                 f.kind.label))
        if f.kind is FlagKind.RELEASED_FROM_PRISON:
            items.append(Outstanding(AREA, OVERDOSE_PROMPT, None, Severity.ALERT))
    return items


def mark_lead(uow: UnitOfWork, actor: Actor, cmd: MarkLead) -> None:
    """Put the safeguarding-lead mark on a nurse's or manager's account, or take it off."""
    require(actor, Permission.STAFF_ADMIN)
    staff = uow.session.get(Staff, cmd.staff_id) if isinstance(cmd.staff_id, int) else None
    if staff is None:
        raise NotFound("There is no such staff account.")
    if cmd.lead and not LEAD_ROLES & set(staff.roles.split()):
        raise Refused("A safeguarding lead is a nurse, prescriber or manager.")
    row = uow.session.get(SafeguardingLead, staff.id)
    if cmd.lead == (row is not None):
        return
    if cmd.lead:
        uow.session.add(SafeguardingLead(staff_id=staff.id, marked_by=actor.staff_id, marked_at=uow.clock.now()))
    else:
        uow.session.delete(row)
    uow.session.flush()
    uow.audit(actor, "staff.safeguarding_lead", "staff", staff.id, changes={"lead": [not cmd.lead, cmd.lead]})


def leads(uow: UnitOfWork, actor: Actor) -> tuple[int, ...]:
    """The staff ids carrying the mark (for the administrator)."""
    require(actor, Permission.STAFF_ADMIN)
    return tuple(uow.session.execute(select(SafeguardingLead.staff_id).order_by(SafeguardingLead.staff_id))
                 .scalars())


def am_i_lead(uow: UnitOfWork, actor: Actor) -> bool:
    """Whether the signed-in account is a lead (shows the lead page)."""
    require(actor, Permission.SAFEGUARDING_LEAD)
    return is_lead(uow, actor.staff_id)


@dataclass(frozen=True)
class YoungPerson:
    #: None for a pseudonymous NSP visitor (known only by their code)
    person_id: int | None
    person_name: str
    date_of_birth: date
    age: int
    #: why the lead is told: "On the register" or "NSP visit 20 November 2026"
    reason: str = "On the register"


@dataclass(frozen=True)
class LeadCandidate:
    staff_id: int
    full_name: str
    roles: str
    is_lead: bool


def young_people(uow: UnitOfWork, actor: Actor, *, limit: int = 500) -> tuple[YoungPerson, ...]:
    """Who the lead is told of (seed 000 §12, seed 001 §5.3, issue 20),
    youngest first: open records of people under 18 today, and everyone seen
    under 18 at the needle exchange (named or by code) whose visit no lead has
    yet reviewed, even if they have turned 18 or their record is closed since."""
    require(actor, Permission.SAFEGUARDING_LEAD)
    if not is_lead(uow, actor.staff_id):
        raise Refused("Only a safeguarding lead sees this list.")
    today = uow.clock.today()
    born_after = today - relativedelta(years=rules.ADULT_AGE)
    found: dict[int | str, YoungPerson] = {}
    for pid, s, f, dob in uow.session.execute(
            select(Person.id, Person.surname, Person.forename, Person.date_of_birth)
            .where(Person.date_of_birth > born_after, Person.status == PersonStatus.OPEN)
            .order_by(Person.date_of_birth.desc()).limit(limit)):
        found[pid] = YoungPerson(pid, f"{s.upper()}, {f}", dob, age_on(dob, max(today, dob)))
    for visitor, code, visited_on, s, f, dob in uow.session.execute(
            select(NspVisit.person_id, NspVisit.pseudonym, func.max(NspVisit.visited_on),
                   Person.surname, Person.forename, Person.date_of_birth)
            .outerjoin(Person, Person.id == NspVisit.person_id)
            .where(NspVisit.safeguarding_flag.is_(True), NspVisit.safeguarding_reviewed_at.is_(None))
            .group_by(NspVisit.person_id, NspVisit.pseudonym, Person.surname, Person.forename, Person.date_of_birth)
            .limit(limit)):
        key: int | str
        if visitor is not None:
            key, name, born = visitor, f"{s.upper()}, {f}", dob
        else:  # a visit names the person or carries their code (a check constraint)
            key = name = code or ""
            born = nsp_rules.date_of_birth_in(name)
        found[key] = YoungPerson(visitor, name, born, age_on(born, max(today, born)),
                                 f"NSP visit {uk_long(visited_on)}")
    return tuple(sorted(found.values(), key=lambda y: y.date_of_birth, reverse=True)[:limit])


def lead_candidates(uow: UnitOfWork, actor: Actor) -> tuple[LeadCandidate, ...]:
    """Active nurses, prescribers and managers, and whether each is a lead."""
    require(actor, Permission.STAFF_ADMIN)
    marked = set(uow.session.execute(select(SafeguardingLead.staff_id)).scalars())
    rows = uow.session.execute(select(Staff.id, Staff.full_name, Staff.roles).where(Staff.active.is_(True))
                               .order_by(Staff.full_name)).all()
    return tuple(LeadCandidate(sid, name, roles, sid in marked) for sid, name, roles in rows
                 if LEAD_ROLES & set(roles.split()))
