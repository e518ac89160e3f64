"""Tests for clinic.scheduling."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from clinic.scheduling import (
    Booking,
    Clash,
    Dimension,
    callback_due,
    find_clashes,
    free_session_slots,
    is_late_cancellation,
    overlaps,
    recurrence,
    session_slots,
)

# Bank holidays (England and Wales, gov.uk/bank-holidays) used below:
# 2026: Good Friday 3 Apr, Easter Monday 6 Apr, spring Mon 25 May,
#       summer Mon 31 Aug, Christmas Fri 25 Dec, substitute Boxing Day Mon 28 Dec.
# British Summer Time 2026 starts Sunday 29 March.

LONDON = ZoneInfo("Europe/London")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


MON_9_MAR = date(2026, 3, 9)

# --- overlaps -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("b_start", "b_end", "expected"),
    [
        ((9, 0), (10, 0), False),  # ends as A starts
        ((10, 30), (11, 0), False),  # starts as A ends
        ((9, 30), (10, 1), True),  # overlaps A's first minute
        ((10, 29), (11, 0), True),  # overlaps A's last minute
        ((10, 0), (10, 30), True),  # the same interval
        ((10, 10), (10, 20), True),  # inside A
        ((9, 0), (11, 0), True),  # contains A
        ((11, 0), (12, 0), False),  # well after
    ],
)
def test_overlaps_half_open(
    b_start: tuple[int, int], b_end: tuple[int, int], expected: bool
) -> None:
    a = (at(MON_9_MAR, 10), at(MON_9_MAR, 10, 30))
    b = (at(MON_9_MAR, *b_start), at(MON_9_MAR, *b_end))
    assert overlaps(*a, *b) is expected
    assert overlaps(*b, *a) is expected


@pytest.mark.parametrize("end_minute", [0, 59])
def test_overlaps_refuses_empty_or_backwards_intervals(end_minute: int) -> None:
    start = at(MON_9_MAR, 10)
    end = at(MON_9_MAR, 9, end_minute) if end_minute else start
    with pytest.raises(ValueError, match="must end after it starts"):
        overlaps(start, end, start, at(MON_9_MAR, 11))
    with pytest.raises(ValueError, match="must end after it starts"):
        overlaps(start, at(MON_9_MAR, 11), start, end)


# --- find_clashes ---------------------------------------------------------------


def booking(
    person: int | None,
    clinician: int | None,
    room: int | None,
    start: tuple[int, int],
    end: tuple[int, int],
    id: int | None = None,
) -> Booking:
    return Booking(person, clinician, room, at(MON_9_MAR, *start), at(MON_9_MAR, *end), id)


CANDIDATE = booking(1, 10, 100, (10, 0), (10, 30))


def test_clash_on_each_dimension() -> None:
    same_person = booking(1, 11, 101, (10, 15), (10, 45), id=1)
    same_clinician_and_room = booking(2, 10, 100, (10, 0), (10, 30), id=2)
    assert find_clashes(CANDIDATE, [same_person, same_clinician_and_room]) == [
        Clash(same_person, (Dimension.PERSON,)),
        Clash(same_clinician_and_room, (Dimension.CLINICIAN, Dimension.ROOM)),
    ]


def test_no_clash_back_to_back_or_with_other_people() -> None:
    back_to_back = booking(1, 10, 100, (10, 30), (11, 0), id=1)
    before = booking(1, 10, 100, (9, 30), (10, 0), id=2)
    different_everything = booking(2, 11, 101, (10, 0), (10, 30), id=3)
    assert find_clashes(CANDIDATE, [back_to_back, before, different_everything]) == []


def test_missing_room_or_clinician_never_clashes() -> None:
    candidate = booking(1, None, None, (10, 0), (10, 30))
    other = booking(2, None, None, (10, 0), (10, 30), id=1)
    assert find_clashes(candidate, [other]) == []


def test_moving_a_booking_does_not_clash_with_itself() -> None:
    saved = booking(1, 10, 100, (10, 0), (10, 30), id=7)
    moved = booking(1, 10, 100, (10, 15), (10, 45), id=7)
    assert find_clashes(moved, [saved]) == []
    # ...but an unsaved booking (id None) is checked against everything.
    assert find_clashes(booking(1, 10, 100, (10, 15), (10, 45)), [saved]) == [
        Clash(saved, (Dimension.PERSON, Dimension.CLINICIAN, Dimension.ROOM))
    ]


def test_booking_must_end_after_it_starts() -> None:
    with pytest.raises(ValueError, match="must end after it starts"):
        booking(1, 10, 100, (10, 0), (10, 0))


def test_dimension_values_are_stable_strings() -> None:
    assert [d.value for d in Dimension] == ["person", "clinician", "room"]


# --- late cancellation ----------------------------------------------------------

WED_11_MAR_10AM = at(date(2026, 3, 11), 10)


@pytest.mark.parametrize(
    ("cancelled_at", "late"),
    [
        (at(date(2026, 3, 10), 9, 59), False),
        (at(date(2026, 3, 10), 10, 0), False),  # exactly 24 hours: in time
        (at(date(2026, 3, 10), 10, 1), True),
        (at(date(2026, 3, 11), 9, 0), True),
        (at(date(2026, 3, 11), 11, 0), True),  # after the start
    ],
)
def test_late_cancellation_default_24_hours(cancelled_at: datetime, late: bool) -> None:
    assert is_late_cancellation(WED_11_MAR_10AM, cancelled_at) is late


def test_late_cancellation_notice_is_a_setting() -> None:
    cancelled = at(date(2026, 3, 10), 9, 0)  # 25 hours before
    assert is_late_cancellation(WED_11_MAR_10AM, cancelled, notice_hours=48)
    assert not is_late_cancellation(WED_11_MAR_10AM, WED_11_MAR_10AM, notice_hours=0)


def test_late_cancellation_refuses_negative_notice() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        is_late_cancellation(WED_11_MAR_10AM, WED_11_MAR_10AM, notice_hours=-1)


# --- callbacks (seed 000: "by the end of the next working day") ------------------


@pytest.mark.parametrize(
    ("taken_at", "due"),
    [
        (at(date(2026, 3, 9), 8, 0), at(date(2026, 3, 10), 17)),  # Mon -> Tue
        (at(date(2026, 3, 13), 19, 0), at(date(2026, 3, 16), 17)),  # Fri evening -> Mon
        (at(date(2026, 3, 7), 11, 0), at(date(2026, 3, 9), 17)),  # Sat -> Mon
        (at(date(2026, 3, 8), 23, 59), at(date(2026, 3, 9), 17)),  # Sun -> Mon
        (at(date(2026, 12, 24), 14, 30), at(date(2026, 12, 29), 17)),  # Christmas
        (at(date(2026, 8, 28), 18, 0), at(date(2026, 9, 1), 17)),  # August bank holiday
        (at(date(2026, 4, 2), 12, 0), at(date(2026, 4, 7), 17)),  # Easter
    ],
)
def test_callback_due_end_of_next_working_day(taken_at: datetime, due: datetime) -> None:
    assert callback_due(taken_at) == due


def test_callback_due_settings() -> None:
    taken = at(date(2026, 3, 9), 8, 0)
    closed = frozenset({date(2026, 3, 10)})
    assert callback_due(taken, closing_time=time(16, 30)) == at(date(2026, 3, 10), 16, 30)
    assert callback_due(taken, closures=closed) == at(date(2026, 3, 11), 17)
    assert callback_due(taken, working_days=2) == at(date(2026, 3, 11), 17)


def test_callback_due_keeps_the_time_zone() -> None:
    taken = datetime(2026, 3, 27, 15, 0, tzinfo=LONDON)  # Friday, still GMT
    due = callback_due(taken)
    assert due == datetime(2026, 3, 30, 17, 0, tzinfo=LONDON)  # Monday, BST
    assert due.utcoffset() == timedelta(hours=1)


# --- recurrence ------------------------------------------------------------------


def test_recurrence_needs_an_end() -> None:
    with pytest.raises(
        ValueError, match="A repeating booking needs an end date or a number of appointments"
    ):
        recurrence(at(MON_9_MAR, 10))


def test_weekly_series_moves_easter_monday_to_tuesday() -> None:
    # Mondays from 30 Mar 2026; 6 Apr is Easter Monday.
    series = recurrence(at(date(2026, 3, 30), 10), count=3)
    assert series == [
        at(date(2026, 3, 30), 10),
        at(date(2026, 4, 7), 10),  # moved, same time
        at(date(2026, 4, 13), 10),
    ]


def test_weekly_series_skips_easter_monday_and_still_makes_count() -> None:
    series = recurrence(at(date(2026, 3, 30), 10), count=3, on_closure="skip")
    assert series == [
        at(date(2026, 3, 30), 10),
        at(date(2026, 4, 13), 10),
        at(date(2026, 4, 20), 10),
    ]


def test_weekly_series_over_the_august_bank_holiday() -> None:
    # Mondays 24 Aug to 14 Sep 2026; 31 Aug is the summer bank holiday.
    start = at(date(2026, 8, 24), 14, 30)
    until = date(2026, 9, 14)
    assert recurrence(start, until=until) == [
        at(date(2026, 8, 24), 14, 30),
        at(date(2026, 9, 1), 14, 30),
        at(date(2026, 9, 7), 14, 30),
        at(date(2026, 9, 14), 14, 30),
    ]
    assert recurrence(start, until=until, on_closure="skip") == [
        at(date(2026, 8, 24), 14, 30),
        at(date(2026, 9, 7), 14, 30),
        at(date(2026, 9, 14), 14, 30),
    ]


def test_a_move_never_goes_past_the_end_date() -> None:
    # An order ending on the bank holiday: its last session cannot move to 1 Sep.
    series = recurrence(at(date(2026, 8, 17), 10), until=date(2026, 8, 31))
    assert series == [at(date(2026, 8, 17), 10), at(date(2026, 8, 24), 10)]


def test_until_date_includes_that_day_and_datetime_is_exact() -> None:
    start = at(MON_9_MAR, 10)
    assert recurrence(start, until=date(2026, 3, 23))[-1] == at(date(2026, 3, 23), 10)
    assert recurrence(start, until=at(date(2026, 3, 23), 9))[-1] == at(date(2026, 3, 16), 10)


def test_site_closure_moves_a_session() -> None:
    closed = frozenset({date(2026, 3, 16)})
    series = recurrence(at(MON_9_MAR, 10), count=3, closures=closed)
    assert series == [at(MON_9_MAR, 10), at(date(2026, 3, 17), 10), at(date(2026, 3, 23), 10)]


def test_series_starting_on_a_holiday() -> None:
    easter_monday = at(date(2026, 4, 6), 10)
    assert recurrence(easter_monday, count=2) == [
        at(date(2026, 4, 7), 10),
        at(date(2026, 4, 13), 10),
    ]
    assert recurrence(easter_monday, count=2, on_closure="skip") == [
        at(date(2026, 4, 13), 10),
        at(date(2026, 4, 20), 10),
    ]


def test_fortnightly_series() -> None:
    series = recurrence(at(MON_9_MAR, 10), interval=2, count=3)
    assert series == [at(MON_9_MAR, 10), at(date(2026, 3, 23), 10), at(date(2026, 4, 7), 10)]
    # 6 Apr is Easter Monday, so the third is Tuesday 7 Apr.


def test_daily_series_moves_the_weekend_without_doubling_monday() -> None:
    # Fri 3 Jul 2026: Sat and Sun both move to Mon 6, which already has one.
    series = recurrence(at(date(2026, 7, 3), 9), freq="daily", count=3)
    assert series == [at(date(2026, 7, 3), 9), at(date(2026, 7, 6), 9), at(date(2026, 7, 7), 9)]
    by_end_date = recurrence(at(date(2026, 7, 3), 9), freq="daily", until=date(2026, 7, 7))
    assert by_end_date == series


def test_monthly_series_from_the_31st_uses_the_last_day_of_short_months() -> None:
    # Tue 31 Mar, Thu 30 Apr, (Sun 31 May -> Mon 1 Jun), Tue 30 Jun 2026.
    series = recurrence(at(date(2026, 3, 31), 11), freq="monthly", count=4)
    assert series == [
        at(date(2026, 3, 31), 11),
        at(date(2026, 4, 30), 11),
        at(date(2026, 6, 1), 11),
        at(date(2026, 6, 30), 11),
    ]


def test_monthly_series_on_an_ordinary_day() -> None:
    # The 15th: Thu 15 Jan, Sun 15 Feb, Sun 15 Mar, Wed 15 Apr 2026.
    start = at(date(2026, 1, 15), 11)
    assert recurrence(start, freq="monthly", count=2) == [
        at(date(2026, 1, 15), 11),
        at(date(2026, 2, 16), 11),
    ]
    assert recurrence(start, freq="monthly", until=date(2026, 4, 30), on_closure="skip") == [
        at(date(2026, 1, 15), 11),
        at(date(2026, 4, 15), 11),
    ]


def test_weekly_series_keeps_wall_clock_time_over_the_clocks_changing() -> None:
    # Clocks go forward on Sun 29 Mar 2026: 10:00 stays 10:00 local.
    series = recurrence(datetime(2026, 3, 23, 10, tzinfo=LONDON), count=2)
    assert [d.hour for d in series] == [10, 10]
    assert [d.utcoffset() for d in series] == [timedelta(0), timedelta(hours=1)]


def test_skipping_a_series_that_never_reaches_a_working_day_is_refused() -> None:
    saturday = at(date(2026, 3, 7), 10)
    with pytest.raises(ValueError, match="never falls on a working day"):
        recurrence(saturday, count=2, on_closure="skip")
    with pytest.raises(ValueError, match="never falls on a working day"):
        recurrence(saturday, until=date(2026, 4, 30), on_closure="skip")
    with pytest.raises(ValueError, match="never falls on a working day"):
        recurrence(saturday, until=date(2026, 3, 8))  # moving would pass the end
    # Moving instead puts each one on the Monday after.
    assert recurrence(saturday, count=2) == [at(MON_9_MAR, 10), at(date(2026, 3, 16), 10)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"count": 2, "until": date(2026, 4, 1)}, "not both"),
        ({"count": 0}, "at least one appointment"),
        ({"until": date(2026, 3, 8)}, "end date is before the first appointment"),
        ({"count": 2, "interval": 0}, "interval must be at least 1"),
        ({"count": 2, "freq": "yearly"}, 'Repeat "yearly" is not known'),
        ({"count": 2, "on_closure": "ignore"}, 'on_closure must be "move" or "skip"'),
    ],
)
def test_recurrence_refuses_bad_settings(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        recurrence(at(MON_9_MAR, 10), **kwargs)  # type: ignore[arg-type]


# --- session slots ---------------------------------------------------------------


def test_session_slots_whole_session() -> None:
    slots = session_slots(at(MON_9_MAR, 9), at(MON_9_MAR, 12), 20)
    assert len(slots) == 9
    assert slots[0] == at(MON_9_MAR, 9)
    assert slots[-1] == at(MON_9_MAR, 11, 40)


def test_session_slots_drop_a_part_slot() -> None:
    assert session_slots(at(MON_9_MAR, 9), at(MON_9_MAR, 10), 25) == [
        at(MON_9_MAR, 9),
        at(MON_9_MAR, 9, 25),
    ]
    assert session_slots(at(MON_9_MAR, 9), at(MON_9_MAR, 9, 15), 30) == []


@pytest.mark.parametrize("minutes", [0, -15])
def test_session_slots_refuse_bad_slot_length(minutes: int) -> None:
    with pytest.raises(ValueError, match="at least one minute"):
        session_slots(at(MON_9_MAR, 9), at(MON_9_MAR, 12), minutes)


@pytest.mark.parametrize("end_hour", [9, 8])
def test_session_slots_refuse_session_ending_before_it_starts(end_hour: int) -> None:
    with pytest.raises(ValueError, match="must end after it starts"):
        session_slots(at(MON_9_MAR, 9), at(MON_9_MAR, end_hour), 20)


def test_free_session_slots_agree_with_overlaps() -> None:
    """A 09:00-11:00 session of 20-minute slots: a booking taken back to back
    with a slot leaves it free, one inside a slot takes it, one spanning
    several takes each, and a short one that ends inside a longer one does not
    free what the longer one holds."""
    def at(hh: int, mm: int = 0) -> datetime:
        return datetime(2026, 11, 24, hh, mm)

    taken = [(at(8, 40), at(9)),  # ends as the session starts
             (at(9, 25), at(9, 30)),  # inside the 09:20 slot
             (at(10), at(10, 45)),  # 10:00, 10:20 and 10:40
             (at(10, 5), at(10, 10))]  # ends before the long one does
    free = free_session_slots(at(9), at(11), 20, taken)
    assert free == [at(9), at(9, 40)]
    every = session_slots(at(9), at(11), 20)
    assert free == [s for s in every
                    if not any(overlaps(s, s + timedelta(minutes=20), a, b) for a, b in taken)]
