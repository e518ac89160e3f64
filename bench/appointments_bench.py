"""Benchmark: the appointment book and the outcomes worklist (DESIGN.md §6).

``run(clinic, actor)`` times, on whatever the site holds, each in its own
unit of work as the UI runs it (median of several runs):

- ``day_book_ms``: one day, every clinician (sessions, bookings, free slots);
- ``day_book_clinician_ms``: one day, one clinician;
- ``week_book_ms``: Monday to Friday, every clinician;
- ``outcomes_ms``: the "outcomes to record" worklist.

Budgets: day ≤ 100 ms, week ≤ 250 ms, worklist ≤ 250 ms, with 1,000,000
appointments (``python -m bench`` builds the site).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import func, select

from clinic.permissions import Actor
from clinic.services.appointments import book
from bench import timing
from clinic.uow import Clinic, UnitOfWork
from db.tables.appointments import Appointment


def _median_ms(clinic: Clinic, fn: Callable[[UnitOfWork], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(timing.REPEATS + 2):
        start = time.perf_counter()
        with clinic.unit_of_work() as uow:
            result = fn(uow)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def run(clinic: Clinic, actor: Actor) -> dict[str, float]:
    today = clinic.clock.today()
    monday = today - timedelta(days=today.weekday())
    with clinic.unit_of_work() as uow:
        total = uow.session.execute(select(func.count(Appointment.id))).scalar_one()
        clinician = uow.session.execute(select(Appointment.clinician_id).limit(1)).scalar()
    day_ms, day = _median_ms(clinic, lambda uow: book.book_range(uow, actor, today, today))
    one_ms, _ = _median_ms(clinic, lambda uow: book.book_range(uow, actor, today, today,
                                                               clinician_ids=[clinician or 0]))
    week_ms, week = _median_ms(clinic, lambda uow: book.book_range(uow, actor, monday, monday + timedelta(days=4)))
    outcomes_ms, outcomes = _median_ms(clinic, lambda uow: book.outcomes_to_record(uow, actor))
    return {
        "appointments": float(total),
        "day_rows": float(len(day.appointments)),  # type: ignore[attr-defined]
        "day_book_ms": day_ms,
        "day_book_clinician_ms": one_ms,
        "week_rows": float(len(week.appointments)),  # type: ignore[attr-defined]
        "week_book_ms": week_ms,
        "outcomes_rows": float(len(outcomes)),  # type: ignore[arg-type]
        "outcomes_ms": outcomes_ms,
    }
