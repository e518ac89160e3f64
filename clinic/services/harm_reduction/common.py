"""What the counter's services share: the date every record is checked
against, the person it is about, and the short text columns' bounds."""

from __future__ import annotations

from datetime import date

from clinic.errors import Refused
from clinic.uow import UnitOfWork
from clinic.validation import DAY_NAMED, check_date

MAX_NAME = 200
MAX_NOTE = 2000



def check_day(uow: UnitOfWork, day: date, field: str, *, born: date | None = None, what: str = "The date") -> None:
    """Refuse a date in the future, before 1900, after 2100 or before the person was born."""
    check_date(day, field=field, label=what, born=born, today=uow.clock.today(), wording=DAY_NAMED)


def check_text(text: str, field: str, *, limit: int = MAX_NAME, what: str = "This") -> str:
    """Trimmed text within its declared length and without control characters."""
    value = text.strip()
    if len(value) > limit:
        raise Refused(f"{what} is at most {limit} characters.", field=field)
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in value):
        raise Refused(f"{what} contains a control character.", field=field)
    return value


def keys_of(chosen: tuple[str, ...], allowed: dict[str, str], field: str) -> str:
    """The chosen keys as stored (space-separated, in the declared order)."""
    unknown = set(chosen) - set(allowed)
    if unknown:
        raise Refused(f"Not a choice here: {', '.join(sorted(unknown))}.", field=field)
    return " ".join(k for k in allowed if k in chosen)
