"""DRR/ATR orders, their required appointments, outcomes, drug tests and the
notifications owed to Probation.

Nothing here holds clinical content: an order, who the probation officer is,
whether the person came, and drug-test results. Probation letters are built
from these tables (and the person's name and date of birth) only.

``occurred_at`` is a naive local clinic wall-clock datetime, like an
appointment's start; ``recorded_at`` and friends are UTC instants.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.tables.base import EVENT, MULTILINE, PAST_EVENT, PROBATION_NOTE, TO_PROBATION, Base, utcnow


class ProbationContact(Base):
    """A probation officer and their office: a reusable list."""

    __tablename__ = "probation_contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    office: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(400), default="", info=MULTILINE)  # newline separated
    phone: Mapped[str] = mapped_column(String(40), default="")
    secure_email: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class DrrOrder(Base):
    __tablename__ = "drr_orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    order_type: Mapped[str] = mapped_column(String(3))  # DRR | ATR
    court: Mapped[str] = mapped_column(String(200))
    order_date: Mapped[date] = mapped_column(Date, info=PAST_EVENT)
    length_months: Mapped[int] = mapped_column(Integer)
    start_on: Mapped[date] = mapped_column(Date, info=EVENT)
    expected_end: Mapped[date] = mapped_column(Date)
    #: weekly | twice_weekly | fortnightly | monthly
    frequency: Mapped[str] = mapped_column(String(20))
    testing_required: Mapped[bool] = mapped_column(Boolean, default=False)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("probation_contacts.id"))
    #: Probation's own case reference (CRN), printed so they can file the letter.
    probation_reference: Mapped[str] = mapped_column(String(40), default="")
    consent_signed_on: Mapped[date | None] = mapped_column(Date, info=PAST_EVENT)
    consent_withdrawn_on: Mapped[date | None] = mapped_column(Date, info=PAST_EVENT)
    #: A clinic.probation.OrderStatus value.
    status: Mapped[str] = mapped_column(String(20), default="pending")
    ended_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_drr_orders_person_id", "person_id"),
        Index("ix_drr_orders_status_end", "status", "expected_end"),
    )


class ReviewHearing(Base):
    __tablename__ = "drr_review_hearings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("drr_orders.id"))
    hearing_on: Mapped[date] = mapped_column(Date)

    __table_args__ = (
        UniqueConstraint("order_id", "hearing_on"),
        Index("ix_drr_review_hearings_hearing_on", "hearing_on"),
    )


class RequiredAppointment(Base):
    """An appointment booked to satisfy an order (the tag on the booking)."""

    __tablename__ = "drr_required_appointments"

    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"), primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("drr_orders.id"))

    __table_args__ = (Index("ix_drr_required_appointments_order_id", "order_id"),)


class Attendance(Base):
    __tablename__ = "drr_attendance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("drr_orders.id"))
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"))
    occurred_at: Mapped[datetime] = mapped_column(DateTime)  # local wall clock
    #: A clinic.probation.Outcome value.
    outcome: Mapped[str] = mapped_column(String(30))
    absence_reason: Mapped[str] = mapped_column(String(200), default="", info=TO_PROBATION)
    evidence_seen: Mapped[str] = mapped_column(String(200), default="", info=TO_PROBATION)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("order_id", "occurred_at"),
        Index("ix_drr_attendance_appointment_id", "appointment_id"),
        Index("ix_drr_attendance_outcome_at", "outcome", "occurred_at", "order_id"),  # covers the report (0020)
    )


class DrugTest(Base):
    __tablename__ = "drr_drug_tests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("drr_orders.id"))
    tested_on: Mapped[date] = mapped_column(Date, info=PAST_EVENT)
    substance: Mapped[str] = mapped_column(String(60))
    result: Mapped[str] = mapped_column(String(20))  # negative | positive | refused | void
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_drr_drug_tests_order_id", "order_id", "tested_on"),)


class Notification(Base):
    """A letter owed to Probation, from the moment it is owed until it is sent."""

    __tablename__ = "drr_notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("drr_orders.id"))
    attendance_id: Mapped[int | None] = mapped_column(ForeignKey("drr_attendance.id"))
    hearing_id: Mapped[int | None] = mapped_column(ForeignKey("drr_review_hearings.id"))
    #: A clinic.probation.NotificationKind value.
    kind: Mapped[str] = mapped_column(String(30))
    #: For summaries: the attendance period the letter covers.
    period_from: Mapped[date | None] = mapped_column(Date)
    period_to: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    #: A clinic.probation.NotificationStatus value.
    status: Mapped[str] = mapped_column(String(20), default="due")
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"))
    sent_on: Mapped[date | None] = mapped_column(Date)
    method: Mapped[str | None] = mapped_column(String(20))  # post | hand | secure_email
    #: This notification corrects an earlier one whose letter had been sent.
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("drr_notifications.id"))
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("drr_notifications.id"))
    #: Free text for progress reports: engagement summary (no clinical detail).
    summary: Mapped[str] = mapped_column(String(4000), default="", info=PROBATION_NOTE)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_drr_notifications_status_due", "status", "due_on"),
        Index("ix_drr_notifications_order_id", "order_id"),
        Index("ix_drr_notifications_attendance_id", "attendance_id"),
    )
