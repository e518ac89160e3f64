"""Indexes the quarterly KPI report reads (DESIGN §6: ≤ 1 s at 50,000 people).

The report counts, for the quarter's cohort, who had a hepatitis B course,
dose or completion and who was offered or tested for hepatitis C. It reads
each of those tables once, grouped by person, and these indexes hold every
column it reads, so the pass is over a compact index in person order rather
than over the table's rows. ``ix_bbv_events_event_date`` finds the quarter's
BBV events (one of the kinds of contact that put a person in the cohort)
without reading every event.

Revision ID: 0018_report_indexes
Revises: 0017_server_search_index
"""

from __future__ import annotations

from alembic import op

revision = "0018_report_indexes"
down_revision = "0017_server_search_index"
branch_labels = None
depends_on = None

#: name, table, columns (the same as in db/tables).
INDEXES = (
    ("ix_bbv_events_event_date", "bbv_events", ["event_date"]),
    ("ix_bbv_events_virus_person", "bbv_events", ["virus", "person_id", "voided", "kind", "event_date"]),
    ("ix_vaccine_courses_person_schedule", "vaccine_courses",
     ["person_id", "schedule_id", "started_on", "primary_completed_on"]),
    ("ix_vaccine_doses_person_vaccine", "vaccine_doses", ["person_id", "vaccine", "voided", "given_on"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
