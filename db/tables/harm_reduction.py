"""Harm reduction at the counter: NSP visits, naloxone, alcohol screens, brief interventions.

An NSP visit belongs to a registered person (``person_id``) or to a
pseudonymous code (``pseudonym``, see ``clinic.nsp``), never both. Its
items are a snapshot of the site's item list on the day (type, label,
needles in one), so changing the list never rewrites history.
``needles_issued`` and ``items_issued`` are kept on the visit so the
quarterly counts and the under-18 cap are sums over one indexed table.

A naloxone batch's ``remaining`` is the stock on hand, kept by the service
in the same transaction as each supply (``version`` makes two
workstations supplying the last kit conflict instead of going below zero).
A supply's ``status`` is ``held`` until the kit is reported used or is
replaced because it was lost, expired or confiscated.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.tables.base import MULTILINE, Base, PersonRecord, utcnow


class NspVisit(Base):
    __tablename__ = "nsp_visits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    pseudonym: Mapped[str | None] = mapped_column(String(16))
    visited_on: Mapped[date] = mapped_column(Date)
    under_18: Mapped[bool] = mapped_column(Boolean, default=False)
    greater_risk_assessed: Mapped[bool] = mapped_column(Boolean, default=False)
    assessment_note: Mapped[str] = mapped_column(String(2000), default="", info=MULTILINE)
    safeguarding_flag: Mapped[bool] = mapped_column(Boolean, default=False)
    safeguarding_reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    safeguarding_reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    items_issued: Mapped[int] = mapped_column(Integer, default=0)
    needles_issued: Mapped[int] = mapped_column(Integer, default=0)
    bins_returned: Mapped[int] = mapped_column(Integer, default=0)
    loose_returned: Mapped[int] = mapped_column(Integer, default=0)
    advice: Mapped[str] = mapped_column(String(200), default="")  # space-separated keys of clinic.nsp.ADVICE
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        CheckConstraint("(person_id IS NULL) <> (pseudonym IS NULL)", name="one_visitor"),
        Index("ix_nsp_visits_person", "person_id", "visited_on"),
        Index("ix_nsp_visits_pseudonym", "pseudonym", "visited_on"),
        Index("ix_nsp_visits_visited_on", "visited_on"),
        Index("ix_nsp_visits_safeguarding", "safeguarding_flag", "safeguarding_reviewed_at"),
    )


class NspVisitItem(Base):
    __tablename__ = "nsp_visit_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("nsp_visits.id"))
    item_type: Mapped[str] = mapped_column(String(20))
    item_label: Mapped[str] = mapped_column(String(100))
    quantity: Mapped[int] = mapped_column(Integer)
    needles_each: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_nsp_visit_items_visit", "visit_id"),)


class NaloxoneBatch(Base):
    __tablename__ = "naloxone_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product: Mapped[str] = mapped_column(String(100))
    batch_number: Mapped[str] = mapped_column(String(40))
    expires_on: Mapped[date] = mapped_column(Date)
    received_on: Mapped[date] = mapped_column(Date)
    quantity_received: Mapped[int] = mapped_column(Integer)
    remaining: Mapped[int] = mapped_column(Integer)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("remaining >= 0", name="remaining_not_negative"),
        Index("ix_naloxone_batches_product_batch", "product", "batch_number", unique=True),
    )


class NaloxoneSupply(PersonRecord, Base):
    __tablename__ = "naloxone_supplies"

    batch_id: Mapped[int] = mapped_column(ForeignKey("naloxone_batches.id"))
    supplied_on: Mapped[date] = mapped_column(Date)
    recipient: Mapped[str] = mapped_column(String(10))  # person | carer
    carer_name: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(String(20))  # clinic.naloxone.REASONS
    expires_on: Mapped[date] = mapped_column(Date)  # the batch's, kept for the "in-date kit" lookup
    status: Mapped[str] = mapped_column(String(20), default="held")  # a clinic.naloxone.SupplyStatus value
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_naloxone_supplies_person", "person_id", "status", "expires_on"),
        Index("ix_naloxone_supplies_supplied_on", "supplied_on"),
    )


class NaloxoneUse(PersonRecord, Base):
    """A kit reported used on someone."""

    __tablename__ = "naloxone_uses"

    supply_id: Mapped[int] = mapped_column(ForeignKey("naloxone_supplies.id"), unique=True)
    used_on: Mapped[date] = mapped_column(Date)
    ambulance_called: Mapped[bool] = mapped_column(Boolean)
    outcome: Mapped[str] = mapped_column(String(10))  # survived | died | unknown
    note: Mapped[str] = mapped_column(String(2000), default="", info=MULTILINE)
    reported_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        Index("ix_naloxone_uses_person", "person_id", "used_on"),
        Index("ix_naloxone_uses_reported_on", "reported_on"),
    )


class OverdoseTraining(PersonRecord, Base):
    __tablename__ = "overdose_training"

    trained_on: Mapped[date] = mapped_column(Date)
    trainee: Mapped[str] = mapped_column(String(10))  # person | carer
    carer_name: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_overdose_training_person", "person_id", "trained_on"),)


class AlcoholScreen(PersonRecord, Base):
    """An AUDIT-C, and the full AUDIT when it was done (answers as digits, "221")."""

    __tablename__ = "alcohol_screens"

    screened_on: Mapped[date] = mapped_column(Date)
    audit_c_answers: Mapped[str] = mapped_column(String(3))
    audit_c_score: Mapped[int] = mapped_column(Integer)
    audit_c_positive: Mapped[bool] = mapped_column(Boolean)
    audit_answers: Mapped[str | None] = mapped_column(String(10))
    audit_score: Mapped[int | None] = mapped_column(Integer)
    audit_zone: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        Index("ix_alcohol_screens_person", "person_id", "screened_on"),
        Index("ix_alcohol_screens_screened_on", "screened_on"),
    )


class BriefIntervention(PersonRecord, Base):
    """An alcohol or drug brief intervention: what it covered, how long it took."""

    __tablename__ = "brief_interventions"

    kind: Mapped[str] = mapped_column(String(10))  # alcohol | drug
    given_on: Mapped[date] = mapped_column(Date)
    components: Mapped[str] = mapped_column(String(200))  # space-separated keys
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    referral_to: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(String(2000), default="", info=MULTILINE)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        Index("ix_brief_interventions_person", "person_id", "given_on"),
        Index("ix_brief_interventions_kind_on", "kind", "given_on"),
    )
