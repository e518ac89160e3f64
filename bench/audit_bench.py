"""How big the audit trail grows: rows and bytes per 1,000 edits of a
person's details (issue 4: changed fields only, never whole records)."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import func, select

from clinic.permissions import Actor
from clinic.services.people import records as people
from clinic.uow import Clinic
from db.tables.audit import AuditRow
from db.tables.people import Person

EDITS = 1000


def run(clinic: Clinic, actor: Actor) -> dict[str, Any]:
    """Edit one field of 1,000 people (a new phone number) and measure the
    trail's growth. The trail is append-only, so this changes the
    benchmark's synthetic site for good: it runs last."""
    with clinic.unit_of_work() as uow:
        before_rows, before_bytes = _size(uow)
        ids = list(uow.session.execute(select(Person.id).where(Person.status == "open").limit(EDITS)).scalars())
    for n, pid in enumerate(ids):
        with clinic.unit_of_work(write=True) as uow:
            row = uow.session.get(Person, pid)
            assert row is not None
            # A number it has never had (runs repeat on the same site): a real change.
            details = dataclasses.replace(people.details_of(row), phone=f"07700 9{(before_rows + n) % 100_000:05d}")
            people.update(uow, actor, pid, row.version, details)
    with clinic.unit_of_work() as uow:
        after_rows, after_bytes = _size(uow)
    return {"edits": len(ids), "audit rows added": after_rows - before_rows,
            "audit bytes per edit (changes + fixed fields)": round((after_bytes - before_bytes) / max(len(ids), 1))}


def _size(uow: Any) -> tuple[int, int]:
    rows, changes = uow.session.execute(select(func.count(AuditRow.seq), func.coalesce(func.sum(
        func.length(AuditRow.changes) + func.length(AuditRow.hash) + func.length(AuditRow.prev_hash)
        + func.length(AuditRow.at) + func.length(AuditRow.action)), 0))).one()
    return int(rows), int(changes)
