"""Tests for clinic.probation."""

from datetime import date

import pytest

from clinic.probation import (
    CLOSING,
    LIVE,
    NotificationKind,
    NotificationStatus,
    OrderStatus,
    Outcome,
    breach_threshold_reached,
    notification_due,
    order_end,
    progress_report_due,
    validate_order,
)

# Bank holidays (England and Wales, gov.uk/bank-holidays) used below:
# 2026: Good Friday 3 Apr, Easter Monday 6 Apr, early May 4 May, summer 31 Aug,
#       Christmas Fri 25 Dec, Boxing Day Sat 26 Dec -> substitute Mon 28 Dec.


@pytest.mark.parametrize(
    ("missed_on", "due"),
    [
        # Thu 24 Dec: Fri 25 Christmas, weekend, Mon 28 substitute Boxing Day.
        (date(2026, 12, 24), date(2026, 12, 29)),
        # Fri 28 Aug: weekend, Mon 31 Aug summer bank holiday.
        (date(2026, 8, 28), date(2026, 9, 1)),
        # Thu 2 Apr: Good Friday 3 Apr, weekend, Easter Monday 6 Apr.
        (date(2026, 4, 2), date(2026, 4, 7)),
        # An ordinary Tuesday: due Wednesday.
        (date(2026, 3, 10), date(2026, 3, 11)),
        # Friday: due Monday.
        (date(2026, 3, 13), date(2026, 3, 16)),
        # A Saturday session: due Monday.
        (date(2026, 3, 14), date(2026, 3, 16)),
    ],
)
def test_notification_due_end_of_next_working_day(missed_on: date, due: date) -> None:
    assert notification_due(missed_on) == due


def test_notification_due_honours_site_closures_and_setting() -> None:
    closed = frozenset({date(2026, 3, 11)})
    assert notification_due(date(2026, 3, 10), closures=closed) == date(2026, 3, 12)
    # A site allowing 2 working days: Thu 2 Apr 2026 -> Tue 7, Wed 8 Apr.
    assert notification_due(date(2026, 4, 2), working_days=2) == date(2026, 4, 8)


@pytest.mark.parametrize(
    ("hearing", "due"),
    [
        # Thu 16 Apr 2026: Wed 15, Tue 14, Mon 13.
        (date(2026, 4, 16), date(2026, 4, 13)),
        # Thu 9 Apr 2026: Wed 8, Tue 7, (Easter Mon 6, Good Fri 3), Thu 2 Apr.
        (date(2026, 4, 9), date(2026, 4, 2)),
        # Tue 5 May 2026: (Mon 4 May bank holiday), Fri 1 May, Thu 30, Wed 29 Apr.
        (date(2026, 5, 5), date(2026, 4, 29)),
    ],
)
def test_progress_report_due_three_working_days_before(hearing: date, due: date) -> None:
    assert progress_report_due(hearing) == due


def test_progress_report_due_setting_and_closures() -> None:
    closed = frozenset({date(2026, 4, 14)})
    assert progress_report_due(date(2026, 4, 16), closures=closed) == date(2026, 4, 10)
    assert progress_report_due(date(2026, 4, 16), working_days_before=1) == date(2026, 4, 15)


def test_outcomes_needing_notification() -> None:
    assert Outcome.UNACCEPTABLE_ABSENCE.needs_notification
    assert Outcome.ACCEPTABLE_ABSENCE.needs_notification  # every non-attendance is notified
    assert not Outcome.ATTENDED_LATE.needs_notification
    assert not Outcome.ATTENDED.needs_notification


def test_outcome_values_are_stable_strings() -> None:
    # Stored in the database: the values must not change.
    assert [o.value for o in Outcome] == [
        "attended",
        "attended_late",
        "acceptable_absence",
        "unacceptable_absence",
    ]
    assert Outcome("attended_late") is Outcome.ATTENDED_LATE


def test_an_order_ends_in_one_of_four_ways_each_owing_a_closure_letter() -> None:
    assert CLOSING == (OrderStatus.COMPLETED, OrderStatus.REVOKED, OrderStatus.BREACHED, OrderStatus.TRANSFERRED)
    assert set(LIVE) | set(CLOSING) == set(OrderStatus)
    assert [s.label for s in CLOSING] == ["Completed", "Revoked", "Breached", "Transferred"]
    assert OrderStatus.PENDING.label == "Pending start"


def test_notification_vocabularies_are_stable_strings() -> None:
    # Stored in the database: the values must not change.
    assert [k.value for k in NotificationKind] == [
        "non_attendance", "attendance_confirmation", "progress_report", "closure"]
    assert [s.value for s in NotificationStatus] == ["due", "filed", "sent", "superseded", "cancelled"]
    assert NotificationKind.CLOSURE.label == "Closure letter"
    assert Outcome.ATTENDED == "attended"


ON = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("absences", "reached"),
    [
        ([], False),
        ([date(2026, 2, 1)], False),
        ([date(2025, 6, 1), date(2026, 2, 1)], True),
        ([date(2026, 3, 1), date(2026, 3, 1)], True),  # two appointments the same day
        # The 12 months ending 1 Mar 2026 run from 2 Mar 2025.
        ([date(2025, 3, 2), date(2026, 3, 1)], True),
        ([date(2025, 3, 1), date(2026, 3, 1)], False),
        # Old absences have fallen out of the window.
        ([date(2024, 6, 1), date(2024, 7, 1), date(2026, 1, 1)], False),
        # Absences after `on` are not counted.
        ([date(2026, 2, 1), date(2026, 3, 2)], False),
    ],
)
def test_breach_threshold(absences: list[date], reached: bool) -> None:
    assert breach_threshold_reached(absences, on=ON) is reached


def test_breach_threshold_accepts_any_iterable() -> None:
    absences = (d for d in [date(2025, 6, 1), date(2026, 2, 1)])
    assert breach_threshold_reached(absences, on=ON)


def test_breach_window_over_a_leap_day() -> None:
    # The 12 months ending 28 Feb 2025 run from 1 Mar 2024 (after 29 Feb 2024).
    on = date(2025, 2, 28)
    assert breach_threshold_reached([date(2024, 3, 1), on], on=on)
    assert not breach_threshold_reached([date(2024, 2, 29), on], on=on)


def test_breach_settings() -> None:
    absences = [date(2025, 9, 1), date(2026, 2, 1)]
    assert not breach_threshold_reached(absences, on=ON, count=3)
    assert breach_threshold_reached([*absences, date(2026, 2, 20)], on=ON, count=3)
    assert not breach_threshold_reached(absences, on=ON, window_months=3)
    assert breach_threshold_reached([date(2026, 2, 1)], on=ON, count=1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"count": 0}, "at least 1"), ({"window_months": 0}, "at least one month")],
)
def test_breach_settings_must_be_positive(kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        breach_threshold_reached([], on=ON, **kwargs)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2025, 3, 1), 12, date(2026, 2, 28)),
        (date(2023, 3, 1), 12, date(2024, 2, 29)),  # ends on a leap day
        (date(2026, 1, 15), 6, date(2026, 7, 14)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # no 31 February: last day
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),  # no 31 April: last day
        (date(2026, 3, 30), 1, date(2026, 4, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # no 29 February 2025
        (date(2026, 12, 1), 36, date(2029, 11, 30)),  # 3 years, the longest community order
    ],
)
def test_order_end(start: date, months: int, end: date) -> None:
    assert order_end(start, months) == end


def test_order_length_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least one month"):
        order_end(date(2026, 1, 1), 0)


def test_valid_order_passes() -> None:
    validate_order(date(2026, 1, 5), date(2026, 1, 5), date(2026, 7, 4))
    validate_order(date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 12))


def test_order_cannot_start_before_it_was_made() -> None:
    with pytest.raises(ValueError, match="cannot start before the date the court made it"):
        validate_order(date(2026, 1, 5), date(2026, 1, 4), date(2026, 7, 4))


def test_order_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="end date is before its start date"):
        validate_order(date(2026, 1, 5), date(2026, 1, 5), date(2026, 1, 4))
