"""Merging two records of one person (managers only).

Every row in every table with a foreign key to ``people.id`` moves from the
other record to the survivor. The tables are found from ``db.tables.metadata``
at run time, so modules that land later are covered without changing this
file. The other record is kept, marked "merged" and pointing at the
survivor; blank details on the survivor are filled from it. The merge is
audited on both records and can be reviewed (``merge_history``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Column, CursorResult, Table, func, select, update

from clinic.changes import Area, Changes
from clinic.clock import SITE_TZ
from clinic.people import PersonStatus, client_id
from clinic.permissions import Actor, Permission, require
from clinic.services.people.records import record_status
from clinic.services.people.search import PersonHit, hit_of
from clinic.services.staff import staff_names
from clinic.uow import UnitOfWork
from db.tables import metadata
from db.tables.audit import AuditRow
from db.tables.people import Person

#: Details copied from the other record when the survivor's are blank.
FILLABLE = ("nhs_number", "preferred_name", "gender", "address_lines", "postcode", "phone",
            "gp_practice_id", "emergency_contact_name", "emergency_contact_phone", "risk_notes")


@dataclass(frozen=True)
class MergePreview:
    survivor: PersonHit
    other: PersonHit
    moving: dict[str, int]  # "table.column" -> rows that will move
    filled: tuple[str, ...]  # survivor fields that will be filled from the other


@dataclass(frozen=True)
class Merged:
    survivor_id: int
    other_id: int
    moved: dict[str, int]
    changes: Changes


@dataclass(frozen=True)
class MergeEntry:
    at: datetime  # local
    by: str
    survivor_id: int
    other_id: int
    other_client_id: str
    moved: dict[str, int]


def linked_columns() -> list[tuple[Table, Column[int]]]:
    """Every (table, column) that refers to ``people.id``, except the
    people table's own ``merged_into_id`` (handled separately)."""
    people = metadata.tables["people"]
    found = []
    for table in metadata.sorted_tables:
        if table is people:
            continue
        for fk in table.foreign_keys:
            if fk.column is people.c.id:
                found.append((table, fk.parent))
    return found


def _pair(uow: UnitOfWork, survivor_id: int, other_id: int) -> tuple[Person, Person]:
    if survivor_id == other_id:
        raise ValueError("Choose two different records to merge.")
    survivor, other = uow.session.get(Person, survivor_id), uow.session.get(Person, other_id)
    if survivor is None or other is None:
        raise ValueError("One of these records no longer exists.")
    for row in (survivor, other):
        if row.status == PersonStatus.MERGED:
            raise ValueError(f"{client_id(row.id)} has already been merged into another record.")
    if survivor.nhs_number and other.nhs_number and survivor.nhs_number != other.nhs_number:
        raise ValueError("These records have different NHS numbers, so they are two people. "
                         "Correct the wrong NHS number before merging.")
    return survivor, other


def _to_fill(survivor: Person, other: Person) -> list[str]:
    return [f for f in FILLABLE if not getattr(survivor, f) and getattr(other, f)]


def preview(uow: UnitOfWork, actor: Actor, survivor_id: int, other_id: int) -> MergePreview:
    """What a merge would do, for the manager to check before confirming."""
    require(actor, Permission.PERSON_MERGE)
    survivor, other = _pair(uow, survivor_id, other_id)
    moving = {}
    for table, column in linked_columns():
        count = uow.session.execute(select(func.count()).select_from(table).where(column == other_id)).scalar_one()
        if count:
            moving[f"{table.name}.{column.name}"] = count
    today = uow.clock.today()
    return MergePreview(hit_of(survivor, today), hit_of(other, today), moving, tuple(_to_fill(survivor, other)))


def merge(uow: UnitOfWork, actor: Actor, survivor_id: int, other_id: int) -> Merged:
    """Move everything from ``other_id`` to ``survivor_id`` and retire it."""
    require(actor, Permission.PERSON_MERGE)
    survivor, other = _pair(uow, survivor_id, other_id)
    moved: dict[str, int] = {}
    for table, column in linked_columns():
        result = cast(CursorResult[Any],  # an UPDATE's result is a cursor one; Session.execute says Result
                      uow.session.execute(update(table).where(column == other_id).values({column.name: survivor_id}),
                                          execution_options={"synchronize_session": False}))
        if result.rowcount:
            moved[f"{table.name}.{column.name}"] = result.rowcount
    earlier = uow.session.execute(select(Person).where(Person.merged_into_id == other_id)).scalars().all()
    for row in earlier:  # records merged into the other earlier now point at the survivor
        row.merged_into_id = survivor_id
    if earlier:
        moved["people.merged_into_id"] = len(earlier)
    filled = {f: [getattr(survivor, f), getattr(other, f)] for f in _to_fill(survivor, other)}
    if "nhs_number" in filled:
        other.nhs_number = None  # one number, one record
    for name, (_, value) in filled.items():
        setattr(survivor, name, value)
    if "preferred_name" in filled:
        survivor.search_preferred = other.search_preferred
    old_status, old_version = other.status, other.version
    other.status, other.merged_into_id = PersonStatus.MERGED, survivor_id
    uow.session.flush()
    today = uow.clock.today()
    record_status(uow, actor, other.id, PersonStatus.MERGED, "merged", f"Merged into {client_id(survivor_id)}", today)
    record_status(uow, actor, survivor.id, survivor.status, "merged", f"{client_id(other_id)} merged into this record",
                  today)
    uow.audit(actor, "person.merged", "person", survivor_id, person_id=survivor_id,
              changes={"merged_from": [None, other_id], "moved": [None, moved], **filled})
    uow.audit(actor, "person.merged_away", "person", other_id, person_id=other_id,
              changes={"status": [old_status, PersonStatus.MERGED], "merged_into_id": [None, survivor_id],
                       "version": [old_version, other.version]})
    return Merged(survivor_id, other_id, moved,
                  Changes(frozenset({Area.PEOPLE}), frozenset({survivor_id, other_id})))


def merge_history(uow: UnitOfWork, actor: Actor, person_id: int) -> list[MergeEntry]:
    """Merges into this record, newest first, read from the audit trail."""
    require(actor, Permission.PERSON_READ)
    names = staff_names(uow)
    stmt = (select(AuditRow).where(AuditRow.person_id == person_id, AuditRow.action == "person.merged")
            .order_by(AuditRow.seq.desc()))
    entries = []
    for row in uow.session.execute(stmt).scalars():
        changes = json.loads(row.changes)
        other_id = int(changes["merged_from"][1])
        entries.append(MergeEntry(
            datetime.fromisoformat(row.at).astimezone(SITE_TZ),
            names.get(row.actor_id, "—") if row.actor_id else "(system)",
            person_id, other_id, client_id(other_id), dict(changes.get("moved", [None, {}])[1]),
        ))
    return entries
