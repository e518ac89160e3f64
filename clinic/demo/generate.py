"""Fill a site with reproducible synthetic data, module by module.

One seeded random source, so the same ``seed`` and ``people`` give the
same site. Volumes scale with ``people`` at the ratios of the benchmark
data set (DESIGN.md §6): 50,000 people, 1,000,000 appointments, 200,000
vaccination doses, 100,000 tests.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from clinic.demo import (
    appointments,
    bbv,
    bulk,
    harm_reduction,
    journey,
    ost,
    people,
    probation,
    safe_storage,
    safeguarding,
    vaccination,
)
from clinic.demo.staff import add_demo_staff
from clinic.uow import Clinic
from db.tables.people import Person
from db.tables.staff import Staff

APPOINTMENTS_PER_PERSON = 20
DOSES_PER_PERSON = 4
TESTS_PER_PERSON = 2


def generate(clinic: Clinic, *, people_count: int, seed: int = 2026,
             on_progress: Callable[[str], None] | None = None) -> dict[str, int]:
    rng = random.Random(seed)
    say = on_progress or (lambda _step: None)
    today = clinic.clock.today()
    counts: dict[str, int] = {}
    with clinic.unit_of_work(write=True) as uow:
        session = uow.session
        if session.execute(select(Person.id).limit(1)).first() is not None:
            raise ValueError("This site already has people on it: demo data only goes into a new, empty site.")
        if session.execute(select(Staff.id).where(Staff.username == "nurse")).first() is None:
            add_demo_staff(uow)
        ids = dict(session.execute(select(Staff.username, Staff.id)).all())
        clinicians = [ids["nurse"], ids["prescriber"], ids["probation"]]
        indexes = bulk.drop_indexes(session)  # built again below, once the rows are in
        say(f"people: {people_count:,}")
        person_ids = people.generate_people(session, rng, people_count, today=today, staff_id=ids["reception"])
        counts["people"] = len(person_ids)
        say(f"appointments: {people_count * APPOINTMENTS_PER_PERSON:,}")
        counts |= appointments.generate_appointments(
            session, rng, person_ids, clinicians, count=people_count * APPOINTMENTS_PER_PERSON,
            start=today - timedelta(days=3 * 365), end=today + timedelta(weeks=8), today=today,
            booked_by=ids["reception"])
        say(f"BBV tests: {people_count * TESTS_PER_PERSON:,}")
        counts |= bbv.generate_bbv(session, rng, person_ids, staff_ids=[ids["nurse"]], today=today,
                                   tests=people_count * TESTS_PER_PERSON)
        say(f"vaccination doses: {people_count * DOSES_PER_PERSON:,}")
        counts |= vaccination.generate_vaccination(session, rng, person_ids, staff_ids=[ids["nurse"]], today=today,
                                                   doses=people_count * DOSES_PER_PERSON)
        say("OST prescriptions and reviews")
        counts |= ost.generate_ost(session, rng, person_ids, prescriber_ids=[ids["prescriber"]],
                                   nurse_ids=[ids["nurse"]], today=today)
        say("safe-storage boxes")
        counts |= safe_storage.generate_safe_storage(session, rng, person_ids, staff_ids=[ids["nurse"]], today=today)
        say("DRR/ATR orders")
        counts |= probation.generate_orders(session, rng, person_ids, staff_id=ids["probation"], today=today)
        say("harm-reduction counter: a year of NSP visits, naloxone, alcohol screens")
        counts |= harm_reduction.generate_harm_reduction(session, rng, person_ids, staff_ids=[ids["nurse"]],
                                                         today=today)
        say("safeguarding, consent and referrals out")  # clinic.demo.safeguarding
        counts |= safeguarding.generate_safeguarding(session, rng, person_ids, nurse_id=ids["nurse"], today=today)
        say("treatment journeys")  # clinic/demo/journey.py
        counts |= journey.generate_journeys(session, rng, person_ids, key_worker_ids=clinicians, today=today)
        say(f"indexes: {len(indexes)}")
        bulk.create_indexes(session, indexes)
        uow.audit(None, "demo.generated", "site", changes={"people": [None, people_count], "seed": [None, seed]})
    return counts
