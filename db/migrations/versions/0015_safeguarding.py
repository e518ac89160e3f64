"""Safeguarding: household and children, pregnancy, flags, information
requests, consent to share, disclosures without consent, referrals out, and
the safeguarding-lead mark on staff accounts (issue 20).

Revision ID: 0015_safeguarding
Revises: 0008_join_modules
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_safeguarding"
down_revision = "0008_join_modules"
branch_labels = None
depends_on = None

TABLES = ("safeguarding_leads", "referrals_out", "disclosures_without_consent", "consents_to_share",
          "information_requests", "safeguarding_flags", "household_children", "safeguarding_profiles")


def upgrade() -> None:
    op.create_table(
        "safeguarding_profiles",
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), primary_key=True),
        sa.Column("pregnant", sa.Boolean(), nullable=False),
        sa.Column("expected_on", sa.Date(), nullable=True),
        sa.Column("antenatal", sa.String(200), nullable=False),
        sa.Column("children_first_recorded_on", sa.Date(), nullable=True),
        sa.Column("hidden_harm_reviewed_on", sa.Date(), nullable=True),
        sa.Column("early_help_offered_on", sa.Date(), nullable=True),
        sa.Column("early_help_outcome", sa.String(20), nullable=False),
        sa.Column("limits_explained_on", sa.Date(), nullable=True),
        sa.Column("limits_explained_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_table(
        "household_children",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("age_band", sa.String(10), nullable=False),
        sa.Column("lives", sa.String(12), nullable=False),
        sa.Column("protection", sa.String(16), nullable=False),
        sa.Column("social_worker", sa.String(200), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("removed_on", sa.Date(), nullable=True),
        sa.Column("removed_reason", sa.String(200), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_household_children_person", "household_children", ["person_id"])
    op.create_table(
        "safeguarding_flags",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("detail", sa.String(2000), nullable=False),
        sa.Column("marac_on", sa.Date(), nullable=True),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("raised_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_reason", sa.String(500), nullable=False),
        sa.Column("closed_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_safeguarding_flags_open_review", "safeguarding_flags", ["closed_on", "review_on"])
    op.create_index("ix_safeguarding_flags_person", "safeguarding_flags", ["person_id"])
    op.create_table(
        "information_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("requester", sa.String(200), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("urgency", sa.String(10), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("shared", sa.String(2000), nullable=False),
        sa.Column("shared_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("legal_basis", sa.String(200), nullable=False),
        sa.Column("recorded_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_information_requests_person", "information_requests", ["person_id"])
    op.create_index("ix_information_requests_open_due", "information_requests", ["answered_at", "due_at"])
    op.create_table(
        "consents_to_share",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=False),
        sa.Column("recipient_kind", sa.String(20), nullable=False),
        sa.Column("decision", sa.String(10), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("how_recorded", sa.String(20), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_consents_to_share_person_kind", "consents_to_share",
                    ["person_id", "recipient_kind", "decided_on"])
    op.create_table(
        "disclosures_without_consent",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=False),
        sa.Column("recipient_kind", sa.String(20), nullable=False),
        sa.Column("recipient", sa.String(200), nullable=False),
        sa.Column("disclosed_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(2000), nullable=False),
        sa.Column("request_id", sa.Integer(), sa.ForeignKey("information_requests.id"), nullable=True),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
    )
    op.create_index("ix_disclosures_without_consent_person", "disclosures_without_consent", ["person_id"])
    op.create_table(
        "referrals_out",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("destination", sa.String(200), nullable=False),
        sa.Column("destination_address", sa.String(500), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(2000), nullable=False),
        sa.Column("consent", sa.String(10), nullable=False),
        sa.Column("virus", sa.String(12), nullable=False),
        sa.Column("bbv_event_id", sa.Integer(), sa.ForeignKey("bbv_events.id"), nullable=True),
        sa.Column("letter_id", sa.Integer(), sa.ForeignKey("letters.id"), nullable=True),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("outcome_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_referrals_out_person", "referrals_out", ["person_id"])
    op.create_index("ix_referrals_out_outcome_on", "referrals_out", ["outcome", "referred_on"])
    op.create_table(
        "safeguarding_leads",
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), primary_key=True),
        sa.Column("marked_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
