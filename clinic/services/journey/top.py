"""TOP forms and the national-return profile (clinical staff only).

A TOP is recorded against an episode at a stage: one start TOP, reviews,
one exit TOP (before the discharge that needs it), post-exit follow-ups.
Each TOP moves the episode's ``next_top_due`` (start and reviews: 6 months
on; exit: none). Answers are checked by ``clinic.top.validate``; a refusal
names the item, so the form shows it by that answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from sqlalchemy import select

from clinic import journey as rules
from clinic import ndtms, top
from clinic.changes import Area, Changes
from clinic.errors import Conflict, NotFound, Refused
from clinic.permissions import Actor, Permission, require
from clinic.services.journey.episodes import (
    JourneyChanged,
    check_day,
    episode_row,
    flush,
    timescales,
)
from clinic.services.people.register import on_register
from clinic.uow import UnitOfWork, changed_fields
from db.tables.journey import Episode, NationalProfile, TopForm

AREA = Area.JOURNEY


@dataclass(frozen=True)
class RecordTop:
    episode_id: int
    stage: str
    interview_on: date | None
    answers: dict[str, Any]


def record_top(uow: UnitOfWork, actor: Actor, cmd: RecordTop) -> JourneyChanged:
    require(actor, Permission.JOURNEY_CLINICAL)
    if cmd.stage not in set(top.Stage):
        raise Refused("Choose the treatment stage.", "stage")
    episode = episode_row(uow, cmd.episode_id, open_only=cmd.stage != top.Stage.POST_EXIT)
    person = on_register(uow, episode.person_id)
    day = check_day(uow, person, cmd.interview_on, "interview_on", "TOP interview date")
    if day < episode.started_on:
        raise Refused("A TOP cannot be before the episode starts.", "interview_on")
    stages = set(uow.session.execute(select(TopForm.stage).where(TopForm.episode_id == episode.id)).scalars())
    if cmd.stage in (top.Stage.START, top.Stage.EXIT) and cmd.stage in stages:
        raise Refused(f"This episode already has a{'n' if cmd.stage == 'exit' else ''} {cmd.stage} TOP.", "stage")
    if cmd.stage == top.Stage.REVIEW and top.Stage.START not in stages:
        raise Refused("Record the start TOP before a review.", "stage")
    try:
        answers = top.validate(cmd.answers)
    except top.TopError as e:
        raise Refused(str(e), e.field) from None
    row = TopForm(episode_id=episode.id, stage=cmd.stage, interview_on=day, answers=json.dumps(answers),
                  recorded_by=actor.staff_id)
    uow.session.add(row)
    if cmd.stage in (top.Stage.START, top.Stage.REVIEW):
        dates = [*uow.session.execute(select(TopForm.interview_on).where(
            TopForm.episode_id == episode.id, TopForm.stage.in_(("start", "review")))).scalars(), day]
        episode.next_top_due = rules.top_due(episode.started_on, dates, months=timescales(uow)["top_review_months"])
    elif cmd.stage == top.Stage.EXIT:
        episode.next_top_due = None
    flush(uow)
    uow.audit(actor, "journey.top_recorded", "journey_top", row.id, person_id=person.id,
              changes={"stage": [None, cmd.stage], "interview_on": [None, str(day)]})
    return JourneyChanged(row.id, Changes.of(AREA, person_id=person.id))


@dataclass(frozen=True)
class TopView:
    id: int
    episode_id: int
    stage: str
    interview_on: date
    answers: dict[str, Any]


def top_form(uow: UnitOfWork, actor: Actor, top_id: int) -> TopView:
    require(actor, Permission.JOURNEY_CLINICAL)
    row = uow.session.get(TopForm, top_id)
    if row is None:
        raise NotFound("There is no such TOP.")
    episode = uow.session.get(Episode, row.episode_id)
    assert episode is not None
    uow.audit(actor, "journey.top_viewed", "journey_top", row.id, person_id=episode.person_id)
    return TopView(row.id, row.episode_id, row.stage, row.interview_on, json.loads(row.answers))


# ---- national-return profile ---------------------------------------------------


@dataclass(frozen=True)
class Profile:
    person_id: int
    ethnicity: str = ""
    sexual_orientation: str = ""
    religion: str = ""
    disability: str = ""
    primary_substance: str = ""
    primary_route: str = ""
    secondary_substance: str = ""
    secondary_route: str = ""
    injecting_status: str = ""
    injecting_status_on: date | None = None
    last_injected_on: date | None = None
    version: int | None = None


_FIELDS = [f.name for f in fields(Profile) if f.name not in ("person_id", "version")]


def profile(uow: UnitOfWork, actor: Actor, person_id: int) -> Profile:
    require(actor, Permission.JOURNEY_CLINICAL)
    row = uow.session.get(NationalProfile, person_id)
    if row is None:
        return Profile(person_id)
    return Profile(person_id, **{k: getattr(row, k) for k in _FIELDS}, version=row.version)


def save_profile(uow: UnitOfWork, actor: Actor, cmd: Profile) -> JourneyChanged:
    require(actor, Permission.JOURNEY_CLINICAL)
    person = on_register(uow, cmd.person_id)
    for name, codes in ndtms.PROFILE_CODES.items():
        value = getattr(cmd, name)
        if value and value not in codes:
            raise Refused("Choose from the list.", name)
    if cmd.secondary_substance and cmd.secondary_substance == cmd.primary_substance:
        raise Refused("The secondary substance is the same as the primary one.", "secondary_substance")
    for sub, route in (("primary_substance", "primary_route"), ("secondary_substance", "secondary_route")):
        if getattr(cmd, route) and not getattr(cmd, sub):
            raise Refused("Choose the substance this route is for.", sub)
    if cmd.injecting_status:
        check_day(uow, person, cmd.injecting_status_on, "injecting_status_on", "date the injecting status was given")
    if cmd.last_injected_on is not None:
        if cmd.injecting_status == "never":
            raise Refused("Someone who never injected has no last injecting date.", "last_injected_on")
        check_day(uow, person, cmd.last_injected_on, "last_injected_on", "last injecting date")
    row = uow.session.get(NationalProfile, person.id)
    values = {k: getattr(cmd, k) for k in _FIELDS}
    if row is None:
        row = NationalProfile(person_id=person.id, **values)
        uow.session.add(row)
        diff = {k: [None, v if not isinstance(v, date) else str(v)] for k, v in values.items() if v}
    else:
        if cmd.version is not None and row.version != cmd.version:
            raise Conflict("Someone else changed these details since you opened them. Reload and try again.")
        diff = changed_fields({k: getattr(row, k) for k in _FIELDS}, values)
        for k, (_, v) in diff.items():
            setattr(row, k, v)
        diff = {k: [str(a) if isinstance(a, date) else a, str(b) if isinstance(b, date) else b]
                for k, (a, b) in diff.items()}
    flush(uow)
    if diff:
        uow.audit(actor, "journey.profile_saved", "journey_profile", person.id, person_id=person.id, changes=diff)
    return JourneyChanged(person.id, Changes.of(AREA, person_id=person.id))
