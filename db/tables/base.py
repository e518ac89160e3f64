"""Declarative base with a naming convention, so Alembic batch mode can name
(and later drop) every constraint it creates."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import ForeignKey, Integer, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class PersonRecord:
    """The columns of a record kept about a registered person: its own id,
    whose record it is, and which member of staff wrote it. Mixed into a
    table as ``class X(PersonRecord, Base)``; the columns are the same as
    when each table declared them."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))


#: Column ``info``: line breaks belong in this text (addresses, notes). Every
#: other text column refuses them (clinic/validation.py).
MULTILINE = {"multiline": True}
#: Column ``info``: this text is printed in letters to Probation, so it is
#: checked against the clinical vocabulary (clinic/clinical_words.py).
TO_PROBATION = {"to_probation": True}
PROBATION_NOTE = {"to_probation": True, "multiline": True}
#: Column ``info``: a date in the person's life (the row's ``person_id``),
#: refused before their birth; a past event is also refused after today.
EVENT = {"event": True}
PAST_EVENT = {"event": True, "past": True}


def utcnow() -> datetime:
    return datetime.now(UTC)
