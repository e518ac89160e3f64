"""What the safeguarding, consent and referral services share: finding the
person, checking dates, text and versions, the same way in each."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import select

from clinic.changes import Area
from clinic.errors import Conflict, Refused
from clinic.uow import UnitOfWork
from clinic.validation import DateWording, check_date
from db.tables.people import Person
from db.tables.safeguarding import SafeguardingLead

E = TypeVar("E", bound=StrEnum)
AREA = Area.SAFEGUARDING



def dated(uow: UnitOfWork, who: Person, day: date | None, field: str, what: str, *,
          future_allowed: bool = False, required: bool = True) -> None:
    if day is None:
        if required:
            raise Refused(f"Enter the {what}.", field=field)
        return
    check_date(day, field=field, label=f"The {what}", born=who.date_of_birth,
               today=None if future_allowed else uow.clock.today(), wording=DATE_WORDING)


#: Every dated safeguarding record is refused in these words.
DATE_WORDING = DateWording(before_birth="{label} is before the person was born.")


def text(value: str, field: str, what: str, *, limit: int, required: bool = False) -> str:
    """Trimmed text within its declared length, no control characters."""
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise Refused(f"Enter {what}.", field=field)
    if len(cleaned) > limit:
        raise Refused(f"{what.capitalize()} is at most {limit} characters.", field=field)
    if any(ord(c) < 32 and c not in "\n\t" for c in cleaned):
        raise Refused(f"{what.capitalize()} has characters that cannot be printed.", field=field)
    return cleaned


def choice(enum: type[E], value: object, field: str, what: str) -> E:
    """One of the vocabulary, or a refusal: nothing is chosen by default."""
    try:
        return enum(str(value)) if isinstance(value, str) else enum(value)  # type: ignore[arg-type]
    except ValueError:
        raise Refused(f"Choose {what}.", field=field) from None


def same_version(row_version: int, expected: int) -> None:
    if row_version != expected:
        raise Conflict("Someone else changed this record since you opened it: close and open it again.",
                       field=None)


def is_lead(uow: UnitOfWork, staff_id: int) -> bool:
    """Whether the account carries the safeguarding-lead mark."""
    return uow.session.execute(select(SafeguardingLead.staff_id).where(
        SafeguardingLead.staff_id == staff_id)).first() is not None
