"""Bad input, declared once and checked everywhere (DESIGN.md §7).

Three kinds of rule live here, each written once:

- **Text**: every text column declares its maximum length (``String(n)`` in
  ``db/tables``) and whether it may hold several lines
  (``info=MULTILINE``). Control characters are refused; a newline only where
  the column is multi-line.
- **Dates**: every date column is a ``date`` between 1900 and 2100; a
  column declared an event of a person's life (``info=EVENT``) is refused
  before their birth, and one declared a past event (``PAST_EVENT``) also
  after today. A service checks a date it computes with before saving with
  :func:`check_date`.
- **Numbers and types**: an integer fits SQLite's 64 bits, a float is finite,
  a boolean is a boolean, a datetime is a datetime.
- **Probation**: a text column declared ``TO_PROBATION`` is checked against
  the clinical vocabulary whatever service writes it (M1).

The column rules run as a SQLAlchemy ``before_flush`` hook over every new or
changed row (:func:`install`), so no service copies them; the refusal is a
``Refused`` that names the column, which is the command field of the same
name in the forms.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, String, Time, event, select
from sqlalchemy.orm import Session

from clinic import clinical_words
from clinic.dates import uk_long
from clinic.errors import Refused

EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
_INT_MAX = 2**63 - 1
#: Everything below U+0020 except tab and newline, DEL, and the C1 block.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Tables written by the trail itself or holding binary, not typed by anyone.
_SKIPPED_TABLES = frozenset({"audit_log", "alembic_version"})


def check_text(value: object, *, field: str, max_length: int, multiline: bool = False,
               label: str = "This field") -> str:
    """Refuse a value that is not text, too long, or holds control characters."""
    if not isinstance(value, str):
        raise Refused(f"{label} must be text.", field=field)
    if len(value) > max_length:
        raise Refused(f"{label} is too long: at most {max_length} characters (this has {len(value)}).", field=field)
    if _CONTROL.search(value.replace("\t", " ")) or (not multiline and "\n" in value):
        what = "control characters" if multiline else "line breaks or control characters"
        raise Refused(f"{label} cannot contain {what}.", field=field)
    return value


def check_choices(chosen: tuple[str, ...], allowed: dict[str, str], *, field: str) -> str:
    """Several keys of ``allowed`` as stored: space-separated, in the declared order."""
    unknown = set(chosen) - set(allowed)
    if unknown:
        raise Refused(f"Not a choice here: {', '.join(sorted(unknown))}.", field=field)
    return " ".join(k for k in allowed if k in chosen)


@dataclass(frozen=True)
class DateWording:
    """How :func:`check_date` words a refusal: ``{label}`` is the date's name,
    ``{day}`` the date in words, ``{born}`` the date of birth. A module whose
    forms and tests grew their own phrasing declares it once here, not in a
    copy of the rule."""

    out_of_range: str = f"{{label}} must be between {EARLIEST.year} and {LATEST.year}."
    before_birth: str = "{label} is before the person's date of birth ({born:%d/%m/%Y})."
    future: str = "{label} cannot be in the future."


#: The date itself named in the refusal: "The visit date (1 May 2027) is in the future."
DAY_NAMED = DateWording(before_birth="{label} ({day}) is before the date of birth.",
                        future="{label} ({day}) is in the future.")
#: The date alone names it: "1 May 2027 is in the future."
DAY_ONLY = DateWording(future="{day} is in the future.")


def check_date(value: object, *, field: str, label: str = "The date", born: date | None = None,
               today: date | None = None, earliest: date | None = None,
               wording: DateWording = DateWording()) -> date:
    """A date a service is about to store: a real ``date`` within 1900–2100,
    not before ``born`` (the person's date of birth) or ``earliest`` when
    given, and not after ``today`` when given (events that cannot be in the
    future)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise Refused(f"{label} must be a date.", field=field)
    words = {"label": label, "day": uk_long(value), "born": born}
    if not EARLIEST <= value <= LATEST:
        raise Refused(wording.out_of_range.format(**words), field=field)
    if born is not None and value < born:
        raise Refused(wording.before_birth.format(**words), field=field)
    if earliest is not None and value < earliest:
        raise Refused(f"{label} cannot be before {earliest:%d/%m/%Y}.", field=field)
    if today is not None and value > today:
        raise Refused(wording.future.format(**words), field=field)
    return value


def check_number(value: object, *, field: str, minimum: float, maximum: float, label: str = "The number",
                 whole: bool = False) -> float:
    """A finite number within declared bounds (not a bool, not a string)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or (whole and not isinstance(value, int)):
        raise Refused(f"{label} must be a {'whole ' if whole else ''}number.", field=field)
    if not math.isfinite(value) or not minimum <= value <= maximum:
        raise Refused(f"{label} must be between {minimum:g} and {maximum:g}.", field=field)
    return value


def check_row(row: Any, session: Session | None = None) -> None:
    """Check every column value of one mapped row against its declaration.
    With ``session``, a column declared an event (``EVENT``/``PAST_EVENT``
    in db/tables) is also refused before the person's birth, and a past
    event after today (the unit of work's clock)."""
    table = row.__table__
    if table.name in _SKIPPED_TABLES:
        return
    for column in table.columns:
        key = column.key
        value = row.__dict__.get(key)
        if value is None:
            continue
        _check_column(column, key, value)
        if session is not None and column.info.get("event"):
            _check_event(session, row, column, key, value)


def _check_event(session: Session, row: Any, column: Any, key: str, value: date) -> None:
    day = value.date() if isinstance(value, datetime) else value
    label = key.replace("_", " ").capitalize()
    today = session.info.get("today") if column.info.get("past") else None
    check_date(day, field=key, label=label, born=_born(session, getattr(row, "person_id", None)), today=today)


def _born(session: Session, person_id: object) -> date | None:
    if not isinstance(person_id, int):
        return None
    cache: dict[int, date | None] = session.info.setdefault("validation_born", {})
    if person_id not in cache:
        from db.tables.people import Person  # at a flush: the sign-in window needs no people table (issue 21)

        with session.no_autoflush:
            cache[person_id] = session.execute(
                select(Person.date_of_birth).where(Person.id == person_id)).scalar_one_or_none()
    return cache[person_id]


def _check_column(column: Any, key: str, value: object) -> None:
    kind = column.type
    label = key.replace("_", " ").capitalize()
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise Refused(f"{label} must be yes or no.", field=key)
    elif isinstance(kind, Integer):
        if isinstance(value, bool) or not isinstance(value, int) or not -_INT_MAX <= value <= _INT_MAX:
            raise Refused(f"{label} must be a whole number.", field=key)
    elif isinstance(kind, Float):
        check_number(value, field=key, minimum=column.info.get("minimum", -1e12),
                     maximum=column.info.get("maximum", 1e12), label=label)
    elif isinstance(kind, DateTime):
        if not isinstance(value, datetime) or not EARLIEST.year <= value.year <= LATEST.year:
            raise Refused(f"{label} must be a date and time between {EARLIEST.year} and {LATEST.year}.", field=key)
        if not kind.timezone and value.tzinfo is not None:
            raise Refused(f"{label} must be a local clock time, without a time zone.", field=key)
    elif isinstance(kind, Date):
        check_date(value, field=key, label=label)
    elif isinstance(kind, Time):
        if not isinstance(value, time):
            raise Refused(f"{label} must be a time of day.", field=key)
    elif isinstance(kind, String) and kind.length is not None:
        text = check_text(value, field=key, max_length=kind.length, multiline=bool(column.info.get("multiline")),
                          label=label)
        if column.info.get("to_probation"):
            clinical_words.check(text, field=key, label=label)


def _before_flush(session: Session, _context: object, _instances: object) -> None:
    for row in (*session.new, *session.dirty):
        if hasattr(row, "__table__"):
            check_row(row, session)


def install(session_factory: Any) -> None:
    """Check every row before it is written, for sessions of this factory.

    The mark is on the factory itself: ``event.contains`` answers by the
    object's id, so a new factory at a recycled address could be taken for an
    old one and never be checked (a test saw that, now and then)."""
    if not getattr(session_factory, "_harbour_validated", False):
        event.listen(session_factory, "before_flush", _before_flush)
        session_factory._harbour_validated = True
