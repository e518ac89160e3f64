"""Staff accounts: sign-in with lockout, and the administrator's actions.

Nobody is ever deleted: a leaver is deactivated so their history stays
attributed. Password hashing is slow by design; callers run these off the
UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from clinic import accounts, passwords
from clinic.errors import Refused
from clinic.permissions import CLINICAL_ROLES, REGISTERED_ROLES, Actor, Permission, Role, parse_roles, require
from clinic.uow import UnitOfWork
from db.tables.staff import Staff


class SignInRefused(Exception):
    """Wrong current password when changing it."""


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt.

    Returned rather than raised, so the failure count and the audit row are
    committed with the refusal.
    """

    actor: Actor | None
    refusal: str = ""
    must_change_password: bool = False


class StaleRecord(Exception):
    """Someone else saved this record since it was opened."""


@dataclass(frozen=True)
class StaffSummary:
    id: int
    username: str
    full_name: str
    roles: frozenset[Role]
    registration_number: str | None
    active: bool
    locked: bool
    must_change_password: bool
    version: int


@dataclass(frozen=True)
class NewStaff:
    username: str
    full_name: str
    roles: frozenset[Role]
    temporary_password: str
    registration_number: str | None = None


def actor_of(row: Staff) -> Actor:
    return Actor(row.id, row.username, row.full_name, parse_roles(row.roles), row.registration_number)


def sign_in(uow: UnitOfWork, username: str, password: str) -> SignIn:
    """Check a password, counting failures towards the lockout."""
    row = uow.session.execute(select(Staff).where(Staff.username == username.strip().lower())).scalar_one_or_none()
    if row is None:
        passwords.dummy_verify()
        return SignIn(None, "That username and password do not match.")
    refusal = _attempt(uow, row, password, failed="staff.sign_in_failed")
    if refusal:
        return SignIn(None, refusal)
    if accounts.temporary_expired(row, uow.clock.now(), uow.settings):
        uow.audit(None, "staff.sign_in_refused", "staff", row.id, changes={"reason": "temporary password expired"})
        return SignIn(None, accounts.EXPIRED)
    actor = actor_of(row)
    uow.audit(actor, "staff.signed_in", "staff", row.id)
    return SignIn(actor, must_change_password=row.must_change_password)


@dataclass(frozen=True)
class Unlock:
    """The outcome of re-entering a password at the idle lock; true when it
    unlocks. Returned, not raised, so the failure count is committed."""

    ok: bool
    refusal: str = ""

    def __bool__(self) -> bool:
        return self.ok


def check_password(uow: UnitOfWork, actor: Actor, password: str) -> Unlock:
    """Re-enter a password at the idle lock screen. Wrong passwords count
    toward the lockout as at sign-in, and a locked-out, deactivated or
    expired account is refused even with the right one (M5)."""
    row = uow.session.get(Staff, actor.staff_id)
    if row is None:
        return Unlock(False, accounts.DEACTIVATED)
    refusal = _attempt(uow, row, password, failed="staff.unlock_failed")
    if not refusal and accounts.temporary_expired(row, uow.clock.now(), uow.settings):
        refusal = accounts.EXPIRED
    if refusal:
        return Unlock(False, refusal)
    uow.audit(actor, "staff.unlocked", "staff", actor.staff_id)
    return Unlock(True)


def _attempt(uow: UnitOfWork, row: Staff, password: str, *, failed: str) -> str:
    """One password attempt against an account: "" when it is right and the
    account may sign in; otherwise the refusal, with the failure counted."""
    s = uow.settings
    now = uow.clock.now()
    if not row.active:
        uow.audit(None, "staff.sign_in_refused", "staff", row.id, changes={"reason": "deactivated"})
        return accounts.DEACTIVATED
    if accounts.locked_minutes(row, now):
        uow.audit(None, failed, "staff", row.id, changes={"reason": "locked"})
        return accounts.locked_message(row, now)
    if not passwords.verify(row.password_hash, password):
        row.failed_attempts += 1
        if row.failed_attempts >= s["security.lockout_attempts"]:
            row.locked_until = now + timedelta(minutes=s["security.lockout_minutes"])
            row.failed_attempts = 0
            uow.audit(None, "staff.locked_out", "staff", row.id)
            return f"Too many wrong passwords: this account is locked for {s['security.lockout_minutes']} minutes."
        uow.audit(None, failed, "staff", row.id)
        return "That username and password do not match."
    row.failed_attempts = 0
    row.locked_until = None
    return ""


def change_own_password(uow: UnitOfWork, actor: Actor, current: str, new: str) -> None:
    row = _get(uow, actor.staff_id)
    if not passwords.verify(row.password_hash, current):
        raise SignInRefused("Your current password is not right.")
    passwords.check_rules(new, username=row.username)
    if passwords.verify(row.password_hash, new):
        raise passwords.PasswordRejected("Choose a password different from the current one.")
    row.password_hash = passwords.hash_password(new)
    row.password_set_at = uow.clock.now()
    row.must_change_password = False
    uow.audit(actor, "staff.password_changed", "staff", row.id)


def list_staff(uow: UnitOfWork, actor: Actor) -> list[StaffSummary]:
    require(actor, Permission.STAFF_ADMIN)
    now = uow.clock.now()
    rows = uow.session.execute(select(Staff).order_by(Staff.active.desc(), Staff.full_name)).scalars()
    return [_summary(r, now) for r in rows]


def staff_names(uow: UnitOfWork) -> dict[int, str]:
    """Names for display beside audit rows, letters and bookings (not secret)."""
    return dict(uow.session.execute(select(Staff.id, Staff.full_name)).all())


def create_staff(uow: UnitOfWork, actor: Actor, cmd: NewStaff) -> int:
    require(actor, Permission.STAFF_ADMIN)
    username = cmd.username.strip().lower()
    if not username or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise Refused("A username is letters and digits (dots, hyphens and underscores allowed).", field="username")
    if not cmd.full_name.strip():
        raise Refused("Enter the person's full name.", field="full_name")
    if not cmd.roles:
        raise Refused("Choose at least one role.", field="roles")
    if uow.session.execute(select(Staff.id).where(Staff.username == username)).first():
        raise Refused(f"The username {username!r} is already taken (perhaps by a deactivated account).",
                      field="username")
    passwords.check_rules(cmd.temporary_password, username=username)
    _check_registration(cmd.roles, cmd.registration_number)
    row = Staff(
        username=username, full_name=cmd.full_name.strip(), roles=" ".join(sorted(cmd.roles)),
        registration_number=(cmd.registration_number or "").strip() or None,
        password_hash=passwords.hash_password(cmd.temporary_password), must_change_password=True,
        password_set_at=uow.clock.now(), failed_attempts=0, active=True,
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit(actor, "staff.created", "staff", row.id,
              changes={"username": [None, username], "roles": [None, row.roles]})
    return row.id


def update_staff(uow: UnitOfWork, actor: Actor, staff_id: int, *, version: int, full_name: str,
                 roles: frozenset[Role], registration_number: str | None) -> None:
    """Edit an account; ``version`` is the one the editor opened (two
    administrators editing the same account: the second is told)."""
    require(actor, Permission.STAFF_ADMIN)
    row = _get(uow, staff_id)
    if row.version != version:
        raise StaleRecord("Another administrator changed this account while you were editing. Reload it and try again.")
    if not full_name.strip():
        raise Refused("Enter the person's full name.", field="full_name")
    if not roles:
        raise Refused("Choose at least one role.", field="roles")
    _check_registration(roles, registration_number)
    _check_not_self_granted(actor, staff_id, parse_roles(row.roles), roles)
    before = {"full_name": row.full_name, "roles": row.roles, "registration_number": row.registration_number}
    row.full_name = full_name.strip()
    row.roles = " ".join(sorted(roles))
    row.registration_number = (registration_number or "").strip() or None
    after = {"full_name": row.full_name, "roles": row.roles, "registration_number": row.registration_number}
    _flush_versioned(uow)
    uow.audit(actor, "staff.updated", "staff", row.id,
              changes={k: [before[k], after[k]] for k in after if before[k] != after[k]})


def reset_password(uow: UnitOfWork, actor: Actor, staff_id: int, temporary_password: str) -> None:
    require(actor, Permission.STAFF_ADMIN)
    row = _get(uow, staff_id)
    passwords.check_rules(temporary_password, username=row.username)
    row.password_hash = passwords.hash_password(temporary_password)
    row.password_set_at = uow.clock.now()
    row.must_change_password = True
    row.failed_attempts = 0
    row.locked_until = None
    _flush_versioned(uow)
    uow.audit(actor, "staff.password_reset", "staff", row.id)


def set_active(uow: UnitOfWork, actor: Actor, staff_id: int, active: bool) -> None:
    require(actor, Permission.STAFF_ADMIN)
    if staff_id == actor.staff_id and not active:
        raise ValueError("You cannot deactivate your own account.")
    row = _get(uow, staff_id)
    if row.active == active:
        return
    row.active = active
    _flush_versioned(uow)
    uow.audit(actor, "staff.reactivated" if active else "staff.deactivated", "staff", row.id,
              changes={"active": [not active, active]})


def unlock(uow: UnitOfWork, actor: Actor, staff_id: int) -> None:
    require(actor, Permission.STAFF_ADMIN)
    row = _get(uow, staff_id)
    row.locked_until = None
    row.failed_attempts = 0
    _flush_versioned(uow)
    uow.audit(actor, "staff.unlocked_by_admin", "staff", row.id)


def _check_not_self_granted(actor: Actor, staff_id: int, before: frozenset[Role], after: frozenset[Role]) -> None:
    """No clinical access by default: an administrator cannot give their own
    account a clinical role; a second administrator must (m7)."""
    if staff_id == actor.staff_id and (after - before) & CLINICAL_ROLES:
        raise Refused("You cannot give your own account a clinical role: ask another administrator to do it.",
                      field="roles")


def _check_registration(roles: frozenset[Role], registration_number: str | None) -> None:
    """Nurses and prescribers sign clinical letters with their NMC/GMC number."""
    if roles & REGISTERED_ROLES and not (registration_number or "").strip():
        raise Refused("Nurses and prescribers need their professional registration number (NMC, GMC, GPhC).",
                      field="registration_number")


def _get(uow: UnitOfWork, staff_id: int) -> Staff:
    row = uow.session.get(Staff, staff_id)
    if row is None:
        raise ValueError("That staff account does not exist.")
    return row


def _flush_versioned(uow: UnitOfWork) -> None:
    try:
        uow.session.flush()
    except StaleDataError as exc:
        raise StaleRecord(
            "Another administrator changed this account at the same time. Reload it and try again.") from exc


def _summary(r: Staff, now: datetime) -> StaffSummary:
    locked = accounts.locked_minutes(r, now) > 0
    return StaffSummary(r.id, r.username, r.full_name, parse_roles(r.roles), r.registration_number,
                        r.active, locked, r.must_change_password, r.version)

