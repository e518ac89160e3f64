"""Tests for clinic.drop_in."""

from __future__ import annotations

from clinic.drop_in import IN_QUEUE, REACHED_FROM, QueueStatus


def test_every_status_has_a_label_and_a_way_in() -> None:
    assert [s.label for s in QueueStatus] == ["Waiting", "With clinician", "Seen", "Left"]
    assert set(REACHED_FROM) == set(QueueStatus)


def test_only_someone_in_the_queue_can_leave_it() -> None:
    assert REACHED_FROM[QueueStatus.LEFT] == IN_QUEUE
