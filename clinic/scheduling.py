"""Appointment rules: clashes, late cancellations, callbacks, series, slots.

Times are compared as given: pass all naive (local wall-clock) or all aware
datetimes, never a mix. Python refuses to compare the two.
"""

from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Literal

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, rrule

from clinic import workdays

_FREQUENCIES: dict[str, Literal[1, 2, 3]] = {"daily": DAILY, "weekly": WEEKLY, "monthly": MONTHLY}
_SHORTEST_MONTH = 28
# Skipping this many dates in a row means the series never reaches a working
# day (weekly on Saturdays, say); without a limit a counted series would loop.
_MOST_SKIPPED_IN_A_ROW = 100


def _check_interval(start: datetime, end: datetime) -> None:
    if end <= start:
        raise ValueError("An appointment must end after it starts")


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """True if two half-open intervals [start, end) share any moment.

    Back-to-back appointments (one ends at 10:00, the next starts at 10:00)
    do not overlap.
    """
    _check_interval(a_start, a_end)
    _check_interval(b_start, b_end)
    return a_start < b_end and b_start < a_end


class Dimension(StrEnum):
    """What two overlapping bookings can both need."""

    PERSON = "person"
    CLINICIAN = "clinician"
    ROOM = "room"


@dataclass(frozen=True)
class Booking:
    """The parts of an appointment that clash detection looks at.

    A missing person, clinician or room (None) never clashes. ``id`` is None
    for a booking not yet saved.
    """

    person_id: int | None
    clinician_id: int | None
    room_id: int | None
    start: datetime
    end: datetime
    id: int | None = None

    def __post_init__(self) -> None:
        _check_interval(self.start, self.end)


@dataclass(frozen=True)
class Clash:
    """An existing booking that overlaps the candidate, and on what."""

    booking: Booking
    dimensions: tuple[Dimension, ...]


def find_clashes(candidate: Booking, existing: Iterable[Booking]) -> list[Clash]:
    """Existing bookings overlapping ``candidate`` for its person, clinician or room.

    A booking with the candidate's own id is skipped, so moving an appointment
    does not clash with where it was. Pass only live bookings: the caller
    leaves out cancelled ones.
    """
    clashes: list[Clash] = []
    for other in existing:
        if candidate.id is not None and other.id == candidate.id:
            continue
        if not overlaps(candidate.start, candidate.end, other.start, other.end):
            continue
        shared = tuple(
            dimension
            for dimension, mine, theirs in (
                (Dimension.PERSON, candidate.person_id, other.person_id),
                (Dimension.CLINICIAN, candidate.clinician_id, other.clinician_id),
                (Dimension.ROOM, candidate.room_id, other.room_id),
            )
            if mine is not None and mine == theirs
        )
        if shared:
            clashes.append(Clash(other, shared))
    return clashes


def is_late_cancellation(
    start: datetime, cancelled_at: datetime, *, notice_hours: int = 24
) -> bool:
    """True if the cancellation gave less than ``notice_hours`` notice.

    Exactly ``notice_hours`` before the start is in time.
    """
    if notice_hours < 0:
        raise ValueError("The notice period for cancellations cannot be negative")
    return cancelled_at > start - timedelta(hours=notice_hours)


def callback_due(
    taken_at: datetime,
    *,
    working_days: int = 1,
    closures: Set[date] = frozenset(),
    closing_time: time = time(17, 0),
) -> datetime:
    """When a message must be answered: by closing time on the next working day.

    Seed 000: answerphone messages "will be responded to by the end of the
    next working day". A message left on Friday evening or over the weekend
    is due at the end of Monday (or the next working day after a holiday).
    """
    due_day = workdays.add_working_days(taken_at.date(), working_days, closures=closures)
    return datetime.combine(due_day, closing_time, tzinfo=taken_at.tzinfo)


OnClosure = Literal["move", "skip"]


def recurrence(
    start: datetime,
    *,
    freq: str = "weekly",
    interval: int = 1,
    count: int | None = None,
    until: date | datetime | None = None,
    closures: Set[date] = frozenset(),
    on_closure: OnClosure = "move",
) -> list[datetime]:
    """The appointments of a repeating booking, avoiding non-working days.

    ``freq`` is "daily", "weekly" or "monthly", every ``interval`` of them.
    A monthly series from the 31st falls on the last day of shorter months.
    An occurrence on a weekend, bank holiday or closure day is moved to the
    next working day at the same time (``on_closure="move"``) or left out
    (``"skip"``). ``count`` is the number of appointments made, so a skipped
    week adds one at the end. Nothing is placed after ``until`` (a date
    includes that whole day), even by a move; two occurrences moved onto
    the same day become one. A series with no appointment left is refused.
    """
    _check_series(start, freq, interval, count, until, on_closure)
    last = _end_of(until, start) if until is not None else None
    made: list[datetime] = []
    skipped_in_a_row = 0
    for occurrence in _occurrences(start, freq, interval, last):
        if count is not None and len(made) == count:
            break
        placed = _place(occurrence, closures, on_closure)
        if placed is None:
            skipped_in_a_row += 1
            if skipped_in_a_row == _MOST_SKIPPED_IN_A_ROW:
                raise ValueError("This repeating booking never falls on a working day")
            continue
        skipped_in_a_row = 0
        if last is not None and placed > last:
            continue
        if made and placed <= made[-1]:
            continue
        made.append(placed)
    if not made:
        raise ValueError("This repeating booking never falls on a working day")
    return made


def _check_series(
    start: datetime,
    freq: str,
    interval: int,
    count: int | None,
    until: date | datetime | None,
    on_closure: str,
) -> None:
    if freq not in _FREQUENCIES:
        raise ValueError(f'Repeat "{freq}" is not known; use daily, weekly or monthly')
    if count is None and until is None:
        raise ValueError("A repeating booking needs an end date or a number of appointments")
    if count is not None and until is not None:
        raise ValueError("Give either an end date or a number of appointments, not both")
    if count is not None and count < 1:
        raise ValueError("A repeating booking needs at least one appointment")
    if until is not None and _end_of(until, start) < start:
        raise ValueError("The end date is before the first appointment")
    if interval < 1:
        raise ValueError("The repeat interval must be at least 1")
    if on_closure not in ("move", "skip"):
        raise ValueError(f'on_closure must be "move" or "skip", not "{on_closure}"')


def _end_of(until: date | datetime, start: datetime) -> datetime:
    if isinstance(until, datetime):
        return until
    return datetime.combine(until, time.max, tzinfo=start.tzinfo)


def _occurrences(
    start: datetime, freq: str, interval: int, last: datetime | None
) -> Iterator[datetime]:
    """The rule's dates before any are moved; endless when there is no ``last``."""
    bymonthday: tuple[int, ...] | None = None
    bysetpos: int | None = None
    if freq == "monthly" and start.day > _SHORTEST_MONTH:
        # rrule drops months without the start's day (no 31 April); take the
        # latest day up to it instead, so 31 January is followed by 28 February.
        bymonthday = tuple(range(_SHORTEST_MONTH, start.day + 1))
        bysetpos = -1
    rule = rrule(
        _FREQUENCIES[freq],
        dtstart=start,
        interval=interval,
        until=last,
        bymonthday=bymonthday,
        bysetpos=bysetpos,
    )
    return iter(rule)


def _place(occurrence: datetime, closures: Set[date], on_closure: OnClosure) -> datetime | None:
    day = occurrence.date()
    if workdays.is_working_day(day, closures=closures):
        return occurrence
    if on_closure == "skip":
        return None
    moved_to = workdays.next_working_day(day, closures=closures)
    return datetime.combine(moved_to, occurrence.timetz())


def session_slots(start: datetime, end: datetime, slot_minutes: int) -> list[datetime]:
    """Start times of the whole slots that fit in a clinic session.

    A 09:00-12:00 session with 20-minute slots has nine; a part slot left at
    the end is not offered.
    """
    if slot_minutes <= 0:
        raise ValueError("Slot length must be at least one minute")
    if end <= start:
        raise ValueError("A session must end after it starts")
    slot = timedelta(minutes=slot_minutes)
    slots: list[datetime] = []
    moment = start
    while moment + slot <= end:
        slots.append(moment)
        moment += slot
    return slots


def free_session_slots(start: datetime, end: datetime, slot_minutes: int,
                       taken: Iterable[tuple[datetime, datetime]]) -> list[datetime]:
    """The session's slots (``session_slots``) that no ``taken`` interval
    overlaps, as ``overlaps`` judges it: back to back is free.

    One sweep in start order: a slot is taken exactly when the latest end of
    the intervals starting before the slot ends is after the slot starts. So
    the work is the intervals plus the slots, not their product (a busy day
    in the demo data has hundreds of bookings per clinician)."""
    ordered = sorted(taken)
    length = timedelta(minutes=slot_minutes)
    free: list[datetime] = []
    taken_until, following = datetime.min, 0
    for slot in session_slots(start, end, slot_minutes):
        while following < len(ordered) and ordered[following][0] < slot + length:
            taken_until = max(taken_until, ordered[following][1])
            following += 1
        if taken_until <= slot:
            free.append(slot)
    return free
