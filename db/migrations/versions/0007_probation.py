"""DRR/ATR orders, probation contacts, attendance, drug tests, notifications.

Revision ID: 0007_probation
Revises: 0003_appointments, 0004_letters (attendance points at appointments,
notifications at filed letters)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_probation"
down_revision = ("0003_appointments", "0004_letters")
branch_labels = None
depends_on = None


def _versioned() -> sa.Column[int]:
    return sa.Column("version", sa.Integer(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "probation_contacts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("office", sa.String(200), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("secure_email", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _versioned(),
    )
    op.create_table(
        "drr_orders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=False),
        sa.Column("order_type", sa.String(3), nullable=False),
        sa.Column("court", sa.String(200), nullable=False),
        sa.Column("order_date", sa.Date(), nullable=False),
        sa.Column("length_months", sa.Integer(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("expected_end", sa.Date(), nullable=False),
        sa.Column("frequency", sa.String(20), nullable=False),
        sa.Column("testing_required", sa.Boolean(), nullable=False),
        sa.Column("officer_id", sa.Integer(), sa.ForeignKey("probation_contacts.id"), nullable=True),
        sa.Column("probation_reference", sa.String(40), nullable=False),
        sa.Column("consent_signed_on", sa.Date(), nullable=True),
        sa.Column("consent_withdrawn_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _versioned(),
    )
    op.create_index("ix_drr_orders_person_id", "drr_orders", ["person_id"])
    op.create_index("ix_drr_orders_status_end", "drr_orders", ["status", "expected_end"])
    op.create_table(
        "drr_review_hearings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("drr_orders.id"), nullable=False),
        sa.Column("hearing_on", sa.Date(), nullable=False),
        sa.UniqueConstraint("order_id", "hearing_on", name="uq_drr_review_hearings_order_id"),
    )
    op.create_index("ix_drr_review_hearings_hearing_on", "drr_review_hearings", ["hearing_on"])
    op.create_table(
        "drr_required_appointments",
        sa.Column("appointment_id", sa.Integer(), sa.ForeignKey("appointments.id"), primary_key=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("drr_orders.id"), nullable=False),
    )
    op.create_index("ix_drr_required_appointments_order_id", "drr_required_appointments", ["order_id"])
    op.create_table(
        "drr_attendance",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("drr_orders.id"), nullable=False),
        sa.Column("appointment_id", sa.Integer(), sa.ForeignKey("appointments.id"), nullable=True),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("outcome", sa.String(30), nullable=False),
        sa.Column("absence_reason", sa.String(200), nullable=False),
        sa.Column("evidence_seen", sa.String(200), nullable=False),
        sa.Column("recorded_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _versioned(),
        sa.UniqueConstraint("order_id", "occurred_at", name="uq_drr_attendance_order_id"),
    )
    op.create_index("ix_drr_attendance_appointment_id", "drr_attendance", ["appointment_id"])
    op.create_index("ix_drr_attendance_outcome_at", "drr_attendance", ["outcome", "occurred_at"])
    op.create_table(
        "drr_drug_tests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("drr_orders.id"), nullable=False),
        sa.Column("tested_on", sa.Date(), nullable=False),
        sa.Column("substance", sa.String(60), nullable=False),
        sa.Column("result", sa.String(20), nullable=False),
        sa.Column("recorded_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _versioned(),
    )
    op.create_index("ix_drr_drug_tests_order_id", "drr_drug_tests", ["order_id", "tested_on"])
    op.create_table(
        "drr_notifications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("drr_orders.id"), nullable=False),
        sa.Column("attendance_id", sa.Integer(), sa.ForeignKey("drr_attendance.id"), nullable=True),
        sa.Column("hearing_id", sa.Integer(), sa.ForeignKey("drr_review_hearings.id"), nullable=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=True),
        sa.Column("period_to", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("letter_id", sa.Integer(), sa.ForeignKey("letters.id"), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("method", sa.String(20), nullable=True),
        sa.Column("corrects_id", sa.Integer(), sa.ForeignKey("drr_notifications.id"), nullable=True),
        sa.Column("superseded_by", sa.Integer(), sa.ForeignKey("drr_notifications.id"), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _versioned(),
    )
    op.create_index("ix_drr_notifications_status_due", "drr_notifications", ["status", "due_on"])
    op.create_index("ix_drr_notifications_order_id", "drr_notifications", ["order_id"])
    op.create_index("ix_drr_notifications_attendance_id", "drr_notifications", ["attendance_id"])


def downgrade() -> None:
    for table in ("drr_notifications", "drr_drug_tests", "drr_attendance", "drr_required_appointments",
                  "drr_review_hearings", "drr_orders", "probation_contacts"):
        op.drop_table(table)
