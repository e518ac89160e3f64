"""A partial index of the appointments still waiting for an outcome (issue 21).

The "outcomes to record" worklist wants past bookings still booked, arrived
or in progress, newest first. PostgreSQL takes booked ones to be spread over
the past like the rest, so it walked the start index back through every past
appointment (1,000,000 at 50,000 people: 0.7 s) to find the few hundred
still waiting. This index holds only bookings in those statuses, most of them
in the future, so the worklist reads just the ones it shows. The statuses are
those of ``db.tables.appointments.AWAITING_OUTCOME`` when this revision was
written.

Revision ID: 0019_awaiting_outcome_index
Revises: 0018_report_indexes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_awaiting_outcome_index"
down_revision = "0018_report_indexes"
branch_labels = None
depends_on = None

_AWAITING = sa.text("status IN ('booked', 'arrived', 'in_progress')")


def upgrade() -> None:
    op.create_index("ix_appointments_awaiting_start", "appointments", ["start"],
                    sqlite_where=_AWAITING, postgresql_where=_AWAITING)


def downgrade() -> None:
    op.drop_index("ix_appointments_awaiting_start", table_name="appointments")
