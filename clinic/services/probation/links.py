"""Bookings required by a DRR/ATR order, and what marking them does.

A booking of the DRR appointment type for a person with a pending or
active order is linked to that order when it is made (``link_booking``,
through the book's watcher, ``BOOKING_LINKS``); with more than one such order the
booking says which, and is refused until it does. Editing a booking into the
DRR type links it the same way, editing it out unlinks it (``on_change``). Marking a linked booking
did-not-attend, seen, or seen late records the attendance outcome on the
order in the same transaction (``on_status``), which makes the letter to Probation due.
``status_effect`` says beforehand, in words, exactly what marking will do,
so the screen can ask before it happens.

Whoever marks the booking (often reception) triggers the outcome; nothing
clinical is read and no probation detail beyond the order's dates is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from clinic.dates import uk_long
from clinic.errors import Refused
from clinic.permissions import Actor, Permission, require
from clinic.probation import LIVE, REQUIRED_APPOINTMENT_TYPES, OrderStatus, Outcome
from clinic.services.probation import attendance
from clinic.services.probation.common import get_row
from clinic.services.probation.orders import STATUSES
from clinic.uow import UnitOfWork
from db.tables.appointments import Appointment, AppointmentType
from db.tables.probation import Attendance, DrrOrder, RequiredAppointment

#: Orders a new booking can be linked to.
LINKABLE = LIVE
#: Appointment status (and "late") -> the attendance outcome it records.
STATUS_OUTCOMES = {"dna": Outcome.UNACCEPTABLE_ABSENCE, "seen": Outcome.ATTENDED, "late": Outcome.ATTENDED_LATE}


@dataclass(frozen=True)
class OrderChoice:
    order_id: int
    label: str  # "DRR from 7 September 2026 to 6 March 2027 (active)"


def _choice(o: DrrOrder) -> OrderChoice:
    return OrderChoice(o.id, f"{o.order_type} from {uk_long(o.start_on)} to {uk_long(o.expected_end)} "
                             f"({STATUSES[o.status].lower()})")


def _linkable(uow: UnitOfWork, person_id: int) -> list[DrrOrder]:
    return list(uow.session.execute(select(DrrOrder).where(DrrOrder.person_id == person_id,
                                                           DrrOrder.status.in_(LINKABLE))
                                    .order_by(DrrOrder.start_on)).scalars())


def is_probation_type(uow: UnitOfWork, type_id: int) -> bool:
    kind = uow.session.get(AppointmentType, type_id)
    return kind is not None and kind.code in REQUIRED_APPOINTMENT_TYPES


def orders_for_booking(uow: UnitOfWork, actor: Actor, person_id: int, type_id: int) -> list[OrderChoice]:
    """The orders a booking of this type for this person would be linked to
    (none for a type Probation does not require)."""
    require(actor, Permission.APPOINTMENT_READ)
    if not is_probation_type(uow, type_id):
        return []
    return [_choice(o) for o in _linkable(uow, person_id)]


def link_booking(uow: UnitOfWork, appointment: Appointment, order_id: int | None) -> OrderChoice | None:
    """Link a new booking to its order (called by ``appointments.book`` in
    its transaction, after its own permission check)."""
    if not is_probation_type(uow, appointment.type_id):
        if order_id is not None:
            raise Refused("Only a DRR appointment can be linked to an order.", field="order_id")
        return None
    found = _linkable(uow, appointment.person_id)
    if order_id is None:
        if len(found) > 1:
            raise Refused("This person has more than one DRR/ATR order: choose the order this appointment is for.",
                          field="order_id")
        if not found:
            return None
        order = found[0]
    else:
        order = next((o for o in found if o.id == order_id), None)  # type: ignore[assignment]
        if order is None:
            raise Refused("That order is not pending or active for this person.", field="order_id")
    uow.session.add(RequiredAppointment(appointment_id=appointment.id, order_id=order.id))
    uow.session.flush()
    return _choice(order)


@dataclass(frozen=True)
class Relinked:
    order_id: int | None  # linked to now; None: unlinked
    was_order_id: int | None
    message: str


def on_change(uow: UnitOfWork, appointment: Appointment, old_type_id: int, order_id: int | None) -> Relinked | None:
    """Follow a booking edited into or out of the DRR type: link it to its
    order, or unlink it (called by ``appointments.edit`` in its transaction).
    A booking whose outcome is already on the order keeps its type: the
    outcome (and any letter about it) would otherwise be about an appointment
    that was never required."""
    was, now = is_probation_type(uow, old_type_id), is_probation_type(uow, appointment.type_id)
    if old_type_id != appointment.type_id and uow.session.execute(
            select(Attendance.id).where(Attendance.appointment_id == appointment.id)).first() is not None:
        raise Refused("Its outcome is already recorded on the order for Probation, so this booking's type cannot "
                      "change. Book a new appointment instead.", field="type_id")
    if now and not was:
        linked = link_booking(uow, appointment, order_id)
        return None if linked is None else Relinked(linked.order_id, None,
                                                    f"Now a required appointment under the {linked.label}.")
    if order_id is not None and not now:
        raise Refused("Only a DRR appointment can be linked to an order.", field="order_id")
    old = attendance.order_for_appointment(uow, appointment.id)
    if was and not now and old is not None:
        uow.session.delete(uow.session.get(RequiredAppointment, appointment.id))
        uow.session.flush()
        return Relinked(None, old, "No longer a required appointment: it is off the DRR/ATR order.")
    return None


def _linked_order(uow: UnitOfWork, appointment_id: int) -> DrrOrder | None:
    order_id = attendance.order_for_appointment(uow, appointment_id)
    return None if order_id is None else get_row(uow, DrrOrder, order_id)


def _reportable(order: DrrOrder, start: datetime) -> bool:
    return (order.status == OrderStatus.ACTIVE and start.date() >= order.start_on
            and (order.ended_on is None or start.date() <= order.ended_on))


def on_status(uow: UnitOfWork, actor: Actor, appointment: Appointment,
              status: str) -> attendance.OutcomeRecorded | None:
    """Record the outcome for a linked booking just marked ``status`` ("dna",
    "seen" or "late"). A second marking (a DNA corrected to seen) amends the
    outcome, and a letter already sent about it is superseded."""
    outcome = STATUS_OUTCOMES.get(status)
    order = _linked_order(uow, appointment.id)
    if outcome is None or order is None or not _reportable(order, appointment.start):
        return None
    existing = uow.session.execute(select(Attendance).where(Attendance.appointment_id == appointment.id)
                                   ).scalars().first()
    if existing is None:
        return attendance.record_on_order(uow, actor, order, attendance.RecordOutcome(
            order.id, appointment.start, outcome, appointment.id))
    if existing.outcome == outcome.value:
        return None
    return attendance.amend_for_booking(uow, actor, order, existing, outcome)


def status_effect(uow: UnitOfWork, actor: Actor, appointment_id: int, status: str) -> str:
    """What marking this booking ``status`` will do for Probation, in words;
    "" when nothing (the booking is not required by an order)."""
    require(actor, Permission.APPOINTMENT_READ)
    row = uow.session.get(Appointment, appointment_id)
    order = None if row is None else _linked_order(uow, appointment_id)
    if row is None or order is None:
        return ""
    what = f"This is a required appointment under the {order.order_type} order."
    if status not in STATUS_OUTCOMES:
        return what + " Marking it this way records nothing for Probation; record the outcome on the Probation tab."
    if not _reportable(order, row.start):
        return what + f" The order is {STATUSES[order.status].lower()}, so nothing is reported to Probation."
    outcome = STATUS_OUTCOMES[status]
    due = attendance.due_for(uow, outcome, row.start.date())
    letter = "a non-attendance letter" if outcome.needs_notification else "an attendance confirmation"
    said = attendance.OUTCOME_LABELS[outcome].lower()
    text = (f"{what} Saving records \u201c{said}\u201d on the order and makes {letter} to Probation"
            f" due by {uk_long(due)}.")
    if order.consent_withdrawn_on is not None:
        text += " Consent to share has been withdrawn, so no letter will be sent: contact the probation officer."
    return text


class _BookingLinks:
    """Probation's watch on the appointment book (``appointments.watchers``)."""

    def booked(self, uow: UnitOfWork, appointment: Appointment, order_id: int | None) -> OrderChoice | None:
        return link_booking(uow, appointment, order_id)

    def changed(self, uow: UnitOfWork, appointment: Appointment, old_type_id: int,
                order_id: int | None) -> Relinked | None:
        return on_change(uow, appointment, old_type_id, order_id)

    def status_set(self, uow: UnitOfWork, actor: Actor, appointment: Appointment,
                   status: str) -> attendance.OutcomeRecorded | None:
        return on_status(uow, actor, appointment, status)


#: Set as the book's watcher by ``clinic/services/__init__.py``.
BOOKING_LINKS = _BookingLinks()
