"""Tests for clinic.workdays."""

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest

from clinic import workdays
from clinic.workdays import (
    add_working_days,
    is_bank_holiday,
    is_working_day,
    next_working_day,
    working_days_before,
)

# Bank holiday facts for England and Wales are from gov.uk/bank-holidays:
# 2025: Christmas Thu 25 Dec, Boxing Day Fri 26 Dec.
# 2026: New Year Thu 1 Jan, Good Friday 3 Apr, Easter Monday 6 Apr,
#       early May Mon 4 May, spring Mon 25 May, summer Mon 31 Aug,
#       Christmas Fri 25 Dec, Boxing Day Sat 26 Dec -> substitute Mon 28 Dec.
# 2027: New Year Fri 1 Jan.

BANK_HOLIDAYS_2026 = [
    date(2026, 1, 1),
    date(2026, 4, 3),
    date(2026, 4, 6),
    date(2026, 5, 4),
    date(2026, 5, 25),
    date(2026, 8, 31),
    date(2026, 12, 25),
    date(2026, 12, 28),
]


@pytest.mark.parametrize("d", BANK_HOLIDAYS_2026)
def test_bank_holidays_2026_are_not_working_days(d: date) -> None:
    assert is_bank_holiday(d)
    assert not is_working_day(d)


def test_2026_has_exactly_these_weekday_bank_holidays() -> None:
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(365)]
    weekday_holidays = [d for d in days if d.weekday() < 5 and is_bank_holiday(d)]
    assert weekday_holidays == BANK_HOLIDAYS_2026


def test_boxing_day_2026_falls_on_saturday_and_is_substituted_on_monday() -> None:
    assert date(2026, 12, 26).weekday() == 5
    assert not is_working_day(date(2026, 12, 26))
    assert not is_working_day(date(2026, 12, 28))
    assert is_working_day(date(2026, 12, 29))


def test_christmas_2025_thursday_and_friday() -> None:
    assert is_working_day(date(2025, 12, 24))
    assert not is_working_day(date(2025, 12, 25))
    assert not is_working_day(date(2025, 12, 26))
    # Wed 24 Dec + 1 working day: Thu, Fri holidays, weekend -> Mon 29 Dec.
    assert add_working_days(date(2025, 12, 24), 1) == date(2025, 12, 29)


def test_christmas_2026_skips_substitute_boxing_day() -> None:
    # Thu 24 Dec 2026: Fri 25 holiday, Sat, Sun, Mon 28 substitute -> Tue 29.
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    # ... then Wed 30, Thu 31, Fri 1 Jan 2027 holiday, weekend -> Mon 4 Jan.
    assert add_working_days(date(2026, 12, 24), 3) == date(2026, 12, 31)
    assert add_working_days(date(2026, 12, 24), 4) == date(2027, 1, 4)


def test_easter_2026() -> None:
    # Thu 2 Apr: Good Friday 3 Apr, weekend, Easter Monday 6 Apr -> Tue 7 Apr.
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert next_working_day(date(2026, 4, 3)) == date(2026, 4, 7)


def test_early_may_2026() -> None:
    # Fri 1 May, weekend, Mon 4 May bank holiday -> Tue 5 May.
    assert add_working_days(date(2026, 5, 1), 1) == date(2026, 5, 5)


def test_august_bank_holiday_2026() -> None:
    # Fri 28 Aug, weekend, Mon 31 Aug bank holiday -> Tue 1 Sep.
    assert add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 1)


def test_weekends_are_not_working_days() -> None:
    assert not is_working_day(date(2026, 3, 7))  # Saturday
    assert not is_working_day(date(2026, 3, 8))  # Sunday
    assert is_working_day(date(2026, 3, 9))  # Monday


def test_site_closure_is_not_a_working_day() -> None:
    training_day = date(2026, 3, 11)  # a Wednesday
    assert is_working_day(training_day)
    assert not is_working_day(training_day, closures={training_day})


def test_site_closures_are_skipped_when_counting() -> None:
    closures = frozenset({date(2026, 3, 10), date(2026, 3, 11)})
    # Mon 9 Mar + 1: Tue 10 and Wed 11 closed -> Thu 12.
    assert add_working_days(date(2026, 3, 9), 1, closures=closures) == date(2026, 3, 12)
    assert next_working_day(date(2026, 3, 10), closures=closures) == date(2026, 3, 12)
    assert working_days_before(date(2026, 3, 12), 1, closures=closures) == date(2026, 3, 9)


def test_a_closure_on_a_weekend_changes_nothing() -> None:
    closures = {date(2026, 3, 7)}
    assert add_working_days(date(2026, 3, 6), 1, closures=closures) == date(2026, 3, 9)


def test_zero_working_days_returns_start_even_on_a_holiday() -> None:
    assert add_working_days(date(2026, 12, 25), 0) == date(2026, 12, 25)
    assert working_days_before(date(2026, 12, 25), 0) == date(2026, 12, 25)


def test_start_day_never_counts() -> None:
    # Tuesday 10 Mar 2026 + 1 -> Wednesday, not Tuesday itself.
    assert add_working_days(date(2026, 3, 10), 1) == date(2026, 3, 11)
    # From a Saturday, the first working day after it is Monday.
    assert add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)


def test_ten_working_days_over_easter() -> None:
    # From Wed 1 Apr 2026: Thu 2 (1), Tue 7..Fri 10 (2-5), Mon 13..Fri 17 (6-10).
    assert add_working_days(date(2026, 4, 1), 10) == date(2026, 4, 17)


@pytest.mark.parametrize("fn", [add_working_days, working_days_before])
def test_negative_working_days_are_refused(fn: Callable[..., date]) -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        fn(date(2026, 3, 9), -1)


def test_next_working_day_is_the_day_itself_when_working() -> None:
    assert next_working_day(date(2026, 3, 9)) == date(2026, 3, 9)
    assert next_working_day(date(2026, 3, 7)) == date(2026, 3, 9)


def test_working_days_before_a_hearing() -> None:
    # Hearing Thu 9 Apr 2026: Wed 8 (1), Tue 7 (2), Easter Monday and Good
    # Friday skipped, Thu 2 Apr (3).
    assert working_days_before(date(2026, 4, 9), 3) == date(2026, 4, 2)
    # Hearing Mon 16 Mar 2026: Fri 13 (1), Thu 12 (2), Wed 11 (3).
    assert working_days_before(date(2026, 3, 16), 3) == date(2026, 3, 11)


def test_working_days_before_crosses_new_year() -> None:
    # Mon 4 Jan 2027: Fri 1 Jan holiday -> Thu 31 Dec 2026.
    assert working_days_before(date(2027, 1, 4), 1) == date(2026, 12, 31)


@pytest.mark.parametrize(
    "fn", [is_working_day, is_bank_holiday, next_working_day]
)
def test_datetimes_are_refused_rather_than_missing_holidays(fn: Callable[..., object]) -> None:
    with pytest.raises(TypeError, match="not a date and time"):
        fn(datetime(2026, 12, 25, 9, 0))


def test_add_working_days_refuses_a_datetime() -> None:
    with pytest.raises(TypeError):
        add_working_days(datetime(2026, 12, 24, 9, 0), 1)


def test_holiday_calendar_is_built_once_per_year() -> None:
    workdays._bank_holidays.cache_clear()
    for offset in range(400):
        is_working_day(date(2026, 1, 1) + timedelta(days=offset))
    info = workdays._bank_holidays.cache_info()
    assert info.misses == 2  # 2026 and 2027, each built once
    assert info.hits > 0


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 10])
def test_property_add_working_days_counts_exactly_n(n: int) -> None:
    closures = frozenset({date(2026, 6, 17), date(2026, 11, 2)})
    for start in _days(date(2025, 12, 1), date(2027, 1, 31)):
        result = add_working_days(start, n, closures=closures)
        between = _days(start + timedelta(days=1), result)
        counted = [d for d in between if is_working_day(d, closures=closures)]
        assert len(counted) == n, start
        if n:
            assert is_working_day(result, closures=closures), start
        else:
            assert result == start


@pytest.mark.parametrize("n", [1, 3, 7])
def test_property_working_days_before_inverts_add(n: int) -> None:
    for start in _days(date(2025, 12, 1), date(2027, 1, 31)):
        if not is_working_day(start):
            continue
        later = add_working_days(start, n)
        assert working_days_before(later, n) == start, start


def test_property_next_working_day_is_first_on_or_after() -> None:
    for d in _days(date(2025, 12, 1), date(2027, 1, 31)):
        result = next_working_day(d)
        assert result >= d
        assert is_working_day(result)
        assert not any(is_working_day(x) for x in _days(d, result - timedelta(days=1)))
