"""OST prescriptions, reviews, missed doses, decisions; safe-storage boxes.

Revision ID: 0006_ost_safe_storage
Revises: 0002_people
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_ost_safe_storage"
down_revision = "0002_people"
branch_labels = None
depends_on = None


def _staff(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), sa.ForeignKey("staff.id"), nullable=nullable)


def _person(nullable: bool = False) -> sa.Column:
    return sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=nullable)


def _at(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "pharmacies",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("fax", sa.String(40), nullable=False),
        sa.Column("secure_email", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "ost_prescriptions",
        sa.Column("id", sa.Integer(), primary_key=True),
        _person(),
        sa.Column("medicine", sa.String(40), nullable=False),
        sa.Column("formulation", sa.String(100), nullable=False),
        sa.Column("daily_dose_mg", sa.Float(), nullable=False),
        sa.Column("supervised_days", sa.Integer(), nullable=False),
        sa.Column("take_home_days", sa.Integer(), nullable=False),
        sa.Column("pharmacy_id", sa.Integer(), sa.ForeignKey("pharmacies.id"), nullable=True),
        _staff("prescriber_id"),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("change_reason", sa.Text(), nullable=False),
        sa.Column("end_reason", sa.Text(), nullable=False),
        sa.Column("previous_id", sa.Integer(), sa.ForeignKey("ost_prescriptions.id"), nullable=True),
        sa.Column("next_review_due", sa.Date(), nullable=False),
        sa.Column("missed_alert_on", sa.Date(), nullable=True),
        _at("recorded_at"),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_ost_prescriptions_person", "ost_prescriptions", ["person_id", "start_on"])
    op.create_index("ix_ost_prescriptions_review", "ost_prescriptions", ["next_review_due", "end_on"])
    op.create_index("ix_ost_prescriptions_missed_alert", "ost_prescriptions", ["missed_alert_on"])
    op.create_index("ix_ost_prescriptions_take_home", "ost_prescriptions", ["take_home_days", "end_on"])
    op.create_table(
        "ost_reviews",
        sa.Column("id", sa.Integer(), primary_key=True),
        _person(),
        sa.Column("prescription_id", sa.Integer(), sa.ForeignKey("ost_prescriptions.id"), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("attendance", sa.String(20), nullable=False),
        sa.Column("dose_adequacy", sa.String(20), nullable=False),
        sa.Column("on_top_use", sa.Boolean(), nullable=False),
        sa.Column("on_top_substances", sa.Text(), nullable=False),
        sa.Column("injecting", sa.Boolean(), nullable=False),
        sa.Column("supervision_decision", sa.String(20), nullable=False),
        sa.Column("supervision_reason", sa.Text(), nullable=False),
        sa.Column("children_in_household", sa.Boolean(), nullable=False),
        sa.Column("box_issued", sa.Boolean(), nullable=False),
        sa.Column("box_seen", sa.Boolean(), nullable=False),
        sa.Column("overdose_risk", sa.String(10), nullable=False),
        sa.Column("naloxone_held", sa.Boolean(), nullable=False),
        sa.Column("agreed_plan", sa.Text(), nullable=False),
        sa.Column("next_review_on", sa.Date(), nullable=False),
        _staff("recorded_by_id"),
        _at("recorded_at"),
        _staff("signed_off_by_id", nullable=True),
        _at("signed_off_at", nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_ost_reviews_person", "ost_reviews", ["person_id", "reviewed_on"])
    op.create_index("ix_ost_reviews_unsigned", "ost_reviews", ["signed_off_at", "reviewed_on"])
    op.create_table(
        "ost_missed_doses",
        sa.Column("id", sa.Integer(), primary_key=True),
        _person(),
        sa.Column("prescription_id", sa.Integer(), sa.ForeignKey("ost_prescriptions.id"), nullable=False),
        sa.Column("missed_on", sa.Date(), nullable=False),
        sa.Column("reported_by", sa.String(20), nullable=False),
        sa.Column("reporter_name", sa.String(200), nullable=False),
        _staff("recorded_by_id"),
        _at("recorded_at"),
        sa.UniqueConstraint("person_id", "missed_on", name="uq_ost_missed_doses_person_day"),
    )
    op.create_table(
        "ost_decisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        _person(),
        sa.Column("prescription_id", sa.Integer(), sa.ForeignKey("ost_prescriptions.id"), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _staff("prescriber_id"),
        _at("recorded_at"),
    )
    op.create_index("ix_ost_decisions_person", "ost_decisions", ["person_id", "decided_on"])
    op.create_table(
        "safe_storage_boxes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("box_number", sa.String(40), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("holder_person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("box_number", name="uq_safe_storage_boxes_box_number"),
    )
    op.create_index("ix_safe_storage_boxes_holder", "safe_storage_boxes", ["holder_person_id"])
    op.create_index("ix_safe_storage_boxes_status", "safe_storage_boxes", ["status"])
    op.create_table(
        "safe_storage_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("box_id", sa.Integer(), sa.ForeignKey("safe_storage_boxes.id"), nullable=False),
        _person(nullable=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("event_on", sa.Date(), nullable=False),
        sa.Column("new_box_id", sa.Integer(), sa.ForeignKey("safe_storage_boxes.id"), nullable=True),
        sa.Column("old_box_returned", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(30), nullable=False),
        sa.Column("reason_note", sa.Text(), nullable=False),
        sa.Column("advice_given", sa.Boolean(), nullable=False),
        _staff("staff_id"),
        _at("recorded_at"),
    )
    op.create_index("ix_safe_storage_events_box", "safe_storage_events", ["box_id", "event_on"])
    op.create_index("ix_safe_storage_events_person", "safe_storage_events", ["person_id", "event_on"])
    op.create_index("ix_safe_storage_events_kind_on", "safe_storage_events", ["kind", "event_on"])


def downgrade() -> None:
    for table in ("safe_storage_events", "safe_storage_boxes", "ost_decisions", "ost_missed_doses",
                  "ost_reviews", "ost_prescriptions", "pharmacies"):
        op.drop_table(table)
