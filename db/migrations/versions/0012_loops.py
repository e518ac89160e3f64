"""Hepatitis B vaccination offers and answers as their own dated events, and
vaccine batches written off with a reason.

Revision ID: 0012_loops
Revises: 0008_join_modules
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.tables.base import NAMING_CONVENTION

revision = "0012_loops"
down_revision = "0008_join_modules"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vaccine_offers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=False),
        sa.Column("vaccine", sa.String(20), nullable=False),
        sa.Column("event", sa.String(12), nullable=False),
        sa.Column("event_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(1000), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_vaccine_offers_person", "vaccine_offers", ["person_id", "event_on"])
    op.create_index("ix_vaccine_offers_event_on", "vaccine_offers", ["event_on"])
    with op.batch_alter_table("vaccine_batches", naming_convention=NAMING_CONVENTION) as batch:
        batch.add_column(sa.Column("written_off_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("written_off_reason", sa.String(1000), nullable=False, server_default=""))
        batch.add_column(sa.Column("written_off_by", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_vaccine_batches_written_off_by_staff", "staff", ["written_off_by"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("vaccine_batches", naming_convention=NAMING_CONVENTION) as batch:
        batch.drop_constraint("fk_vaccine_batches_written_off_by_staff", type_="foreignkey")
        batch.drop_column("written_off_by")
        batch.drop_column("written_off_reason")
        batch.drop_column("written_off_on")
    op.drop_index("ix_vaccine_offers_event_on", "vaccine_offers")
    op.drop_index("ix_vaccine_offers_person", "vaccine_offers")
    op.drop_table("vaccine_offers")
