"""Benchmark: the probation worklist (≤ 250 ms) and 200 probation letters in
one PDF (≤ 3 s) on large data (DESIGN §6).

``run(clinic, actor)`` times them on an already filled site (seconds, median
of three for the worklist). ``python -m bench.probation_bench [--people N]``
builds a throwaway encrypted site with synthetic people and orders first.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from clinic.clock import SITE_TZ, FixedClock
from clinic.permissions import Actor
from clinic.services import probation_letters, probation_worklist
from clinic.services.probation_letter_data import build, sender
from clinic.uow import Clinic
from db.tables.probation import Notification


def run(clinic: Clinic, actor: Actor) -> dict[str, float]:
    samples = []
    for _ in range(3):
        with clinic.unit_of_work() as uow:
            t0 = time.perf_counter()
            probation_worklist.worklist(uow, actor)
            samples.append(time.perf_counter() - t0)
    with clinic.unit_of_work() as uow:
        ids = list(uow.session.execute(select(Notification.id).where(Notification.status == "due")
                                       .limit(200)).scalars())
        who, today = sender(uow, actor), uow.clock.today()
        t0 = time.perf_counter()
        letters = [build(uow, i, who, today) for i in ids]
        built = time.perf_counter() - t0
        t0 = time.perf_counter()
        pdf = probation_letters.render(letters)
        rendered = time.perf_counter() - t0
    with clinic.unit_of_work(write=True) as uow:
        t0 = time.perf_counter()
        probation_letters.batch_print(uow, actor, ids)
        batch = time.perf_counter() - t0
        uow.session.rollback()
    return {"worklist_s": statistics.median(samples), "letters": float(len(letters)), "build_200_s": built,
            "render_200_one_pdf_s": rendered, "pdf_mb": len(pdf) / 1e6, "batch_print_200_filed_s": batch}


def main() -> None:  # pragma: no cover - manual
    from clinic.demo.people import generate_people
    from clinic.demo.probation import generate_orders
    from clinic.demo.staff import add_demo_staff
    from clinic.services.setup import create_site
    from clinic.services.staff import actor_of
    from db.tables.staff import Staff

    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=50_000)
    args = parser.parse_args()
    clock = FixedClock(datetime(2026, 11, 23, 10, tzinfo=SITE_TZ))
    with tempfile.TemporaryDirectory() as tmp:
        clinic, _ = create_site(Path(tmp) / "site", "bench-passphrase", admin_username="admin",
                                admin_password="bench-admin-password", clock=clock)
        rng = random.Random(2026)
        with clinic.unit_of_work(write=True) as uow:
            ids = add_demo_staff(uow)
            people = generate_people(uow.session, rng, args.people, today=clock.today())
            person_ids = people if isinstance(people, list) else list(range(1, args.people + 1))
            print(generate_orders(uow.session, rng, person_ids, staff_id=ids["probation"], today=clock.today()))
        with clinic.unit_of_work() as uow:
            actor = actor_of(uow.session.execute(select(Staff).where(Staff.username == "probation")).scalar_one())
        for k, v in run(clinic, actor).items():
            print(f"{k:28s} {v:.3f}")
        clinic.site.close()


if __name__ == "__main__":  # pragma: no cover
    main()
