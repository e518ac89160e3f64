"""Everything the OST tab shows for one person, read in one unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from clinic.permissions import Actor, Permission, require
from clinic.services.ost import prescriptions as ost
from clinic.services.ost import missed as ost_missed
from clinic.services.ost import reviews as ost_reviews
from clinic.services.ost import worklists as ost_worklists
from clinic.services import safe_storage as boxes
from clinic.uow import UnitOfWork
from db.tables.people import Person


@dataclass(frozen=True)
class OstRecord:
    person_id: int
    children_in_household: bool
    prescriptions: tuple[ost.PrescriptionRow, ...]  # oldest first
    current: tuple[ost.PrescriptionRow, ...]
    reviews: tuple[ost_reviews.ReviewRow, ...]  # newest first
    missed: tuple[ost_missed.MissedRow, ...]  # newest first
    decisions: tuple[ost_missed.DecisionRow, ...]
    alerts: ost_worklists.Alerts
    boxes_held: tuple[str, ...]
    pharmacies: tuple[ost.PharmacyRow, ...]
    today: date
    review_months: int


def ost_record(uow: UnitOfWork, actor: Actor, person_id: int) -> OstRecord:
    require(actor, Permission.OST_READ)
    today = uow.clock.today()
    person = uow.session.get(Person, person_id)
    rows = ost.prescriptions(uow, actor, person_id)
    held = boxes.person_boxes(uow, actor, person_id).held if actor.can(Permission.SAFE_STORAGE_READ) else ()
    return OstRecord(
        person_id, bool(person and person.children_in_household), tuple(rows),
        tuple(r for r in rows if r.current_on(today)), tuple(ost_reviews.reviews(uow, actor, person_id)),
        tuple(ost_missed.missed_doses(uow, actor, person_id)), tuple(ost_missed.decisions(uow, actor, person_id)),
        ost_worklists.alerts(uow, actor, person_id), tuple(held), tuple(ost.pharmacies(uow, actor)),
        today, uow.settings["ost.review_months"],
    )
