"""Tests for clinic.dates."""

from datetime import date

import pytest

from clinic.dates import age_on, check_date_of_birth, looks_like_date, parse_date, uk_long

JULY_3_1985 = date(1985, 7, 3)
TODAY = date(2026, 1, 1)


@pytest.mark.parametrize(
    "text",
    [
        "3/7/1985",
        "03/07/1985",
        "3-7-1985",
        "03-07-1985",
        "3.7.1985",
        "03071985",
        "1985-07-03",
        "1985-7-3",
        "3 July 1985",
        "3 july 1985",
        "03 Jul 1985",
        "3 Jul. 1985",
        "  03/07/1985  ",
    ],
)
def test_uk_forms_are_day_first(text: str) -> None:
    assert parse_date(text) == JULY_3_1985


def test_day_first_even_when_both_could_be_months() -> None:
    assert parse_date("01/02/2026") == date(2026, 2, 1)


def test_sept_is_september() -> None:
    assert parse_date("9 Sept 2026") == date(2026, 9, 9)


@pytest.mark.parametrize("text", ["3/7/85", "3.7.85", "030785", "03-07-85"])
def test_two_digit_years_need_today(text: str) -> None:
    with pytest.raises(ValueError, match="Write the year in full, like 03/07/1985"):
        parse_date(text)
    assert parse_date(text, today=TODAY) == JULY_3_1985


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        # The window is the 100 years up to 10 years after today.
        ("1/1/36", date(2026, 1, 1), date(2036, 1, 1)),  # 10 years ahead: latest allowed
        ("1/1/37", date(2026, 1, 1), date(1937, 1, 1)),  # 11 ahead would be too far
        ("1/1/26", date(2026, 1, 1), date(2026, 1, 1)),
        ("1/1/00", date(2026, 1, 1), date(2000, 1, 1)),
        ("1/1/99", date(2026, 1, 1), date(1999, 1, 1)),
        ("1/1/37", date(2027, 6, 1), date(2037, 1, 1)),  # window moves with today
        ("1/1/05", date(1999, 1, 1), date(2005, 1, 1)),
    ],
)
def test_two_digit_year_window(text: str, today: date, expected: date) -> None:
    assert parse_date(text, today=today) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/1990", "31/02/1990 is not a real date$"),
        ("29/02/2025", "29/02/2025 is not a real date$"),  # 2025 is not a leap year
        ("32/01/2026", "32/01/2026 is not a real date$"),
        ("00/01/2026", "00/01/2026 is not a real date$"),
        ("1990-02-31", "1990-02-31 is not a real date$"),
        ("31021990", "31021990 is not a real date$"),
        ("30 February 1990", "30 February 1990 is not a real date$"),
        # Typed month first, American style: say how UK dates go.
        ("7/13/1985", r"7/13/1985 is not a real date \(dates are day/month/year\)"),
    ],
)
def test_impossible_dates_say_so(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_date(text)


def test_leap_day_is_real_in_a_leap_year() -> None:
    assert parse_date("29/02/2024") == date(2024, 2, 29)


@pytest.mark.parametrize(
    "text",
    [
        "3rd July",
        "July 3 1985",
        "3 July 85",
        "3/7",
        "3/7-1985",
        "1985/07/03",
        "3/7/985",
        "0307198",
        "tomorrow",
        "३/७/१९८५",  # 3/7/1985 in Devanagari digits
    ],
)
def test_unrecognised_text_shows_an_example(text: str) -> None:
    with pytest.raises(ValueError, match="Use a date like 03/07/1985"):
        parse_date(text)


def test_unknown_month_name_is_named() -> None:
    with pytest.raises(ValueError, match='"Jly" is not a month'):
        parse_date("3 Jly 1985")


@pytest.mark.parametrize("text", ["", "   "])
def test_blank_asks_for_a_date(text: str) -> None:
    with pytest.raises(ValueError, match="Enter a date, like 03/07/1985"):
        parse_date(text)


def test_looks_like_date_for_search() -> None:
    assert looks_like_date("03/07/1985") == JULY_3_1985
    assert looks_like_date("030785", today=TODAY) == JULY_3_1985
    assert looks_like_date("030785") is None
    assert looks_like_date("Smith") is None
    assert looks_like_date("31/02/1990") is None
    assert looks_like_date("9434765919") is None  # an NHS number, not a date
    assert looks_like_date("") is None


@pytest.mark.parametrize(
    ("d", "text"),
    [
        (date(1985, 7, 3), "3 July 1985"),
        (date(2026, 12, 25), "25 December 2026"),
        (date(2026, 1, 1), "1 January 2026"),
        (date(2026, 9, 10), "10 September 2026"),
    ],
)
def test_uk_long_has_no_leading_zero(d: date, text: str) -> None:
    assert uk_long(d) == text
    assert parse_date(text) == d


@pytest.mark.parametrize(
    ("dob", "on", "age"),
    [
        (date(1985, 7, 3), date(2026, 7, 2), 40),  # day before the birthday
        (date(1985, 7, 3), date(2026, 7, 3), 41),  # on the birthday
        (date(1985, 7, 3), date(1985, 7, 3), 0),
        (date(2008, 2, 29), date(2026, 2, 28), 17),  # leap-day birthday, common year
        (date(2008, 2, 29), date(2026, 3, 1), 18),  # ... turns 18 on 1 March
        (date(2008, 2, 29), date(2028, 2, 29), 20),
        (date(1985, 12, 31), date(1986, 1, 1), 0),
    ],
)
def test_age_on(dob: date, on: date, age: int) -> None:
    assert age_on(dob, on) == age


def test_age_before_birth_is_refused() -> None:
    with pytest.raises(ValueError, match="2 July 1985 is before the date of birth, 3 July 1985"):
        age_on(date(1985, 7, 3), date(1985, 7, 2))


def test_date_of_birth_today_and_in_the_past_is_accepted() -> None:
    check_date_of_birth(TODAY, today=TODAY)
    check_date_of_birth(JULY_3_1985, today=TODAY)


def test_date_of_birth_in_the_future_is_refused() -> None:
    with pytest.raises(ValueError, match="Date of birth 2 January 2026 is in the future"):
        check_date_of_birth(date(2026, 1, 2), today=TODAY)


def test_date_of_birth_more_than_120_years_ago_is_refused() -> None:
    check_date_of_birth(date(1906, 1, 1), today=TODAY)  # exactly 120 years: allowed
    with pytest.raises(ValueError, match="31 December 1905 is more than 120 years ago"):
        check_date_of_birth(date(1905, 12, 31), today=TODAY)


def test_date_of_birth_limit_is_a_keyword() -> None:
    with pytest.raises(ValueError, match="more than 100 years ago"):
        check_date_of_birth(date(1925, 1, 1), today=TODAY, max_age_years=100)


def test_two_digit_year_in_the_future_is_caught_as_a_date_of_birth() -> None:
    # "1/1/30" on 1 Jan 2026 reads as 2030; a 96-year-old's year must be typed in full.
    dob = parse_date("1/1/30", today=TODAY)
    with pytest.raises(ValueError, match="in the future"):
        check_date_of_birth(dob, today=TODAY)


# ---- the date fields (UI-2): every way a receptionist types 2 December 2026 ----

@pytest.mark.parametrize("text", ["02/12/2026", "2/12/26", "02122026", "2 Dec 2026", "2 December 2026",
                                  "Wed 02/12/2026", "wednesday 2 Dec 2026", "2.12.2026", " 2-12-2026 "])
def test_every_typed_form_of_2_december_2026(text: str) -> None:
    assert parse_date(text, today=date(2026, 12, 1)) == date(2026, 12, 2)


def test_a_word_that_only_starts_like_a_weekday_is_not_dropped() -> None:
    with pytest.raises(ValueError, match="not a date"):
        parse_date("Monkey 02/12/2026")
