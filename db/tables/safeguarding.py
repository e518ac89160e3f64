"""Safeguarding, consent to share and referrals out (issue 20).

Every row that can change carries a version column (two workstations
saving the same record get a conflict, never a silent overwrite). Consents
are never edited: a new decision is a new row, and the newest per
recipient kind is the one in force, so the history of who agreed to what,
and when, stays readable.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.tables.base import MULTILINE, Base, PersonRecord, utcnow


class SafeguardingProfile(Base):
    """One per person: pregnancy, the hidden-harm review, the early-help offer,
    and whether the limits of confidentiality were explained."""

    __tablename__ = "safeguarding_profiles"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    pregnant: Mapped[bool] = mapped_column(Boolean, default=False)
    expected_on: Mapped[date | None] = mapped_column(Date)
    antenatal: Mapped[str] = mapped_column(String(200), default="")  # midwife / antenatal clinic
    children_first_recorded_on: Mapped[date | None] = mapped_column(Date)
    hidden_harm_reviewed_on: Mapped[date | None] = mapped_column(Date)
    early_help_offered_on: Mapped[date | None] = mapped_column(Date)
    early_help_outcome: Mapped[str] = mapped_column(String(20), default="")  # accepted | declined | referred
    limits_explained_on: Mapped[date | None] = mapped_column(Date)
    limits_explained_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class HouseholdChild(PersonRecord, Base):
    __tablename__ = "household_children"

    name: Mapped[str] = mapped_column(String(40))  # first name or initials only
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    age_band: Mapped[str] = mapped_column(String(10), default="")
    lives: Mapped[str] = mapped_column(String(12))  # lives_with | visits
    protection: Mapped[str] = mapped_column(String(16))  # none | child_in_need | cp_plan | looked_after
    social_worker: Mapped[str] = mapped_column(String(200), default="")
    recorded_on: Mapped[date] = mapped_column(Date)
    removed_on: Mapped[date | None] = mapped_column(Date)
    removed_reason: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_household_children_person", "person_id"),)


class SafeguardingFlag(Base):
    __tablename__ = "safeguarding_flags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    kind: Mapped[str] = mapped_column(String(24))
    detail: Mapped[str] = mapped_column(String(2000), default="", info=MULTILINE)
    marac_on: Mapped[date | None] = mapped_column(Date)  # domestic abuse: MARAC referral date
    raised_on: Mapped[date] = mapped_column(Date)
    raised_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    review_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_reason: Mapped[str] = mapped_column(String(500), default="")
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_safeguarding_flags_person", "person_id"),
        Index("ix_safeguarding_flags_open_review", "closed_on", "review_on"),
    )


class InformationRequest(Base):
    """A MASH or police request for information, with its deadline."""

    __tablename__ = "information_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    source: Mapped[str] = mapped_column(String(10))  # mash | police | other
    requester: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    urgency: Mapped[str] = mapped_column(String(10))
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    shared: Mapped[str] = mapped_column(String(2000), default="", info=MULTILINE)
    shared_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    legal_basis: Mapped[str] = mapped_column(String(200), default="")
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_information_requests_open_due", "answered_at", "due_at"),
        Index("ix_information_requests_person", "person_id"),
    )


class ConsentToShare(PersonRecord, Base):
    __tablename__ = "consents_to_share"

    recipient_kind: Mapped[str] = mapped_column(String(20))
    decision: Mapped[str] = mapped_column(String(10))  # given | refused
    decided_on: Mapped[date] = mapped_column(Date)
    how_recorded: Mapped[str] = mapped_column(String(20))  # verbal | written | form
    review_on: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_consents_to_share_person_kind", "person_id", "recipient_kind", "decided_on"),)


class DisclosureWithoutConsent(PersonRecord, Base):
    """Information shared although consent was refused or not asked: the
    reason for overriding it is the record (a safeguarding disclosure)."""

    __tablename__ = "disclosures_without_consent"

    recipient_kind: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(200))
    disclosed_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(2000), info=MULTILINE)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("information_requests.id"))

    __table_args__ = (Index("ix_disclosures_without_consent_person", "person_id"),)


class ReferralOut(PersonRecord, Base):
    __tablename__ = "referrals_out"

    kind: Mapped[str] = mapped_column(String(20))
    destination: Mapped[str] = mapped_column(String(200))
    destination_address: Mapped[str] = mapped_column(String(500), default="", info=MULTILINE)
    referred_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(2000), info=MULTILINE)
    consent: Mapped[str] = mapped_column(String(10))  # given | refused
    virus: Mapped[str] = mapped_column(String(12), default="")  # the BBV result it follows, if any
    bbv_event_id: Mapped[int | None] = mapped_column(ForeignKey("bbv_events.id"))
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"))
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_on: Mapped[date | None] = mapped_column(Date)
    outcome_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_referrals_out_person", "person_id"),
        Index("ix_referrals_out_outcome_on", "outcome", "referred_on"),
    )


class SafeguardingLead(Base):
    """The "safeguarding lead" mark on a staff account (DESIGN.md §1): kept
    beside the account rather than in it, so the staff table is untouched."""

    __tablename__ = "safeguarding_leads"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    marked_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
