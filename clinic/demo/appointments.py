"""Demo appointments, clinic sessions, today's drop-in queue and callbacks.

Bulk Core inserts in chunks, so a million appointments take well under a
couple of minutes. Bookings are spread evenly over the working days from
``start`` to ``end``; each clinician's day runs back to back from 09:00 in
their own room. Past bookings have outcomes, except a few from the last
fortnight (the "outcomes to record" worklist); future ones are booked.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from clinic import workdays
from clinic.appointment_status import AppointmentStatus
from clinic.clock import SITE_TZ
from clinic.demo.bulk import bulk_insert
from clinic.drop_in import QueueStatus as Q
from db.tables.appointments import (
    Appointment,
    AppointmentType,
    Callback,
    ClinicSession,
    QueueEntry,
    Room,
)

CHUNK = 20_000
_S = AppointmentStatus
_PAST_OUTCOMES = ((_S.SEEN, 78), (_S.DNA, 11), (_S.CANCELLED_CLIENT, 6), (_S.CANCELLED_SERVICE, 3), (_S.LEFT_UNSEEN, 2))
_REASONS = ("Needle exchange", "Advice", "Naloxone kit", "Wound check", "Script query", "BBV test")
_CALLERS = ("Sam's mum", "GP surgery", "Pharmacy (Boots)", "Probation office", "Housing officer", "Caller withheld")
_MESSAGES = ("Please call back about next appointment", "Asked about test results — call to arrange",
             "Missed collection yesterday", "Wants to rebook", "Query about letter")


def _rooms(session: Session, n: int) -> list[int]:
    ids = list(session.execute(select(Room.id).where(Room.active.is_(True)).order_by(Room.id)).scalars())
    for i in range(len(ids), n):
        session.execute(insert(Room), [{"name": f"Room {i + 1}", "active": True}])
    return list(session.execute(select(Room.id).where(Room.active.is_(True)).order_by(Room.id)).scalars())


def _working_days(start: date, end: date) -> list[date]:
    days, d = [], start
    while d <= end:
        if workdays.is_working_day(d):
            days.append(d)
        d += timedelta(days=1)
    return days


def generate_appointments(
    session: Session,
    rng: random.Random,
    person_ids: list[int],
    staff_ids: list[int],
    *,
    count: int,
    start: date,
    end: date,
    today: date | None = None,
    booked_by: int | None = None,
) -> dict[str, int]:
    """Insert ``count`` appointments between ``start`` and ``end`` for the
    clinicians ``staff_ids``, plus sessions around ``today`` and today's queue
    and callbacks. Returns counts per table."""
    if not person_ids or not staff_ids:
        raise ValueError("Demo appointments need people and clinicians.")
    today = today or datetime.now(SITE_TZ).date()
    booked_by = booked_by or staff_ids[0]
    rooms = _rooms(session, len(staff_ids))
    types = [(t.id, t.default_minutes) for t in session.execute(select(AppointmentType)).scalars()]
    days = _working_days(start, end)
    if not days:
        raise ValueError("There are no working days in that range.")
    now_local = datetime.combine(today, time(12, 0))
    recent = now_local - timedelta(days=14)
    outcomes = [s for s, _ in _PAST_OUTCOMES]
    weights = [w for _, w in _PAST_OUTCOMES]
    made = 0
    rows: list[dict[str, Any]] = []
    per_day, extra = divmod(count, len(days))
    window = (today - timedelta(days=14), today + timedelta(days=42))
    for index, day in enumerate(days):
        # clinicians with an afternoon session (the first four) book mornings only
        in_window = window[0] <= day <= window[1]
        todays = per_day + (1 if index < extra else 0)
        created = datetime.combine(day - timedelta(days=14), time(9), tzinfo=UTC)
        clock_at = [datetime.combine(day, time(9))] * len(staff_ids)
        for n in range(todays):
            c = n % len(staff_ids)
            type_id, minutes = types[rng.randrange(len(types))]
            begin = clock_at[c]
            if begin.hour >= (13 if in_window and c < 4 else 17):
                begin = datetime.combine(day, time(9))
            finish = begin + timedelta(minutes=minutes)
            clock_at[c] = finish + timedelta(minutes=rng.choice((0, 0, 5, 10, 15)))
            if finish <= now_local:
                status = _S.BOOKED if finish > recent and rng.random() < 0.04 else rng.choices(outcomes, weights)[0]
            else:
                status = _S.BOOKED
            rows.append({
                "person_id": person_ids[rng.randrange(len(person_ids))], "clinician_id": staff_ids[c],
                "room_id": rooms[c % len(rooms)], "session_id": None, "type_id": type_id,
                "start": begin, "end": finish, "status": status,
                "late_cancellation": status.startswith("cancelled") and rng.random() < 0.3,
                "reception_note": "", "past_reason": "", "series_id": None, "created_by": booked_by,
                "created_at": created, "version": 1,
            })
            if len(rows) >= CHUNK:
                bulk_insert(session, Appointment, rows)
                made += len(rows)
                rows = []
    if rows:
        bulk_insert(session, Appointment, rows)
        made += len(rows)
    counts = {"appointments": made}
    counts["clinic_sessions"] = _sessions(session, rng, staff_ids, rooms, types, today)
    counts["queue_entries"] = _queue(session, rng, person_ids, booked_by, today)
    counts["callbacks"] = _callbacks(session, rng, person_ids, booked_by, today)
    return counts


def _sessions(session: Session, rng: random.Random, staff_ids: list[int], rooms: list[int],
              types: list[tuple[int, int]], today: date) -> int:
    """Afternoon clinics (13:30–16:30) around today, so free slots show."""
    labels = ("BBV nurse clinic", "OST review clinic", "DRR clinic", "Key-work")
    rows = []
    for day in _working_days(today - timedelta(days=14), today + timedelta(days=42)):
        for i, clinician in enumerate(staff_ids[:4]):
            type_id, minutes = types[i % len(types)]
            rows.append({"clinician_id": clinician, "room_id": rooms[(i + len(staff_ids)) % len(rooms)],
                         "day": day, "start_time": time(13, 30), "end_time": time(16, 30),
                         "slot_minutes": 20 if minutes <= 20 else 30, "label": labels[i % len(labels)],
                         "appointment_type_id": type_id, "cancelled": False, "version": 1})
    if rows:
        bulk_insert(session, ClinicSession, rows)
    return len(rows)


def _instant(today: date, hh: int, mm: int) -> datetime:
    return datetime.combine(today, time(hh, mm), tzinfo=SITE_TZ).astimezone(UTC)


def _queue(session: Session, rng: random.Random, person_ids: list[int], staff: int, today: date) -> int:
    rows = []
    for i in range(8):
        arrived = _instant(today, 9, 2) + timedelta(minutes=i * 7)
        status = Q.SEEN if i < 3 else (Q.WITH_CLINICIAN if i == 3 else Q.WAITING)
        rows.append({"person_id": person_ids[rng.randrange(len(person_ids))] if i != 5 else None,
                     "walk_in_name": "Walk-in (no details)" if i == 5 else "", "reason": rng.choice(_REASONS),
                     "arrived_at": arrived, "status": status, "added_by": staff,
                     "called_by": staff if status != Q.WAITING else None,
                     "called_at": arrived + timedelta(minutes=15) if status != Q.WAITING else None,
                     "finished_at": arrived + timedelta(minutes=30) if status == Q.SEEN else None, "version": 1})
    bulk_insert(session, QueueEntry, rows)
    return len(rows)


def _callbacks(session: Session, rng: random.Random, person_ids: list[int], staff: int, today: date) -> int:
    from clinic.scheduling import callback_due

    rows = []
    for back in (3, 1, 1, 0, 0):
        taken_local = datetime.combine(today - timedelta(days=back), time(9 + back * 2, 15))
        rows.append({"person_id": person_ids[rng.randrange(len(person_ids))] if back else None,
                     "caller_name": rng.choice(_CALLERS), "phone": f"07700 900{rng.randrange(1000):03d}",
                     "message": rng.choice(_MESSAGES), "taken_by": staff,
                     "taken_at": taken_local.replace(tzinfo=SITE_TZ).astimezone(UTC),
                     "due_at": callback_due(taken_local), "done_at": None, "done_by": None, "outcome": "",
                     "version": 1})
    bulk_insert(session, Callback, rows)
    return len(rows)
