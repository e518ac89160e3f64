"""The journey's quarterly KPIs (seed 002 §15 and Appendix 1), beside the
main report rather than in it: waiting times, key workers, plans and their
reviews, TOP completion, planned exits, re-presentations and the number in
treatment counted by episode.

Who is counted, line by line (the report shows these words):

- waits: referrals whose first intervention (first modality start) fell in
  the quarter; "still waiting 42+" counts referrals open at the quarter's
  end that had waited 42 days or more;
- for the quarter still running, "fell due" and "at the quarter's end" stop
  at today, so nothing not yet due is counted as missed;
- key worker: episodes open on the quarter's last day;
- plan in 3 weeks: episodes (not reconstructed) whose plan fell due in the
  quarter, with a plan agreed by then;
- reviewed in 12 weeks: plans whose first review fell due in the quarter,
  reviewed by then;
- review TOP: episodes whose 6-month TOP (from the start TOP) fell due in
  the quarter, with a review TOP by the quarter's end;
- exit TOP and planned exits: episodes discharged in the quarter (not
  reconstructed), drug and alcohol clients apart for planned exits;
- re-presentations: episodes started in the quarter flagged as such;
- in treatment: people with an episode open on any day of the quarter.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import and_, func, or_, select

from clinic import journey as rules
from clinic.permissions import Actor, Permission, require
from clinic.services.journey.episodes import timescales
from clinic.uow import UnitOfWork
from db.tables.journey import Episode, PlanReview, RecoveryPlan, Referral, TopForm

DASH = "—"


@dataclass(frozen=True)
class JourneyKpi:
    key: str
    label: str
    value: str
    numerator: int | None = None
    denominator: int | None = None
    target: str = ""
    counted: str = ""


@dataclass(frozen=True)
class JourneyReport:
    start: date
    end: date
    lines: tuple[JourneyKpi, ...]

    def line(self, key: str) -> JourneyKpi:
        return next(k for k in self.lines if k.key == key)


def _pct(key: str, label: str, n: int, d: int, target: str = "", counted: str = "") -> JourneyKpi:
    value = DASH if d == 0 else f"{round(100 * n / d)}% ({n} of {d})"
    return JourneyKpi(key, label, value, n, d, target, counted)


def _count(key: str, label: str, n: int, counted: str = "", target: str = "") -> JourneyKpi:
    return JourneyKpi(key, label, str(n), n, None, target, counted)


def journey_kpis(uow: UnitOfWork, actor: Actor, start: date, end: date) -> JourneyReport:
    require(actor, Permission.REPORTS_READ)
    t = timescales(uow)
    s = uow.session
    lines: list[JourneyKpi] = []
    # For the quarter still running, what "fell due" or "still waiting" means stops at today.
    as_of = min(end, uow.clock.today())

    waits = [(i - r).days for r, i in s.execute(select(Referral.referred_on, Referral.intervention_on).where(
        Referral.intervention_on.between(start, end))).all() if i is not None]
    counted = "referrals whose first intervention started in the quarter"
    if waits:
        lines += [JourneyKpi("wait_min", "Wait to first intervention: shortest", f"{min(waits)} days",
                             counted=counted),
                  JourneyKpi("wait_median", "Wait to first intervention: median",
                             f"{statistics.median(waits):g} days", counted=counted),
                  JourneyKpi("wait_max", "Wait to first intervention: longest", f"{max(waits)} days",
                             counted=counted)]
    else:
        lines += [JourneyKpi(k, f"Wait to first intervention: {w}", DASH, counted=counted)
                  for k, w in (("wait_min", "shortest"), ("wait_median", "median"), ("wait_max", "longest"))]
    within = sum(1 for w in waits if rules.within_target(w, days=t["first_intervention_days"]))
    lines.append(_pct("wait_within_21", "First intervention within 21 days", within, len(waits), "≥ 95%", counted))
    lines.append(_count("wait_42_plus", "Waits of 42 days or more", sum(
        1 for w in waits if rules.is_long_wait(w, days=t["long_wait_days"])), counted, "0"))
    still = s.execute(select(func.count()).select_from(Referral).where(
        Referral.referred_on <= as_of - timedelta(days=t["long_wait_days"]),
        or_(Referral.intervention_on.is_(None), Referral.intervention_on > as_of),
        or_(Referral.closed_on.is_(None), Referral.closed_on > as_of))).scalar_one()
    lines.append(_count("still_waiting_42_plus", "Still waiting at the quarter's end after 42+ days", still,
                        "referrals with no first intervention by the quarter's end", "0"))

    open_at_end = and_(Episode.started_on <= end, or_(Episode.ended_on.is_(None), Episode.ended_on > end))
    total, with_worker = s.execute(select(func.count(), func.count(Episode.key_worker_id)).where(open_at_end)).one()
    lines.append(_pct("key_worker", "Named key worker", with_worker, total, "≥ 95%",
                      "episodes open on the quarter's last day"))

    plan_days = timedelta(days=t["plan_days"])
    rows = s.execute(select(Episode.started_on, RecoveryPlan.agreed_on)
                     .outerjoin(RecoveryPlan, RecoveryPlan.episode_id == Episode.id)
                     .where(Episode.reconstructed.is_(False),
                            Episode.started_on.between(start - plan_days, as_of - plan_days))).all()
    lines.append(_pct("plan_in_3_weeks", "Recovery plan within 3 weeks", sum(
        1 for st, agreed in rows if rules.plan_in_time(st, agreed, days=t["plan_days"])), len(rows), "≥ 95%",
        "episodes whose plan fell due in the quarter"))

    weeks = timedelta(weeks=t["plan_review_weeks"])
    first_review = (select(PlanReview.plan_id, func.min(PlanReview.reviewed_on).label("first"))
                    .group_by(PlanReview.plan_id).subquery())
    rows = s.execute(select(RecoveryPlan.agreed_on, first_review.c.first)
                     .outerjoin(first_review, first_review.c.plan_id == RecoveryPlan.id)
                     .where(RecoveryPlan.agreed_on.between(start - weeks, as_of - weeks))).all()
    lines.append(_pct("plan_reviewed_12_weeks", "Recovery plan reviewed within 12 weeks", sum(
        1 for agreed, first in rows if first is not None and first <= agreed + weeks), len(rows), "≥ 95%",
        "plans whose first review fell due in the quarter"))

    months = t["top_review_months"]
    starts = s.execute(select(TopForm.episode_id, TopForm.interview_on).where(
        TopForm.stage == "start", TopForm.interview_on.between(start - relativedelta(months=months + 1),
                                                              end - relativedelta(months=months - 1)))).all()
    due = {eid for eid, day in starts if start <= day + relativedelta(months=months) <= as_of}
    reviewed = set(s.execute(select(TopForm.episode_id).where(
        TopForm.episode_id.in_(due), TopForm.stage == "review", TopForm.interview_on <= end)).scalars()
    ) if due else set()
    lines.append(_pct("top_review", "Review TOP completed", len(reviewed), len(due), "",
                      "episodes whose 6-month TOP fell due in the quarter"))

    exits = s.execute(select(Episode.id, Episode.client_type, Episode.exit_reason).where(
        Episode.reconstructed.is_(False), Episode.ended_on.between(start, end))).all()
    exit_tops = set(s.execute(select(TopForm.episode_id).where(
        TopForm.episode_id.in_([e[0] for e in exits]), TopForm.stage == "exit")).scalars()) if exits else set()
    lines.append(_pct("top_exit", "Exit TOP completed", len(exit_tops), len(exits), "",
                      "episodes discharged in the quarter"))
    for client, target in (("drug", "≥ 55%"), ("alcohol", "≥ 65%")):
        mine = [e for e in exits if e[1] == client]
        lines.append(_pct(f"planned_exit_{client}", f"Planned exits ({client})",
                          sum(1 for e in mine if e[2] and rules.is_successful(e[2])), len(mine), target,
                          f"{client} clients discharged in the quarter"))

    lines.append(_count("re_presentations", "Re-presentations within 6 months of a successful completion",
                        s.execute(select(func.count()).select_from(Episode).where(
                            Episode.re_presentation.is_(True), Episode.started_on.between(start, end))).scalar_one(),
                        "episodes started in the quarter", "fewer"))
    lines.append(_count("in_treatment_episodes", "People in treatment (by episode)", s.execute(
        select(func.count(func.distinct(Episode.person_id))).where(
            Episode.started_on <= end, or_(Episode.ended_on.is_(None), Episode.ended_on >= start))).scalar_one(),
        "people with an episode open on any day of the quarter"))
    return JourneyReport(start, end, tuple(lines))
