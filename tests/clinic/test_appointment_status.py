"""Tests for clinic.appointment_status."""

from __future__ import annotations

from clinic.appointment_status import CANCELLED, HOLDS_SLOT, NO_OUTCOME, OUTCOMES, TRANSITIONS, AppointmentStatus


def test_every_status_has_a_label_and_its_moves() -> None:
    for status in AppointmentStatus:
        assert status.label and status.short_label
        assert status in TRANSITIONS


def test_a_cancellation_frees_the_slot_and_is_final() -> None:
    assert set(HOLDS_SLOT) | set(CANCELLED) == set(AppointmentStatus)
    assert not set(HOLDS_SLOT) & set(CANCELLED)
    assert all(TRANSITIONS[s] == frozenset() for s in CANCELLED)


def test_a_status_with_an_outcome_is_not_still_waiting_for_one() -> None:
    assert not set(NO_OUTCOME) & set(OUTCOMES)


def test_a_stored_value_looks_up_its_moves() -> None:
    assert AppointmentStatus.SEEN in TRANSITIONS["booked"]
    assert AppointmentStatus.CANCELLED_CLIENT.label == "Cancelled by client"
