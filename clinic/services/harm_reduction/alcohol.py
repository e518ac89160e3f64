"""Alcohol screening and brief interventions for alcohol and drugs (seed 000 §5, §6, §15).

A screen is the AUDIT-C (questions 1–3); when it is positive the full AUDIT
(questions 4–10) must be completed in the same screen, and may be for a
negative one. Scores and zone come from ``clinic.alcohol``; every answer
is chosen by the nurse (``None`` is refused by its question, never read as 0).

Alcohol screens and alcohol interventions need ``ALCOHOL_*``; a drug brief
intervention is harm reduction (``HARM_REDUCTION_WRITE``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from clinic import alcohol
from clinic.changes import Area, Changes
from clinic.errors import Refused
from clinic.permissions import Actor, Permission, require
from clinic.services.harm_reduction.common import MAX_NOTE, check_day, check_text
from clinic.validation import check_choices
from clinic.services.people.register import on_register
from clinic.uow import UnitOfWork
from db.tables.harm_reduction import AlcoholScreen, BriefIntervention

AREA = Area.HARM_REDUCTION

ALCOHOL_COMPONENTS = {
    "advice": "Brief advice",
    "units": "Units and consumption",
    "harm_minimisation": "Harm minimisation",
    "offending": "Offending behaviour",
    "motivational": "Motivational one-to-one session",
    "referral": "Onward referral",
}
DRUG_COMPONENTS = {
    "motivational": "Motivational interviewing",
    "harm_reduction": "Harm reduction advice",
    "cbt": "Cognitive behavioural techniques",
    "services_info": "Information on services and mutual aid",
    "ingestion": "Routes and injecting behaviour",
    "referral": "Onward referral",
}
MAX_MINUTES = 180


@dataclass(frozen=True)
class RecordScreen:
    person_id: int
    screened_on: date
    audit_c: tuple[int | None, ...]  # questions 1–3
    rest: tuple[int | None, ...] = ()  # questions 4–10, when the full AUDIT was done


@dataclass(frozen=True)
class ScreenRecorded:
    screen_id: int
    audit_c_score: int
    positive: bool
    audit_score: int | None
    zone: int | None
    changes: Changes


@dataclass(frozen=True)
class RecordIntervention:
    person_id: int
    given_on: date
    components: tuple[str, ...]
    duration_minutes: int | None = None
    referral_to: str = ""
    note: str = ""


@dataclass(frozen=True)
class InterventionRecorded:
    intervention_id: int
    changes: Changes


def _answered(answers: tuple[int | None, ...], first: int) -> list[int]:
    for number, value in enumerate(answers, start=first):
        if value is None:
            raise Refused(f"Question {number} has no answer.", field=f"q{number}")
    return [a for a in answers if a is not None]


def _bad_question(answers: list[int]) -> str:
    """The field of the first answer the questionnaire cannot give."""
    number = next((n for n, v in enumerate(answers, start=1)
                   if isinstance(v, bool) or v not in (alcohol.FIRST_EIGHT if n <= 8 else alcohol.LAST_TWO)), 1)
    return f"q{number}"


def record_screen(uow: UnitOfWork, actor: Actor, cmd: RecordScreen) -> ScreenRecorded:
    require(actor, Permission.ALCOHOL_WRITE)
    person = on_register(uow, cmd.person_id, field="person")
    check_day(uow, cmd.screened_on, "screened_on", born=person.date_of_birth, what="The screening date")
    if len(cmd.audit_c) != 3:
        raise Refused("AUDIT-C has three questions.", field="q1")
    first = _answered(cmd.audit_c, 1)
    try:
        c_score = alcohol.audit_c_score(first)
    except ValueError as exc:
        raise Refused(str(exc), field=_bad_question(first)) from None
    positive = alcohol.audit_c_positive(c_score)
    score = zone = None
    answers = None
    if cmd.rest or positive:
        if len(cmd.rest) != 7:
            raise Refused("AUDIT-C is positive: complete the full AUDIT (questions 4 to 10).", field="q4")
        full = first + _answered(cmd.rest, 4)
        try:
            score = alcohol.audit_score(full)
        except ValueError as exc:
            raise Refused(str(exc), field=_bad_question(full)) from None
        zone, answers = alcohol.audit_zone(score), "".join(map(str, full))
    row = AlcoholScreen(person_id=person.id, screened_on=cmd.screened_on, audit_c_answers="".join(map(str, first)),
                        audit_c_score=c_score, audit_c_positive=positive, audit_answers=answers, audit_score=score,
                        audit_zone=zone, staff_id=actor.staff_id)
    uow.session.add(row)
    uow.session.flush()
    uow.audit(actor, "alcohol.screened", "alcohol_screen", row.id, person_id=person.id)
    return ScreenRecorded(row.id, c_score, positive, score, zone, Changes.of(AREA, person_id=person.id))


def _intervention(uow: UnitOfWork, actor: Actor, cmd: RecordIntervention, kind: str,
                  allowed: dict[str, str]) -> InterventionRecorded:
    person = on_register(uow, cmd.person_id, field="person")
    check_day(uow, cmd.given_on, "given_on", born=person.date_of_birth, what="The date")
    components = check_choices(cmd.components, allowed, field="components")
    if not components:
        raise Refused("Tick what the brief intervention covered.", field="components")
    minutes = cmd.duration_minutes
    if minutes is not None and (isinstance(minutes, bool) or not 1 <= minutes <= MAX_MINUTES):
        raise Refused(f"The duration is 1 to {MAX_MINUTES} minutes.", field="duration")
    if kind == "drug" and minutes is None:
        raise Refused("Enter how long the session took.", field="duration")
    referral = check_text(cmd.referral_to, "referral_to", what="The referral")
    if "referral" in cmd.components and not referral:
        raise Refused("Say where the person was referred to.", field="referral_to")
    note = check_text(cmd.note, "note", limit=MAX_NOTE, what="The note")
    row = BriefIntervention(person_id=person.id, kind=kind, given_on=cmd.given_on, components=components,
                            duration_minutes=minutes, referral_to=referral, note=note, staff_id=actor.staff_id)
    uow.session.add(row)
    uow.session.flush()
    uow.audit(actor, f"{kind}.brief_intervention", "brief_intervention", row.id, person_id=person.id)
    return InterventionRecorded(row.id, Changes.of(AREA, person_id=person.id))


def record_alcohol_intervention(uow: UnitOfWork, actor: Actor, cmd: RecordIntervention) -> InterventionRecorded:
    require(actor, Permission.ALCOHOL_WRITE)
    return _intervention(uow, actor, cmd, "alcohol", ALCOHOL_COMPONENTS)


def record_drug_intervention(uow: UnitOfWork, actor: Actor, cmd: RecordIntervention) -> InterventionRecorded:
    require(actor, Permission.HARM_REDUCTION_WRITE)
    return _intervention(uow, actor, cmd, "drug", DRUG_COMPONENTS)
