"""Benchmark: the harm-reduction counter (DESIGN.md §6) on large data.

``run(clinic, nurse, manager)`` times, on whatever the site holds (the demo
puts a year of NSP visits on it, 30,000 at 50,000 people):

- ``record_visit_p95_ms``: recording an NSP visit (budget ≤ 50 ms), each in
  its own write unit of work that is then rolled back, so the benchmark
  site is not changed (the commit itself is not timed);
- ``code_lookup_p95_ms`` / ``person_lookup_p95_ms``: the counter's lookup of
  a pseudonymous code and of a registered person with their visits so far
  (within the search budget, 50 ms);
- ``quarterly_counts_s``: this quarter's harm-reduction counts (report budget);
- ``no_kit_worklist_ms``: people on OST or injecting with no in-date kit (≤ 250 ms).
"""

from __future__ import annotations

import statistics
import time

from sqlalchemy import select

from bench.timing import median_ms
from clinic.permissions import Actor
from clinic.safe_storage import nhs_quarter
from clinic.services.harm_reduction import reports as harm_reduction_reports
from clinic.services.harm_reduction import naloxone
from clinic.services.harm_reduction import nsp
from clinic.uow import Clinic
from db.tables.harm_reduction import NspVisit

SAMPLES = 40


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]


def run(clinic: Clinic, nurse: Actor, manager: Actor) -> dict[str, float]:
    with clinic.unit_of_work() as uow:
        codes: list[str] = uow.session.execute(select(NspVisit.pseudonym).where(NspVisit.pseudonym.is_not(None))
                                    .group_by(NspVisit.pseudonym).limit(SAMPLES)).scalars().all()  # type: ignore[assignment]
        people = uow.session.execute(select(NspVisit.person_id).where(NspVisit.person_id.is_not(None))
                                     .group_by(NspVisit.person_id).limit(SAMPLES)).scalars().all()
        items = nsp.counter_items(uow, nurse)
    if not codes or not people:
        return {}
    lines = (nsp.ItemIssued(items[0].type, items[0].label, 10), nsp.ItemIssued(items[-4].type, items[-4].label, 5))
    record, code_lookup, person_lookup = [], [], []
    for code in codes:
        with clinic.unit_of_work(write=True) as uow:
            t0 = time.perf_counter()
            # The assessment is filled in as the nurse would for a young person (ignored for an adult).
            nsp.record_visit(uow, nurse, nsp.RecordVisit(clinic.clock.today(), code=code, items=lines,
                                                         bins_returned=1, advice=("overdose",),
                                                         greater_risk_assessed=True,
                                                         assessment_note="Seen and assessed at the counter."))
            record.append((time.perf_counter() - t0) * 1000)
            uow.session.rollback()
        with clinic.unit_of_work() as uow:
            t0 = time.perf_counter()
            nsp.visitor(uow, nurse, code=code)
            code_lookup.append((time.perf_counter() - t0) * 1000)
    for pid in people:
        with clinic.unit_of_work() as uow:
            t0 = time.perf_counter()
            nsp.visitor(uow, nurse, person_id=pid)
            person_lookup.append((time.perf_counter() - t0) * 1000)
    with clinic.unit_of_work(write=True) as uow:
        t0 = time.perf_counter()
        harm_reduction_reports.quarterly_counts(uow, manager, nhs_quarter(clinic.clock.today()).start)
        counts_s = time.perf_counter() - t0
        uow.session.rollback()
    return {
        "record_visit_p95_ms": round(_p95(record), 1),
        "code_lookup_p95_ms": round(_p95(code_lookup), 1),
        "person_lookup_p95_ms": round(_p95(person_lookup), 1),
        "quarterly_counts_s": round(counts_s, 3),
        "no_kit_worklist_ms": round(median_ms(clinic, lambda uow: naloxone.no_kit_worklist(uow, nurse)), 1),
    }
