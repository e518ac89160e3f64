"""Fill a site with reproducible synthetic data, module by module.

One seeded random source, so the same ``seed`` and ``people`` give the
same site. Each module's generator bulk-inserts in one transaction.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from sqlalchemy import select

from clinic.demo import people as demo_people
from clinic.demo.staff import add_demo_staff
from clinic.uow import Clinic
from db.tables.staff import Staff


def generate(clinic: Clinic, *, people: int, seed: int = 2026,
             on_progress: Callable[[str], None] | None = None) -> dict[str, int]:
    rng = random.Random(seed)
    say = on_progress or (lambda _step: None)
    counts: dict[str, int] = {}
    with clinic.unit_of_work(write=True) as uow:
        if uow.session.execute(select(Staff.id).where(Staff.username == "nurse")).first() is None:
            add_demo_staff(uow)
        say(f"people: {people:,}")
        person_ids = demo_people.generate_people(uow.session, rng, people)
        counts["people"] = len(person_ids)
        uow.audit(None, "demo.generated", "site", changes={"people": [None, people], "seed": [None, seed]})
    return counts
