"""Tests for clinic.services.appointments.book's shapes (the booking tests cover its answers)."""

from __future__ import annotations

from clinic.appointment_status import NO_OUTCOME
from db.tables.appointments import AWAITING_OUTCOME


def test_the_awaiting_outcome_index_holds_the_statuses_the_worklist_asks_for() -> None:
    """The "outcomes to record" worklist is served by a partial index of these
    statuses (migration 0019): if the two lists drift apart, PostgreSQL walks
    every past appointment again (issue 21)."""
    assert tuple(NO_OUTCOME) == AWAITING_OUTCOME
