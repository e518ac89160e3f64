"""Benchmark: the journey worklists, a caseload, the Journey tab's read, the
journey KPIs and the data-quality list on large data (DESIGN §6: any
worklist ≤ 250 ms, the report ≤ 2 s).

``run(clinic, nurse, manager)`` times each on the site ``python -m bench``
builds (median of five, milliseconds).
"""

from __future__ import annotations

from sqlalchemy import func, select

from bench.timing import median_ms
from clinic.permissions import Actor
from clinic.safe_storage import nhs_quarter
from clinic.services.journey import worklists as work
from clinic.services.journey.ndtms import data_quality
from clinic.services.journey.record import journey_record
from clinic.services.journey.reports import journey_kpis
from clinic.uow import Clinic
from db.tables.journey import Episode


def run(clinic: Clinic, nurse: Actor, manager: Actor) -> dict[str, float]:
    with clinic.unit_of_work() as uow:
        person = uow.session.execute(select(func.max(Episode.person_id))).scalar() or 0
        quarter = nhs_quarter(uow.clock.today())
    results = {f"journey.worklist.{kind}_ms": median_ms(
        clinic, lambda u, k=kind: work.worklist(u, nurse, kinds=frozenset({k}))) for kind in work.KINDS}
    results |= {
        "journey.worklist.everything_ms": median_ms(clinic, lambda u: work.worklist(u, nurse)),
        "journey.caseload_ms": median_ms(clinic, lambda u: work.caseload(u, nurse, nurse.staff_id)),
        "journey.person.tab_read_ms": median_ms(clinic, lambda u: journey_record(u, nurse, person)),
        "journey.report_ms": median_ms(clinic, lambda u: journey_kpis(u, manager, quarter.start, quarter.end), 3),
        "journey.data_quality_ms": median_ms(clinic, lambda u: data_quality(u, manager, quarter.start, quarter.end),
                                             3),
    }
    return results
