"""Vaccine stock, vaccination courses, doses and anti-HBs results.

``vaccine_courses`` carries what the worklists need, recomputed by the
service (``clinic.services.vaccination.courses``) with ``clinic.vaccines.plan_course``
whenever a dose of the course is recorded, edited or voided:

- ``next_dose_number`` / ``next_due``: the first dose of the plan not yet
  given (NULL when the course is complete or stopped), so "due this week"
  and "overdue" are index range scans on ``(status, next_due)``.
- ``primary_completed_on``: the day the last primary dose was given.
- ``anti_hbs_pending``: a hepatitis B course whose primary doses are all
  given and with no anti-HBs result since; the window itself (4-12 weeks,
  site settings) is applied at query time, so changing the setting needs no
  recomputation.

Doses are never deleted: a wrong entry is voided with a reason (audited).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.tables.base import EVENT, MULTILINE, PAST_EVENT, Base, utcnow


class VaccineProduct(Base):
    __tablename__ = "vaccine_products"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))  # e.g. "Engerix B 20 micrograms"
    #: What it protects against: hepb, hepa, hepab, tetanus, diphtheria, typhoid, influenza.
    vaccine: Mapped[str] = mapped_column(String(20), index=True)
    manufacturer: Mapped[str] = mapped_column(String(120), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class VaccineBatch(Base):
    __tablename__ = "vaccine_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("vaccine_products.id"), index=True)
    batch_number: Mapped[str] = mapped_column(String(40))
    expiry: Mapped[date] = mapped_column(Date)
    quantity_received: Mapped[int] = mapped_column(Integer)
    received_on: Mapped[date] = mapped_column(Date)
    #: Doses given from this batch and not voided; kept by the dose service.
    quantity_used: Mapped[int] = mapped_column(Integer, default=0)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    # -- written off (0012_loops): out of use before expiry or used up, with why
    written_off_on: Mapped[date | None] = mapped_column(Date)
    written_off_reason: Mapped[str] = mapped_column(String(1000), default="", server_default="", info=MULTILINE)
    written_off_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class VaccineCourse(Base):
    __tablename__ = "vaccine_courses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    schedule_id: Mapped[str] = mapped_column(String(30))  # clinic.vaccines.SCHEDULES
    #: The planned (or actual) day of the first dose.
    started_on: Mapped[date] = mapped_column(Date, info=EVENT)
    status: Mapped[str] = mapped_column(String(12), default="active")  # active | completed | stopped
    stopped_reason: Mapped[str] = mapped_column(String(1000), default="", info=MULTILINE)
    next_dose_number: Mapped[int | None] = mapped_column(Integer)
    next_due: Mapped[date | None] = mapped_column(Date)
    primary_completed_on: Mapped[date | None] = mapped_column(Date)
    anti_hbs_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_vaccine_courses_due", "status", "next_due"),
        Index("ix_vaccine_courses_anti_hbs", "anti_hbs_pending", "primary_completed_on"),
        # The quarterly report (0018): per person, every column it reads.
        Index("ix_vaccine_courses_person_schedule", "person_id", "schedule_id", "started_on", "primary_completed_on"),
    )


class VaccineDose(Base):
    __tablename__ = "vaccine_doses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    #: NULL for a single vaccine (tetanus, diphtheria, typhoid, influenza).
    course_id: Mapped[int | None] = mapped_column(ForeignKey("vaccine_courses.id"), index=True)
    vaccine: Mapped[str] = mapped_column(String(20))
    product_id: Mapped[int] = mapped_column(ForeignKey("vaccine_products.id"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("vaccine_batches.id"), index=True)
    given_on: Mapped[date] = mapped_column(Date, info=PAST_EVENT)
    dose_number: Mapped[int] = mapped_column(Integer)
    site: Mapped[str] = mapped_column(String(40))  # e.g. left deltoid
    route: Mapped[str] = mapped_column(String(20))  # intramuscular, subcutaneous, ...
    consent: Mapped[bool] = mapped_column(Boolean)
    given_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str] = mapped_column(String(1000), default="", info=MULTILINE)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_vaccine_doses_person", "person_id", "given_on"),
        Index("ix_vaccine_doses_given_on", "given_on", "voided", "person_id"),  # covers the report (0020)
        # The quarterly report (0018): per person, every column it reads.
        Index("ix_vaccine_doses_person_vaccine", "person_id", "vaccine", "voided", "given_on"),
    )


class AntiHbsResult(Base):
    __tablename__ = "anti_hbs_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("vaccine_courses.id"))
    taken_on: Mapped[date] = mapped_column(Date, info=PAST_EVENT)
    miu_per_ml: Mapped[float] = mapped_column(Float, info={"minimum": 0, "maximum": 100_000})
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str] = mapped_column(String(1000), default="", info=MULTILINE)


# -- 0012_loops: hepatitis B vaccination offers and answers ---------------------
class VaccineOffer(Base):
    """One dated event: vaccination offered (no answer yet), accepted, or
    declined (with the person's reason). Never edited; a later event is the
    current answer."""

    __tablename__ = "vaccine_offers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    vaccine: Mapped[str] = mapped_column(String(20))  # hepb
    event: Mapped[str] = mapped_column(String(12))  # offered | accepted | declined
    event_on: Mapped[date] = mapped_column(Date, info=PAST_EVENT)
    reason: Mapped[str] = mapped_column(String(1000), default="", info=MULTILINE)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        Index("ix_vaccine_offers_person", "person_id", "event_on"),
        Index("ix_vaccine_offers_event_on", "event_on"),
    )
