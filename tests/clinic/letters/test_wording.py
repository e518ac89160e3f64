"""Tests for clinic.letters.wording."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from clinic.letters.wording import clock_time, local, weekday_date


def test_weekday_date() -> None:
    assert weekday_date(date(2026, 12, 7)) == "Monday 7 December 2026"


@pytest.mark.parametrize(("hour", "minute", "text"), [
    (0, 5, "12:05am"), (9, 0, "9:00am"), (10, 30, "10:30am"), (12, 0, "12:00pm"), (12, 15, "12:15pm"),
    (14, 0, "2:00pm"), (23, 59, "11:59pm"),
])
def test_clock_time(hour: int, minute: int, text: str) -> None:
    assert clock_time(datetime(2026, 1, 1, hour, minute)) == text


def test_aware_times_are_shown_in_clinic_time() -> None:
    summer = datetime(2026, 7, 1, 9, 30, tzinfo=UTC)
    assert clock_time(local(summer)) == "10:30am"
    assert local(datetime(2026, 7, 1, 9, 30)) == datetime(2026, 7, 1, 9, 30)
