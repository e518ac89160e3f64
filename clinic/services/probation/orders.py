"""DRR/ATR orders: probation contacts, orders, review hearings, consent, status.

The probation liaison worker's records. Everything here is the order and
who Probation is; attendance and drug tests are in ``probation_attendance``,
letters in ``probation_letters``, the worklist in ``probation_worklist``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from clinic import probation
from clinic.appointment_status import AppointmentStatus
from clinic.changes import Area, Changes
from clinic.dates import uk_long
from clinic.errors import Refused
from clinic.outstanding import Outstanding, Severity
from clinic.people import PersonStatus
from clinic.permissions import Actor, Permission, require
from clinic.probation import NotificationKind as Kind
from clinic.probation import NotificationStatus as NoteStatus
from clinic.probation import OrderStatus
from clinic.services.appointments import booking as appointments
from clinic.services.probation.common import AREA, StaleOrder, flush, get_row
from clinic.uow import UnitOfWork, changed_fields
from db.dialect import day_of, joined_text
from db.tables.appointments import Appointment
from db.tables.people import Person
from db.tables.probation import (
    Attendance,
    DrrOrder,
    Notification,
    ProbationContact,
    RequiredAppointment,
    ReviewHearing,
)

ORDER_TYPES = ("DRR", "ATR")
FREQUENCIES = {"weekly": "Weekly", "twice_weekly": "Twice weekly", "fortnightly": "Fortnightly",
               "monthly": "Monthly"}
#: The screens' words for each order status, keyed by its stored value.
STATUSES: dict[str, str] = {s: s.label for s in OrderStatus}
CLOSING = probation.CLOSING


# ---- contacts --------------------------------------------------------------


@dataclass(frozen=True)
class ContactInput:
    name: str
    office: str = ""
    address: str = ""
    phone: str = ""
    secure_email: str = ""


@dataclass(frozen=True)
class ContactSummary:
    id: int
    name: str
    office: str
    address: str
    phone: str
    secure_email: str
    version: int

    @property
    def label(self) -> str:
        return f"{self.name} ({self.office})" if self.office else self.name

    @property
    def reachable(self) -> bool:
        """A letter needs somewhere to go: a postal address or a secure email."""
        return bool(self.address.strip() or self.secure_email.strip())


def contact_warning(contact: ContactSummary | None) -> str:
    if contact is None:
        return "No probation officer is recorded: letters cannot be sent until one is added."
    if not contact.reachable:
        return (f"{contact.name} has no postal address or secure email: letters cannot be sent "
                "until one is added to the contact.")
    return ""


def save_contact(uow: UnitOfWork, actor: Actor, cmd: ContactInput, *, contact_id: int | None = None,
                 version: int | None = None) -> ContactSummary:
    require(actor, Permission.PROBATION_WRITE)
    if not cmd.name.strip():
        raise Refused("Enter the probation officer's name.", field="name")
    if cmd.secure_email and "@" not in cmd.secure_email:
        raise Refused("The secure email address does not look right.", field="secure_email")
    values = {k: getattr(cmd, k).strip() for k in ("name", "office", "address", "phone", "secure_email")}
    if contact_id is None:
        row = ProbationContact(**values, active=True)
        uow.session.add(row)
        uow.session.flush()
        uow.audit(actor, "probation.contact_added", "probation_contact", row.id,
                  changes={"name": [None, row.name]})
    else:
        row = get_row(uow, ProbationContact, contact_id)
        if version is not None and row.version != version:
            raise StaleOrder("Someone else changed this contact. Reload it and try again.")
        diff = changed_fields({k: getattr(row, k) for k in values}, values)
        for k, (_, v) in diff.items():
            setattr(row, k, v)
        flush(uow)
        if diff:  # saving unchanged details is not an edit
            uow.audit(actor, "probation.contact_changed", "probation_contact", row.id, changes=diff)
    return _contact(row)


def list_contacts(uow: UnitOfWork, actor: Actor) -> list[ContactSummary]:
    require(actor, Permission.PROBATION_READ)
    rows = uow.session.execute(select(ProbationContact).where(ProbationContact.active.is_(True))
                               .order_by(ProbationContact.name)).scalars()
    return [_contact(r) for r in rows]


def _contact(r: ProbationContact) -> ContactSummary:
    return ContactSummary(r.id, r.name, r.office, r.address, r.phone, r.secure_email, r.version)


# ---- orders ----------------------------------------------------------------


@dataclass(frozen=True)
class OrderInput:
    person_id: int
    order_type: str
    court: str
    order_date: date
    length_months: int
    start_on: date
    frequency: str = "weekly"
    testing_required: bool = False
    officer_id: int | None = None
    probation_reference: str = ""
    consent_signed_on: date | None = None
    hearings: tuple[date, ...] = ()
    #: None: worked out from the start and the length (clinic.probation.order_end).
    expected_end: date | None = None


@dataclass(frozen=True)
class OrderSummary:
    id: int
    person_id: int
    order_type: str
    court: str
    order_date: date
    length_months: int
    start_on: date
    expected_end: date
    frequency: str
    testing_required: bool
    officer: ContactSummary | None
    probation_reference: str
    consent_signed_on: date | None
    consent_withdrawn_on: date | None
    status: str
    ended_on: date | None
    hearings: tuple[date, ...]
    version: int
    breach_flag: bool = False

    @property
    def title(self) -> str:
        return (f"{self.order_type} ({STATUSES[self.status].lower()}), "
                f"{uk_long(self.start_on)} to {uk_long(self.expected_end)}")

    @property
    def warnings(self) -> tuple[str, ...]:
        out = []
        if self.consent_withdrawn_on is not None:
            out.append(consent_withdrawn_message(self))
        elif self.consent_signed_on is None:
            out.append("Consent to share has not been signed: the order cannot be activated.")
        if self.breach_flag:
            out.append("Breach threshold reached: unacceptable absences need Probation's attention.")
        if warning := contact_warning(self.officer):
            out.append(warning)
        return tuple(out)


def consent_withdrawn_message(order: OrderSummary) -> str:
    who = order.officer.name if order.officer else "the probation officer"
    phone = f" on {order.officer.phone}" if order.officer and order.officer.phone else ""
    return (f"Consent to share was withdrawn on {uk_long(order.consent_withdrawn_on or date.min)}. "
            f"No letters will be sent: contact {who}{phone} to tell Probation.")


@dataclass(frozen=True)
class OrderSaved:
    order: OrderSummary
    warnings: tuple[str, ...]
    changes: Changes = field(default_factory=Changes)


def add_order(uow: UnitOfWork, actor: Actor, cmd: OrderInput) -> OrderSaved:
    require(actor, Permission.PROBATION_WRITE)
    person = uow.session.get(Person, cmd.person_id)
    if person is None:
        raise ValueError("That person is not on the register.")
    if person.status != PersonStatus.OPEN:
        raise ValueError("This person's record is closed: reopen it before recording an order.")
    values = _checked(uow, cmd)
    row = DrrOrder(person_id=cmd.person_id, status=OrderStatus.PENDING, created_by=actor.staff_id,
                   created_at=uow.clock.now(), **values)
    uow.session.add(row)
    uow.session.flush()
    _set_hearings(uow, row, cmd.hearings)
    uow.audit(actor, "probation.order_added", "drr_order", row.id, person_id=row.person_id,
              changes={k: [None, _plain(v)] for k, v in values.items() if k in _AUDITED})
    return _saved(uow, row)


def update_order(uow: UnitOfWork, actor: Actor, order_id: int, version: int, cmd: OrderInput) -> OrderSaved:
    require(actor, Permission.PROBATION_WRITE)
    row = get_row(uow, DrrOrder, order_id)
    if row.version != version:
        raise StaleOrder("Someone else changed this order while you were editing. Reload it and try again.")
    values = _checked(uow, cmd)
    if row.status == OrderStatus.ACTIVE and values["consent_signed_on"] is None:
        raise ValueError("An active order needs the date consent to share was signed.")
    before = {k: getattr(row, k) for k in values}
    for k, v in values.items():
        setattr(row, k, v)
    hearings_before = _hearing_dates(uow, row.id)
    _set_hearings(uow, row, cmd.hearings)
    flush(uow)
    changes = {k: [_plain(a), _plain(b)] for k, (a, b) in changed_fields(before, values).items()}
    if set(cmd.hearings) != set(hearings_before):
        changes["hearings"] = [[d.isoformat() for d in hearings_before], sorted(d.isoformat() for d in cmd.hearings)]
    if changes:
        uow.audit(actor, "probation.order_changed", "drr_order", row.id, person_id=row.person_id, changes=changes)
    return _saved(uow, row)


def activate_order(uow: UnitOfWork, actor: Actor, order_id: int) -> OrderSaved:
    """Start an order: only with consent to share signed and not withdrawn."""
    require(actor, Permission.PROBATION_WRITE)
    row = get_row(uow, DrrOrder, order_id)
    if row.status != OrderStatus.PENDING:
        raise ValueError(f"Only an order pending start can be activated (this one is {STATUSES[row.status].lower()}).")
    if row.consent_signed_on is None:
        raise ValueError("Record the date consent to share was signed before activating the order.")
    if row.consent_withdrawn_on is not None:
        raise ValueError("Consent to share has been withdrawn, so the order cannot be activated here. "
                         "Contact the probation officer.")
    row.status = OrderStatus.ACTIVE
    flush(uow)
    uow.audit(actor, "probation.order_activated", "drr_order", row.id, person_id=row.person_id,
              changes={"status": [OrderStatus.PENDING, OrderStatus.ACTIVE]})
    return _saved(uow, row)


def end_order(uow: UnitOfWork, actor: Actor, order_id: int, status: str, on: date, *,
              cancel_bookings: bool = False) -> OrderSaved:
    """Completed, revoked, breached (as told by Probation) or transferred: a
    closure letter becomes due by the notification deadline. With
    ``cancel_bookings`` the order's required appointments after ``on`` are
    cancelled by the service (``probation_links``)."""
    require(actor, Permission.PROBATION_WRITE)
    if status not in CLOSING:
        raise Refused("Choose how the order ended: completed, revoked, breached or transferred.", field="status")
    row = get_row(uow, DrrOrder, order_id)
    if row.status in CLOSING:
        raise Refused(f"This order has already ended ({STATUSES[row.status].lower()}).")
    if row.status == OrderStatus.PENDING:
        raise Refused("This order never started: correct it with Edit order instead of ending it.")
    if on < row.start_on:
        raise Refused(f"An order cannot end before it started ({uk_long(row.start_on)}).", field="on")
    if on > uow.clock.today():
        raise Refused("Record the end of an order on or after the day it ends.", field="on")
    before = row.status
    row.status, row.ended_on = status, on
    s = uow.settings
    due = probation.notification_due(on, working_days=s["probation.notification_working_days"],
                                     closures=s.closures)
    uow.session.add(Notification(order_id=row.id, kind=Kind.CLOSURE, due_on=due, status=NoteStatus.DUE,
                                 created_at=uow.clock.now(), summary=""))
    _cancel_unsent(uow, row.id, kinds=(Kind.PROGRESS_REPORT,))
    flush(uow)
    uow.audit(actor, "probation.order_ended", "drr_order", row.id, person_id=row.person_id,
              changes={"status": [before, status], "ended_on": [None, on.isoformat()]})
    saved = _saved(uow, row)
    closure = f"Order ended ({STATUSES[status].lower()}). A closure letter to Probation is due by {uk_long(due)}."
    if cancel_bookings:
        n = _cancel_required_after(uow, actor, row.id, on)
        closure += f" {n} required appointment{'s' if n != 1 else ''} after the end cancelled."
        saved = OrderSaved(saved.order, saved.warnings, Changes.of(AREA, Area.APPOINTMENTS, person_id=row.person_id))
    return OrderSaved(saved.order, (closure, *saved.warnings), saved.changes)


def withdraw_consent(uow: UnitOfWork, actor: Actor, order_id: int, on: date) -> OrderSaved:
    """Consent to share withdrawn: letters stop; the user must tell Probation."""
    require(actor, Permission.PROBATION_WRITE)
    row = get_row(uow, DrrOrder, order_id)
    if row.consent_withdrawn_on is not None:
        raise Refused("Consent has already been recorded as withdrawn.")
    if on > uow.clock.today():
        raise Refused("Consent cannot be withdrawn on a future date.", field="on")
    if row.consent_signed_on is not None and on < row.consent_signed_on:
        raise Refused(f"Consent was signed on {uk_long(row.consent_signed_on)}; it cannot be withdrawn before that.",
                      field="on")
    row.consent_withdrawn_on = on
    flush(uow)
    uow.audit(actor, "probation.consent_withdrawn", "drr_order", row.id, person_id=row.person_id,
              changes={"consent_withdrawn_on": [None, on.isoformat()]})
    saved = _saved(uow, row)
    return OrderSaved(saved.order, (consent_withdrawn_message(saved.order), *saved.warnings[1:]), saved.changes)


def orders_for_person(uow: UnitOfWork, actor: Actor, person_id: int) -> list[OrderSummary]:
    require(actor, Permission.PROBATION_READ)
    rows = uow.session.execute(select(DrrOrder).where(DrrOrder.person_id == person_id)
                               .order_by(DrrOrder.start_on.desc())).scalars().all()
    return summaries(uow, rows)


def get_order(uow: UnitOfWork, actor: Actor, order_id: int) -> OrderSummary:
    require(actor, Permission.PROBATION_READ)
    return summaries(uow, [get_row(uow, DrrOrder, order_id)])[0]


def summaries(uow: UnitOfWork, rows: Sequence[DrrOrder]) -> list[OrderSummary]:
    """Order summaries in three queries whatever the number of orders."""
    ids = [r.id for r in rows]
    if not ids:
        return []
    officer_ids = {r.officer_id for r in rows if r.officer_id}
    officers = {c.id: _contact(c) for c in uow.session.execute(
        select(ProbationContact).where(ProbationContact.id.in_(officer_ids))).scalars()} if officer_ids else {}
    hearings: dict[int, list[date]] = {}
    for oid, d in uow.session.execute(select(ReviewHearing.order_id, ReviewHearing.hearing_on)
                                      .where(ReviewHearing.order_id.in_(ids)).order_by(ReviewHearing.hearing_on)):
        hearings.setdefault(oid, []).append(d)
    flagged = breach_flagged(uow, ids)
    return [OrderSummary(r.id, r.person_id, r.order_type, r.court, r.order_date, r.length_months, r.start_on,
                         r.expected_end, r.frequency, r.testing_required, officers.get(r.officer_id or 0),
                         r.probation_reference, r.consent_signed_on, r.consent_withdrawn_on, r.status, r.ended_on,
                         tuple(hearings.get(r.id, ())), r.version, r.id in flagged) for r in rows]


def breach_flagged(uow: UnitOfWork, order_ids: list[int] | None = None) -> set[int]:
    """Active orders at the breach threshold today (setting: count within months).

    One grouped query narrows to candidates; the pure rule decides, so the
    worklist and the order screen can never disagree with clinic.probation.
    """
    s, today = uow.settings, uow.clock.today()
    count, months = s["probation.breach_count"], s["probation.breach_window_months"]
    since = probation.breach_window_start(today, window_months=months)
    day = day_of(Attendance.occurred_at)
    q = (select(Attendance.order_id, joined_text(day))
         .join(DrrOrder, DrrOrder.id == Attendance.order_id)
         .where(Attendance.outcome == probation.Outcome.UNACCEPTABLE_ABSENCE.value,
                Attendance.occurred_at >= datetime.combine(since, time()), DrrOrder.status == OrderStatus.ACTIVE)
         .group_by(Attendance.order_id).having(func.count() >= count))
    if order_ids is not None:
        q = q.where(Attendance.order_id.in_(order_ids))
    flagged = set()
    for order_id, days in uow.session.execute(q):
        dates = [date.fromisoformat(d) for d in days.split(",")]
        if probation.breach_threshold_reached(dates, on=today, count=count, window_months=months):
            flagged.add(order_id)
    return flagged


def probation_outstanding(uow: UnitOfWork, actor: Actor, person_id: int) -> list[Outstanding]:
    """Outstanding-items provider for the person summary: "On DRR"/"On ATR"
    chip, letters owed to Probation, consent withdrawn, breach threshold."""
    require(actor, Permission.PROBATION_READ)
    rows = uow.session.execute(select(DrrOrder).where(DrrOrder.person_id == person_id,
                                                      DrrOrder.status.in_(probation.LIVE))).scalars().all()
    if not rows:
        return []
    today = uow.clock.today()
    items: list[Outstanding] = []
    for order in summaries(uow, list(rows)):
        chip = f"On {order.order_type}" if order.status == OrderStatus.ACTIVE else None
        label = f"{order.order_type} {STATUSES[order.status].lower()}: ends {uk_long(order.expected_end)}"
        items.append(Outstanding(AREA, label, order.expected_end, Severity.INFO, chip))
        if order.consent_withdrawn_on:
            items.append(Outstanding(AREA, "Consent to share withdrawn: tell Probation", None, Severity.ALERT))
        if order.breach_flag:
            items.append(Outstanding(AREA, f"{order.order_type} breach threshold reached", None, Severity.ALERT))
    due = uow.session.execute(
        select(Notification.kind, func.min(Notification.due_on), func.count())
        .join(DrrOrder, DrrOrder.id == Notification.order_id)
        .where(DrrOrder.person_id == person_id, Notification.status == NoteStatus.DUE)
        .group_by(Notification.kind)).all()
    for kind, first_due, n in due:
        severity = Severity.OVERDUE if first_due < today else Severity.DUE
        items.append(Outstanding(AREA, f"{NOTIFICATION_LABELS[kind]} to Probation ({n})", first_due, severity))
    return items


#: The words for each kind of letter owed, keyed by its stored value.
NOTIFICATION_LABELS: dict[str, str] = {k: k.label for k in Kind}


# ---- helpers ----------------------------------------------------------------

_AUDITED = ("order_type", "court", "order_date", "length_months", "start_on", "expected_end", "frequency",
            "testing_required", "officer_id", "consent_signed_on")


def _checked(uow: UnitOfWork, cmd: OrderInput) -> dict[str, object]:
    if cmd.order_type not in ORDER_TYPES:
        raise Refused("Choose DRR or ATR.", field="order_type")
    if not cmd.court.strip():
        raise Refused("Enter the court that made the order.", field="court")
    if cmd.frequency not in FREQUENCIES:
        raise Refused("Choose how often appointments are required.", field="frequency")
    if cmd.length_months < 1 or cmd.length_months > 36:
        raise Refused("An order lasts between 1 and 36 months.", field="length_months")
    end = cmd.expected_end or probation.order_end(cmd.start_on, cmd.length_months)
    try:
        probation.validate_order(cmd.order_date, cmd.start_on, end)
    except ValueError as exc:
        raise Refused(f"{exc}.", field="start_on") from None
    if cmd.consent_signed_on is not None and cmd.consent_signed_on > uow.clock.today():
        raise Refused("Consent cannot be signed on a future date.", field="consent_signed_on")
    if cmd.officer_id is not None and uow.session.get(ProbationContact, cmd.officer_id) is None:
        raise Refused("That probation officer is not on the contacts list.", field="officer_id")
    for hearing in cmd.hearings:
        if not cmd.start_on <= hearing <= end:
            raise Refused(f"The review hearing on {uk_long(hearing)} is outside the order's dates.", field="hearings")
    return dict(order_type=cmd.order_type, court=cmd.court.strip(), order_date=cmd.order_date,
                length_months=cmd.length_months, start_on=cmd.start_on, expected_end=end, frequency=cmd.frequency,
                testing_required=cmd.testing_required, officer_id=cmd.officer_id,
                probation_reference=cmd.probation_reference.strip(), consent_signed_on=cmd.consent_signed_on)


def _set_hearings(uow: UnitOfWork, order: DrrOrder, hearings: tuple[date, ...]) -> None:
    """Keep hearings in step with ``hearings``; each owes a progress report."""
    existing = {h.hearing_on: h for h in uow.session.execute(
        select(ReviewHearing).where(ReviewHearing.order_id == order.id)).scalars()}
    wanted = set(hearings)
    s = uow.settings
    for d, h in existing.items():
        if d not in wanted:
            for n in uow.session.execute(select(Notification).where(Notification.hearing_id == h.id)).scalars():
                if n.status == NoteStatus.DUE:
                    n.status = NoteStatus.CANCELLED
                n.hearing_id = None
            uow.session.flush()
            uow.session.delete(h)
    for d in sorted(wanted - set(existing)):
        h = ReviewHearing(order_id=order.id, hearing_on=d)
        uow.session.add(h)
        uow.session.flush()
        due = probation.progress_report_due(d, working_days_before=s["probation.report_days_before_hearing"],
                                            closures=s.closures)
        uow.session.add(Notification(order_id=order.id, hearing_id=h.id, kind=Kind.PROGRESS_REPORT, due_on=due,
                                     status=NoteStatus.DUE, created_at=uow.clock.now(), summary=""))
    uow.session.flush()


def _hearing_dates(uow: UnitOfWork, order_id: int) -> list[date]:
    return list(uow.session.execute(select(ReviewHearing.hearing_on).where(ReviewHearing.order_id == order_id)
                                    .order_by(ReviewHearing.hearing_on)).scalars())


def _cancel_unsent(uow: UnitOfWork, order_id: int, *, kinds: tuple[str, ...]) -> None:
    for n in uow.session.execute(select(Notification).where(
            Notification.order_id == order_id, Notification.status == NoteStatus.DUE,
            Notification.kind.in_(kinds))).scalars():
        n.status = NoteStatus.CANCELLED


def _saved(uow: UnitOfWork, row: DrrOrder) -> OrderSaved:
    summary = summaries(uow, [row])[0]
    return OrderSaved(summary, summary.warnings, Changes.of(AREA, person_id=row.person_id))


def _required_after(uow: UnitOfWork, order_id: int, day: date) -> list[Appointment]:
    return list(uow.session.execute(
        select(Appointment).join(RequiredAppointment, RequiredAppointment.appointment_id == Appointment.id)
        .where(RequiredAppointment.order_id == order_id, Appointment.status == AppointmentStatus.BOOKED,
               Appointment.start >= datetime.combine(day + timedelta(days=1), time.min))
        .order_by(Appointment.start)).scalars())


def required_after(uow: UnitOfWork, actor: Actor, order_id: int, day: date) -> int:
    """How many of the order's required bookings are still booked after ``day``
    (the end-of-order dialog offers to cancel them)."""
    require(actor, Permission.PROBATION_READ)
    return len(_required_after(uow, order_id, day))


def _cancel_required_after(uow: UnitOfWork, actor: Actor, order_id: int, day: date) -> int:
    """Cancel (by the service) the order's bookings after it ended, in
    ``end_order``'s transaction."""
    rows = _required_after(uow, order_id, day)
    for row in rows:
        cancel = appointments.SetStatus(row.id, AppointmentStatus.CANCELLED_SERVICE, row.version)
        appointments.set_status(uow, actor, cancel)
    return len(rows)


def _plain(v: object) -> object:
    return v.isoformat() if isinstance(v, date) else v

