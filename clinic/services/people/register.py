"""Finding the person a write is about: every service that records something
on a person's record loads them here, so "not on the register" means the
same everywhere (a merged record is not on it: its history moved to the
record it was merged into)."""

from __future__ import annotations

from clinic.errors import NotFound
from clinic.people import PersonStatus
from clinic.uow import UnitOfWork
from db.tables.people import Person


def on_register(uow: UnitOfWork, person_id: int, *, field: str = "person_id") -> Person:
    row = uow.session.get(Person, person_id) if isinstance(person_id, int) else None
    if row is None or row.status == PersonStatus.MERGED:
        raise NotFound("That person is not on the register.", field=field)
    return row
