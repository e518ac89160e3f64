"""BBV testing events, vaccine stock, courses, doses and anti-HBs results.

Revision ID: 0005_bbv_vaccination
Revises: 0002_people
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_bbv_vaccination"
down_revision = "0002_people"
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _fk(name: str, target: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), sa.ForeignKey(target), nullable=nullable)


def _voided() -> list[sa.Column]:
    return [sa.Column("voided", sa.Boolean(), nullable=False),
            sa.Column("void_reason", sa.Text(), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "bbv_events", _id(),
        _fk("person_id", "people.id"),
        sa.Column("virus", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("test_kind", sa.String(20), nullable=True),
        sa.Column("sample_type", sa.String(20), nullable=True),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=True),
        sa.Column("result", sa.String(20), nullable=True),
        _fk("test_event_id", "bbv_events.id", nullable=True),
        sa.Column("state", sa.String(10), nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=False),
        sa.Column("referred_to", sa.String(200), nullable=False),
        _fk("staff_id", "staff.id"),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        *_voided(),
    )
    op.create_index("ix_bbv_events_person", "bbv_events", ["person_id", "virus", "event_date"])
    op.create_index("ix_bbv_events_state", "bbv_events", ["state", "event_date"])
    op.create_index("ix_bbv_events_test_event_id", "bbv_events", ["test_event_id"])
    op.create_index("ix_bbv_events_kind", "bbv_events", ["virus", "kind", "person_id", "event_date"])

    op.create_table(
        "vaccine_products", _id(),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("vaccine", sa.String(20), nullable=False),
        sa.Column("manufacturer", sa.String(120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_vaccine_products_vaccine", "vaccine_products", ["vaccine"])
    op.create_table(
        "vaccine_batches", _id(),
        _fk("product_id", "vaccine_products.id"),
        sa.Column("batch_number", sa.String(40), nullable=False),
        sa.Column("expiry", sa.Date(), nullable=False),
        sa.Column("quantity_received", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("quantity_used", sa.Integer(), nullable=False),
        _fk("staff_id", "staff.id"),
    )
    op.create_index("ix_vaccine_batches_product_id", "vaccine_batches", ["product_id"])
    op.create_table(
        "vaccine_courses", _id(),
        _fk("person_id", "people.id"),
        sa.Column("schedule_id", sa.String(30), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("stopped_reason", sa.Text(), nullable=False),
        sa.Column("next_dose_number", sa.Integer(), nullable=True),
        sa.Column("next_due", sa.Date(), nullable=True),
        sa.Column("primary_completed_on", sa.Date(), nullable=True),
        sa.Column("anti_hbs_pending", sa.Boolean(), nullable=False),
        _fk("staff_id", "staff.id"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_vaccine_courses_person_id", "vaccine_courses", ["person_id"])
    op.create_index("ix_vaccine_courses_due", "vaccine_courses", ["status", "next_due"])
    op.create_index("ix_vaccine_courses_anti_hbs", "vaccine_courses",
                    ["anti_hbs_pending", "primary_completed_on"])
    op.create_table(
        "vaccine_doses", _id(),
        _fk("person_id", "people.id"),
        _fk("course_id", "vaccine_courses.id", nullable=True),
        sa.Column("vaccine", sa.String(20), nullable=False),
        _fk("product_id", "vaccine_products.id"),
        _fk("batch_id", "vaccine_batches.id"),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("dose_number", sa.Integer(), nullable=False),
        sa.Column("site", sa.String(40), nullable=False),
        sa.Column("route", sa.String(20), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        _fk("given_by_id", "staff.id"),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        *_voided(),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_vaccine_doses_course_id", "vaccine_doses", ["course_id"])
    op.create_index("ix_vaccine_doses_batch_id", "vaccine_doses", ["batch_id"])
    op.create_index("ix_vaccine_doses_person", "vaccine_doses", ["person_id", "given_on"])
    op.create_index("ix_vaccine_doses_given_on", "vaccine_doses", ["given_on"])
    op.create_table(
        "anti_hbs_results", _id(),
        _fk("person_id", "people.id"),
        _fk("course_id", "vaccine_courses.id", nullable=True),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("miu_per_ml", sa.Float(), nullable=False),
        _fk("staff_id", "staff.id"),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        *_voided(),
    )
    op.create_index("ix_anti_hbs_results_person_id", "anti_hbs_results", ["person_id"])


def downgrade() -> None:
    for table in ("anti_hbs_results", "vaccine_doses", "vaccine_courses", "vaccine_batches",
                  "vaccine_products", "bbv_events"):
        op.drop_table(table)
