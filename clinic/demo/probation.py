"""Demo DRR/ATR orders: about 5% of people on an order, with officers,
weekly attendance history (mostly attended, some late, some DNAs), drug
tests, review hearings and the notifications those outcomes made due.
Bulk inserts, seeded: the same seed gives the same data."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from clinic import probation
from clinic.demo.bulk import bulk_insert
from db.tables.probation import (
    Attendance,
    DrrOrder,
    DrugTest,
    Notification,
    ProbationContact,
    ReviewHearing,
)

OFFICES = ("Exampletown Probation Delivery Unit", "Northside Probation Office", "Harbourside Probation Office")
SURNAMES = ("Adams", "Baker", "Clarke", "Davies", "Evans", "Foster", "Green", "Hughes", "Iqbal", "Jones")


def generate_orders(session: Session, rng: random.Random, person_ids: list[int], *, staff_id: int, today: date,
                    share: float = 0.05) -> dict[str, int]:
    officers = [dict(id=i + 1, name=f"{rng.choice(('Sam', 'Jo', 'Alex', 'Chris'))} {s}", office=rng.choice(OFFICES),
                     address=f"{i + 2} Court Street\nExampletown\nEX{i % 9 + 1} 2BB", phone=f"01234 5{i:05d}",
                     secure_email=f"officer{i + 1}@justice.gov.uk", active=True, version=1)
                for i, s in enumerate(SURNAMES)]
    bulk_insert(session, ProbationContact, officers)
    chosen = rng.sample(person_ids, max(1, int(len(person_ids) * share)))
    orders, hearings, visits, tests, notes = [], [], [], [], []
    now = datetime(today.year, today.month, today.day, 9)
    for oid, pid in enumerate(chosen, start=1):
        start = today - timedelta(days=rng.randint(7, 300))
        months = rng.choice((6, 6, 9, 12))
        end = probation.order_end(start, months)
        status = "active" if end >= today else "completed"
        testing = rng.random() < 0.7
        orders.append(dict(id=oid, person_id=pid, order_type=rng.choice(("DRR", "DRR", "ATR")),
                           court="Exampletown Magistrates' Court", order_date=start - timedelta(days=5),
                           length_months=months, start_on=start, expected_end=end, frequency="weekly",
                           testing_required=testing, officer_id=rng.randint(1, len(officers)),
                           probation_reference=f"X{rng.randint(100000, 999999)}",
                           consent_signed_on=start - timedelta(days=5), consent_withdrawn_on=None, status=status,
                           ended_on=None if status == "active" else end, created_by=staff_id, created_at=now,
                           version=1))
        hearing = start + timedelta(days=rng.randint(20, 120))
        hearings.append(dict(order_id=oid, hearing_on=hearing))
        day = start + timedelta(days=(3 - start.weekday()) % 7)  # Thursdays
        while day < min(today, end):
            roll = rng.random()
            outcome = ("unacceptable_absence" if roll < 0.06 else "acceptable_absence" if roll < 0.1
                       else "attended_late" if roll < 0.2 else "attended")
            visits.append(dict(order_id=oid, appointment_id=None, occurred_at=datetime.combine(day, datetime.min.time())
                               .replace(hour=10), outcome=outcome,
                               absence_reason="Court appearance" if outcome == "acceptable_absence" else "",
                               evidence_seen="Court letter" if outcome == "acceptable_absence" else "",
                               recorded_by=staff_id, recorded_at=now, version=1))
            recent = day >= today - timedelta(days=10)
            kind = "non_attendance" if outcome.endswith("absence") else "attendance_confirmation"
            notes.append(dict(order_id=oid, attendance_id=None, hearing_id=None, kind=kind, period_from=day,
                              period_to=day, due_on=probation.notification_due(day),
                              status="due" if recent else "sent", letter_id=None,
                              sent_on=None if recent else probation.notification_due(day),
                              method=None if recent else "secure_email", corrects_id=None, superseded_by=None,
                              summary="", created_at=now, version=1))
            if testing and rng.random() < 0.5:
                tests.append(dict(order_id=oid, tested_on=day, substance=rng.choice(("Opiates", "Cocaine")),
                                  result=rng.choice(("negative", "negative", "positive")), recorded_by=staff_id,
                                  recorded_at=now, version=1))
            day += timedelta(days=7)
        if hearing >= today:
            notes.append(dict(order_id=oid, attendance_id=None, hearing_id=None, kind="progress_report",
                              period_from=None, period_to=None, due_on=probation.progress_report_due(hearing),
                              status="due", letter_id=None, sent_on=None, method=None, corrects_id=None,
                              superseded_by=None, summary="Attending group work and engaging well.",
                              created_at=now, version=1))
    bulk_insert(session, DrrOrder, orders)
    bulk_insert(session, ReviewHearing, hearings)
    bulk_insert(session, Attendance, visits)
    bulk_insert(session, DrugTest, tests)
    bulk_insert(session, Notification, notes)
    return {"probation_orders": len(orders), "drr_attendance": len(visits), "drr_notifications": len(notes)}
