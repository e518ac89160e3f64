"""Working days: the calendar behind every "within N working days" rule.

A working day is Monday to Friday, not a bank holiday in England and Wales,
and not one of the site's closure days (staff training, a flood). Closure days
come from site settings and are passed in; nothing here reads them.
"""

from collections.abc import Set
from datetime import date, datetime, timedelta
from functools import cache

import holidays

_SATURDAY = 5
_ONE_DAY = timedelta(days=1)


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays in one year, built once per year.

    Frozen per year rather than kept as one auto-expanding ``HolidayBase``:
    that object fills itself in on lookup, which is not safe to share between
    worker threads, and rebuilding it per call is slow.
    """
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def _require_date(d: date) -> None:
    # A datetime is a date subclass but never equals a holiday date, so it
    # would slip past the bank-holiday check without an error.
    if isinstance(d, datetime):
        raise TypeError("Working-day rules take a date, not a date and time")


def is_bank_holiday(d: date) -> bool:
    """True if ``d`` is a bank holiday in England and Wales."""
    _require_date(d)
    return d in _bank_holidays(d.year)


def is_working_day(d: date, *, closures: Set[date] = frozenset()) -> bool:
    """True if ``d`` is a weekday, not a bank holiday and not a closure day."""
    _require_date(d)
    return d.weekday() < _SATURDAY and d not in closures and not is_bank_holiday(d)


def next_working_day(d: date, *, closures: Set[date] = frozenset()) -> date:
    """The first working day on or after ``d``."""
    while not is_working_day(d, closures=closures):
        d += _ONE_DAY
    return d


def add_working_days(start: date, n: int, *, closures: Set[date] = frozenset()) -> date:
    """The date ``n`` working days after ``start``.

    Counts working days strictly after ``start``, so ``start`` itself never
    counts, even when it is a working day: a message left on Thursday with
    ``n=1`` is due on Friday. ``n=0`` returns ``start`` unchanged.
    """
    return _step_working_days(start, n, _ONE_DAY, closures)


def working_days_before(d: date, n: int, *, closures: Set[date] = frozenset()) -> date:
    """The date ``n`` working days before ``d``, not counting ``d`` itself.

    For deadlines that run back from an event, such as a progress report due
    3 working days before a review hearing. ``n=0`` returns ``d`` unchanged.
    """
    return _step_working_days(d, n, -_ONE_DAY, closures)


def _step_working_days(d: date, n: int, step: timedelta, closures: Set[date]) -> date:
    _require_date(d)
    if n < 0:
        raise ValueError(f"The number of working days cannot be negative (got {n})")
    remaining = n
    while remaining:
        d += step
        if is_working_day(d, closures=closures):
            remaining -= 1
    return d
