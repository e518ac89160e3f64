"""What the counter's services share: the date every record is checked
against, the person it is about, and the short text columns' bounds."""

from __future__ import annotations

from datetime import date

from clinic.uow import UnitOfWork
from clinic import validation
from clinic.validation import DAY_NAMED, check_date

MAX_NAME = 200
MAX_NOTE = 2000


def check_day(uow: UnitOfWork, day: date, field: str, *, born: date | None = None, what: str = "The date") -> None:
    """Refuse a date in the future, before 1900, after 2100 or before the person was born."""
    check_date(day, field=field, label=what, born=born, today=uow.clock.today(), wording=DAY_NAMED)


def check_text(text: str, field: str, *, limit: int = MAX_NAME, what: str = "This") -> str:
    """Trimmed text within its declared length (``clinic.validation.check_text``)."""
    return validation.check_text(text.strip(), field=field, max_length=limit, multiline=True, label=what)
