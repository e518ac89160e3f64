"""Time, injected: services ask a clock, tests hand them a fixed one.

The clinic keeps UK local time; the audit trail and stored timestamps are
UTC. ``today()`` is the clinic's date, which is what every "due" rule uses.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
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
