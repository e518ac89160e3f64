"""Time, injected: services ask a clock, tests hand them a fixed one.

The clinic keeps UK local time; the audit trail and stored timestamps are
UTC. ``today()`` is the clinic's date, which is what every "due" rule uses.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol, overload
from zoneinfo import ZoneInfo

SITE_TZ = ZoneInfo("Europe/London")


class Clock(Protocol):
    def now(self) -> datetime: ...  # timezone-aware, UTC

    def today(self) -> date: ...  # the clinic's local date


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return datetime.now(SITE_TZ).date()


class FixedClock:
    """A clock that stands still until moved (tests, benchmarks, the demo)."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self.at

    def today(self) -> date:
        return self.at.astimezone(SITE_TZ).date()

    def advance(self, delta: timedelta) -> None:
        self.at += delta


# -- wall-clock time: appointment times are naive clinic local times -------------


def local_now(clock: Clock) -> datetime:
    """The clinic's wall-clock time now, naive, comparable with appointment times."""
    return clock.now().astimezone(SITE_TZ).replace(tzinfo=None)


@overload
def to_local(instant: datetime) -> datetime: ...
@overload
def to_local(instant: None) -> None: ...
@overload
def to_local(instant: datetime | None) -> datetime | None: ...
def to_local(instant: datetime | None) -> datetime | None:
    """A stored UTC instant as naive local wall-clock time (for display)."""
    if instant is None:
        return None
    if instant.tzinfo is None:  # SQLite hands back naive values: they were UTC
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(SITE_TZ).replace(tzinfo=None)


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, day after last 00:00) in wall-clock time."""
    return datetime.combine(first, time.min), datetime.combine(last + timedelta(days=1), time.min)


def day_start(clock: Clock) -> datetime:
    """When the clinic day began, as a stored (UTC) time: the drop-in queue and
    the callbacks list start there."""
    return datetime.combine(clock.today(), time.min, tzinfo=SITE_TZ).astimezone(UTC)
