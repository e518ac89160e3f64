"""Benchmark: the appointment book and the outcomes worklist (DESIGN.md §6).

``run(clinic, actor)`` times, on whatever the site holds, each in its own
unit of work as the UI runs it (median of several runs):

- ``day_book_ms``: one day, every clinician (sessions, bookings, free slots);
- ``day_book_clinician_ms``: one day, one clinician;
- ``week_book_ms``: Monday to Friday, every clinician;
- ``outcomes_ms``: the "outcomes to record" worklist.

Budgets: day ≤ 100 ms, week ≤ 250 ms, worklist ≤ 250 ms, with 1,000,000
appointments. Run standalone to build a throwaway site and measure it::

    .venv/bin/python -m bench.appointments_bench [APPOINTMENTS]
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from clinic.permissions import Actor
from clinic.services import appointments_book as book
from clinic.uow import Clinic, UnitOfWork
from db.tables.appointments import Appointment


def _median_ms(clinic: Clinic, fn: Callable[[UnitOfWork], object], repeats: int = 7) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
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


def _standalone(n: int) -> None:  # pragma: no cover - a developer's tool
    from datetime import datetime

    from clinic.clock import SITE_TZ, FixedClock
    from clinic.demo.appointments import generate_appointments
    from clinic.demo.people import generate_people
    from clinic.demo.staff import DEMO_PASSWORD, add_demo_staff
    from clinic.services.setup import create_site
    from clinic.services.staff import actor_of
    from db.tables.staff import Staff

    with tempfile.TemporaryDirectory() as tmp:
        clock = FixedClock(datetime(2026, 11, 23, 10, tzinfo=SITE_TZ))
        clinic, _ = create_site(Path(tmp) / "site", "bench-site-passphrase", admin_username="admin",
                                admin_password="bench-admin-password", clock=clock, remember_key=False)
        with clinic.unit_of_work(write=True) as uow:
            ids = add_demo_staff(uow)
            people = generate_people(uow.session, random.Random(2026), 50_000)
            # A large service: 30 clinicians, so a million bookings over ten
            # years is ~13 a clinician a day rather than a pile-up.
            extra = [Staff(username=f"clin{i}", full_name=f"Clinician {i:02d}", roles="nurse",
                           password_hash=DEMO_PASSWORD, must_change_password=False, failed_attempts=0, active=True)
                     for i in range(27)]
            uow.session.add_all(extra)
            uow.session.flush()
            clinicians = [ids["nurse"], ids["prescriber"], ids["probation"]] + [s.id for s in extra]
        start = time.perf_counter()
        with clinic.unit_of_work(write=True) as uow:
            counts = generate_appointments(uow.session, random.Random(7), people, clinicians, count=n,
                                           start=date(2017, 1, 2), end=date(2027, 6, 30), today=clock.today(),
                                           booked_by=ids["reception"])
        print(f"generated {counts} in {time.perf_counter() - start:.1f} s")
        with clinic.unit_of_work() as uow:
            actor = actor_of(uow.session.execute(select(Staff).where(Staff.username == "reception")).scalar_one())
        for key, value in run(clinic, actor).items():
            print(f"{key:28} {value:12.1f}")
        clinic.site.close()


if __name__ == "__main__":  # pragma: no cover
    _standalone(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
