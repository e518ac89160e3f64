"""The treatment journey: referrals, episodes and their modalities, the
recovery plan and its reviews, TOP forms, and the national-return profile.

Codes are the ones in ``clinic.journey`` and ``clinic.top``. An episode
``reconstructed`` by migration 0014 started at the person's first recorded
contact before Harbour kept episodes; it has no referral. Every worklist
query has an index here whose leading columns are its filter (the
open-episode rows are found through ``ended_on IS NULL``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.tables.base import MULTILINE, Base, utcnow


class Referral(Base):
    __tablename__ = "journey_referrals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    referred_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(30))  # clinic.journey.Source
    referrer: Mapped[str] = mapped_column(String(200), default="")
    #: Clinical content: written by clinical staff only (reception leaves it empty).
    reason: Mapped[str] = mapped_column(String(2000), default="", info=MULTILINE)
    #: The modality asked for (clinic.journey.Modality) or "" when not said.
    requested: Mapped[str] = mapped_column(String(30), default="")
    first_contact_on: Mapped[date | None] = mapped_column(Date)
    first_contact_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    #: The first modality's start: the end of the wait (002 App. 1).
    intervention_on: Mapped[date | None] = mapped_column(Date)
    #: Set when an episode is opened from this referral.
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("journey_episodes.id"))
    #: Closed without an episode (declined, not suitable): the clock stops.
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_reason: Mapped[str] = mapped_column(String(200), default="")
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_journey_referrals_person_id", "person_id", "referred_on"),
        Index("ix_journey_referrals_episode_id", "episode_id"),
        # Worklists "first contact due" and "first intervention due".
        Index("ix_journey_referrals_contact", "first_contact_on", "closed_on", "referred_on"),
        Index("ix_journey_referrals_waiting", "intervention_on", "closed_on", "referred_on"),
    )


class Episode(Base):
    __tablename__ = "journey_episodes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    started_on: Mapped[date] = mapped_column(Date)  # the assessment
    key_worker_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    #: The person's primary substance when the episode opened, so the client
    #: type (drug or alcohol) of a closed episode does not move later.
    client_type: Mapped[str] = mapped_column(String(10), default="drug")
    #: Kept by the services so the worklists are index range scans: the plan
    #: (or its next review) and the next TOP; both None once the episode ends.
    next_plan_due: Mapped[date | None] = mapped_column(Date)
    next_top_due: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    exit_reason: Mapped[str | None] = mapped_column(String(40))  # clinic.journey.EXIT_REASONS
    #: Why no exit TOP could be done (the person was not seen, died): else "".
    exit_top_missing_reason: Mapped[str] = mapped_column(String(200), default="")
    #: Leaving OST: an overdose-risk conversation and a naloxone offer.
    overdose_risk_discussed: Mapped[bool | None] = mapped_column(Boolean)
    naloxone_offered: Mapped[bool | None] = mapped_column(Boolean)
    naloxone_accepted: Mapped[bool | None] = mapped_column(Boolean)
    #: A new episode within 6 months of a successful completion (002 PI 5c).
    re_presentation: Mapped[bool] = mapped_column(Boolean, default=False)
    reconstructed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))  # None when reconstructed
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_journey_episodes_person_id", "person_id", "started_on"),
        Index("ix_journey_episodes_open", "ended_on", "started_on"),
        Index("ix_journey_episodes_key_worker", "key_worker_id", "ended_on"),
        Index("ix_journey_episodes_plan_due", "next_plan_due"),
        Index("ix_journey_episodes_top_due", "next_top_due"),
        # One key worker's worklist and caseload.
        Index("ix_journey_episodes_worker_plan_due", "key_worker_id", "next_plan_due"),
        Index("ix_journey_episodes_worker_top_due", "key_worker_id", "next_top_due"),
    )


class EpisodeModality(Base):
    __tablename__ = "journey_modalities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("journey_episodes.id"))
    modality: Mapped[str] = mapped_column(String(30))  # clinic.journey.Modality
    #: The assessor's referral to this modality (the prescribing clock).
    referred_on: Mapped[date] = mapped_column(Date)
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    #: For DRR/ATR: the order (its date starts the 5-day prescribing clock).
    drr_order_id: Mapped[int | None] = mapped_column(ForeignKey("drr_orders.id"))
    #: For OST prescribing: the prescription that belongs to this modality.
    ost_prescription_id: Mapped[int | None] = mapped_column(ForeignKey("ost_prescriptions.id"))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_journey_modalities_episode_id", "episode_id"),
        # Prescribing-start worklist: OST modalities referred, not started.
        Index("ix_journey_modalities_waiting", "modality", "started_on", "referred_on"),
    )


class RecoveryPlan(Base):
    """One plan per episode, agreed with the person; goals and reviews hang off it."""

    __tablename__ = "journey_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("journey_episodes.id"), unique=True)
    agreed_on: Mapped[date] = mapped_column(Date)
    agreed_with_person: Mapped[bool] = mapped_column(Boolean)
    #: The latest of agreed_on and every review date: the 12-week clock.
    last_reviewed_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class PlanGoal(Base):
    __tablename__ = "journey_plan_goals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("journey_plans.id"))
    goal: Mapped[str] = mapped_column(String(1000), info=MULTILINE)
    target_on: Mapped[date] = mapped_column(Date)
    achieved_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (Index("ix_journey_plan_goals_plan_id", "plan_id"),)


class PlanReview(Base):
    __tablename__ = "journey_plan_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("journey_plans.id"))
    reviewed_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(String(2000), default="", info=MULTILINE)
    reviewed_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))

    __table_args__ = (Index("ix_journey_plan_reviews_plan_id", "plan_id", "reviewed_on"),)


class TopForm(Base):
    __tablename__ = "journey_tops"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("journey_episodes.id"))
    stage: Mapped[str] = mapped_column(String(12))  # clinic.top.Stage
    interview_on: Mapped[date] = mapped_column(Date)
    #: The answers as clinic.top.validate returns them (JSON object).
    answers: Mapped[str] = mapped_column(String(20000))  # the TOP answers as canonical JSON
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    # Covering for the extract and the KPIs: the answers column is large and never needed there.
    __table_args__ = (Index("ix_journey_tops_episode_id", "episode_id", "interview_on", "stage"),)


class NationalProfile(Base):
    """What a national return needs about the person, all optional."""

    __tablename__ = "journey_profiles"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    ethnicity: Mapped[str] = mapped_column(String(2), default="")  # NHS ethnic category; Z not stated
    sexual_orientation: Mapped[str] = mapped_column(String(20), default="")
    religion: Mapped[str] = mapped_column(String(30), default="")
    disability: Mapped[str] = mapped_column(String(20), default="")
    primary_substance: Mapped[str] = mapped_column(String(30), default="")
    primary_route: Mapped[str] = mapped_column(String(20), default="")
    secondary_substance: Mapped[str] = mapped_column(String(30), default="")
    secondary_route: Mapped[str] = mapped_column(String(20), default="")
    injecting_status: Mapped[str] = mapped_column(String(10), default="")  # current | previous | never
    #: The day the injecting status was asked about / given.
    injecting_status_on: Mapped[date | None] = mapped_column(Date)
    #: For "previous": when the person last injected, as near as they say.
    last_injected_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
