"""Synthetic treatment journeys: referrals, episodes with modalities, key
workers, recovery plans and reviews, TOPs, discharges and the national-return
profile, in bulk inserts. Run after ``clinic.demo.ost`` (people on OST get an
OST prescribing modality from their first prescription).

Proportions (plausible, not real): 70% of people have had an episode, a
quarter of those ended; 4 in 5 episodes came from a recorded referral; a
few percent of people are waiting on a recent referral; most plans are
agreed in time and most TOPs done, so the worklists have some of each.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic import journey as rules
from clinic import top
from clinic.demo.bulk import bulk_insert
from db.tables.journey import (
    Episode,
    EpisodeModality,
    NationalProfile,
    PlanGoal,
    PlanReview,
    RecoveryPlan,
    Referral,
    TopForm,
)
from db.tables.ost import OstPrescription
from db.tables.people import Person

GOALS = ("Stop using on top of the prescription", "Cut down drinking to two days a week", "Register with a dentist",
         "Find stable housing", "Start a volunteering placement", "Reconnect with family", "Hep C treatment")
EXITS = (("completed_drug_free", 30), ("completed_occasional_user", 15), ("transferred_community", 10),
         ("dropped_out", 30), ("retained_in_custody", 5), ("declined_by_client", 5), ("died", 2),
         ("moved_away", 3))
ALCOHOL_EXITS = (("completed_alcohol_free", 45), ("completed_occasional_user", 10), ("dropped_out", 35),
                 ("transferred_community", 10))


def _next_id(session: Session, column: Any) -> int:
    return int(session.execute(select(func.coalesce(func.max(column), 0))).scalar_one()) + 1


_LEADS_FIRST = sorted(top.ITEMS, key=lambda i: i.when_positive is not None)


def _answers(rng: random.Random) -> str:
    answers: dict[str, Any] = {}
    for item in _LEADS_FIRST:
        if not top.asked(item, answers):
            continue
        answers[item.key] = {top.Kind.DAYS: rng.choice((0, 0, 0, 2, 7, 14, 28)),
                             top.Kind.AMOUNT: rng.choice((0.5, 1, 2, 10)), top.Kind.YES_NO: rng.random() < 0.1,
                             top.Kind.RATING: rng.randint(4, 18), top.Kind.TEXT: "Pregabalin"}[item.kind]
    return json.dumps(top.validate(answers))


def generate_journeys(session: Session, rng: random.Random, person_ids: list[int], *, key_worker_ids: list[int],
                      today: date, share: float = 0.7, waiting_share: float = 0.03) -> dict[str, int]:
    ost_start = dict(session.execute(select(OstPrescription.person_id, func.min(OstPrescription.start_on))
                                     .group_by(OstPrescription.person_id)).all())
    dobs = dict(session.execute(select(Person.id, Person.date_of_birth)).all())
    now = datetime.combine(today, datetime.min.time())
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "referrals", "episodes", "modalities", "plans", "goals", "reviews", "tops", "profiles")}
    ids = {"episode": _next_id(session, Episode.id), "plan": _next_id(session, RecoveryPlan.id)}
    staff = key_worker_ids[0]

    def top_row(eid: int, stage: str, on: date) -> None:
        rows["tops"].append(dict(episode_id=eid, stage=stage, interview_on=on, answers=_answers(rng),
                                 recorded_by=staff, recorded_at=now))

    for pid in person_ids:
        alcohol = rng.random() < 0.25
        if rng.random() < 0.8:
            injecting = rng.choice(("current", "previous", "never", "never"))
            rows["profiles"].append(dict(
                person_id=pid, ethnicity=rng.choice("AAAAABCHJMNSZ"), sexual_orientation=rng.choice(
                    ("heterosexual", "heterosexual", "gay_lesbian", "bisexual", "not_stated")),
                religion=rng.choice(("none", "christian", "muslim", "not_stated")),
                disability=rng.choice(("no", "no", "yes", "not_stated")),
                primary_substance="alcohol" if alcohol else rng.choice(("heroin", "heroin", "crack", "cannabis")),
                primary_route="oral" if alcohol else rng.choice(("injecting", "smoking", "smoking")),
                secondary_substance="", secondary_route="", injecting_status=injecting,
                injecting_status_on=today - timedelta(days=rng.randint(0, 700)),
                last_injected_on=None, version=1))
        roll = rng.random()
        if roll < waiting_share:  # a recent referral, not yet seen or assessed
            referred = today - timedelta(days=rng.randint(0, 50))
            rows["referrals"].append(dict(
                person_id=pid, referred_on=referred, source=rng.choice(list(rules.Source)).value,
                referrer="", reason="", requested="", first_contact_on=referred + timedelta(days=2)
                if rng.random() < 0.6 and referred + timedelta(days=2) <= today else None,
                first_contact_by=staff, intervention_on=None, episode_id=None, closed_on=None, closed_reason="",
                recorded_by=staff, recorded_at=now, version=1))
            continue
        if roll > share + waiting_share:
            continue
        eid = ids["episode"]
        ids["episode"] += 1
        start = max(today - timedelta(days=rng.randint(0, 2 * 365)), dobs[pid] + relativedelta(years=16))
        ended = start + timedelta(days=rng.randint(30, 400)) if rng.random() < 0.25 else None
        if ended is not None and ended > today:
            ended = None
        reason = None
        if ended is not None:
            choices = ALCOHOL_EXITS if alcohol else EXITS
            reason = rng.choices([c for c, _ in choices], [w for _, w in choices])[0]
        first = start
        modalities = [dict(episode_id=eid, modality="alcohol" if alcohol else "harm_reduction", referred_on=start,
                           started_on=start, ended_on=ended, drr_order_id=None, ost_prescription_id=None,
                           recorded_by=staff, version=1)]
        if pid in ost_start and not alcohol:
            began = max(ost_start[pid], start)
            waiting = began > today or (ended is None and rng.random() < 0.03 and start > today - timedelta(days=20))
            modalities.append(dict(episode_id=eid, modality=rules.Modality.OST.value, referred_on=start,
                                   started_on=None if waiting else min(began, ended or began), ended_on=ended,
                                   drr_order_id=None, ost_prescription_id=None, recorded_by=staff, version=1))
        elif not alcohol and ended is None and start > today - timedelta(days=30) and rng.random() < 0.5:
            # assessed recently and referred to prescribing: the prescriber's clock runs
            modalities.append(dict(episode_id=eid, modality=rules.Modality.OST.value, referred_on=start,
                                   started_on=None, ended_on=None, drr_order_id=None, ost_prescription_id=None,
                                   recorded_by=staff, version=1))
        if rng.random() < 0.8:
            referred = start - timedelta(days=rng.choice((1, 3, 7, 10, 14, 20, 30, 45)))
            rows["referrals"].append(dict(
                person_id=pid, referred_on=referred, source=rng.choice(list(rules.Source)).value,
                referrer="", reason="", requested="", first_contact_on=referred + timedelta(days=rng.randint(0, 5)),
                first_contact_by=staff, intervention_on=first, episode_id=eid, closed_on=None, closed_reason="",
                recorded_by=staff, recorded_at=now, version=1))
        rows["modalities"] += modalities
        last = ended or today
        plan_due = rules.plan_due(start)
        next_plan: date | None = plan_due
        if rng.random() < 0.85 and start + timedelta(days=3) <= last:
            agreed = min(start + timedelta(days=rng.choice((3, 7, 14, 20, 30))), last)
            plan_id = ids["plan"]
            ids["plan"] += 1
            reviewed = agreed
            while rng.random() < 0.9 and reviewed + timedelta(weeks=12) <= last:
                reviewed += timedelta(weeks=rng.choice((10, 11, 12, 13)))
                rows["reviews"].append(dict(plan_id=plan_id, reviewed_on=reviewed, notes="", reviewed_by=staff))
            rows["plans"].append(dict(id=plan_id, episode_id=eid, agreed_on=agreed, agreed_with_person=True,
                                      last_reviewed_on=reviewed, recorded_by=staff, version=1))
            rows["goals"] += [dict(plan_id=plan_id, goal=g, target_on=agreed + timedelta(days=90), achieved_on=None)
                              for g in rng.sample(GOALS, rng.randint(1, 3))]
            next_plan = rules.plan_review_due(reviewed)
        tops = [start] if rng.random() < 0.9 else []
        while tops and rng.random() < 0.85 and tops[-1] + relativedelta(months=6) <= last:
            tops.append(tops[-1] + relativedelta(months=6))
        for i, on in enumerate(tops):
            top_row(eid, "start" if i == 0 else "review", on)
        exit_top = ended is not None and rng.random() < 0.6
        if exit_top and ended is not None:
            top_row(eid, "exit", ended)
        rows["episodes"].append(dict(
            id=eid, person_id=pid, started_on=start, key_worker_id=rng.choice(key_worker_ids)
            if rng.random() < 0.92 else None, client_type="alcohol" if alcohol else "drug",
            next_plan_due=None if ended else next_plan, next_top_due=None if ended else rules.top_due(start, tops),
            ended_on=ended, exit_reason=reason,
            exit_top_missing_reason="Not seen at the end" if ended and not exit_top else "",
            overdose_risk_discussed=True if ended and len(modalities) > 1 else None,
            naloxone_offered=True if ended and len(modalities) > 1 else None, naloxone_accepted=None,
            re_presentation=False, reconstructed=False, created_by=staff, created_at=now, version=1))
    for key, model in (("episodes", Episode), ("referrals", Referral), ("modalities", EpisodeModality),
                       ("plans", RecoveryPlan), ("goals", PlanGoal), ("reviews", PlanReview), ("tops", TopForm),
                       ("profiles", NationalProfile)):
        bulk_insert(session, model, rows[key])
    return {f"journey_{k}": len(v) for k, v in rows.items()}
