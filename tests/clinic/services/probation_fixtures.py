"""Shared set-up for the probation service tests: an officer, an order, outcomes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from clinic.permissions import Actor
from clinic.probation import Outcome
from clinic.services.probation import orders
from clinic.services.probation import attendance
from clinic.uow import Clinic

OFFICER = orders.ContactInput("Olive Officer", "Exampletown Probation Delivery Unit",
                              "2 Court Street\nExampletown\nEX2 2BB", "01234 111222",
                              "olive.officer@justice.gov.uk")


def active_order(clinic: Clinic, liaison: Actor, person_id: int, *, testing: bool = True,
                 hearings: tuple[date, ...] = (date(2026, 12, 14),), start: date = date(2026, 9, 7),
                 officer: orders.ContactInput = OFFICER, months: int = 6) -> int:
    made = start - timedelta(days=6)
    with clinic.unit_of_work(write=True) as uow:
        contact = orders.save_contact(uow, liaison, officer)
        saved = orders.add_order(uow, liaison, orders.OrderInput(
            person_id, "DRR", "Exampletown Magistrates' Court", made, months, start,
            testing_required=testing, officer_id=contact.id, probation_reference="X123456",
            consent_signed_on=made, hearings=hearings))
        orders.activate_order(uow, liaison, saved.order.id)
        return saved.order.id


def outcome(clinic: Clinic, liaison: Actor, order_id: int, at: datetime, what: Outcome,
            reason: str = "") -> attendance.OutcomeRecorded:
    with clinic.unit_of_work(write=True) as uow:
        return attendance.record_outcome(uow, liaison, attendance.RecordOutcome(order_id, at, what,
                                                                                absence_reason=reason))
