"""Opening a person's record: the summary a nurse reads before speaking.

``open_record`` writes exactly one ``person.opened`` audit row. Modules add
what is outstanding for the person through ``PROVIDERS``: each is
``(uow, actor, person_id) -> list[Outstanding]`` and checks its own read
permission; a provider the actor may not read (``PermissionDenied``) is
skipped, so probation liaison never sees BBV or vaccination items.

To add a module: append its provider to ``PROVIDERS``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from clinic.clock import SITE_TZ
from clinic.outstanding import Outstanding, Severity
from clinic.people import CLOSE_REASONS, client_id
from clinic.permissions import Actor, Permission, PermissionDenied, require
from clinic.services.appointments.book import outstanding as appointments_outstanding
from clinic.services.bbv import bbv_outstanding
from clinic.services.harm_reduction.record import harm_reduction_outstanding
from clinic.services.journey.worklists import journey_outstanding
from clinic.services.ost.worklists import ost_outstanding
from clinic.services.people.records import PersonDetails, details_of
from clinic.services.people.search import Chip, PersonHit, chips_of, hit_of
from clinic.services.probation.orders import probation_outstanding
from clinic.services.safe_storage import safe_storage_outstanding
from clinic.services.safeguarding.household import safeguarding_outstanding
from clinic.services.staff import staff_names
from clinic.services.vaccination.courses import vaccination_outstanding
from clinic.uow import UnitOfWork
from db.tables.people import GpPractice, Person, PersonStatusChange

Provider = Callable[[UnitOfWork, Actor, int], list[Outstanding]]

#: Outstanding-item providers, one per module, in the order shown.
PROVIDERS: tuple[Provider, ...] = (
    ost_outstanding,
    safe_storage_outstanding,
    probation_outstanding,
    vaccination_outstanding,
    bbv_outstanding,
    appointments_outstanding,
    harm_reduction_outstanding,  # the harm-reduction counter
    safeguarding_outstanding,  # reception gets a content-free chip only
    journey_outstanding,  # the treatment journey: plan and TOP due
)

_SEVERITY_ORDER = {Severity.ALERT: 0, Severity.OVERDUE: 1, Severity.DUE: 2, Severity.INFO: 3}


@dataclass(frozen=True)
class StatusEntry:
    status: str
    reason: str  # the label, e.g. "Planned exit"
    note: str
    effective_on: date
    by: str
    recorded_at: datetime  # local time


@dataclass(frozen=True)
class LinkedRecord:
    id: int
    client_id: str
    display_name: str


@dataclass(frozen=True)
class PersonRecord:
    hit: PersonHit  # header: name, IDs, age, NHS number, status
    details: PersonDetails
    version: int
    gp_practice_name: str
    chips: tuple[Chip, ...]  # own flags, then chips from modules
    outstanding: tuple[Outstanding, ...]
    history: tuple[StatusEntry, ...]  # newest first
    merged_into: LinkedRecord | None
    merged_from: tuple[LinkedRecord, ...]

    @property
    def person_id(self) -> int:
        return self.hit.id


def open_record(uow: UnitOfWork, actor: Actor, person_id: int, *,
                providers: Sequence[Provider] | None = None) -> PersonRecord:
    """The record summary; audited as one ``person.opened``."""
    require(actor, Permission.PERSON_READ)
    row = uow.session.get(Person, person_id)
    if row is None:
        raise ValueError(f"There is no record {client_id(person_id)}.")
    uow.audit(actor, "person.opened", "person", person_id, person_id=person_id)
    return _record(uow, actor, row, PROVIDERS if providers is None else providers)


def refresh_record(uow: UnitOfWork, actor: Actor, person_id: int, *,
                   providers: Sequence[Provider] | None = None) -> PersonRecord:
    """The summary again for a record already open on screen (after a save,
    or another workstation's change): not a new opening, so not audited."""
    require(actor, Permission.PERSON_READ)
    row = uow.session.get(Person, person_id)
    if row is None:
        raise ValueError(f"There is no record {client_id(person_id)}.")
    return _record(uow, actor, row, PROVIDERS if providers is None else providers)


def _record(uow: UnitOfWork, actor: Actor, row: Person, providers: Sequence[Provider]) -> PersonRecord:
    outstanding: list[Outstanding] = []
    for provider in providers:
        try:
            outstanding.extend(provider(uow, actor, row.id))
        except PermissionDenied:
            continue
    outstanding.sort(key=lambda o: (_SEVERITY_ORDER.get(o.severity, 9), o.due or date.max, o.label))
    module_chips = tuple(dict.fromkeys(Chip(o.chip, "module") for o in outstanding if o.chip))
    gp = uow.session.get(GpPractice, row.gp_practice_id) if row.gp_practice_id else None
    merged_into = None
    if row.merged_into_id is not None and (target := uow.session.get(Person, row.merged_into_id)):
        merged_into = _linked(target)
    merged_from = uow.session.execute(
        select(Person).where(Person.merged_into_id == row.id).order_by(Person.id)).scalars()
    return PersonRecord(
        hit_of(row, uow.clock.today()), details_of(row), row.version, gp.name if gp else "",
        chips_of(row) + module_chips, tuple(o for o in outstanding if o.label),
        tuple(_history(uow, row.id)), merged_into, tuple(_linked(p) for p in merged_from),
    )


def _local(at: datetime) -> datetime:
    """SQLite hands back stored UTC times without their zone."""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(SITE_TZ)


def _linked(row: Person) -> LinkedRecord:
    return LinkedRecord(row.id, client_id(row.id), f"{row.surname.upper()}, {row.forename}")


def _history(uow: UnitOfWork, person_id: int) -> list[StatusEntry]:
    names = staff_names(uow)
    stmt = (select(PersonStatusChange).where(PersonStatusChange.person_id == person_id)
            .order_by(PersonStatusChange.recorded_at.desc(), PersonStatusChange.id.desc()))
    reasons = CLOSE_REASONS | {"registered": "Registered", "reopened": "Reopened", "merged": "Merged"}
    return [
        StatusEntry(r.status, reasons.get(r.reason, r.reason), r.note, r.effective_on,
                    names.get(r.staff_id, "—"), _local(r.recorded_at))
        for r in uow.session.execute(stmt).scalars()
    ]
