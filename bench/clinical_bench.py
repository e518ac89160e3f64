"""Benchmark: BBV and vaccination worklists and the person tabs' reads on
large data (DESIGN §6, "any worklist ≤ 250 ms").

``run(clinic, actor)`` times each query on the site ``python -m bench``
builds (median of five, milliseconds).
"""

from __future__ import annotations

from sqlalchemy import func, select

from bench.timing import median_ms
from clinic.permissions import Actor
from clinic.services import bbv
from clinic.services.vaccination import courses as vaccination
from clinic.services.vaccination import stock as vaccine_stock
from clinic.uow import Clinic
from db.tables.bbv import BbvEvent
from db.tables.vaccination import VaccineDose


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
        "vaccination.worklist.due_this_week_ms": median_ms(clinic, lambda u: vaccination.doses_due_this_week(u, actor)),
        "vaccination.worklist.overdue_ms": median_ms(clinic, lambda u: vaccination.doses_overdue(u, actor)),
        "vaccination.worklist.anti_hbs_due_ms": median_ms(clinic, lambda u: vaccination.anti_hbs_due(u, actor)),
        "bbv.worklist.results_awaiting_ms": median_ms(clinic, lambda u: bbv.results_awaiting(u, actor)),
        "bbv.worklist.results_not_given_ms": median_ms(clinic, lambda u: bbv.results_not_given(u, actor)),
        "bbv.worklist.hcv_retests_due_ms": median_ms(clinic, lambda u: bbv.hcv_retests_due(u, actor)),
        "vaccination.stock_ms": median_ms(clinic, lambda u: vaccine_stock.stock(u, actor)),
        "vaccination.person.tab_ms": median_ms(clinic, lambda u: vaccination.overview(u, actor, busiest)),
        "vaccination.person.outstanding_ms": median_ms(
            clinic, lambda u: vaccination.vaccination_outstanding(u, actor, busiest)),
        "bbv.person.tab_ms": median_ms(clinic, lambda u: bbv.overview(u, actor, tested)),
        "bbv.person.outstanding_ms": median_ms(clinic, lambda u: bbv.bbv_outstanding(u, actor, tested)),
    }
