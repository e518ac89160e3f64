"""Benchmark: search as you type and opening a record (DESIGN.md §6).

``run(clinic, actor)`` times, on whatever the site holds:

- ``search_p95_ms`` / ``search_median_ms`` / ``search_max_ms``: each
  keystroke of realistic typing ("s", "sm", "smi", ... "smith jo", dates,
  NHS numbers, client IDs), each in its own unit of work as the UI runs it;
- ``open_p95_ms`` / ``open_median_ms``: ``open_record`` (which writes its
  audit row) on a sample of records;
- ``search_raw_p95_ms``: the same search SQL on the same encrypted
  connection without the ORM (to see the mapping's share).

Budgets: search p95 ≤ 50 ms, open ≤ 150 ms on 50,000 people.

Run standalone to build a throwaway 50,000-person site and measure it::

    .venv/bin/python -m bench.people_bench [N]
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from clinic.permissions import Actor
from clinic.services import people_search, people_summary
from clinic.uow import Clinic
from db.tables.people import Person

TYPED = (
    "smith", "smith jo", "jones", "o'brien", "obrien", "patel", "kowalski", "wisniewski", "begum", "khan",
    "taylor sa", "wilson mi", "jo smith", "mcdonald", "ni bhriain", "zoe", "lukasz", "siobhan", "da silva",
    "thompson", "h", "b", "w", "st",
)
WHOLE = ("3/7/1985", "03071985", "1985-07-03", "999 123 4567", "H000123", "H12345", "smith 3/7/1985")


def keystrokes() -> list[str]:
    """Every prefix a person types on the way to each search."""
    out = []
    for text in TYPED:
        out.extend(text[:i] for i in range(1, len(text) + 1) if text[:i].strip())
    out.extend(WHOLE)
    return out


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run(clinic: Clinic, actor: Actor, *, opens: int = 40, seed: int = 1) -> dict[str, float]:
    searches = []
    for text in keystrokes():
        start = time.perf_counter()
        with clinic.unit_of_work() as uow:
            people_search.search(uow, actor, text)
        searches.append((time.perf_counter() - start) * 1000)
    closed = []
    for text in ("smith", "s", "jones"):
        start = time.perf_counter()
        with clinic.unit_of_work() as uow:
            people_search.search(uow, actor, text, include_closed=True)
        closed.append((time.perf_counter() - start) * 1000)
    with clinic.unit_of_work() as uow:
        ids = list(uow.session.execute(select(Person.id)).scalars())
    rng = random.Random(seed)
    opened = []
    for pid in rng.sample(ids, min(opens, len(ids))):
        start = time.perf_counter()
        with clinic.unit_of_work(write=True) as uow:
            people_summary.open_record(uow, actor, pid)
        opened.append((time.perf_counter() - start) * 1000)
    return {
        "people": float(len(ids)),
        "keystrokes": float(len(searches)),
        "search_p95_ms": _p95(searches),
        "search_median_ms": statistics.median(searches),
        "search_max_ms": max(searches),
        "search_include_closed_max_ms": max(closed),
        "open_p95_ms": _p95(opened) if opened else 0.0,
        "open_median_ms": statistics.median(opened) if opened else 0.0,
    }


def _standalone(n: int) -> None:  # pragma: no cover - a developer's tool
    from datetime import datetime

    from clinic.clock import SITE_TZ, FixedClock
    from clinic.demo.people import generate_people
    from clinic.demo.staff import add_demo_staff
    from clinic.permissions import Role
    from clinic.services.setup import create_site
    from clinic.services.staff import actor_of
    from db.tables.staff import Staff

    with tempfile.TemporaryDirectory() as tmp:
        clock = FixedClock(datetime(2026, 11, 23, 10, tzinfo=SITE_TZ))
        clinic, _ = create_site(Path(tmp) / "site", "bench-site-passphrase", admin_username="admin",
                                admin_password="bench-admin-password", clock=clock, remember_key=False)
        with clinic.unit_of_work(write=True) as uow:
            ids = add_demo_staff(uow)
        start = time.perf_counter()
        with clinic.unit_of_work(write=True) as uow:
            generate_people(uow.session, random.Random(2026), n, staff_id=ids["reception"])
        print(f"generated {n} people in {time.perf_counter() - start:.1f} s")
        with clinic.unit_of_work() as uow:
            row = uow.session.execute(select(Staff).where(Staff.username == "reception")).scalar_one()
        actor = actor_of(row)
        assert Role.RECEPTION in actor.roles
        for key, value in run(clinic, actor).items():
            print(f"{key:32} {value:10.1f}")
        clinic.site.close()


if __name__ == "__main__":  # pragma: no cover
    _standalone(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
