"""Rooms, appointment types, clinic sessions, appointments and series, the
drop-in queue and callback messages.

Appointment and session times are naive local clinic wall-clock datetimes;
instants (created, arrived, called, taken, done) are UTC-aware. See
``db/tables/appointments.py``.

Revision ID: 0003_appointments
Revises: 0002_people
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_appointments"
down_revision = "0002_people"
branch_labels = None
depends_on = None

#: code, name, default minutes
SEED_TYPES = (
    ("bbv_test", "BBV test", 20),
    ("vaccination", "Vaccination", 15),
    ("ost_review", "OST review", 30),
    ("drr", "DRR appointment", 30),
    ("key_work", "Key-work", 45),
    ("prescriber_review", "Prescriber review", 30),
)


def upgrade() -> None:
    op.create_table(
        "rooms",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    types = op.create_table(
        "appointment_types",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(40), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("default_minutes", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.bulk_insert(types, [
        {"code": code, "name": name, "default_minutes": minutes, "active": True}
        for code, name, minutes in SEED_TYPES
    ])
    op.create_table(
        "clinic_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("clinician_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("room_id", sa.Integer(), sa.ForeignKey("rooms.id"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("appointment_type_id", sa.Integer(), sa.ForeignKey("appointment_types.id"), nullable=True),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_clinic_sessions_day_clinician", "clinic_sessions", ["day", "clinician_id"])
    op.create_index("ix_clinic_sessions_room_day", "clinic_sessions", ["room_id", "day"])
    op.create_table(
        "appointment_series",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=False),
        sa.Column("rrule", sa.String(200), nullable=False),
        sa.Column("first_start", sa.DateTime(), nullable=False),
        sa.Column("on_closure", sa.String(10), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_appointment_series_person_id", "appointment_series", ["person_id"])
    op.create_table(
        "appointments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=False),
        sa.Column("clinician_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("room_id", sa.Integer(), sa.ForeignKey("rooms.id"), nullable=True),
        sa.Column("session_id", sa.Integer(), sa.ForeignKey("clinic_sessions.id"), nullable=True),
        sa.Column("type_id", sa.Integer(), sa.ForeignKey("appointment_types.id"), nullable=False),
        sa.Column("start", sa.DateTime(), nullable=False),
        sa.Column("end", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("late_cancellation", sa.Boolean(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("outcome_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reception_note", sa.Text(), nullable=False),
        sa.Column("past_reason", sa.Text(), nullable=False),
        sa.Column("series_id", sa.Integer(), sa.ForeignKey("appointment_series.id"), nullable=True),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_appointments_clinician_start", "appointments", ["clinician_id", "start"])
    op.create_index("ix_appointments_room_start", "appointments", ["room_id", "start"])
    op.create_index("ix_appointments_person_start", "appointments", ["person_id", "start"])
    op.create_index("ix_appointments_status_start", "appointments", ["status", "start"])
    op.create_index("ix_appointments_start", "appointments", ["start"])
    op.create_index("ix_appointments_series_start", "appointments", ["series_id", "start"])
    op.create_index("ix_appointments_session_id", "appointments", ["session_id"])
    op.create_table(
        "queue_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=True),
        sa.Column("walk_in_name", sa.String(200), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("added_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("called_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_queue_entries_person_id", "queue_entries", ["person_id"])
    op.create_index("ix_queue_entries_arrived_at", "queue_entries", ["arrived_at"])
    op.create_index("ix_queue_entries_status_arrived", "queue_entries", ["status", "arrived_at"])
    op.create_table(
        "callbacks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=True),
        sa.Column("caller_name", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("taken_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_callbacks_person_id", "callbacks", ["person_id"])
    op.create_index("ix_callbacks_done_due", "callbacks", ["done_at", "due_at"])


def downgrade() -> None:
    op.drop_table("callbacks")
    op.drop_table("queue_entries")
    op.drop_table("appointments")
    op.drop_table("appointment_series")
    op.drop_table("clinic_sessions")
    op.drop_table("appointment_types")
    op.drop_table("rooms")
