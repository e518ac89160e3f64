"""The harm-reduction counter: NSP visits and items, naloxone stock, supplies
and uses, overdose training, alcohol screens, brief interventions.

Revision ID: 0013_counter
Revises: 0008_join_modules
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_counter"
down_revision = "0008_join_modules"
branch_labels = None
depends_on = None


def _staff(name: str = "staff_id", nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), sa.ForeignKey("staff.id"), nullable=nullable)


def _person(nullable: bool = False) -> sa.Column:
    return sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=nullable)


def _at(name: str = "recorded_at", nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _int(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "nsp_visits",
        sa.Column("id", sa.Integer(), primary_key=True),
        _person(nullable=True),
        sa.Column("pseudonym", sa.String(16), nullable=True),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("under_18", sa.Boolean(), nullable=False),
        sa.Column("greater_risk_assessed", sa.Boolean(), nullable=False),
        sa.Column("assessment_note", sa.String(2000), nullable=False),
        sa.Column("safeguarding_flag", sa.Boolean(), nullable=False),
        _staff("safeguarding_reviewed_by", nullable=True),
        _at("safeguarding_reviewed_at", nullable=True),
        _int("items_issued"),
        _int("needles_issued"),
        _int("bins_returned"),
        _int("loose_returned"),
        sa.Column("advice", sa.String(200), nullable=False),
        _staff(),
        _at(),
        sa.CheckConstraint("(person_id IS NULL) <> (pseudonym IS NULL)", name="ck_nsp_visits_one_visitor"),
    )
    op.create_index("ix_nsp_visits_person", "nsp_visits", ["person_id", "visited_on"])
    op.create_index("ix_nsp_visits_pseudonym", "nsp_visits", ["pseudonym", "visited_on"])
    op.create_index("ix_nsp_visits_visited_on", "nsp_visits", ["visited_on"])
    op.create_index("ix_nsp_visits_safeguarding", "nsp_visits", ["safeguarding_flag", "safeguarding_reviewed_at"])
    op.create_table(
        "nsp_visit_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("visit_id", sa.Integer(), sa.ForeignKey("nsp_visits.id"), nullable=False),
        sa.Column("item_type", sa.String(20), nullable=False),
        sa.Column("item_label", sa.String(100), nullable=False),
        _int("quantity"),
        _int("needles_each"),
    )
    op.create_index("ix_nsp_visit_items_visit", "nsp_visit_items", ["visit_id"])
    op.create_table(
        "naloxone_batches",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("product", sa.String(100), nullable=False),
        sa.Column("batch_number", sa.String(40), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        _int("quantity_received"),
        _int("remaining"),
        _staff(),
        _int("version"),
        sa.CheckConstraint("remaining >= 0", name="ck_naloxone_batches_remaining_not_negative"),
    )
    op.create_index("ix_naloxone_batches_product_batch", "naloxone_batches", ["product", "batch_number"],
                    unique=True)
    op.create_table(
        "naloxone_supplies",
        sa.Column("id", sa.Integer(), primary_key=True),
        _person(),
        sa.Column("batch_id", sa.Integer(), sa.ForeignKey("naloxone_batches.id"), nullable=False),
        sa.Column("supplied_on", sa.Date(), nullable=False),
        sa.Column("recipient", sa.String(10), nullable=False),
        sa.Column("carer_name", sa.String(200), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        _staff(),
        _at(),
        _int("version"),
    )
    op.create_index("ix_naloxone_supplies_person", "naloxone_supplies", ["person_id", "status", "expires_on"])
    op.create_index("ix_naloxone_supplies_supplied_on", "naloxone_supplies", ["supplied_on"])
    op.create_table(
        "naloxone_uses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("supply_id", sa.Integer(), sa.ForeignKey("naloxone_supplies.id"), nullable=False),
        _person(),
        sa.Column("used_on", sa.Date(), nullable=False),
        sa.Column("ambulance_called", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("note", sa.String(2000), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        _staff(),
        _at(),
        sa.UniqueConstraint("supply_id", name="uq_naloxone_uses_supply_id"),
    )
    op.create_index("ix_naloxone_uses_person", "naloxone_uses", ["person_id", "used_on"])
    op.create_index("ix_naloxone_uses_reported_on", "naloxone_uses", ["reported_on"])
    op.create_table(
        "overdose_training",
        sa.Column("id", sa.Integer(), primary_key=True),
        _person(),
        sa.Column("trained_on", sa.Date(), nullable=False),
        sa.Column("trainee", sa.String(10), nullable=False),
        sa.Column("carer_name", sa.String(200), nullable=False),
        _staff(),
        _at(),
    )
    op.create_index("ix_overdose_training_person", "overdose_training", ["person_id", "trained_on"])
    op.create_table(
        "alcohol_screens",
        sa.Column("id", sa.Integer(), primary_key=True),
        _person(),
        sa.Column("screened_on", sa.Date(), nullable=False),
        sa.Column("audit_c_answers", sa.String(3), nullable=False),
        _int("audit_c_score"),
        sa.Column("audit_c_positive", sa.Boolean(), nullable=False),
        sa.Column("audit_answers", sa.String(10), nullable=True),
        _int("audit_score", nullable=True),
        _int("audit_zone", nullable=True),
        _staff(),
        _at(),
    )
    op.create_index("ix_alcohol_screens_person", "alcohol_screens", ["person_id", "screened_on"])
    op.create_index("ix_alcohol_screens_screened_on", "alcohol_screens", ["screened_on"])
    op.create_table(
        "brief_interventions",
        sa.Column("id", sa.Integer(), primary_key=True),
        _person(),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("components", sa.String(200), nullable=False),
        _int("duration_minutes", nullable=True),
        sa.Column("referral_to", sa.String(200), nullable=False),
        sa.Column("note", sa.String(2000), nullable=False),
        _staff(),
        _at(),
    )
    op.create_index("ix_brief_interventions_person", "brief_interventions", ["person_id", "given_on"])
    op.create_index("ix_brief_interventions_kind_on", "brief_interventions", ["kind", "given_on"])


def downgrade() -> None:
    for table in ("brief_interventions", "alcohol_screens", "overdose_training", "naloxone_uses",
                  "naloxone_supplies", "naloxone_batches", "nsp_visit_items", "nsp_visits"):
        op.drop_table(table)
