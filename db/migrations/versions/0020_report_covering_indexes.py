"""The indexes that find the quarter's contacts also hold whose they are (issue 21).

The quarterly report's cohort is everyone with a contact in the quarter. Its
kinds of contact were found by index (status and start, event day, dose day,
attendance outcome and time), but the person each belonged to was then read
from the table row: 43,000 seen appointments scattered through 1,000,000 rows
at 50,000 people, so the report's first run read and decrypted most of the
appointments table. Each index now also holds the person (or the order, for
attendance), the voided flag where the report filters on it, and for
appointments the booking time and past-entry reason the lead-time median
reads, so the report reads only these indexes. The indexes keep their names:
each still leads with what it was made to find, for every other reader.

Revision ID: 0020_report_covering_indexes
Revises: 0019_awaiting_outcome_index
"""

from __future__ import annotations

from alembic import op

revision = "0020_report_covering_indexes"
down_revision = "0019_awaiting_outcome_index"
branch_labels = None
depends_on = None

#: name, table, columns before, columns now (the same as in db/tables).
INDEXES = (
    ("ix_appointments_status_start", "appointments", ["status", "start"],
     ["status", "start", "person_id", "created_at", "past_reason"]),
    ("ix_bbv_events_event_date", "bbv_events", ["event_date"], ["event_date", "voided", "person_id"]),
    ("ix_vaccine_doses_given_on", "vaccine_doses", ["given_on"], ["given_on", "voided", "person_id"]),
    ("ix_drr_attendance_outcome_at", "drr_attendance", ["outcome", "occurred_at"],
     ["outcome", "occurred_at", "order_id"]),
)


def upgrade() -> None:
    for name, table, _before, now in INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, now)


def downgrade() -> None:
    for name, table, before, _now in reversed(INDEXES):
        op.drop_index(name, table_name=table)
        op.create_index(name, table, before)
