"""Benchmark: BBV and vaccination worklists and the person tabs' reads on
large data (DESIGN §6, "any worklist ≤ 250 ms").

``run(clinic, actor)`` times each query on an already filled site (median of
five, milliseconds). ``python -m bench.clinical_bench [--people N] [--doses N]
[--tests N]`` builds a throwaway encrypted site first (defaults: 50,000
people, 200,000 doses, 100,000 tests).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from clinic.clock import SITE_TZ, FixedClock
from clinic.permissions import Actor
from clinic.services import bbv, vaccination, vaccine_stock
from clinic.uow import Clinic, UnitOfWork
from db.tables.bbv import BbvEvent
from db.tables.vaccination import VaccineDose

REPEATS = 5


def _time(clinic: Clinic, fn: Callable[[UnitOfWork], Any]) -> float:
    samples = []
    for _ in range(REPEATS):
        with clinic.unit_of_work() as uow:
            t0 = time.perf_counter()
            fn(uow)
            samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def run(clinic: Clinic, actor: Actor) -> dict[str, float]:
    """Milliseconds per query, median of five runs. ``actor`` needs BBV and
    vaccination read (a nurse or prescriber)."""
    with clinic.unit_of_work() as uow:
        busiest = uow.session.execute(
            select(VaccineDose.person_id).group_by(VaccineDose.person_id)
            .order_by(func.count().desc()).limit(1)).scalar() or 0
        tested = uow.session.execute(
            select(BbvEvent.person_id).group_by(BbvEvent.person_id)
            .order_by(func.count().desc()).limit(1)).scalar() or 0
    return {
        "vaccination.worklist.due_this_week_ms": _time(clinic, lambda u: vaccination.doses_due_this_week(u, actor)),
        "vaccination.worklist.overdue_ms": _time(clinic, lambda u: vaccination.doses_overdue(u, actor)),
        "vaccination.worklist.anti_hbs_due_ms": _time(clinic, lambda u: vaccination.anti_hbs_due(u, actor)),
        "bbv.worklist.results_awaiting_ms": _time(clinic, lambda u: bbv.results_awaiting(u, actor)),
        "bbv.worklist.results_not_given_ms": _time(clinic, lambda u: bbv.results_not_given(u, actor)),
        "bbv.worklist.hcv_retests_due_ms": _time(clinic, lambda u: bbv.hcv_retests_due(u, actor)),
        "vaccination.stock_ms": _time(clinic, lambda u: vaccine_stock.stock(u, actor)),
        "vaccination.person.tab_ms": _time(clinic, lambda u: vaccination.overview(u, actor, busiest)),
        "vaccination.person.outstanding_ms": _time(
            clinic, lambda u: vaccination.vaccination_outstanding(u, actor, busiest)),
        "bbv.person.tab_ms": _time(clinic, lambda u: bbv.overview(u, actor, tested)),
        "bbv.person.outstanding_ms": _time(clinic, lambda u: bbv.bbv_outstanding(u, actor, tested)),
    }


def _people(clinic: Clinic, n: int, rng: random.Random) -> list[int]:
    from clinic.names import fold
    from db.tables.people import Person

    rows = []
    for i in range(n):
        surname, forename = f"Bench{i:06d}", rng.choice(("Sam", "Alex", "Jo", "Chris", "Kim"))
        rows.append(dict(surname=surname, forename=forename, preferred_name="", search_surname=fold(surname),
                         search_forename=fold(forename), search_preferred="",
                         date_of_birth=date(1960 + rng.randint(0, 40), rng.randint(1, 12), rng.randint(1, 28)),
                         gender="", nhs_number=None, address_lines="", postcode="", phone="",
                         consent_to_text=False, consent_to_voicemail=False, no_post=False, discreet_envelope=False,
                         children_in_household=False, injects=rng.random() < 0.35, risk_notes="",
                         emergency_contact_name="", emergency_contact_phone="", status="open",
                         created_at=datetime.now(SITE_TZ), version=1))
    with clinic.unit_of_work(write=True) as uow:
        for i in range(0, n, 5000):
            uow.session.execute(insert(Person), rows[i:i + 5000])
        return list(uow.session.execute(select(Person.id)).scalars())


def main() -> None:
    from clinic.demo.bbv import generate_bbv
    from clinic.demo.staff import add_demo_staff
    from clinic.demo.vaccination import generate_vaccination
    from clinic.services.setup import create_site
    from clinic.services.staff import actor_of
    from db.tables.staff import Staff

    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--doses", type=int, default=200_000)
    parser.add_argument("--tests", type=int, default=100_000)
    args = parser.parse_args()
    clock = FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=SITE_TZ))
    rng = random.Random(9)
    with tempfile.TemporaryDirectory() as tmp:
        clinic, _ = create_site(Path(tmp) / "site", "bench-passphrase", admin_username="admin",
                                admin_password="bench-admin-password", clock=clock)
        with clinic.unit_of_work(write=True) as uow:
            ids = add_demo_staff(uow)
        people = _people(clinic, args.people, rng)
        t0 = time.perf_counter()
        with clinic.unit_of_work(write=True) as uow:
            staff = [ids["nurse"], ids["prescriber"]]
            counts = generate_vaccination(uow.session, rng, people, staff_ids=staff, today=clock.today(),
                                          doses=args.doses)
            counts |= generate_bbv(uow.session, rng, people, staff_ids=staff, today=clock.today(),
                                   tests=args.tests)
        print(f"generated in {time.perf_counter() - t0:.1f} s: {counts}")
        with clinic.unit_of_work() as uow:
            actor = actor_of(uow.session.get(Staff, ids["nurse"]))  # type: ignore[arg-type]
        for key, ms in run(clinic, actor).items():
            print(f"{key:44} {ms:8.1f} ms")
        clinic.site.close()


if __name__ == "__main__":
    main()
