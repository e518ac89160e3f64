"""One person's journey as the Journey tab shows it: referrals with their
clocks, episodes with modalities, key worker, plan, TOP dates and discharge.

Reception (``JOURNEY_REFERRAL`` only) sees the referrals' non-clinical
fields: no reason, no episodes. TOP dates are listed for clinical staff
only; a TOP's answers are opened one at a time (``journey_top.top_form``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from clinic import journey as rules
from clinic.permissions import Actor, Permission, require
from clinic.services.journey.episodes import timescales
from clinic.services.people.register import on_register
from clinic.uow import UnitOfWork
from db.tables.journey import (
    Episode,
    EpisodeModality,
    PlanGoal,
    PlanReview,
    RecoveryPlan,
    Referral,
    TopForm,
)
from db.tables.probation import DrrOrder
from db.tables.staff import Staff


@dataclass(frozen=True)
class ReferralRow:
    id: int
    version: int
    referred_on: date
    source: str
    referrer: str
    reason: str
    requested: str
    first_contact_on: date | None
    first_contact_due: date
    intervention_on: date | None
    intervention_due: date
    closed_on: date | None
    episode_id: int | None

    @property
    def waiting(self) -> bool:
        return self.closed_on is None and self.intervention_on is None


@dataclass(frozen=True)
class ModalityRow:
    id: int
    modality: str
    referred_on: date
    started_on: date | None
    ended_on: date | None
    #: For OST prescribing not yet started: when it must start.
    prescribing_due: date | None


#: What a goal or a review note reads as without clinical access.
WITHHELD = "(for clinical staff)"


@dataclass(frozen=True)
class GoalRow:
    id: int
    goal: str
    target_on: date
    achieved_on: date | None


@dataclass(frozen=True)
class ReviewRow:
    reviewed_on: date
    notes: str
    by: str


@dataclass(frozen=True)
class PlanView:
    id: int
    version: int
    agreed_on: date
    agreed_with_person: bool
    goals: tuple[GoalRow, ...]
    reviews: tuple[ReviewRow, ...]


@dataclass(frozen=True)
class TopRow:
    id: int
    stage: str
    interview_on: date


@dataclass(frozen=True)
class EpisodeView:
    id: int
    version: int
    started_on: date
    ended_on: date | None
    exit_reason: str | None
    key_worker_id: int | None
    key_worker_name: str
    client_type: str
    re_presentation: bool
    reconstructed: bool
    next_plan_due: date | None
    next_top_due: date | None
    modalities: tuple[ModalityRow, ...]
    plan: PlanView | None
    tops: tuple[TopRow, ...]

    @property
    def open(self) -> bool:
        return self.ended_on is None

    @property
    def has_exit_top(self) -> bool:
        return any(t.stage == "exit" for t in self.tops)

    @property
    def leaving_ost(self) -> bool:
        return any(m.modality == rules.Modality.OST and m.started_on for m in self.modalities)


@dataclass(frozen=True)
class JourneyRecord:
    person_id: int
    date_of_birth: date
    today: date
    referrals: tuple[ReferralRow, ...]
    episodes: tuple[EpisodeView, ...]

    @property
    def open_episode(self) -> EpisodeView | None:
        return next((e for e in self.episodes if e.open), None)


def journey_record(uow: UnitOfWork, actor: Actor, person_id: int) -> JourneyRecord:
    require(actor, Permission.JOURNEY_REFERRAL)
    return record_of(uow, actor, person_id)


def record_of(uow: UnitOfWork, actor: Actor, person_id: int) -> JourneyRecord:
    """The record as ``actor`` may see it (no check of its own: the caller
    has checked a permission that lets it read at least the referrals)."""
    person = on_register(uow, person_id)
    t, closures = timescales(uow), uow.settings.closures
    clinical_read = actor.can(Permission.JOURNEY_READ)
    referrals = tuple(
        ReferralRow(r.id, r.version, r.referred_on, r.source, r.referrer, r.reason if clinical_read else "",
                    r.requested, r.first_contact_on,
                    rules.first_contact_due(r.referred_on, working_days=t["first_contact_working_days"],
                                            closures=closures),
                    r.intervention_on, rules.first_intervention_due(r.referred_on, days=t["first_intervention_days"]),
                    r.closed_on, r.episode_id)
        for r in uow.session.execute(select(Referral).where(Referral.person_id == person_id)
                                     .order_by(Referral.referred_on.desc(), Referral.id.desc())).scalars())
    episodes: tuple[EpisodeView, ...] = ()
    if clinical_read:
        episodes = tuple(_episode(uow, actor, e, t, closures) for e in uow.session.execute(
            select(Episode).where(Episode.person_id == person_id)
            .order_by(Episode.started_on.desc(), Episode.id.desc())).scalars())
    return JourneyRecord(person_id, person.date_of_birth, uow.clock.today(), referrals, episodes)


def _episode(uow: UnitOfWork, actor: Actor, e: Episode, t: dict[str, int], closures: frozenset[date]) -> EpisodeView:
    names = dict(uow.session.execute(select(Staff.id, Staff.full_name)).all())
    drr_dates = dict(uow.session.execute(select(DrrOrder.id, DrrOrder.order_date)
                                         .where(DrrOrder.person_id == e.person_id)).all())
    rows = uow.session.execute(select(EpisodeModality).where(EpisodeModality.episode_id == e.id)
                               .order_by(EpisodeModality.referred_on, EpisodeModality.id)).scalars().all()
    episode_order = next((m.drr_order_id for m in rows if m.drr_order_id is not None), None)
    modalities = []
    for m in rows:
        due = None
        if m.modality == rules.Modality.OST and m.started_on is None and m.ended_on is None:
            order_date = drr_dates.get(m.drr_order_id or episode_order)  # type: ignore[arg-type]
            due = prescribing_due(t, closures, m.referred_on, order_date)
        modalities.append(ModalityRow(m.id, m.modality, m.referred_on, m.started_on, m.ended_on, due))
    plan_row = uow.session.execute(select(RecoveryPlan).where(RecoveryPlan.episode_id == e.id)).scalar_one_or_none()
    plan = None
    # A goal or a review note is free text ("Hep C treatment"): clinical staff
    # read it; a probation key worker sees the plan's dates, never its words (DESIGN §1).
    clinical = actor.can(Permission.JOURNEY_CLINICAL)
    if plan_row is not None:
        goals = tuple(GoalRow(g.id, g.goal if clinical else WITHHELD, g.target_on, g.achieved_on)
                      for g in uow.session.execute(select(PlanGoal).where(PlanGoal.plan_id == plan_row.id)
                                                   .order_by(PlanGoal.target_on, PlanGoal.id)).scalars())
        reviews = tuple(ReviewRow(r.reviewed_on, r.notes if clinical else WITHHELD, names.get(r.reviewed_by, ""))
                        for r in uow.session.execute(select(PlanReview).where(PlanReview.plan_id == plan_row.id)
                                                     .order_by(PlanReview.reviewed_on)).scalars())
        plan = PlanView(plan_row.id, plan_row.version, plan_row.agreed_on, plan_row.agreed_with_person, goals, reviews)
    tops: tuple[TopRow, ...] = ()
    if clinical:
        tops = tuple(TopRow(i, s, d) for i, s, d in uow.session.execute(
            select(TopForm.id, TopForm.stage, TopForm.interview_on).where(TopForm.episode_id == e.id)
            .order_by(TopForm.interview_on, TopForm.id)).all())
    return EpisodeView(e.id, e.version, e.started_on, e.ended_on, e.exit_reason, e.key_worker_id,
                       names.get(e.key_worker_id, "") if e.key_worker_id else "", e.client_type, e.re_presentation,
                       e.reconstructed, e.next_plan_due, e.next_top_due, tuple(modalities), plan, tops)


def prescribing_due(t: dict[str, int], closures: frozenset[date], referred_on: date,
                    drr_order_date: date | None) -> date:
    """The prescribing deadline with the site's timescales. The DRR clock is
    the order's date when the OST modality, or a DRR/ATR modality in the
    same episode, names the order."""
    return rules.prescribing_due(referred_on, drr_order_date=drr_order_date,
                                 working_days=t["prescribing_working_days"],
                                 drr_working_days=t["drr_prescribing_working_days"], closures=closures)
