"""NSP visits at the counter (seeds 000 §3, 001 §8.2 and §14, 002 §10.2).

Recording a visit is the commonest write in the service and has a 50 ms
budget: one visit row, its items in one executemany, one audit row; the
person (if named) and the settings are the only reads.

Reception may record a visit when the site allows it
(``nsp.reception_may_record``), but not for an under-18: the assessment
that withholding equipment is the greater risk is a clinician's, so a
young person's visit needs a nurse or prescriber (``HARM_REDUCTION_WRITE``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, insert, select

from clinic import nsp
from clinic.changes import Area, Changes
from clinic.dates import age_on
from clinic.errors import Refused
from clinic.permissions import Actor, Permission, PermissionDenied, require
from clinic.services.harm_reduction.common import MAX_NOTE, check_day, check_text
from clinic.validation import check_choices
from clinic.services.people.register import on_register
from clinic.services.people.search import display_name
from clinic.uow import UnitOfWork
from db.tables.harm_reduction import NspVisit, NspVisitItem
from db.tables.people import Person
from db.tables.staff import Staff

AREA = Area.HARM_REDUCTION
MAX_QUANTITY = 1000
MAX_BINS = 100
MAX_LOOSE = 10_000


@dataclass(frozen=True)
class ItemIssued:
    item_type: str
    label: str
    quantity: int


@dataclass(frozen=True)
class RecordVisit:
    """Who (``person_id`` or ``code``), what was given, what came back, the advice."""

    visited_on: date
    person_id: int | None = None
    code: str = ""
    items: tuple[ItemIssued, ...] = ()
    bins_returned: int = 0
    loose_returned: int = 0
    advice: tuple[str, ...] = ()
    greater_risk_assessed: bool = False
    assessment_note: str = ""


@dataclass(frozen=True)
class VisitRecorded:
    visit_id: int
    under_18: bool
    safeguarding_flag: bool
    changes: Changes = field(default_factory=Changes)


@dataclass(frozen=True)
class Visitor:
    """Who is at the counter, as the counter shows them."""

    person_id: int | None
    code: str
    name: str  # "SMITH, Jo" or the code
    age: int
    under_18: bool
    visits: int
    last_visit: date | None


@dataclass(frozen=True)
class SafeguardingItem:
    visit_id: int
    visited_on: date
    visitor: str
    person_id: int | None
    needles_issued: int
    assessment_note: str
    recorded_by: str


def counter_items(uow: UnitOfWork, actor: Actor) -> tuple[nsp.Item, ...]:
    """The site's item list, in the order the counter shows it."""
    require(actor, Permission.NSP_COUNTER)
    return nsp.parse_items(uow.settings["nsp.items"].splitlines())


def may_record(uow: UnitOfWork, actor: Actor) -> bool:
    """Whether this user may save a visit here (reception only while the site allows it)."""
    require(actor, Permission.NSP_COUNTER)
    return actor.can(Permission.HARM_REDUCTION_WRITE) or bool(uow.settings["nsp.reception_may_record"])


def visitor(uow: UnitOfWork, actor: Actor, *, person_id: int | None = None, code: str = "") -> Visitor:
    """A registered person or a pseudonymous code, with their visits so far (repeat visits link by code)."""
    require(actor, Permission.NSP_COUNTER)
    today = uow.clock.today()
    if person_id is not None:
        person = on_register(uow, person_id, field="person")
        where = NspVisit.person_id == person_id
        dob, name = person.date_of_birth, display_name(person.surname, person.forename)
    else:
        code = nsp.parse_code(code)
        where, dob, name = NspVisit.pseudonym == code, nsp.date_of_birth_in(code), code
    if dob > today:
        raise Refused("The date of birth in the code is in the future.", field="code")
    count, last = uow.session.execute(select(func.count(), func.max(NspVisit.visited_on)).where(where)).one()
    return Visitor(person_id, "" if person_id is not None else code, name, age_on(dob, today),
                   nsp.is_under_18(dob, today), count, last)


def record_visit(uow: UnitOfWork, actor: Actor, cmd: RecordVisit) -> VisitRecorded:
    require(actor, Permission.NSP_COUNTER)
    clinician = actor.can(Permission.HARM_REDUCTION_WRITE)
    settings = uow.settings
    if not may_record(uow, actor):
        raise PermissionDenied(actor, Permission.HARM_REDUCTION_WRITE)
    if (cmd.person_id is None) == (not cmd.code.strip()):
        raise Refused("Choose the person, or enter their initials, date of birth and gender for a code.",
                      field="person")
    code: str | None = None
    if cmd.person_id is not None:
        dob = on_register(uow, cmd.person_id, field="person").date_of_birth
    else:
        code = nsp.parse_code(cmd.code)
        dob = nsp.date_of_birth_in(code)
    check_day(uow, cmd.visited_on, "visited_on", born=dob, what="The visit date")
    lines = _items(settings["nsp.items"], cmd.items)
    bins, loose = _returned(cmd.bins_returned, "bins"), _returned(cmd.loose_returned, "loose")
    if bins > MAX_BINS or loose > MAX_LOOSE:
        raise Refused(f"At most {MAX_BINS} bins and {MAX_LOOSE:,} loose items in one visit.", field="returns")
    advice = check_choices(cmd.advice, nsp.ADVICE, field="advice")
    if not lines and not bins and not loose and not advice:
        raise Refused("Enter what was given, returned or advised.", field="items")
    under_18 = nsp.is_under_18(dob, cmd.visited_on)
    needles = nsp.needles_in(lines)
    note = check_text(cmd.assessment_note, "assessment", limit=MAX_NOTE, what="The assessment")
    if under_18 and not clinician:
        raise Refused("Under 18: a nurse or prescriber must see this young person and record the assessment.",
                      field="assessment")
    nsp.check_young_person(under_18=under_18, needles=needles, cap=settings["nsp.under_18_needle_cap"],
                           greater_risk_assessed=cmd.greater_risk_assessed, assessment_note=note)
    visit = NspVisit(person_id=cmd.person_id, pseudonym=code, visited_on=cmd.visited_on, under_18=under_18,
                     greater_risk_assessed=under_18 and cmd.greater_risk_assessed,
                     assessment_note=note if under_18 else "", safeguarding_flag=under_18,
                     items_issued=sum(q for _, q in lines), needles_issued=needles, bins_returned=bins,
                     loose_returned=loose, advice=advice, staff_id=actor.staff_id)
    uow.session.add(visit)
    uow.session.flush()
    if lines:
        uow.session.execute(insert(NspVisitItem), [
            dict(visit_id=visit.id, item_type=item.type, item_label=item.label, quantity=q, needles_each=item.needles)
            for item, q in lines])
    uow.audit(actor, "nsp.visit_recorded", "nsp_visit", visit.id, person_id=cmd.person_id, changes={
        "items_issued": [None, visit.items_issued], "returned": [None, bins + loose],
        **({"under_18": [None, True]} if under_18 else {})})
    return VisitRecorded(visit.id, under_18, under_18, Changes.of(AREA, person_id=cmd.person_id))


def _items(setting: str, issued: tuple[ItemIssued, ...]) -> list[tuple[nsp.Item, int]]:
    """The items given, checked against the site's list; nothing given is left out."""
    known = {(i.type, i.label): i for i in nsp.parse_items(setting.splitlines())}
    lines: dict[tuple[str, str], int] = {}
    for line in issued:
        if isinstance(line.quantity, bool) or not isinstance(line.quantity, int):
            raise Refused(f"{line.label}: the quantity is a whole number.", field="items")
        if line.quantity < 0:
            raise Refused(f"{line.label}: a quantity cannot be negative.", field="items")
        if line.quantity > MAX_QUANTITY:
            raise Refused(f"{line.label}: at most {MAX_QUANTITY} in one visit.", field="items")
        if (line.item_type, line.label) not in known:
            raise Refused(f"{line.label} is not on this site's item list.", field="items")
        if line.quantity:
            key = (line.item_type, line.label)
            lines[key] = lines.get(key, 0) + line.quantity
    return [(known[key], q) for key, q in lines.items()]


def _returned(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Refused(f"Returned {what}: a whole number, 0 or more.", field="returns")
    return value


# --- safeguarding -------------------------------------------------------------

def safeguarding_worklist(uow: UnitOfWork, actor: Actor, *, limit: int = 500) -> list[SafeguardingItem]:
    """Under-18 visits the safeguarding lead has not yet reviewed, oldest first."""
    require(actor, Permission.HARM_REDUCTION_READ)
    rows = uow.session.execute(
        select(NspVisit, Person.surname, Person.forename, Staff.full_name)
        .outerjoin(Person, Person.id == NspVisit.person_id).join(Staff, Staff.id == NspVisit.staff_id)
        .where(NspVisit.safeguarding_flag.is_(True), NspVisit.safeguarding_reviewed_at.is_(None))
        .order_by(NspVisit.visited_on, NspVisit.id).limit(limit)).all()
    return [SafeguardingItem(v.id, v.visited_on, display_name(s, f) if s else (v.pseudonym or ""), v.person_id,
                             v.needles_issued, v.assessment_note, by) for v, s, f, by in rows]


def mark_safeguarding_reviewed(uow: UnitOfWork, actor: Actor, visit_id: int) -> Changes:
    require(actor, Permission.HARM_REDUCTION_WRITE)
    visit = uow.session.get(NspVisit, visit_id)
    if visit is None or not visit.safeguarding_flag:
        raise Refused("That visit is not flagged for safeguarding.")
    if visit.safeguarding_reviewed_at is not None:
        raise Refused("That visit has already been reviewed.")
    visit.safeguarding_reviewed_by, visit.safeguarding_reviewed_at = actor.staff_id, uow.clock.now()
    uow.audit(actor, "nsp.safeguarding_reviewed", "nsp_visit", visit.id, person_id=visit.person_id)
    return Changes.of(AREA, person_id=visit.person_id)
