"""People on the register, their GP practices and record status history.

``search_*`` columns hold names folded for matching (lower case, accents,
hyphens, apostrophes and spaces removed: "O'Brien" -> "obrien"), so search is
an indexed range scan in SQL rather than a Python filter over every row.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.tables.base import MULTILINE, PAST_EVENT, Base, utcnow


class GpPractice(Base):
    __tablename__ = "gp_practices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(400), default="", info=MULTILINE)
    phone: Mapped[str] = mapped_column(String(40), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    surname: Mapped[str] = mapped_column(String(100))
    forename: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str] = mapped_column(String(100), default="")
    date_of_birth: Mapped[date] = mapped_column(Date, index=True, info=PAST_EVENT)
    gender: Mapped[str] = mapped_column(String(40), default="")
    nhs_number: Mapped[str | None] = mapped_column(String(10), index=True)
    address_lines: Mapped[str] = mapped_column(String(400), default="", info=MULTILINE)  # newline separated
    postcode: Mapped[str] = mapped_column(String(20), default="")  # warn-only: foreign ones too
    phone: Mapped[str] = mapped_column(String(40), default="")
    consent_to_text: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_to_voicemail: Mapped[bool] = mapped_column(Boolean, default=False)
    no_post: Mapped[bool] = mapped_column(Boolean, default=False)
    discreet_envelope: Mapped[bool] = mapped_column(Boolean, default=False)
    children_in_household: Mapped[bool] = mapped_column(Boolean, default=False)
    injects: Mapped[bool] = mapped_column(Boolean, default=False)
    risk_notes: Mapped[str] = mapped_column(String(4000), default="", info=MULTILINE)  # risk/safety flag text
    gp_practice_id: Mapped[int | None] = mapped_column(ForeignKey("gp_practices.id"))
    emergency_contact_name: Mapped[str] = mapped_column(String(200), default="")
    emergency_contact_phone: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(20), default="open")  # a clinic.people.PersonStatus value
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    search_surname: Mapped[str] = mapped_column(String(100))
    search_forename: Mapped[str] = mapped_column(String(100))
    search_preferred: Mapped[str] = mapped_column(String(100), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_people_search_surname", "search_surname", "search_forename"),
        Index("ix_people_search_forename", "search_forename"),
        Index("ix_people_search_preferred", "search_preferred"),
        # PostgreSQL compares the search prefixes bytewise (db.dialect.starts_with):
        # these serve them there (0017); SQLite's indexes above already do.
        *(Index(f"ix_people_{column}_pattern", column, postgresql_ops={column: "text_pattern_ops"})
          .ddl_if(dialect="postgresql") for column in ("search_surname", "search_forename", "search_preferred")),
    )


class PersonStatusChange(Base):
    """Opening, closing (discharge) and reopening of a record, kept forever."""

    __tablename__ = "person_status_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(40), default="")  # planned_exit, dropped_out, ...
    note: Mapped[str] = mapped_column(String(2000), default="", info=MULTILINE)
    effective_on: Mapped[date] = mapped_column(Date)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
