"""Synthetic safe-storage boxes: a stock delivery, boxes issued to most people
on take-home doses with children at home, a few returned or lost.

Run after ``clinic.demo.ost`` (it reads who has take-home doses).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.demo.bulk import bulk_insert
from db.tables.ost import OstPrescription
from db.tables.people import Person
from db.tables.safe_storage import SafeStorageBox, SafeStorageEvent


def generate_safe_storage(session: Session, rng: random.Random, person_ids: list[int], *, staff_ids: list[int],
                          today: date, issue_share: float = 0.85, spare: int = 40) -> dict[str, int]:
    """Boxes for ``issue_share`` of the people in ``person_ids`` who need one."""
    wanted = set(person_ids)
    needing = sorted({pid for pid, in session.execute(
        select(OstPrescription.person_id).join(Person, Person.id == OstPrescription.person_id)
        .where(OstPrescription.take_home_days > 0, OstPrescription.end_on.is_(None),
               Person.children_in_household.is_(True))).all()} & wanted)
    takers = [p for p in needing if rng.random() < issue_share]
    now = datetime.combine(today, datetime.min.time())
    delivered = today - timedelta(days=3 * 365)
    boxes: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    start = (session.execute(select(SafeStorageBox.id).order_by(SafeStorageBox.id.desc()).limit(1)).scalar() or 0) + 1
    for n in range(len(takers) + spare):
        box_id = start + n
        holder = takers[n] if n < len(takers) else None
        boxes.append(dict(id=box_id, box_number=f"SSB-{box_id:05d}", received_on=delivered,
                          status="issued" if holder else "in_stock", holder_person_id=holder, version=1))
        events.append(dict(box_id=box_id, person_id=None, kind="received", event_on=delivered, new_box_id=None,
                           old_box_returned=False, reason="", reason_note="", advice_given=False,
                           staff_id=rng.choice(staff_ids), recorded_at=now))
        if holder:
            events.append(dict(box_id=box_id, person_id=holder, kind="issued",
                               event_on=today - timedelta(days=rng.randint(0, 2 * 365)), new_box_id=None,
                               old_box_returned=False, reason="children_in_household", reason_note="",
                               advice_given=rng.random() < 0.95, staff_id=rng.choice(staff_ids), recorded_at=now))
    bulk_insert(session, SafeStorageBox, boxes)
    bulk_insert(session, SafeStorageEvent, events)
    return {"safe_storage_boxes": len(boxes), "safe_storage_events": len(events)}
