"""Benchmark: OST worklists and the OST tab's reads on large data (DESIGN §6,
"any worklist ≤ 250 ms").

``run(clinic, actor)`` times each query on the site ``python -m bench``
builds (median of five, milliseconds).
"""

from __future__ import annotations

from sqlalchemy import select

from bench.timing import median_ms
from clinic.permissions import Actor
from clinic.services.ost import prescriptions as ost_svc
from clinic.services.ost import missed as ost_missed
from clinic.services.ost import reviews as ost_reviews
from clinic.services.ost import worklists as ost_worklists
from clinic.services import safe_storage as boxes
from clinic.uow import Clinic, UnitOfWork
from db.tables.ost import OstPrescription


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
        "ost.worklist.reviews_due_ms": median_ms(clinic, lambda u: ost_worklists.reviews_due(u, actor)),
        "ost.worklist.missed_dose_alerts_ms": median_ms(clinic, lambda u: ost_worklists.missed_dose_alerts(u, actor)),
        "ost.worklist.storage_alerts_ms": median_ms(clinic, lambda u: ost_worklists.storage_alerts(u, actor)),
        "ost.worklist.unsigned_reviews_ms": median_ms(clinic, lambda u: ost_worklists.unsigned_reviews(u, actor)),
        "ost.person.outstanding_ms": median_ms(clinic, lambda u: ost_worklists.ost_outstanding(u, actor, person)),
        "ost.person.tab_reads_ms": median_ms(clinic, record),
        "safe_storage.stock_ms": median_ms(clinic, lambda u: boxes.stock(u, actor)),
    }
