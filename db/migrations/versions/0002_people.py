"""People, GP practices and record status history.

Revision ID: 0002_people
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_people"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gp_practices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("surname", sa.String(100), nullable=False),
        sa.Column("forename", sa.String(100), nullable=False),
        sa.Column("preferred_name", sa.String(100), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("gender", sa.String(40), nullable=False),
        sa.Column("nhs_number", sa.String(10), nullable=True),
        sa.Column("address_lines", sa.Text(), nullable=False),
        sa.Column("postcode", sa.String(10), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("consent_to_text", sa.Boolean(), nullable=False),
        sa.Column("consent_to_voicemail", sa.Boolean(), nullable=False),
        sa.Column("no_post", sa.Boolean(), nullable=False),
        sa.Column("discreet_envelope", sa.Boolean(), nullable=False),
        sa.Column("children_in_household", sa.Boolean(), nullable=False),
        sa.Column("injects", sa.Boolean(), nullable=False),
        sa.Column("risk_notes", sa.Text(), nullable=False),
        sa.Column("gp_practice_id", sa.Integer(), sa.ForeignKey("gp_practices.id"), nullable=True),
        sa.Column("emergency_contact_name", sa.String(200), nullable=False),
        sa.Column("emergency_contact_phone", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("search_surname", sa.String(100), nullable=False),
        sa.Column("search_forename", sa.String(100), nullable=False),
        sa.Column("search_preferred", sa.String(100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_people_date_of_birth", "people", ["date_of_birth"])
    op.create_index("ix_people_nhs_number", "people", ["nhs_number"])
    op.create_index("ix_people_search_surname", "people", ["search_surname", "search_forename"])
    op.create_index("ix_people_search_forename", "people", ["search_forename"])
    op.create_index("ix_people_search_preferred", "people", ["search_preferred"])
    op.create_table(
        "person_status_history",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_person_status_history_person_id", "person_status_history", ["person_id"])


def downgrade() -> None:
    op.drop_table("person_status_history")
    op.drop_table("people")
    op.drop_table("gp_practices")
