"""Dates and times as UK letters write them: "Monday 7 December 2026",
"10:30am". Built by hand: strftime's names follow the workstation's locale,
and "%-d" does not exist on Windows."""

from __future__ import annotations

from datetime import date, datetime

from clinic.clock import SITE_TZ
from clinic.dates import uk_long

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def weekday_date(day: date) -> str:
    """ "Monday 7 December 2026"."""
    return f"{_DAYS[day.weekday()]} {uk_long(day)}"


def local(at: datetime) -> datetime:
    """``at`` in the clinic's time zone; a naive datetime is taken as clinic time."""
    return at.astimezone(SITE_TZ) if at.tzinfo is not None else at


def clock_time(at: datetime) -> str:
    """ "10:30am", "2:00pm", "12:15pm"."""
    hour = at.hour % 12 or 12
    return f"{hour}:{at.minute:02d}{'am' if at.hour < 12 else 'pm'}"
