"""People: register, edit, close and reopen a record, and the GP practice list.

Search lives in ``people_search``, the record summary (and "person.opened")
in ``people_summary``, merging in ``people_merge``. Every function here is
``(uow, actor, ...)`` and checks permission first; every change writes one
audit row with the changed fields only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from clinic import people as rules
from clinic.changes import Area, Changes
from clinic.clock import SITE_TZ
from clinic.dates import uk_long
from clinic.names import fold
from clinic.nhs_number import normalise as normalise_nhs
from clinic.people import PersonStatus
from clinic.permissions import Actor, Permission, require
from clinic.services.people.search import PersonHit, hit_of
from clinic.services.staff import staff_names
from clinic.uow import UnitOfWork, changed_fields
from db.tables.audit import AuditRow
from db.tables.people import GpPractice, Person, PersonStatusChange


class InvalidDetails(ValueError):
    """The form has mistakes; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(errors.values()))


@dataclass(frozen=True)
class PersonDetails:
    """Everything staff type about a person (the register and Details forms).

    ``nhs_number`` is as typed (spaces allowed) or ""; it is stored as 10
    digits.
    """

    surname: str
    forename: str
    date_of_birth: date
    preferred_name: str = ""
    gender: str = ""
    nhs_number: str = ""
    address_lines: str = ""
    postcode: str = ""
    phone: str = ""
    consent_to_text: bool = False
    consent_to_voicemail: bool = False
    no_post: bool = False
    discreet_envelope: bool = False
    children_in_household: bool = False
    injects: bool = False
    risk_notes: str = ""
    gp_practice_id: int | None = None
    emergency_contact_name: str = ""
    emergency_contact_phone: str = ""


DETAIL_FIELDS = tuple(f.name for f in fields(PersonDetails))

FIELD_LABELS = {
    "surname": "Surname", "forename": "First name", "date_of_birth": "Date of birth",
    "preferred_name": "Preferred name", "gender": "Gender", "nhs_number": "NHS number",
    "address_lines": "Address", "postcode": "Postcode", "phone": "Phone",
    "consent_to_text": "Consent to text", "consent_to_voicemail": "Consent to voicemail",
    "no_post": "No post", "discreet_envelope": "Discreet envelope",
    "children_in_household": "Children in household", "injects": "Injects",
    "risk_notes": "Risk / safety", "gp_practice_id": "GP practice",
    "emergency_contact_name": "Emergency contact", "emergency_contact_phone": "Emergency contact phone",
}


@dataclass(frozen=True)
class DuplicateCandidate:
    hit: PersonHit
    reason: str
    certain: bool  # same NHS number: cannot be a different person


class LikelyDuplicates(Exception):
    """Register found people who may be this person. If any candidate is
    ``certain`` the register is refused even when confirmed."""

    def __init__(self, candidates: list[DuplicateCandidate]) -> None:
        self.candidates = tuple(candidates)
        self.certain = any(c.certain for c in candidates)
        super().__init__("This person may already be on the register.")


@dataclass(frozen=True)
class Registered:
    person_id: int
    client_id: str
    warnings: dict[str, str]
    changes: Changes


@dataclass(frozen=True)
class Updated:
    person_id: int
    version: int
    warnings: dict[str, str]
    changes: Changes


@dataclass(frozen=True)
class ChangeSince:
    field: str
    label: str
    value: object  # the value saved now
    by: str
    at: datetime  # local time


class StaleRecord(Exception):
    """Someone else saved this record after it was opened. ``changed`` says
    what they changed (and to what), so the user can compare and reload."""

    def __init__(self, person_id: int, current_version: int, changed: list[ChangeSince]) -> None:
        self.person_id = person_id
        self.current_version = current_version
        self.changed = tuple(changed)
        names = ", ".join(dict.fromkeys(c.label for c in changed)) or "this record"
        super().__init__(f"Someone else changed {names} while you were editing. Reload to see their changes.")


# ---- helpers ------------------------------------------------------------------


def _check(uow: UnitOfWork, d: PersonDetails) -> dict[str, str]:
    """Refuse what cannot be saved; return warnings for the rest."""
    _check_types(d)
    result = rules.check_details(
        surname=d.surname, forename=d.forename, date_of_birth=d.date_of_birth,
        nhs_number=d.nhs_number, phone=d.phone, postcode=d.postcode,
        emergency_contact_phone=d.emergency_contact_phone, today=uow.clock.today(),
    )
    if d.gp_practice_id is not None and uow.session.get(GpPractice, d.gp_practice_id) is None:
        result.errors["gp_practice_id"] = "Choose a GP practice from the list"
    if not result.ok:
        raise InvalidDetails(result.errors)
    return result.warnings


def _check_types(d: PersonDetails) -> None:
    """Wrongly typed values are refused by field, not met with a crash (m4)."""
    errors = {f.name: f"{FIELD_LABELS.get(f.name, f.name)} must be text" for f in fields(d)
              if f.type == "str" and not isinstance(getattr(d, f.name), str)}
    if isinstance(d.date_of_birth, datetime) or not isinstance(d.date_of_birth, date):
        errors["date_of_birth"] = "The date of birth must be a date"
    gp = d.gp_practice_id
    if gp is not None and (isinstance(gp, bool) or not isinstance(gp, int) or not 0 < gp < 2**63):
        errors["gp_practice_id"] = "Choose a GP practice from the list"
    if errors:
        raise InvalidDetails(errors)


def _stored(d: PersonDetails) -> dict[str, object]:
    """The column values for ``d``: trimmed text, 10-digit NHS number or None."""
    values: dict[str, object] = {}
    for name in DETAIL_FIELDS:
        value = getattr(d, name)
        values[name] = value.strip() if isinstance(value, str) and name != "address_lines" else value
    values["address_lines"] = "\n".join(line.strip() for line in d.address_lines.splitlines() if line.strip())
    values["nhs_number"] = normalise_nhs(d.nhs_number) if d.nhs_number.strip() else None
    values["postcode"] = rules.normalise_postcode(d.postcode)
    return values


def _search_columns(values: dict[str, object]) -> dict[str, str]:
    return {
        "search_surname": fold(str(values["surname"])),
        "search_forename": fold(str(values["forename"])),
        "search_preferred": fold(str(values["preferred_name"])),
    }


def _audit_value(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def _row_values(row: Person) -> dict[str, object]:
    return {name: getattr(row, name) for name in DETAIL_FIELDS}


def details_of(row: Person) -> PersonDetails:
    values = _row_values(row)
    values["nhs_number"] = row.nhs_number or ""
    return PersonDetails(**values)  # type: ignore[arg-type]


def _get(uow: UnitOfWork, person_id: int) -> Person:
    row = uow.session.get(Person, person_id)
    if row is None:
        raise ValueError(f"There is no record {rules.client_id(person_id)}.")
    return row


# ---- register -------------------------------------------------------------------


def find_duplicates(uow: UnitOfWork, actor: Actor, d: PersonDetails, *,
                    exclude_id: int | None = None) -> list[DuplicateCandidate]:
    """People who may be ``d``: same NHS number (certain), or same date of
    birth and a similar name. Merged records are never candidates."""
    require(actor, Permission.PERSON_SEARCH)
    today = uow.clock.today()
    found: dict[int, DuplicateCandidate] = {}
    nhs = normalise_nhs(d.nhs_number) if d.nhs_number.strip() else None
    live = Person.status != PersonStatus.MERGED
    if nhs is not None:
        for row in uow.session.execute(select(Person).where(Person.nhs_number == nhs, live)).scalars():
            found[row.id] = DuplicateCandidate(hit_of(row, today), "same NHS number", True)
    same_dob = select(Person).where(Person.date_of_birth == d.date_of_birth, live)
    new_name = rules.NameParts(d.surname, d.forename, d.preferred_name)
    for row in uow.session.execute(same_dob).scalars():
        if row.id in found or (nhs is not None and row.nhs_number and row.nhs_number != nhs):
            continue  # two different NHS numbers are two different people (UI-10)
        why = rules.similar_name(new_name, rules.NameParts(row.surname, row.forename, row.preferred_name))
        if why is not None:
            found[row.id] = DuplicateCandidate(hit_of(row, today), f"same date of birth, {why}", False)
    if exclude_id is not None:
        found.pop(exclude_id, None)
    return sorted(found.values(), key=lambda c: (not c.certain, c.hit.display_name))


def register(uow: UnitOfWork, actor: Actor, cmd: PersonDetails, *, confirmed_not_duplicate: bool = False) -> Registered:
    """Put a new person on the register, after checking for duplicates."""
    require(actor, Permission.PERSON_REGISTER)
    warnings = _check(uow, cmd)
    candidates = find_duplicates(uow, actor, cmd)
    if candidates and (not confirmed_not_duplicate or any(c.certain for c in candidates)):
        raise LikelyDuplicates(candidates)
    values = _stored(cmd)
    row = Person(**values, **_search_columns(values), status=PersonStatus.OPEN, created_at=uow.clock.now())
    uow.session.add(row)
    uow.session.flush()
    _add_status(uow, actor, row.id, PersonStatus.OPEN, "registered", "", uow.clock.today())
    audit_changes = {k: [None, _audit_value(v)] for k, v in values.items() if v not in ("", None, False)}
    if candidates:
        audit_changes["confirmed_not_duplicate_of"] = [None, [c.hit.id for c in candidates]]
    uow.audit(actor, "person.registered", "person", row.id, person_id=row.id, changes=audit_changes)
    return Registered(row.id, rules.client_id(row.id), warnings, Changes.of(Area.PEOPLE, person_id=row.id))


# ---- edit -------------------------------------------------------------------------


def update(uow: UnitOfWork, actor: Actor, person_id: int, version: int, changes: PersonDetails) -> Updated:
    """Save the Details form. ``version`` is the one the form was filled
    from; if someone saved since, ``StaleRecord`` says what they changed."""
    require(actor, Permission.PERSON_EDIT)
    row = _get(uow, person_id)
    if row.status == PersonStatus.MERGED:
        raise ValueError(f"This record was merged into {rules.client_id(row.merged_into_id or 0)}; edit that one.")
    if row.version != version:
        raise _stale(uow, row, version)
    warnings = _check(uow, changes)
    if any(c.certain for c in find_duplicates(uow, actor, changes, exclude_id=person_id)):
        raise InvalidDetails({"nhs_number": "Another record already has this NHS number"})
    after = _stored(changes)
    diff = changed_fields(_row_values(row), after)
    if not diff:
        return Updated(person_id, row.version, warnings, Changes())
    for name, (_, value) in diff.items():
        setattr(row, name, value)
    for name, value in _search_columns(after).items():
        setattr(row, name, value)
    try:
        uow.session.flush()
    except StaleDataError:
        uow.session.rollback()
        raise _stale(uow, _get(uow, person_id), version) from None
    audit = {k: [_audit_value(a), _audit_value(b)] for k, (a, b) in diff.items()}
    audit["version"] = [version, row.version]
    uow.audit(actor, "person.updated", "person", person_id, person_id=person_id, changes=audit)
    return Updated(person_id, row.version, warnings, Changes.of(Area.PEOPLE, person_id=person_id))


def _stale(uow: UnitOfWork, row: Person, version: int) -> StaleRecord:
    """What changed on ``row`` after ``version``, read back from the audit trail."""
    names = staff_names(uow)
    stmt = (select(AuditRow).where(AuditRow.person_id == row.id, AuditRow.entity == "person",
                                   AuditRow.entity_id == str(row.id)).order_by(AuditRow.seq))
    changed: dict[str, ChangeSince] = {}
    current = _row_values(row) | {"status": row.status}
    for audit_row in uow.session.execute(stmt).scalars():
        diff = json.loads(audit_row.changes)
        versions = diff.get("version")
        if not versions or versions[1] is None or versions[1] <= version:
            continue
        by = names.get(audit_row.actor_id, "another user") if audit_row.actor_id else "the system"
        at = datetime.fromisoformat(audit_row.at).astimezone(SITE_TZ)
        for name in diff:
            if name in current:
                changed[name] = ChangeSince(name, FIELD_LABELS.get(name, name.replace("_", " ")),
                                            current[name], by, at)
    return StaleRecord(row.id, row.version, list(changed.values()))


# ---- close and reopen -------------------------------------------------------------


@dataclass(frozen=True)
class CloseRecord:
    person_id: int
    reason: str  # a key of clinic.people.CLOSE_REASONS
    effective_on: date
    note: str = ""


@dataclass(frozen=True)
class ReopenRecord:
    person_id: int
    effective_on: date
    note: str = ""


@dataclass(frozen=True)
class StatusChanged:
    person_id: int
    status: str
    changes: Changes


def close_record(uow: UnitOfWork, actor: Actor, cmd: CloseRecord) -> StatusChanged:
    """Discharge: planned exit, dropped out, transferred or died."""
    require(actor, Permission.PERSON_CLOSE)
    row = _get(uow, cmd.person_id)
    if cmd.reason not in rules.CLOSE_REASONS:
        raise InvalidDetails({"reason": "Choose why the record is being closed"})
    if row.status != PersonStatus.OPEN:
        raise ValueError(f"This record is already {row.status}.")
    _check_status_date(uow, row, cmd.effective_on)
    return _set_status(uow, actor, row, PersonStatus.CLOSED, cmd.reason, cmd.note, cmd.effective_on)


def reopen(uow: UnitOfWork, actor: Actor, cmd: ReopenRecord) -> StatusChanged:
    require(actor, Permission.PERSON_CLOSE)
    row = _get(uow, cmd.person_id)
    if row.status != PersonStatus.CLOSED:
        raise ValueError("Only a closed record can be reopened.")
    _check_status_date(uow, row, cmd.effective_on)
    return _set_status(uow, actor, row, PersonStatus.OPEN, "reopened", cmd.note, cmd.effective_on)


def _check_status_date(uow: UnitOfWork, row: Person, effective_on: date) -> None:
    if effective_on > uow.clock.today():
        raise InvalidDetails({"effective_on": "The date cannot be in the future"})
    if effective_on < row.date_of_birth:
        raise InvalidDetails({"effective_on": f"The date is before the date of birth, {uk_long(row.date_of_birth)}"})


def _set_status(uow: UnitOfWork, actor: Actor, row: Person, status: str, reason: str,
                note: str, effective_on: date) -> StatusChanged:
    before, old_version = row.status, row.version
    row.status = status
    uow.session.flush()
    _add_status(uow, actor, row.id, status, reason, note.strip(), effective_on)
    uow.audit(actor, f"person.{'closed' if status == 'closed' else 'reopened'}", "person", row.id,
              person_id=row.id, changes={"status": [before, status], "reason": [None, reason],
                                         "effective_on": [None, effective_on.isoformat()],
                                         "version": [old_version, row.version]})
    return StatusChanged(row.id, status, Changes.of(Area.PEOPLE, person_id=row.id))


def record_status(uow: UnitOfWork, actor: Actor, person_id: int, status: str, reason: str,
                  note: str, effective_on: date) -> None:
    """A line of status history written by another service (a merge): checked
    and audited like any change to a record (m6)."""
    require(actor, Permission.PERSON_CLOSE)
    _check_status_date(uow, _get(uow, person_id), effective_on)
    _add_status(uow, actor, person_id, status, reason, note, effective_on)
    uow.audit(actor, "person.status_recorded", "person", person_id, person_id=person_id,
              changes={"status": [None, status], "reason": [None, reason]})


def _add_status(uow: UnitOfWork, actor: Actor, person_id: int, status: str, reason: str,
                note: str, effective_on: date) -> None:
    uow.session.add(PersonStatusChange(person_id=person_id, status=status, reason=reason, note=note,
                                       effective_on=effective_on, staff_id=actor.staff_id,
                                       recorded_at=uow.clock.now()))
    uow.session.flush()


# ---- GP practices -----------------------------------------------------------------


@dataclass(frozen=True)
class Practice:
    id: int | None
    name: str
    address: str = ""
    phone: str = ""
    active: bool = True


def gp_practices(uow: UnitOfWork, actor: Actor, *, include_inactive: bool = False) -> list[Practice]:
    require(actor, Permission.PERSON_READ)
    stmt = select(GpPractice).order_by(GpPractice.name)
    if not include_inactive:
        stmt = stmt.where(GpPractice.active.is_(True))
    return [Practice(r.id, r.name, r.address, r.phone, r.active) for r in uow.session.execute(stmt).scalars()]


def save_gp_practice(uow: UnitOfWork, actor: Actor, cmd: Practice) -> Practice:
    """Add (``id`` None) or edit a practice. Practices are retired
    (``active`` False), never deleted, so old records keep their GP."""
    require(actor, Permission.PERSON_EDIT)
    if not cmd.name.strip():
        raise InvalidDetails({"name": "Enter the practice name"})
    values = {"name": cmd.name.strip(), "address": cmd.address.strip(), "phone": cmd.phone.strip(),
              "active": cmd.active}
    if cmd.id is None:
        row = GpPractice(**values)
        uow.session.add(row)
        uow.session.flush()
        uow.audit(actor, "gp_practice.added", "gp_practice", row.id,
                  changes={k: [None, v] for k, v in values.items()})
    else:
        found = uow.session.get(GpPractice, cmd.id)
        if found is None:
            raise ValueError("That GP practice no longer exists.")
        row = found
        before = {k: getattr(row, k) for k in values}
        diff = changed_fields(before, values)
        for k, (_, v) in diff.items():
            setattr(row, k, v)
        uow.session.flush()
        if diff:
            uow.audit(actor, "gp_practice.edited", "gp_practice", row.id, changes=diff)
    return Practice(row.id, row.name, row.address, row.phone, row.active)
