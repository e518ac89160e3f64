"""Opioid substitution treatment: pharmacies, prescriptions, reviews,
missed doses and prescriber decisions.

A prescription row is one span of one medicine at one dose. A dose change
ends the current row and starts a new one with the reason, so the rows of a
person are the dose history.

Two values are stored on the prescription so the worklists are single
indexed queries rather than a replay per person (DESIGN §6, ≤ 250 ms):

- ``next_review_due``: set at start, moved by every recorded review, carried
  over to the next row on a dose change (index ``ix_ost_prescriptions_review``);
- ``missed_alert_on``: the latest missed day of a run that reached the site
  threshold, set when missed doses are recorded and cleared only by a
  prescriber decision (index ``ix_ost_prescriptions_missed_alert``).

``clinic.services.ost.prescriptions`` is the only writer of both.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.tables.base import EVENT, MULTILINE, PAST_EVENT, Base, utcnow


class Pharmacy(Base):
    """A dispensing pharmacy, chosen from a list kept once for the site."""

    __tablename__ = "pharmacies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(400), default="", info=MULTILINE)
    phone: Mapped[str] = mapped_column(String(40), default="")
    fax: Mapped[str] = mapped_column(String(40), default="")
    secure_email: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class OstPrescription(Base):
    __tablename__ = "ost_prescriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    medicine: Mapped[str] = mapped_column(String(40))  # methadone | buprenorphine | ...
    formulation: Mapped[str] = mapped_column(String(100), default="")
    daily_dose_mg: Mapped[float] = mapped_column(Float, info={"minimum": 0, "maximum": 1000})
    supervised_days: Mapped[int] = mapped_column(Integer)  # per week, 0-7
    take_home_days: Mapped[int] = mapped_column(Integer)  # per week, 0-7
    pharmacy_id: Mapped[int | None] = mapped_column(ForeignKey("pharmacies.id"))
    prescriber_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    start_on: Mapped[date] = mapped_column(Date, info=EVENT)
    end_on: Mapped[date | None] = mapped_column(Date)  # last day dispensed; None while open
    change_reason: Mapped[str] = mapped_column(String(1000), default="", info=MULTILINE)  # why this row started
    end_reason: Mapped[str] = mapped_column(String(1000), default="", info=MULTILINE)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("ost_prescriptions.id"))
    next_review_due: Mapped[date] = mapped_column(Date)
    missed_alert_on: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_ost_prescriptions_person", "person_id", "start_on"),
        Index("ix_ost_prescriptions_review", "next_review_due", "end_on"),
        Index("ix_ost_prescriptions_missed_alert", "missed_alert_on"),
        Index("ix_ost_prescriptions_take_home", "take_home_days", "end_on"),
    )


class OstReview(Base):
    __tablename__ = "ost_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    prescription_id: Mapped[int] = mapped_column(ForeignKey("ost_prescriptions.id"))
    reviewed_on: Mapped[date] = mapped_column(Date, info=PAST_EVENT)
    attendance: Mapped[str] = mapped_column(String(20))  # good | some_missed | poor
    dose_adequacy: Mapped[str] = mapped_column(String(20))  # adequate | too_low | too_high
    on_top_use: Mapped[bool] = mapped_column(Boolean, default=False)
    on_top_substances: Mapped[str] = mapped_column(String(1000), default="", info=MULTILINE)
    injecting: Mapped[bool] = mapped_column(Boolean, default=False)
    supervision_decision: Mapped[str] = mapped_column(String(20))  # continue | increase | reduce | stop
    supervision_reason: Mapped[str] = mapped_column(String(1000), default="", info=MULTILINE)
    children_in_household: Mapped[bool] = mapped_column(Boolean, default=False)
    box_issued: Mapped[bool] = mapped_column(Boolean, default=False)
    box_seen: Mapped[bool] = mapped_column(Boolean, default=False)
    overdose_risk: Mapped[str] = mapped_column(String(10))  # low | medium | high
    naloxone_held: Mapped[bool] = mapped_column(Boolean, default=False)
    agreed_plan: Mapped[str] = mapped_column(String(4000), default="", info=MULTILINE)
    next_review_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    signed_off_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_ost_reviews_person", "person_id", "reviewed_on"),
        Index("ix_ost_reviews_unsigned", "signed_off_at", "reviewed_on"),
    )


class OstMissedDose(Base):
    __tablename__ = "ost_missed_doses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    prescription_id: Mapped[int] = mapped_column(ForeignKey("ost_prescriptions.id"))
    missed_on: Mapped[date] = mapped_column(Date, info=PAST_EVENT)
    reported_by: Mapped[str] = mapped_column(String(20))  # pharmacy | person | staff
    reporter_name: Mapped[str] = mapped_column(String(200), default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        UniqueConstraint("person_id", "missed_on", name="uq_ost_missed_doses_person_day"),
    )


class OstDecision(Base):
    """A prescriber's decision after a run of missed doses."""

    __tablename__ = "ost_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    prescription_id: Mapped[int] = mapped_column(ForeignKey("ost_prescriptions.id"))
    decided_on: Mapped[date] = mapped_column(Date, info=PAST_EVENT)
    decision: Mapped[str] = mapped_column(String(20))  # continue | reduce | retitrate | suspend | stop
    note: Mapped[str] = mapped_column(String(2000), default="", info=MULTILINE)
    prescriber_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_ost_decisions_person", "person_id", "decided_on"),)
