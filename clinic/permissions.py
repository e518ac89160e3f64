"""Who may do what: the one permission matrix, checked by every service.

Hiding a widget is a courtesy; this module is the rule. Probation liaison
never reads BBV, vaccination, OST or clinical notes; reception sees
demographics, bookings and flags, not clinical content; the administrator
runs the site but has no clinical access by default (DESIGN.md §1).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    RECEPTION = "reception"
    NURSE = "nurse"
    PRESCRIBER = "prescriber"
    PROBATION = "probation"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.RECEPTION: "Reception",
    Role.NURSE: "Nurse",
    Role.PRESCRIBER: "Prescriber",
    Role.PROBATION: "Probation liaison",
    Role.MANAGER: "Service manager",
    Role.ADMIN: "Administrator",
}

#: Roles whose staff carry a professional registration number on letters.
REGISTERED_ROLES = frozenset({Role.NURSE, Role.PRESCRIBER})


class Permission(StrEnum):
    PERSON_SEARCH = "person.search"
    PERSON_READ = "person.read"  # demographics, flags, contact details
    PERSON_REGISTER = "person.register"
    PERSON_EDIT = "person.edit"
    PERSON_CLOSE = "person.close"
    PERSON_MERGE = "person.merge"
    PERSON_ACCESS_LOG = "person.access_log"  # who has looked at this record
    APPOINTMENT_READ = "appointment.read"
    APPOINTMENT_WRITE = "appointment.write"
    #: Appointment types, reception notes and callback messages as written:
    #: without it (probation) bookings read "Appointment at the clinic" (M2, m9).
    FRONT_DESK_DETAIL = "appointment.detail"
    SESSION_ADMIN = "appointment.sessions"  # clinic sessions, rooms, types
    QUEUE_WRITE = "queue.write"
    CALLBACK_WRITE = "callback.write"
    BBV_READ = "bbv.read"
    BBV_WRITE = "bbv.write"
    VACCINATION_READ = "vaccination.read"
    VACCINATION_WRITE = "vaccination.write"
    VACCINE_STOCK_WRITE = "vaccination.stock"
    CLINICAL_NOTES_READ = "notes.read"
    CLINICAL_NOTES_WRITE = "notes.write"
    OST_READ = "ost.read"
    OST_WRITE = "ost.write"  # record reviews and missed doses for sign-off
    OST_PRESCRIBE = "ost.prescribe"  # dose changes, review sign-off, missed-dose decisions
    SAFE_STORAGE_READ = "safe_storage.read"
    SAFE_STORAGE_WRITE = "safe_storage.write"
    PROBATION_READ = "probation.read"
    PROBATION_WRITE = "probation.write"
    LETTER_APPOINTMENT = "letter.appointment"  # letters to the person about bookings
    LETTER_CLINICAL = "letter.clinical"  # GP letters, recalls, OST summaries
    LETTER_PROBATION = "letter.probation"
    # Treatment journey (clinic/services/journey*.py): reception may record a
    # referral's arrival; key workers (nurses, prescribers, probation liaison)
    # run the journey; TOP forms and substance/injecting data are clinical.
    JOURNEY_REFERRAL = "journey.referral"
    JOURNEY_READ = "journey.read"
    JOURNEY_WRITE = "journey.write"
    JOURNEY_CLINICAL = "journey.clinical"
    NDTMS_EXPORT = "journey.ndtms_export"
    REPORTS_READ = "reports.read"
    WORKLISTS_ALL_STAFF = "worklists.all_staff"
    AUDIT_READ = "audit.read"
    STAFF_ADMIN = "staff.admin"
    SETTINGS_ADMIN = "settings.admin"
    BACKUP_ADMIN = "backup.admin"
    # --- harm-reduction counter (clinic.services.harm_reduction.nsp, naloxone, alcohol) ---
    NSP_COUNTER = "nsp.counter"  # record an NSP visit at the counter (reception only if the site allows)
    HARM_REDUCTION_READ = "harm_reduction.read"  # NSP visits, naloxone kits, drug brief interventions
    HARM_REDUCTION_WRITE = "harm_reduction.write"  # naloxone supply and use, training, under-18 visits
    NALOXONE_STOCK_WRITE = "naloxone.stock"
    ALCOHOL_READ = "alcohol.read"  # AUDIT-C / AUDIT and alcohol brief interventions
    ALCOHOL_WRITE = "alcohol.write"
    # -- safeguarding, consent, referrals out (clinic.services.safeguarding.household*, consent, referrals) --
    SAFEGUARDING_READ = "safeguarding.read"  # household, children, pregnancy, flags, requests
    SAFEGUARDING_WRITE = "safeguarding.write"
    SAFEGUARDING_CHIP = "safeguarding.chip"  # that a greeting flag exists, never its content
    SAFEGUARDING_LEAD = "safeguarding.lead"  # every flag and request; also needs the lead mark
    CONSENT_READ = "consent.read"
    CONSENT_WRITE = "consent.write"
    REFERRAL_READ = "referral.read"
    REFERRAL_WRITE = "referral.write"


P = Permission
_FRONT_DESK = {
    P.PERSON_SEARCH, P.PERSON_READ, P.PERSON_REGISTER, P.PERSON_EDIT,
    P.APPOINTMENT_READ, P.APPOINTMENT_WRITE, P.FRONT_DESK_DETAIL, P.QUEUE_WRITE, P.CALLBACK_WRITE, P.LETTER_APPOINTMENT,
}
_NURSE = _FRONT_DESK | {
    P.PERSON_CLOSE, P.BBV_READ, P.BBV_WRITE, P.VACCINATION_READ, P.VACCINATION_WRITE,
    P.VACCINE_STOCK_WRITE, P.CLINICAL_NOTES_READ, P.CLINICAL_NOTES_WRITE, P.OST_READ, P.OST_WRITE,
    P.SAFE_STORAGE_READ, P.SAFE_STORAGE_WRITE, P.LETTER_CLINICAL,
}
# --- harm-reduction counter: reception may start an NSP visit (the service also
# checks the site setting); AUDIT and clinical notes stay with clinicians ---
_FRONT_DESK |= {P.NSP_COUNTER}
_NURSE |= {P.NSP_COUNTER, P.HARM_REDUCTION_READ, P.HARM_REDUCTION_WRITE, P.NALOXONE_STOCK_WRITE,
           P.ALCOHOL_READ, P.ALCOHOL_WRITE}

# -- safeguarding, consent, referrals out: nurses and prescribers read and write;
# reception sees a content-free chip; a manager marked as lead sees every flag.
_SAFEGUARDING = {
    P.SAFEGUARDING_READ, P.SAFEGUARDING_WRITE, P.SAFEGUARDING_CHIP, P.SAFEGUARDING_LEAD,
    P.CONSENT_READ, P.CONSENT_WRITE, P.REFERRAL_READ, P.REFERRAL_WRITE,
}
_NURSE |= _SAFEGUARDING
_FRONT_DESK_EXTRA = {P.SAFEGUARDING_CHIP}
_MANAGER_EXTRA = {P.SAFEGUARDING_LEAD}
# Treatment journey block (clinic/services/journey*.py)
_JOURNEY_KEY_WORKER = {P.JOURNEY_REFERRAL, P.JOURNEY_READ, P.JOURNEY_WRITE}
_JOURNEY = {
    Role.RECEPTION: {P.JOURNEY_REFERRAL},
    Role.NURSE: _JOURNEY_KEY_WORKER | {P.JOURNEY_CLINICAL},
    Role.PRESCRIBER: _JOURNEY_KEY_WORKER | {P.JOURNEY_CLINICAL},
    Role.PROBATION: _JOURNEY_KEY_WORKER,
    Role.MANAGER: {P.JOURNEY_READ, P.NDTMS_EXPORT},
}

MATRIX: dict[Role, frozenset[Permission]] = {
    Role.RECEPTION: frozenset(_FRONT_DESK | _FRONT_DESK_EXTRA),
    Role.NURSE: frozenset(_NURSE),
    Role.PRESCRIBER: frozenset(_NURSE | {P.OST_PRESCRIBE}),
    Role.PROBATION: frozenset({
        P.PERSON_SEARCH, P.PERSON_READ, P.APPOINTMENT_READ, P.APPOINTMENT_WRITE, P.CALLBACK_WRITE,
        P.PROBATION_READ, P.PROBATION_WRITE, P.LETTER_PROBATION,
    }),
    Role.MANAGER: frozenset({
        P.PERSON_SEARCH, P.PERSON_READ, P.PERSON_CLOSE, P.PERSON_MERGE, P.PERSON_ACCESS_LOG,
        P.APPOINTMENT_READ, P.FRONT_DESK_DETAIL, P.REPORTS_READ, P.WORKLISTS_ALL_STAFF, P.AUDIT_READ, P.SESSION_ADMIN,
    } | _MANAGER_EXTRA),
    Role.ADMIN: frozenset({P.STAFF_ADMIN, P.SETTINGS_ADMIN, P.BACKUP_ADMIN, P.SESSION_ADMIN}),
}
MATRIX = {role: perms | _JOURNEY.get(role, set()) for role, perms in MATRIX.items()}  # journey block


# -- clinical read and the account re-check (issue 13: M3, M4, m7) --------------

#: Reading any of these is "clinical read": the audit log shows the values of
#: clinical changes only to a role holding one of them.
CLINICAL_READ = frozenset({P.BBV_READ, P.VACCINATION_READ, P.OST_READ, P.CLINICAL_NOTES_READ, P.SAFE_STORAGE_READ})
#: Roles that bring clinical read; an administrator cannot give one to themself.
CLINICAL_ROLES = frozenset(role for role, allowed in MATRIX.items() if allowed & CLINICAL_READ)

#: Set by each unit of work (clinic.accounts): turns the Actor captured at
#: sign-in into the account as it is now, or raises AccountRefused.
ACCOUNT_CHECK: ContextVar[Callable[[Actor], Actor] | None] = ContextVar("account_check", default=None)


class PermissionDenied(Exception):
    """A polite refusal the UI shows as it is."""

    def __init__(self, actor: Actor, permission: Permission, message: str = "") -> None:
        self.permission = permission
        super().__init__(message
                         or f"Your role does not allow this ({permission.value}). Ask a manager if you need it.")


class AccountRefused(PermissionDenied):
    """The account itself may do nothing now: deactivated, locked out, or on
    a temporary password that must be changed first."""

    def __init__(self, message: str) -> None:
        Exception.__init__(self, message)
        self.permission = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Actor:
    """The signed-in member of staff, as services see them."""

    staff_id: int
    username: str
    full_name: str
    roles: frozenset[Role]
    registration_number: str | None = None

    def can(self, permission: Permission) -> bool:
        return any(permission in MATRIX[role] for role in self.roles)

    @property
    def role_labels(self) -> str:
        return ", ".join(role.label for role in sorted(self.roles))


def current(actor: Actor) -> Actor:
    """The actor as the account stands now, in the running unit of work
    (or as captured, outside one); AccountRefused if it may do nothing."""
    check = ACCOUNT_CHECK.get()
    return check(actor) if check is not None else actor


def allows(actor: Actor, permission: Permission) -> bool:
    """For what a service shows, not whether it runs: that is ``require``."""
    return current(actor).can(permission)


def require(actor: Actor, permission: Permission) -> None:
    """Refuse unless the account, as it is now in the database, may do this:
    a deactivated or demoted account loses access within one action."""
    if not current(actor).can(permission):
        if actor.can(permission):
            raise PermissionDenied(actor, permission, "Your roles were changed since you signed in and no longer "
                                   f"allow this ({permission.value}). Sign out and in again.")
        raise PermissionDenied(actor, permission)


def parse_roles(text: str) -> frozenset[Role]:
    return frozenset(Role(part) for part in text.split())
