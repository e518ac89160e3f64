"""Benchmark: OST worklists and the OST tab's reads on large data (DESIGN §6,
"any worklist ≤ 250 ms").

``run(clinic, actor)`` times each query on an already filled site (median of
five, milliseconds). ``python -m bench.ost_bench [--people N]`` builds a
throwaway encrypted site with N synthetic people first.
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

from sqlalchemy import insert, select

from clinic.clock import SITE_TZ, FixedClock
from clinic.permissions import Actor
from clinic.services import ost as ost_svc
from clinic.services import ost_missed, ost_reviews, ost_worklists
from clinic.services import safe_storage as boxes
from clinic.uow import Clinic, UnitOfWork
from db.tables.ost import OstPrescription

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
    """Milliseconds per query, median of five runs."""
    with clinic.unit_of_work() as uow:
        person = uow.session.execute(select(OstPrescription.person_id).order_by(
            OstPrescription.missed_alert_on.desc()).limit(1)).scalar() or 0

    def record(uow: UnitOfWork) -> None:
        ost_svc.prescriptions(uow, actor, person)
        ost_reviews.reviews(uow, actor, person)
        ost_missed.missed_doses(uow, actor, person)
        ost_missed.decisions(uow, actor, person)
        ost_worklists.alerts(uow, actor, person)
        boxes.person_boxes(uow, actor, person)

    return {
        "ost.worklist.reviews_due_ms": _time(clinic, lambda u: ost_worklists.reviews_due(u, actor)),
        "ost.worklist.missed_dose_alerts_ms": _time(clinic, lambda u: ost_worklists.missed_dose_alerts(u, actor)),
        "ost.worklist.storage_alerts_ms": _time(clinic, lambda u: ost_worklists.storage_alerts(u, actor)),
        "ost.worklist.unsigned_reviews_ms": _time(clinic, lambda u: ost_worklists.unsigned_reviews(u, actor)),
        "ost.person.outstanding_ms": _time(clinic, lambda u: ost_worklists.ost_outstanding(u, actor, person)),
        "ost.person.tab_reads_ms": _time(clinic, record),
        "safe_storage.stock_ms": _time(clinic, lambda u: boxes.stock(u, actor)),
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
                         children_in_household=rng.random() < 0.25, injects=False, risk_notes="",
                         emergency_contact_name="", emergency_contact_phone="", status="open",
                         created_at=datetime.now(SITE_TZ), version=1))
    with clinic.unit_of_work(write=True) as uow:
        for i in range(0, n, 5000):
            uow.session.execute(insert(Person), rows[i:i + 5000])
        return list(uow.session.execute(select(Person.id)).scalars())


def main() -> None:
    from clinic.demo.ost import generate_ost
    from clinic.demo.safe_storage import generate_safe_storage
    from clinic.demo.staff import add_demo_staff
    from clinic.services.setup import create_site
    from clinic.services.staff import actor_of
    from db.tables.staff import Staff

    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=50_000)
    args = parser.parse_args()
    clock = FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=SITE_TZ))
    rng = random.Random(10)
    with tempfile.TemporaryDirectory() as tmp:
        clinic, _ = create_site(Path(tmp) / "site", "bench-passphrase", admin_username="admin",
                                admin_password="bench-admin-password", clock=clock,
                                remember_key=False)
        t0 = time.perf_counter()
        with clinic.unit_of_work(write=True) as uow:
            ids = add_demo_staff(uow)
        people = _people(clinic, args.people, rng)
        with clinic.unit_of_work(write=True) as uow:
            counts = generate_ost(uow.session, rng, people, prescriber_ids=[ids["prescriber"]],
                                  nurse_ids=[ids["nurse"]], today=clock.today())
            counts |= generate_safe_storage(uow.session, rng, people, staff_ids=[ids["nurse"]], today=clock.today())
        print(f"built {args.people} people in {time.perf_counter() - t0:.1f} s: {counts}")
        with clinic.unit_of_work() as uow:
            actor = actor_of(uow.session.get(Staff, ids["prescriber"]))  # type: ignore[arg-type]
        for key, ms in run(clinic, actor).items():
            print(f"{key:40} {ms:8.1f} ms")
        clinic.site.close()


if __name__ == "__main__":
    main()
