"""OST worklists and the person-summary provider.

Each worklist is one SQL query over indexed columns (see ``db.tables.ost``
for the stored ``next_review_due`` and ``missed_alert_on``), returning at
most ``limit`` rows of plain data. Only open records are listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, exists, func, or_, select

from clinic import ost
from clinic.dates import uk_long
from clinic.outstanding import Outstanding, Severity
from clinic.people import PersonStatus
from clinic.permissions import Actor, Permission, require
from clinic.services.ost.prescriptions import current_rows
from clinic.services.safe_storage import holds_box
from clinic.services.safeguarding.household import children_around, children_condition  # visiting children count too
from clinic.uow import UnitOfWork
from db.dialect import joined_text
from db.tables.ost import OstPrescription, OstReview
from db.tables.people import Person
from db.tables.safe_storage import SafeStorageBox

STORAGE_ALERT = "Take-home doses, children at home, no safe-storage box recorded"
MISSED_ALERT = "Prescriber review before next dose"
DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class WorkItem:
    person_id: int
    name: str
    date_of_birth: date
    due: date | None
    detail: str
    severity: Severity


def _current(today: date) -> ColumnElement[bool]:
    return or_(OstPrescription.end_on.is_(None), OstPrescription.end_on >= today)


def _name(surname: str, forename: str, preferred: str) -> str:
    return f"{surname.upper()}, {forename}" + (f" ({preferred})" if preferred else "")


def reviews_due(uow: UnitOfWork, actor: Actor, *, within_days: int = DUE_SOON_DAYS,
                limit: int = 500) -> list[WorkItem]:
    """People whose next review is overdue or due within ``within_days``."""
    require(actor, Permission.OST_READ)
    today = uow.clock.today()
    due = func.min(OstPrescription.next_review_due).label("due")
    rows = uow.session.execute(
        select(Person.id, Person.surname, Person.forename, Person.preferred_name, Person.date_of_birth, due,
               joined_text(OstPrescription.medicine))
        .join(Person, Person.id == OstPrescription.person_id)
        .where(OstPrescription.next_review_due <= today + timedelta(days=within_days), _current(today),
               Person.status == PersonStatus.OPEN)
        .group_by(Person.id).order_by(due, Person.surname).limit(limit)).all()
    return [WorkItem(pid, _name(s, f, p), dob, d,
                     ("Review overdue since " if d < today else "Review due ") + uk_long(d) + f" ({meds})",
                     Severity.OVERDUE if d < today else Severity.DUE)
            for pid, s, f, p, dob, d, meds in rows]


def missed_dose_alerts(uow: UnitOfWork, actor: Actor, *, limit: int = 500) -> list[WorkItem]:
    require(actor, Permission.OST_READ)
    today = uow.clock.today()
    since = func.max(OstPrescription.missed_alert_on).label("since")
    rows = uow.session.execute(
        select(Person.id, Person.surname, Person.forename, Person.preferred_name, Person.date_of_birth, since)
        .join(Person, Person.id == OstPrescription.person_id)
        .where(OstPrescription.missed_alert_on.is_not(None), _current(today), Person.status == PersonStatus.OPEN)
        .group_by(Person.id).order_by(since, Person.surname).limit(limit)).all()
    return [WorkItem(pid, _name(s, f, p), dob, d, f"{MISSED_ALERT}: doses missed up to {uk_long(d)}",
                     Severity.ALERT) for pid, s, f, p, dob, d in rows if d is not None]


def storage_alerts(uow: UnitOfWork, actor: Actor, *, limit: int = 500) -> list[WorkItem]:
    """Take-home doses + children in household + no box held (seed 002)."""
    require(actor, Permission.OST_READ)
    today = uow.clock.today()
    box_held = exists().where(SafeStorageBox.holder_person_id == Person.id)
    rows = uow.session.execute(
        select(Person.id, Person.surname, Person.forename, Person.preferred_name, Person.date_of_birth,
               func.max(OstPrescription.take_home_days))
        .join(Person, Person.id == OstPrescription.person_id)
        .where(OstPrescription.take_home_days > 0, _current(today), OstPrescription.start_on <= today,
               children_condition(), Person.status == PersonStatus.OPEN, ~box_held)
        .group_by(Person.id).order_by(Person.surname, Person.forename).limit(limit)).all()
    return [WorkItem(pid, _name(s, f, p), dob, None, f"{STORAGE_ALERT} ({days} take-home days a week)",
                     Severity.ALERT) for pid, s, f, p, dob, days in rows]


def unsigned_reviews(uow: UnitOfWork, actor: Actor, *, limit: int = 500) -> list[WorkItem]:
    """Reviews recorded by nurses, waiting for a prescriber's sign-off."""
    require(actor, Permission.OST_READ)
    rows = uow.session.execute(
        select(Person.id, Person.surname, Person.forename, Person.preferred_name, Person.date_of_birth,
               OstReview.reviewed_on)
        .join(Person, Person.id == OstReview.person_id)
        .where(OstReview.signed_off_at.is_(None))
        .order_by(OstReview.reviewed_on).limit(limit)).all()
    return [WorkItem(pid, _name(s, f, p), dob, d, f"Review of {uk_long(d)} awaiting prescriber sign-off",
                     Severity.DUE) for pid, s, f, p, dob, d in rows]


@dataclass(frozen=True)
class Alerts:
    missed_alert_on: date | None
    storage_alert: bool
    next_review_due: date | None


def alerts(uow: UnitOfWork, actor: Actor, person_id: int) -> Alerts:
    """The alerts on one person's record."""
    require(actor, Permission.OST_READ)
    today = uow.clock.today()
    rows = current_rows(uow, person_id)
    person = uow.session.get(Person, person_id)
    take_home = max((p.take_home_days for p in rows if p.start_on <= today), default=0)
    storage = bool(person) and ost.safe_storage_alert(
        take_home_days=take_home, children_in_household=bool(person) and children_around(uow, person_id),
        box_held=holds_box(uow, person_id))
    missed = max((p.missed_alert_on for p in rows if p.missed_alert_on), default=None)
    due = min((p.next_review_due for p in rows), default=None)
    return Alerts(missed, storage, due)


def ost_outstanding(uow: UnitOfWork, actor: Actor, person_id: int) -> list[Outstanding]:
    """For the person summary: on OST (chip), review due, and the two alerts."""
    require(actor, Permission.OST_READ)
    rows = current_rows(uow, person_id)
    if not rows:
        return []
    today = uow.clock.today()
    a = alerts(uow, actor, person_id)
    items = [Outstanding("ost", "On " + ", ".join(f"{p.daily_dose_mg:g} mg {p.medicine}" for p in rows) + " daily",
                         None, Severity.INFO, chip="On OST")]
    if a.missed_alert_on:
        items.append(Outstanding("ost", f"{MISSED_ALERT} (doses missed up to {uk_long(a.missed_alert_on)})",
                                 a.missed_alert_on, Severity.ALERT))
    if a.storage_alert:
        items.append(Outstanding("ost", STORAGE_ALERT, None, Severity.ALERT))
    if a.next_review_due:
        d = a.next_review_due
        severity = (Severity.OVERDUE if d < today else
                    Severity.DUE if d <= today + timedelta(days=DUE_SOON_DAYS) else Severity.INFO)
        items.append(Outstanding("ost", "OST review " + ("overdue" if d < today else "due"), d, severity))
    return items


