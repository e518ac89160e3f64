"""Benchmark: the quarterly KPI report (≤ 1 s, DESIGN §6) on large data.

``run(clinic, actor)`` times this quarter's and last quarter's report
(seconds; the first is cold, the second reuses the page cache), with this
process's CPU time for each (what a quiet machine would take), and rolls
back, so the benchmark site's audit trail is not written.
"""

from __future__ import annotations

import time

from dateutil.relativedelta import relativedelta

from clinic.permissions import Actor
from clinic.safe_storage import nhs_quarter
from clinic.services import reports
from clinic.uow import Clinic


def run(clinic: Clinic, actor: Actor) -> dict[str, float]:
    this_quarter = nhs_quarter(clinic.clock.today()).start
    last_quarter = this_quarter - relativedelta(months=3)
    timings: dict[str, float] = {}
    with clinic.unit_of_work() as uow:  # a read, as the report page runs it
        for name, start in (("this_quarter_s", this_quarter), ("last_quarter_s", last_quarter)):
            t0, cpu0 = time.perf_counter(), time.process_time()
            reports.quarterly_kpis(uow, actor, start)
            timings[name] = time.perf_counter() - t0
            timings[name.replace("_s", "_cpu_s")] = time.process_time() - cpu0  # the quiet-machine figure
        uow.session.rollback()
    return timings
