"""The recovery plan: goals with target dates, agreed with the person, and its
reviews (seed 002 §15 PI 3a, 3b). One plan per episode; saving it again
replaces the goals (audited). Each save or review moves the episode's
``next_plan_due`` to the next 12-week review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select

from clinic import journey as rules
from clinic.changes import Area, Changes
from clinic.errors import Conflict, Refused
from clinic.permissions import Actor, Permission, require
from clinic.services.journey.episodes import (
    JourneyChanged,
    check_day,
    episode_row,
    flush,
    timescales,
)
from clinic.services.people.register import on_register
from clinic.uow import UnitOfWork
from db.tables.journey import PlanGoal, PlanReview, RecoveryPlan

AREA = Area.JOURNEY
MAX_GOALS = 12


@dataclass(frozen=True)
class Goal:
    goal: str
    target_on: date | None
    achieved_on: date | None = None


@dataclass(frozen=True)
class SavePlan:
    episode_id: int
    agreed_on: date | None
    #: Nothing is assumed: the worker says whether the person agreed it.
    agreed_with_person: bool | None
    goals: tuple[Goal, ...]
    version: int | None = None


@dataclass(frozen=True)
class ReviewPlan:
    episode_id: int
    reviewed_on: date | None
    notes: str = ""
    #: Goal ids met at this review.
    achieved: tuple[int, ...] = ()


def save_plan(uow: UnitOfWork, actor: Actor, cmd: SavePlan) -> JourneyChanged:
    require(actor, Permission.JOURNEY_CLINICAL)  # its goals and notes are clinical text
    episode = episode_row(uow, cmd.episode_id)
    person = on_register(uow, episode.person_id)
    agreed = check_day(uow, person, cmd.agreed_on, "agreed_on", "date the plan was agreed")
    if agreed < episode.started_on:
        raise Refused("The plan cannot be agreed before the episode starts.", "agreed_on")
    if cmd.agreed_with_person is None:
        raise Refused("Say whether the person agreed the plan.", "agreed_with_person")
    goals = [g for g in cmd.goals if g.goal.strip()]
    if not goals:
        raise Refused("Write at least one goal.", "goals")
    if len(goals) > MAX_GOALS:
        raise Refused(f"A plan has at most {MAX_GOALS} goals.", "goals")
    for g in goals:
        target = check_day(uow, person, g.target_on, "goals", f"target date for “{g.goal.strip()[:40]}”",
                           future=True)
        if target < agreed:
            raise Refused("A goal's target date cannot be before the plan was agreed.", "goals")
    plan = uow.session.execute(select(RecoveryPlan).where(RecoveryPlan.episode_id == episode.id)).scalar_one_or_none()
    action = "journey.plan_agreed"
    if plan is None:
        plan = RecoveryPlan(episode_id=episode.id, agreed_on=agreed, agreed_with_person=cmd.agreed_with_person,
                            last_reviewed_on=agreed, recorded_by=actor.staff_id)
        uow.session.add(plan)
    else:
        if cmd.version is not None and plan.version != cmd.version:
            raise Conflict("Someone else changed this plan since you opened it. Reload it and try again.")
        action = "journey.plan_changed"
        plan.agreed_on, plan.agreed_with_person = agreed, cmd.agreed_with_person
        plan.last_reviewed_on = max(plan.last_reviewed_on, agreed)
        uow.session.execute(delete(PlanGoal).where(PlanGoal.plan_id == plan.id))
    flush(uow)
    for g in goals:
        uow.session.add(PlanGoal(plan_id=plan.id, goal=g.goal.strip(), target_on=g.target_on,
                                 achieved_on=g.achieved_on))
    _move_review(uow, episode, plan)
    flush(uow)
    uow.audit(actor, action, "journey_plan", plan.id, person_id=person.id,
              changes={"agreed_on": [None, str(agreed)], "goals": [None, len(goals)]})
    return JourneyChanged(plan.id, Changes.of(AREA, person_id=person.id))


def review_plan(uow: UnitOfWork, actor: Actor, cmd: ReviewPlan) -> JourneyChanged:
    require(actor, Permission.JOURNEY_CLINICAL)
    episode = episode_row(uow, cmd.episode_id)
    person = on_register(uow, episode.person_id)
    plan = uow.session.execute(select(RecoveryPlan).where(RecoveryPlan.episode_id == episode.id)).scalar_one_or_none()
    if plan is None:
        raise Refused("Agree a recovery plan before reviewing it.", "reviewed_on")
    reviewed = check_day(uow, person, cmd.reviewed_on, "reviewed_on", "review date")
    if reviewed < plan.agreed_on:
        raise Refused("A review cannot be before the plan was agreed.", "reviewed_on")
    review = PlanReview(plan_id=plan.id, reviewed_on=reviewed, notes=cmd.notes.strip(), reviewed_by=actor.staff_id)
    uow.session.add(review)
    if cmd.achieved:
        for goal in uow.session.execute(select(PlanGoal).where(PlanGoal.plan_id == plan.id,
                                                               PlanGoal.id.in_(cmd.achieved))).scalars():
            goal.achieved_on = goal.achieved_on or reviewed
    plan.last_reviewed_on = max(plan.last_reviewed_on, reviewed)
    _move_review(uow, episode, plan)
    flush(uow)
    uow.audit(actor, "journey.plan_reviewed", "journey_plan_review", review.id, person_id=person.id,
              changes={"reviewed_on": [None, str(reviewed)]})
    return JourneyChanged(review.id, Changes.of(AREA, person_id=person.id))


def _move_review(uow: UnitOfWork, episode, plan: RecoveryPlan) -> None:  # type: ignore[no-untyped-def]
    episode.next_plan_due = rules.plan_review_due(plan.last_reviewed_on,
                                                  weeks=timescales(uow)["plan_review_weeks"])
