"""Dates as people in a UK clinic type and read them.

Typed dates are day first: "3/7/1985" is 3 July 1985, never 7 March. Accepted
forms, with "/", "-" or "." between the parts (the same one throughout):

- ``3/7/1985``, ``03/07/1985``, ``3-7-1985``, ``3.7.1985``
- ``03071985`` (DDMMYYYY, as typed on a number pad)
- ``1985-07-03`` (ISO, as pasted from other systems)
- ``3 July 1985``, ``3 Jul 1985`` (as printed on letters)
- any of these after a weekday, ``Wed 03/07/1985`` (as the date fields show
  them); the weekday is not checked against the date
- two-digit years, ``3/7/85`` and ``030785``, only when ``today`` is given: the
  year is the one ending in those digits in the 100 years up to 10 years
  after ``today``. On 1 January 2026, "85" is 1985, "36" is 2036 and "37" is
  1937. Without ``today`` a two-digit year is refused, never guessed.
"""

import re
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# Both full names and the first three letters, plus "Sept" as people write it.
_MONTH_NUMBERS = {
    form: n
    for n, name in enumerate(_MONTHS, start=1)
    for form in (name.lower(), name[:3].lower())
} | {"sept": 9}
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # not strftime: no locale
_TWO_DIGIT_YEARS_AHEAD = 10
_EXAMPLE = "03/07/1985"

# [0-9], not \d: \d also matches digits from other scripts.
_DAY_MONTH_YEAR = re.compile(r"([0-9]{1,2})([/.\-])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DIGITS_ONLY = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{4}|[0-9]{2})")
_IN_WORDS = re.compile(r"([0-9]{1,2})\s+([A-Za-z]+)\.?,?\s+([0-9]{4})")
_WEEKDAY = re.compile(
    r"(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"\.?,?\s+", re.IGNORECASE)


def parse_date(text: str, *, today: date | None = None) -> date:
    """The date a person meant by ``text``, or ``ValueError`` saying why not.

    ``today`` is needed only to read two-digit years (see the module notes).
    """
    stripped = text.strip()
    if not stripped:
        raise ValueError(f"Enter a date, like {_EXAMPLE}")
    if (weekday := _WEEKDAY.match(stripped)) and stripped[weekday.end():][:1].isdigit():
        stripped = stripped[weekday.end():]
    if match := _ISO.fullmatch(stripped):
        year, month, day = (int(part) for part in match.groups())
        return _real_date(stripped, year, month, day)
    if match := _DAY_MONTH_YEAR.fullmatch(stripped):
        day_text, _, month_text, year_text = match.groups()
        return _from_parts(stripped, day_text, month_text, year_text, today)
    if match := _DIGITS_ONLY.fullmatch(stripped):
        day_text, month_text, year_text = match.groups()
        return _from_parts(stripped, day_text, month_text, year_text, today)
    if match := _IN_WORDS.fullmatch(stripped):
        day_text, month_name, year_text = match.groups()
        month_number = _MONTH_NUMBERS.get(month_name.lower())
        if month_number is None:
            raise ValueError(f'"{month_name}" is not a month. Use a date like {_EXAMPLE}')
        return _real_date(stripped, int(year_text), month_number, int(day_text))
    raise ValueError(f'"{stripped}" is not a date. Use a date like {_EXAMPLE}')


def looks_like_date(text: str, *, today: date | None = None) -> date | None:
    """The date in ``text`` if it reads as one, else None; for search boxes."""
    try:
        return parse_date(text, today=today)
    except ValueError:
        return None


def _from_parts(
    text: str, day_text: str, month_text: str, year_text: str, today: date | None
) -> date:
    year = int(year_text)
    if len(year_text) == 2:
        year = _full_year(year, today)
    return _real_date(text, year, int(month_text), int(day_text))


def _full_year(two_digits: int, today: date | None) -> int:
    if today is None:
        raise ValueError(f"Write the year in full, like {_EXAMPLE}")
    latest = today.year + _TWO_DIGIT_YEARS_AHEAD
    return latest - (latest - two_digits) % 100


def _real_date(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        hint = " (dates are day/month/year)" if 12 < month <= 31 and day <= 12 else ""
        raise ValueError(f"{text} is not a real date{hint}") from None


def age_on(dob: date, on: date) -> int:
    """Age in completed years on ``on``.

    Someone born on 29 February turns a year older on 1 March in other years,
    as English law counts it.
    """
    if on < dob:
        raise ValueError(f"{uk_long(on)} is before the date of birth, {uk_long(dob)}")
    had_birthday = (on.month, on.day) >= (dob.month, dob.day)
    return on.year - dob.year - (0 if had_birthday else 1)


def check_date_of_birth(dob: date, *, today: date, max_age_years: int = 120) -> None:
    """Refuse a date of birth in the future or more than 120 years ago."""
    if dob > today:
        raise ValueError(f"Date of birth {uk_long(dob)} is in the future")
    if dob < today - relativedelta(years=max_age_years):
        raise ValueError(
            f"Date of birth {uk_long(dob)} is more than {max_age_years} years ago; "
            "please check the year"
        )


def end_of_week(today: date) -> date:
    """The last day of "this week": the coming Sunday (today, on a Sunday).
    The one meaning of "due this week", for every tab and worklist."""
    return today + timedelta(days=6 - today.weekday())


def uk_long(d: date) -> str:
    """``d`` written out as on a letter: "3 July 1985".

    Built by hand rather than with strftime: "%-d" does not exist on Windows,
    and month names from strftime follow the workstation's locale.
    """
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def uk_date(d: date) -> str:
    """``d`` as every screen shows a date: "03/07/1985", day first, the same
    form people type into a date field (UI-26). Letters use ``uk_long``."""
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def uk_date_time(at: datetime, *, seconds: bool = False) -> str:
    """``at`` as every screen shows a moment: "03/07/1985 14:05" (the audit
    log adds seconds, where two events a minute apart must read apart)."""
    time = f"{at.hour:02d}:{at.minute:02d}" + (f":{at.second:02d}" if seconds else "")
    return f"{uk_date(at)} {time}"


def uk_day(d: date) -> str:
    """``d`` with its weekday, where the day of the week matters (a diary
    column, a repeating series): "Wed 03/07/1985", as the date fields show."""
    return f"{_WEEKDAYS[d.weekday()]} {uk_date(d)}"
