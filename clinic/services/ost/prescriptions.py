"""OST prescriptions: start, change with a reason, stop; the pharmacy list;
the person's OST record as the tab shows it.

Prescribing needs ``OST_PRESCRIBE``. A dose change ends the current row the
day before and starts a new one, so the rows are the dose history. The
stored ``next_review_due`` and ``missed_alert_on`` travel with the change
(see ``db.tables.ost``). Reviews are in ``ost_reviews``, missed doses and
decisions in ``ost_missed``, worklists in ``ost_worklists``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased

from clinic import ost
from clinic.changes import Area, Changes
from clinic.dates import uk_long
from clinic.errors import Conflict, NotFound, Refused, refused_as
from clinic.permissions import Actor, Permission, require
from clinic.uow import UnitOfWork, changed_fields
from db.tables.ost import OstPrescription, Pharmacy
from db.tables.people import Person
from db.tables.staff import Staff

MEDICINES = ("methadone", "buprenorphine")
FORMULATIONS: Mapping[str, tuple[str, ...]] = {
    "methadone": ("oral solution 1 mg/mL", "sugar-free oral solution 1 mg/mL", "tablets"),
    "buprenorphine": ("sublingual tablets", "oral lyophilisate", "buprenorphine/naloxone sublingual tablets"),
}
AREA = Area.OST


class DoseNeedsConfirmation(Refused):
    """An unusual but possible dose: the prescriber must confirm it (said by the dose)."""

    def __init__(self, warnings: list[str]) -> None:
        self.warnings = warnings
        super().__init__(" ".join(warnings), field="daily_dose_mg")


@dataclass(frozen=True)
class PharmacyRow:
    id: int
    name: str
    address: str
    phone: str
    fax: str
    secure_email: str
    active: bool = True


@dataclass(frozen=True)
class AddPharmacy:
    name: str
    address: str = ""
    phone: str = ""
    fax: str = ""
    secure_email: str = ""


@dataclass(frozen=True)
class UpdatePharmacy:
    """New details for a pharmacy; ``was`` is the row as the editor loaded
    it, so a change saved meanwhile on another workstation is not overwritten."""

    pharmacy_id: int
    name: str
    address: str = ""
    phone: str = ""
    fax: str = ""
    secure_email: str = ""
    was: PharmacyRow | None = None


@dataclass(frozen=True)
class RetirePharmacy:
    pharmacy_id: int
    confirm: bool = False


@dataclass(frozen=True)
class PharmacySaved:
    pharmacy: PharmacyRow
    message: str = ""
    changes: Changes = field(default_factory=Changes)


class InvalidPharmacy(ValueError):
    """The pharmacy form has mistakes; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(" ".join(errors.values()))


class RetireNeedsConfirmation(ValueError):
    """Retiring is not undone from the screen: say what it means, then confirm."""


@dataclass(frozen=True)
class StartPrescription:
    person_id: int
    medicine: str
    formulation: str
    daily_dose_mg: float
    supervised_days: int
    take_home_days: int
    pharmacy_id: int | None
    start_on: date
    end_on: date | None = None
    reason: str = "New prescription"
    next_review_on: date | None = None
    confirm_warnings: bool = False


@dataclass(frozen=True)
class ChangePrescription:
    prescription_id: int
    version: int
    change_on: date
    reason: str
    daily_dose_mg: float
    supervised_days: int
    take_home_days: int
    pharmacy_id: int | None
    formulation: str
    confirm_warnings: bool = False


@dataclass(frozen=True)
class StopPrescription:
    prescription_id: int
    version: int
    end_on: date
    reason: str


@dataclass(frozen=True)
class PrescriptionRow:
    id: int
    person_id: int
    medicine: str
    formulation: str
    daily_dose_mg: float
    supervised_days: int
    take_home_days: int
    pharmacy_id: int | None
    pharmacy_name: str
    prescriber_name: str
    start_on: date
    end_on: date | None
    change_reason: str
    end_reason: str
    next_review_due: date
    missed_alert_on: date | None
    version: int

    def current_on(self, day: date) -> bool:
        return self.end_on is None or self.end_on >= day

    @property
    def dose_text(self) -> str:
        return f"{self.daily_dose_mg:g} mg {self.medicine} daily"

    @property
    def supervision_text(self) -> str:
        """"6 supervised days and 1 take-home day a week" (UI-31)."""
        def days(n: int, kind: str) -> str:
            return f"{n} {kind} day{'' if n == 1 else 's'}"
        return f"{days(self.supervised_days, 'supervised')} and {days(self.take_home_days, 'take-home')} a week"


@dataclass(frozen=True)
class Prescribed:
    prescription: PrescriptionRow
    warnings: tuple[str, ...]
    changes: Changes = field(default_factory=Changes)


# --- pharmacies ---------------------------------------------------------------

def pharmacies(uow: UnitOfWork, actor: Actor, *, include_retired: bool = False) -> list[PharmacyRow]:
    require(actor, Permission.OST_READ)
    q = select(Pharmacy).order_by(Pharmacy.name)
    if not include_retired:
        q = q.where(Pharmacy.active)
    return [_pharmacy_row(p) for p in uow.session.execute(q).scalars()]


def add_pharmacy(uow: UnitOfWork, actor: Actor, cmd: AddPharmacy) -> PharmacyRow:
    require(actor, Permission.OST_WRITE)
    values = _pharmacy_values(cmd)
    row = Pharmacy(**values, active=True)
    uow.session.add(row)
    uow.session.flush()
    uow.audit(actor, "ost.pharmacy_added", "pharmacy", row.id, changes={"name": [None, row.name]})
    return _pharmacy_row(row)


def update_pharmacy(uow: UnitOfWork, actor: Actor, cmd: UpdatePharmacy) -> PharmacySaved:
    """Correct a pharmacy's details. Prescriptions name the pharmacy, so they
    follow the change; only changed fields are audited."""
    require(actor, Permission.OST_WRITE)
    row = _pharmacy(uow, cmd.pharmacy_id)
    if cmd.was is not None and _pharmacy_row(row) != cmd.was:
        raise ValueError("Someone else changed this pharmacy while you were editing. Reload it and try again.")
    values = _pharmacy_values(cmd)
    diff = changed_fields({k: getattr(row, k) for k in values}, values)
    for k, (_, v) in diff.items():
        setattr(row, k, v)
    uow.session.flush()
    if diff:
        uow.audit(actor, "ost.pharmacy_changed", "pharmacy", row.id, changes=diff)
    return PharmacySaved(_pharmacy_row(row), "Saved." if diff else "Nothing had changed.", Changes.of(AREA))


def retire_pharmacy(uow: UnitOfWork, actor: Actor, cmd: RetirePharmacy) -> PharmacySaved:
    """Stop offering a pharmacy for new prescriptions. It is never deleted:
    prescriptions, reviews and letters that name it keep it."""
    require(actor, Permission.OST_WRITE)
    row = _pharmacy(uow, cmd.pharmacy_id)
    if not row.active:
        raise ValueError(f"{row.name} is already retired.")
    today = uow.clock.today()
    in_use = len(uow.session.execute(select(OstPrescription.person_id).distinct().where(
        OstPrescription.pharmacy_id == row.id, OstPrescription.start_on <= today,
        or_(OstPrescription.end_on.is_(None), OstPrescription.end_on >= today))).all())
    using = (f" {in_use} {'person is' if in_use == 1 else 'people are'} still dispensed there: "
             "change their prescriptions to another pharmacy." if in_use else "")
    if not cmd.confirm:
        raise RetireNeedsConfirmation(f"Retire {row.name}? It will no longer be offered for new prescriptions."
                                      f"{using} Confirm to retire it.")
    row.active = False
    uow.session.flush()
    uow.audit(actor, "ost.pharmacy_retired", "pharmacy", row.id, changes={"active": [True, False]})
    return PharmacySaved(_pharmacy_row(row), f"{row.name} retired.{using}", Changes.of(AREA))


def _pharmacy(uow: UnitOfWork, pharmacy_id: int) -> Pharmacy:
    row = uow.session.get(Pharmacy, pharmacy_id)
    if row is None:
        raise ValueError("That pharmacy is not on the list.")
    return row


def _pharmacy_values(cmd: AddPharmacy | UpdatePharmacy) -> dict[str, str]:
    values = {k: getattr(cmd, k).strip() for k in ("name", "address", "phone", "fax", "secure_email")}
    errors = {}
    if not values["name"]:
        errors["name"] = "Enter the pharmacy's name."
    if values["secure_email"] and "@" not in values["secure_email"]:
        errors["secure_email"] = "The secure email address does not look right."
    if errors:
        raise InvalidPharmacy(errors)
    return values


def _pharmacy_row(p: Pharmacy) -> PharmacyRow:
    return PharmacyRow(p.id, p.name, p.address, p.phone, p.fax, p.secure_email, bool(p.active))


# --- checks -------------------------------------------------------------------

def warn_limits(uow: UnitOfWork) -> dict[str, float]:
    s = uow.settings
    return {"methadone": float(s["ost.methadone_warn_mg"]), "buprenorphine": float(s["ost.buprenorphine_warn_mg"])}


def _check_days(supervised: int, take_home: int) -> None:
    for days, name in ((supervised, "supervised_days"), (take_home, "take_home_days")):
        if not 0 <= days <= 7:
            raise Refused("Supervised and take-home days are each from 0 to 7 a week.", field=name)
    if supervised + take_home > 7:
        raise Refused(f"{supervised} supervised and {take_home} take-home days are more than 7 days a week.",
                      field="take_home_days")
    if supervised + take_home == 0:
        raise Refused("Say how many days a week are supervised and how many are take-home.",
                      field="supervised_days")


def _check_dose(uow: UnitOfWork, medicine: str, mg: float, confirmed: bool) -> list[str]:
    with refused_as("daily_dose_mg"):
        warnings = ost.check_dose(mg, medicine=medicine, warn_above=warn_limits(uow))
    if warnings and not confirmed:
        raise DoseNeedsConfirmation(warnings)
    return warnings


def _check_pharmacy(uow: UnitOfWork, pharmacy_id: int | None, *, keeping: int | None = None) -> None:
    """A retired pharmacy takes no new prescriptions; a dose change may keep
    the one the prescription already has (``keeping``)."""
    if pharmacy_id is None:
        return
    row = uow.session.get(Pharmacy, pharmacy_id)
    if row is None:
        raise Refused("That pharmacy is not on the list.", field="pharmacy_id")
    if not row.active and pharmacy_id != keeping:
        raise Refused(f"{row.name} has been retired from the pharmacy list; choose a current one.",
                      field="pharmacy_id")


def _spans(uow: UnitOfWork, person_id: int, *, excluding: int | None = None) -> list[ost.Prescription]:
    q = select(OstPrescription).where(OstPrescription.person_id == person_id)
    if excluding is not None:
        q = q.where(OstPrescription.id != excluding)
    return [ost.Prescription(p.medicine, p.start_on, p.end_on) for p in uow.session.execute(q).scalars()]


def _get(uow: UnitOfWork, prescription_id: int, version: int | None = None) -> OstPrescription:
    row = uow.session.get(OstPrescription, prescription_id)
    if row is None:
        raise NotFound("That prescription no longer exists.")
    if version is not None and row.version != version:
        raise Conflict("Someone else has changed this prescription since you opened it. "
                         "Close the form and look again.")
    return row


# --- prescribing --------------------------------------------------------------

def start_prescription(uow: UnitOfWork, actor: Actor, cmd: StartPrescription) -> Prescribed:
    require(actor, Permission.OST_PRESCRIBE)
    medicine = cmd.medicine.strip().lower()
    if medicine not in MEDICINES:  # no dose checks exist for any other (m3)
        raise Refused(f"Choose the medicine: {' or '.join(MEDICINES)}.", field="medicine")
    if uow.session.get(Person, cmd.person_id) is None:
        raise ValueError("That person is not on the register.")
    _check_days(cmd.supervised_days, cmd.take_home_days)
    warnings = _check_dose(uow, medicine, cmd.daily_dose_mg, cmd.confirm_warnings)
    _check_pharmacy(uow, cmd.pharmacy_id)
    with refused_as("start_on"):
        ost.check_overlap([*_spans(uow, cmd.person_id), ost.Prescription(medicine, cmd.start_on, cmd.end_on)])
    due = cmd.next_review_on or ost.review_due(cmd.start_on, months=uow.settings["ost.review_months"])
    if due <= cmd.start_on:
        raise Refused("The first review must be after the prescription starts.", field="next_review_on")
    row = OstPrescription(
        person_id=cmd.person_id, medicine=medicine, formulation=cmd.formulation.strip(),
        daily_dose_mg=float(cmd.daily_dose_mg), supervised_days=cmd.supervised_days,
        take_home_days=cmd.take_home_days, pharmacy_id=cmd.pharmacy_id, prescriber_id=actor.staff_id,
        start_on=cmd.start_on, end_on=cmd.end_on, change_reason=cmd.reason.strip(), end_reason="",
        next_review_due=due,
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit(actor, "ost.prescription_started", "ost_prescription", row.id, person_id=cmd.person_id,
              changes=changed_fields({}, _fields(row)))
    return Prescribed(prescription_row(uow, row.id), tuple(warnings), Changes.of(AREA, person_id=cmd.person_id))


def change_prescription(uow: UnitOfWork, actor: Actor, cmd: ChangePrescription) -> Prescribed:
    """End the current row the day before ``change_on``; start the new one."""
    require(actor, Permission.OST_PRESCRIBE)
    old = _get(uow, cmd.prescription_id, cmd.version)
    reason = cmd.reason.strip()
    if not reason:
        raise Refused("Give the reason for the change.", field="reason")
    if cmd.change_on <= old.start_on:
        raise Refused(f"A change must start after the current prescription started ({uk_long(old.start_on)}).",
                      field="change_on")
    if old.end_on is not None and cmd.change_on > old.end_on:
        raise Refused(f"This prescription ended on {uk_long(old.end_on)}; start a new one instead.",
                      field="change_on")
    _check_days(cmd.supervised_days, cmd.take_home_days)
    warnings = _check_dose(uow, old.medicine, cmd.daily_dose_mg, cmd.confirm_warnings)
    _check_pharmacy(uow, cmd.pharmacy_id, keeping=old.pharmacy_id)
    before = _fields(old)
    new = OstPrescription(
        person_id=old.person_id, medicine=old.medicine, formulation=cmd.formulation.strip(),
        daily_dose_mg=float(cmd.daily_dose_mg), supervised_days=cmd.supervised_days,
        take_home_days=cmd.take_home_days, pharmacy_id=cmd.pharmacy_id, prescriber_id=actor.staff_id,
        start_on=cmd.change_on, end_on=old.end_on, change_reason=reason, end_reason="",
        previous_id=old.id, next_review_due=old.next_review_due, missed_alert_on=old.missed_alert_on,
    )
    old.end_on = date.fromordinal(cmd.change_on.toordinal() - 1)
    old.end_reason = reason
    uow.session.add(new)
    uow.session.flush()
    uow.audit(actor, "ost.prescription_ended", "ost_prescription", old.id, person_id=old.person_id,
              changes=changed_fields(before, _fields(old)))
    uow.audit(actor, "ost.prescription_changed", "ost_prescription", new.id, person_id=old.person_id,
              changes=changed_fields(before, _fields(new)))
    return Prescribed(prescription_row(uow, new.id), tuple(warnings), Changes.of(AREA, person_id=old.person_id))


def stop_prescription(uow: UnitOfWork, actor: Actor, cmd: StopPrescription) -> Prescribed:
    require(actor, Permission.OST_PRESCRIBE)
    row = _get(uow, cmd.prescription_id, cmd.version)
    reason = cmd.reason.strip()
    if not reason:
        raise Refused("Give the reason for stopping.", field="reason")
    if cmd.end_on < row.start_on:
        raise Refused(f"The last day ({uk_long(cmd.end_on)}) is before the prescription started "
                      f"({uk_long(row.start_on)}).", field="end_on")
    before = _fields(row)
    row.end_on, row.end_reason = cmd.end_on, reason
    with refused_as("end_on"):
        ost.check_overlap(_spans(uow, row.person_id))
    uow.session.flush()
    uow.audit(actor, "ost.prescription_stopped", "ost_prescription", row.id, person_id=row.person_id,
              changes=changed_fields(before, _fields(row)))
    return Prescribed(prescription_row(uow, row.id), (), Changes.of(AREA, person_id=row.person_id))


def _fields(row: OstPrescription) -> dict[str, object]:
    return {
        "medicine": row.medicine, "formulation": row.formulation, "daily_dose_mg": row.daily_dose_mg,
        "supervised_days": row.supervised_days, "take_home_days": row.take_home_days,
        "pharmacy_id": row.pharmacy_id, "start_on": row.start_on.isoformat(),
        "end_on": row.end_on.isoformat() if row.end_on else None,
        "next_review_due": row.next_review_due.isoformat() if row.next_review_due else None,
    }


# --- reading ------------------------------------------------------------------

def _row_query() -> Select[OstPrescription, str, str]:
    prescriber = aliased(Staff)
    return (
        select(OstPrescription, Pharmacy.name, prescriber.full_name)
        .outerjoin(Pharmacy, Pharmacy.id == OstPrescription.pharmacy_id)
        .join(prescriber, prescriber.id == OstPrescription.prescriber_id)
    )


def _to_row(p: OstPrescription, pharmacy: str | None, prescriber: str) -> PrescriptionRow:
    return PrescriptionRow(
        p.id, p.person_id, p.medicine, p.formulation, p.daily_dose_mg, p.supervised_days, p.take_home_days,
        p.pharmacy_id, pharmacy or "", prescriber, p.start_on, p.end_on, p.change_reason, p.end_reason,
        p.next_review_due, p.missed_alert_on, p.version,
    )


def prescription_row(uow: UnitOfWork, prescription_id: int) -> PrescriptionRow:
    p, pharmacy, prescriber = uow.session.execute(
        _row_query().where(OstPrescription.id == prescription_id)).one()
    return _to_row(p, pharmacy, prescriber)


def prescriptions(uow: UnitOfWork, actor: Actor, person_id: int) -> list[PrescriptionRow]:
    """Every prescription row of a person, oldest first: the dose history."""
    require(actor, Permission.OST_READ)
    rows = uow.session.execute(
        _row_query().where(OstPrescription.person_id == person_id)
        .order_by(OstPrescription.start_on, OstPrescription.id)).all()
    return [_to_row(p, ph, pr) for p, ph, pr in rows]


def current_rows(uow: UnitOfWork, person_id: int) -> list[OstPrescription]:
    """The person's prescriptions not yet ended (planned ones included)."""
    today = uow.clock.today()
    return list(uow.session.execute(
        select(OstPrescription).where(
            OstPrescription.person_id == person_id,
            or_(OstPrescription.end_on.is_(None), OstPrescription.end_on >= today),
        ).order_by(OstPrescription.start_on)).scalars())


def prescription_on(uow: UnitOfWork, person_id: int, day: date, *, what: str = "review") -> OstPrescription:
    """The prescription running on ``day``, or a ValueError a nurse understands
    (the caller says which of its fields the day came from, ``refused_as``).

    ``what`` names the thing being dated ("review", "missed dose")."""
    rows = list(uow.session.execute(
        select(OstPrescription).where(OstPrescription.person_id == person_id)
        .order_by(OstPrescription.start_on)).scalars())
    if not rows:
        raise ValueError("This person has no OST prescription.")
    for row in reversed(rows):
        if row.start_on <= day and (row.end_on is None or row.end_on >= day):
            return row
    if what == "review":
        ost.check_review_date(day, rows[0].start_on)
    elif day < rows[0].start_on:
        raise ValueError(f"The {what} date ({uk_long(day)}) is before the prescription started "
                         f"({uk_long(rows[0].start_on)}).")
    raise ValueError(f"No OST prescription was running on {uk_long(day)}.")
