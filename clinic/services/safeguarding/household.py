"""Household and children, pregnancy, the hidden-harm review and the
early-help offer (seed 002 §10.18, seed 000 §9, seed 001 §5).

Children are recorded by first name or initials only, with an age band or a
date of birth, and whether they live with the person or visit; both count
for the safe-storage alert (``children_around``). The person summary gets
this module's items through ``safeguarding_outstanding``, which gives
reception a content-free chip only (DESIGN.md §1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exists, or_, select
from sqlalchemy.sql import ColumnElement

from clinic import safeguarding as rules
from clinic.changes import Area, Changes
from clinic.dates import age_on, uk_long
from clinic.errors import NotFound, Refused
from clinic.outstanding import Outstanding, Severity
from clinic.permissions import Actor, Permission, require
from clinic.safeguarding import AgeBand, ChildProtection, Lives
from clinic.services.people.register import on_register
from clinic.services.safeguarding.common import (
    AREA,
    choice,
    dated,
    same_version,
    text,
)
from clinic.services.safeguarding.flags import greeting_chip, open_flag_items
from clinic.services.safeguarding.requests import open_request_items
from clinic.uow import UnitOfWork
from db.tables.people import Person
from db.tables.safeguarding import HouseholdChild, SafeguardingProfile

EARLY_HELP_OUTCOMES = {"accepted": "Accepted (referral made)", "declined": "Declined"}
#: The chip reception sees: that something changes the greeting, never what.
GREETING_CHIP = "Safeguarding: ask a nurse before confirming attendance"


@dataclass(frozen=True)
class RecordChild:
    person_id: int
    name: str
    lives: str
    protection: str
    recorded_on: date
    date_of_birth: date | None = None
    age_band: str = ""
    social_worker: str = ""


@dataclass(frozen=True)
class RemoveChild:
    child_id: int
    version: int
    removed_on: date
    reason: str


@dataclass(frozen=True)
class RecordPregnancy:
    person_id: int
    pregnant: bool
    expected_on: date | None = None
    antenatal: str = ""


@dataclass(frozen=True)
class RecordHiddenHarmReview:
    person_id: int
    reviewed_on: date


@dataclass(frozen=True)
class RecordEarlyHelp:
    person_id: int
    offered_on: date
    outcome: str


@dataclass(frozen=True)
class ChildRow:
    id: int
    name: str
    age: str  # "age 4" or an age band
    lives: Lives
    protection: ChildProtection
    social_worker: str
    recorded_on: date
    version: int


@dataclass(frozen=True)
class Household:
    person_id: int
    children: tuple[ChildRow, ...]
    pregnant: bool
    expected_on: date | None
    antenatal: str
    hidden_harm_review_due: date | None
    hidden_harm_reviewed_on: date | None
    early_help_offered_on: date | None
    early_help_outcome: str
    prompts: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Saved:
    id: int
    changes: Changes


def _child_fields(uow: UnitOfWork, who: Person, name: str, lives: str, protection: str, dob: date | None,
                  band: str, social_worker: str) -> dict[str, object]:
    if dob is None and not band:
        raise Refused("Give the child's date of birth or an age band.", field="age_band")
    if dob is not None:
        dated(uow, who, dob, "date_of_birth", "child's date of birth")
        if not rules.is_under_18(dob, uow.clock.today()):
            raise Refused("That date of birth is of an adult: record children under 18 here.",
                          field="date_of_birth")
    return {
        "name": text(name, "name", "the child's first name or initials", limit=40, required=True),
        "lives": choice(Lives, lives, "lives", "whether the child lives with them or visits").value,
        "protection": choice(ChildProtection, protection, "protection", "the child-protection status").value,
        "date_of_birth": dob,
        "age_band": choice(AgeBand, band, "age_band", "an age band").value if band else "",
        "social_worker": text(social_worker, "social_worker", "the social worker's contact", limit=200),
    }


def _profile(uow: UnitOfWork, person_id: int) -> SafeguardingProfile:
    row = uow.session.get(SafeguardingProfile, person_id)
    if row is None:
        row = SafeguardingProfile(person_id=person_id, pregnant=False, antenatal="", early_help_outcome="")
        uow.session.add(row)
        uow.session.flush()
    return row


def add_child(uow: UnitOfWork, actor: Actor, cmd: RecordChild) -> Saved:
    require(actor, Permission.SAFEGUARDING_WRITE)
    who = on_register(uow, cmd.person_id)
    dated(uow, who, cmd.recorded_on, "recorded_on", "date recorded")
    values = _child_fields(uow, who, cmd.name, cmd.lives, cmd.protection, cmd.date_of_birth, cmd.age_band,
                           cmd.social_worker)
    row = HouseholdChild(person_id=who.id, recorded_on=cmd.recorded_on, staff_id=actor.staff_id,
                         removed_reason="", **values)
    uow.session.add(row)
    profile = _profile(uow, who.id)
    if profile.children_first_recorded_on is None:
        profile.children_first_recorded_on = cmd.recorded_on
    uow.session.flush()
    uow.audit(actor, "safeguarding.child_added", "household_child", row.id, person_id=who.id,
              changes={k: [None, str(v) if isinstance(v, date) else v] for k, v in values.items()})
    return Saved(row.id, Changes.of(AREA, Area.OST, Area.PEOPLE, person_id=who.id))


def _child(uow: UnitOfWork, child_id: int, version: int) -> HouseholdChild:
    row = uow.session.get(HouseholdChild, child_id) if isinstance(child_id, int) else None
    if row is None:
        raise NotFound("That child is no longer on the record.")
    same_version(row.version, version)
    return row


def remove_child(uow: UnitOfWork, actor: Actor, cmd: RemoveChild) -> Saved:
    """The child no longer lives with or visits the person: kept, dated, with why."""
    require(actor, Permission.SAFEGUARDING_WRITE)
    row = _child(uow, cmd.child_id, cmd.version)
    dated(uow, on_register(uow, row.person_id), cmd.removed_on, "removed_on", "date")
    row.removed_reason = text(cmd.reason, "reason", "the reason", limit=200, required=True)
    row.removed_on = cmd.removed_on
    uow.session.flush()
    uow.audit(actor, "safeguarding.child_removed", "household_child", row.id, person_id=row.person_id,
              changes={"removed_on": [None, cmd.removed_on.isoformat()]})
    return Saved(row.id, Changes.of(AREA, Area.OST, Area.PEOPLE, person_id=row.person_id))


def record_pregnancy(uow: UnitOfWork, actor: Actor, cmd: RecordPregnancy) -> Saved:
    require(actor, Permission.SAFEGUARDING_WRITE)
    who = on_register(uow, cmd.person_id)
    if cmd.pregnant:
        dated(uow, who, cmd.expected_on, "expected_on", "expected date of delivery", future_allowed=True)
    antenatal = text(cmd.antenatal, "antenatal", "the antenatal contact", limit=200)
    row = _profile(uow, who.id)
    before = {"pregnant": row.pregnant, "expected_on": row.expected_on and row.expected_on.isoformat(),
              "antenatal": row.antenatal}
    row.pregnant, row.expected_on = cmd.pregnant, cmd.expected_on if cmd.pregnant else None
    row.antenatal = antenatal if cmd.pregnant else ""
    after = {"pregnant": row.pregnant, "expected_on": row.expected_on and row.expected_on.isoformat(),
             "antenatal": row.antenatal}
    uow.session.flush()
    uow.audit(actor, "safeguarding.pregnancy", "safeguarding_profile", who.id, person_id=who.id,
              changes={k: [before[k], v] for k, v in after.items() if before[k] != v})
    return Saved(who.id, Changes.of(AREA, person_id=who.id))


def record_hidden_harm_review(uow: UnitOfWork, actor: Actor, cmd: RecordHiddenHarmReview) -> Saved:
    require(actor, Permission.SAFEGUARDING_WRITE)
    who = on_register(uow, cmd.person_id)
    dated(uow, who, cmd.reviewed_on, "reviewed_on", "review date")
    row = _profile(uow, who.id)
    before = row.hidden_harm_reviewed_on
    row.hidden_harm_reviewed_on = cmd.reviewed_on
    uow.session.flush()
    uow.audit(actor, "safeguarding.hidden_harm_reviewed", "safeguarding_profile", who.id, person_id=who.id,
              changes={"reviewed_on": [before and before.isoformat(), cmd.reviewed_on.isoformat()]})
    return Saved(who.id, Changes.of(AREA, person_id=who.id))


def record_early_help(uow: UnitOfWork, actor: Actor, cmd: RecordEarlyHelp) -> Saved:
    """The Children's Centre / early-help offer and what the person said (seed 002 §10.18)."""
    require(actor, Permission.SAFEGUARDING_WRITE)
    who = on_register(uow, cmd.person_id)
    dated(uow, who, cmd.offered_on, "offered_on", "date of the offer")
    if cmd.outcome not in EARLY_HELP_OUTCOMES:
        raise Refused("Choose whether the offer was accepted or declined.", field="outcome")
    row = _profile(uow, who.id)
    row.early_help_offered_on, row.early_help_outcome = cmd.offered_on, cmd.outcome
    uow.session.flush()
    uow.audit(actor, "safeguarding.early_help", "safeguarding_profile", who.id, person_id=who.id,
              changes={"offered_on": [None, cmd.offered_on.isoformat()], "outcome": [None, cmd.outcome]})
    return Saved(who.id, Changes.of(AREA, person_id=who.id))


# --- reading -------------------------------------------------------------------

def _current_children(uow: UnitOfWork, person_id: int) -> list[HouseholdChild]:
    return list(uow.session.execute(select(HouseholdChild).where(
        HouseholdChild.person_id == person_id, HouseholdChild.removed_on.is_(None))
        .order_by(HouseholdChild.id)).scalars())


def _age(row: HouseholdChild, today: date) -> str:
    if row.date_of_birth is not None:
        return f"age {age_on(row.date_of_birth, max(today, row.date_of_birth))}"
    return AgeBand(row.age_band).label if row.age_band else ""


def household(uow: UnitOfWork, actor: Actor, person_id: int) -> Household:
    require(actor, Permission.SAFEGUARDING_READ)
    who = on_register(uow, person_id)
    today = uow.clock.today()
    children = _current_children(uow, who.id)
    profile = uow.session.get(SafeguardingProfile, who.id)
    rows = tuple(ChildRow(c.id, c.name, _age(c, today), Lives(c.lives), ChildProtection(c.protection),
                          c.social_worker, c.recorded_on, c.version) for c in children)
    review_due = None
    if children and profile is not None and profile.children_first_recorded_on is not None:
        review_due = rules.hidden_harm_review_due(
            profile.hidden_harm_reviewed_on, profile.children_first_recorded_on,
            months=uow.settings["safeguarding.hidden_harm_review_months"])
    return Household(
        who.id, rows, bool(profile and profile.pregnant), profile.expected_on if profile else None,
        profile.antenatal if profile else "", review_due, profile.hidden_harm_reviewed_on if profile else None,
        profile.early_help_offered_on if profile else None, profile.early_help_outcome if profile else "",
        tuple(_prompts(who, profile, bool(children), today)))


def _prompts(who: Person, profile: SafeguardingProfile | None, has_children: bool, today: date) -> list[str]:
    prompts = []
    if (young := rules.young_person_prompt(who.date_of_birth, today)) is not None:
        prompts.append(young)
    if (has_children or (profile and profile.pregnant)) and not (profile and profile.early_help_offered_on):
        prompts.append("Offer a Children's Centre / early-help referral and record the answer.")
    return prompts


def children_condition() -> ColumnElement[bool]:
    """SQL for "children live with or visit this person": the person's own
    checkbox, or a child on the household list (for the OST worklist)."""
    listed = exists().where(HouseholdChild.person_id == Person.id, HouseholdChild.removed_on.is_(None))
    return or_(Person.children_in_household.is_(True), listed)


def children_around(uow: UnitOfWork, person_id: int) -> bool:
    """Whether children live with or visit the person (no permission: the
    safe-storage alert's callers check their own)."""
    return bool(uow.session.execute(select(children_condition()).where(Person.id == person_id)).scalar())


def _front_desk_items(uow: UnitOfWork, actor: Actor, person_id: int) -> list[Outstanding]:
    """Reception: the content-free greeting chip, and the young people's
    pathway prompt (from the date of birth it already sees) at registration."""
    items = [Outstanding(AREA, "", None, Severity.INFO, GREETING_CHIP)] if greeting_chip(uow, actor, person_id) else []
    who = on_register(uow, person_id)
    if (young := rules.young_person_prompt(who.date_of_birth, uow.clock.today())) is not None:
        items.append(Outstanding(AREA, young, None, Severity.ALERT, "Under 18"))
    return items


def safeguarding_outstanding(uow: UnitOfWork, actor: Actor, person_id: int) -> list[Outstanding]:
    """For the person summary. Clinical roles: chips per open flag, requests
    due, reviews due, prompts. Reception: one content-free chip when a flag
    changes how to greet the person. Nobody else gets anything."""
    require(actor, Permission.SAFEGUARDING_CHIP)
    if not actor.can(Permission.SAFEGUARDING_READ):
        return _front_desk_items(uow, actor, person_id)
    view = household(uow, actor, person_id)
    items = open_flag_items(uow, person_id) + open_request_items(uow, person_id)
    today = uow.clock.today()
    if view.pregnant:
        items.append(Outstanding(AREA, f"Pregnant, expected {uk_long(view.expected_on)}" if view.expected_on
                                 else "Pregnant", None, Severity.INFO, "Pregnant"))
    if view.children:
        visiting = sum(1 for c in view.children if c.lives is Lives.VISITS)
        chip = f"Children: {len(view.children) - visiting} at home, {visiting} visiting"
        items.append(Outstanding(AREA, "", None, Severity.INFO, chip))
        if any(c.protection is not ChildProtection.NONE for c in view.children):
            items.append(Outstanding(AREA, "", None, Severity.INFO, "Child protection involved"))
    if view.hidden_harm_review_due is not None:
        severity = Severity.OVERDUE if view.hidden_harm_review_due < today else Severity.DUE
        items.append(Outstanding(AREA, f"Hidden-harm review due {uk_long(view.hidden_harm_review_due)}",
                                 view.hidden_harm_review_due, severity))
    items += [Outstanding(AREA, prompt, None, Severity.ALERT, "Under 18" if "Under 18" in prompt else None)
              for prompt in view.prompts]
    return items
