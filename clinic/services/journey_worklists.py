"""Journey worklists and key workers' caseloads.

Each list is an index range scan (see ``db.tables.journey``): waiting
referrals through ``first_contact_on``/``intervention_on IS NULL``, OST
modalities not started through ``(modality, started_on)``, plans and TOPs
through the episode's stored ``next_plan_due`` and ``next_top_due``. Items
due within ``within_days`` or overdue are listed, soonest first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import exists, select

from clinic import journey as rules
from clinic.dates import uk_long
from clinic.errors import Refused
from clinic.outstanding import Outstanding, Severity
from clinic.permissions import Actor, Permission, require
from clinic.services.journey import timescales
from clinic.services.journey_record import prescribing_due
from clinic.uow import UnitOfWork
from db.tables.journey import Episode, EpisodeModality, RecoveryPlan, Referral, TopForm
from db.tables.people import Person
from db.tables.probation import DrrOrder
from db.tables.staff import Staff

DUE_SOON_DAYS = 14
KINDS = {"first_contact": "First contact", "first_intervention": "First intervention",
         "prescribing": "Prescribing start", "plan": "Recovery plan", "top": "TOP"}


@dataclass(frozen=True)
class WorkItem:
    kind: str
    person_id: int
    name: str
    date_of_birth: date
    due: date
    detail: str
    severity: Severity
    key_worker: str


def _name(surname: str, forename: str, preferred: str) -> str:
    return f"{surname.upper()}, {forename}" + (f" ({preferred})" if preferred else "")


def _severity(due: date, today: date) -> Severity:
    return Severity.OVERDUE if due < today else Severity.DUE


_PERSON = (Person.id, Person.surname, Person.forename, Person.preferred_name, Person.date_of_birth)


def worklist(uow: UnitOfWork, actor: Actor, *, within_days: int = DUE_SOON_DAYS, key_worker_id: int | None = None,
             kinds: frozenset[str] | None = None, limit: int = 500) -> list[WorkItem]:
    """Everything due by ``today + within_days``; one key worker's if given."""
    require(actor, Permission.JOURNEY_READ)
    today = uow.clock.today()
    horizon = today + timedelta(days=within_days)
    wanted = kinds or frozenset(KINDS)
    t, closures = timescales(uow), uow.settings.closures
    names = dict(uow.session.execute(select(Staff.id, Staff.full_name)).all())
    items: list[WorkItem] = []

    def add(kind: str, row: tuple, due: date, detail: str, worker: int | None) -> None:  # type: ignore[type-arg]
        if due <= horizon:
            pid, s, f, p, dob = row[:5]
            items.append(WorkItem(kind, pid, _name(s, f, p), dob, due, detail, _severity(due, today),
                                  names.get(worker, "") if worker else ""))

    def mine(q):  # type: ignore[no-untyped-def]
        return q if key_worker_id is None else q.where(Episode.key_worker_id == key_worker_id)

    if wanted & {"first_contact", "first_intervention"}:
        q = (select(*_PERSON, Referral.referred_on, Referral.first_contact_on, Episode.key_worker_id)
             .join(Person, Person.id == Referral.person_id)
             .outerjoin(Episode, Episode.id == Referral.episode_id)
             .where(Referral.intervention_on.is_(None), Referral.closed_on.is_(None), Person.status == "open"))
        if key_worker_id is not None:
            q = q.where(Episode.key_worker_id == key_worker_id)
        for row in uow.session.execute(q).all():
            referred, contacted, worker = row[5], row[6], row[7]
            if contacted is None and "first_contact" in wanted:
                due = rules.first_contact_due(referred, working_days=t["first_contact_working_days"],
                                              closures=closures)
                add("first_contact", row, due, f"First contact due {uk_long(due)} (referred {uk_long(referred)})",
                    worker)
            if "first_intervention" in wanted:
                due = rules.first_intervention_due(referred, days=t["first_intervention_days"])
                wait = (today - referred).days
                long = f"; waiting {wait} days" if rules.is_long_wait(wait, days=t["long_wait_days"]) else ""
                add("first_intervention", row, due, f"First intervention due {uk_long(due)}{long}", worker)

    if "prescribing" in wanted:
        q = mine(select(*_PERSON, EpisodeModality.referred_on, EpisodeModality.drr_order_id, Episode.id,
                        Episode.key_worker_id)
                 .join(Episode, Episode.id == EpisodeModality.episode_id)
                 .join(Person, Person.id == Episode.person_id)
                 .where(EpisodeModality.modality == rules.Modality.OST, EpisodeModality.started_on.is_(None),
                        EpisodeModality.ended_on.is_(None), Person.status == "open"))
        rows = uow.session.execute(q).all()
        episode_orders = dict(uow.session.execute(
            select(EpisodeModality.episode_id, EpisodeModality.drr_order_id)
            .where(EpisodeModality.episode_id.in_({r[7] for r in rows}), EpisodeModality.drr_order_id.is_not(None))
        ).all()) if rows else {}
        order_ids = {r[6] for r in rows if r[6]} | set(episode_orders.values())
        order_dates = dict(uow.session.execute(select(DrrOrder.id, DrrOrder.order_date)
                                               .where(DrrOrder.id.in_(order_ids))).all()) if order_ids else {}
        for row in rows:
            order = row[6] or episode_orders.get(row[7])
            due = prescribing_due(t, closures, row[5], order_dates.get(order) if order else None)
            add("prescribing", row, due, f"Prescribing to start by {uk_long(due)}" + (" (DRR)" if order else ""),
                row[8])

    if "plan" in wanted:
        has_plan = exists().where(RecoveryPlan.episode_id == Episode.id)
        q = mine(select(*_PERSON, Episode.next_plan_due, has_plan, Episode.key_worker_id)
                 .join(Person, Person.id == Episode.person_id)
                 .where(Episode.next_plan_due <= horizon, Person.status == "open"))
        for row in uow.session.execute(q).all():
            due = row[5]
            add("plan", row, due, ("Plan review due " if row[6] else "Recovery plan due ") + uk_long(due), row[7])

    if "top" in wanted:
        has_top = exists().where(TopForm.episode_id == Episode.id)
        q = mine(select(*_PERSON, Episode.next_top_due, has_top, Episode.key_worker_id)
                 .join(Person, Person.id == Episode.person_id)
                 .where(Episode.next_top_due <= horizon, Person.status == "open"))
        for row in uow.session.execute(q).all():
            due = row[5]
            add("top", row, due, ("Review TOP due " if row[6] else "Start TOP due ") + uk_long(due), row[7])

    items.sort(key=lambda i: (i.due, i.name, i.kind))
    return items[:limit]


# ---- caseloads -------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadRow:
    person_id: int
    name: str
    date_of_birth: date
    started_on: date
    modalities: str
    due: tuple[WorkItem, ...]

    @property
    def next_due(self) -> date | None:
        return min((i.due for i in self.due), default=None)


def caseload(uow: UnitOfWork, actor: Actor, staff_id: int) -> list[CaseloadRow]:
    """A key worker's open episodes and what is due for each (within 4 weeks)."""
    require(actor, Permission.JOURNEY_READ)
    if staff_id != actor.staff_id and not actor.can(Permission.WORKLISTS_ALL_STAFF):
        raise Refused("You can see your own caseload; a manager sees everyone's.", "staff_id")
    rows = uow.session.execute(
        select(*_PERSON, Episode.id, Episode.started_on).join(Person, Person.id == Episode.person_id)
        .where(Episode.key_worker_id == staff_id, Episode.ended_on.is_(None), Person.status == "open")
        .order_by(Person.surname, Person.forename)).all()
    labels: dict[int, list[str]] = defaultdict(list)
    if rows:
        for episode_id, modality in uow.session.execute(
                select(EpisodeModality.episode_id, EpisodeModality.modality)
                .where(EpisodeModality.episode_id.in_([r[5] for r in rows]), EpisodeModality.ended_on.is_(None))):
            labels[episode_id].append(rules.Modality(modality).label)
    due: dict[int, list[WorkItem]] = defaultdict(list)
    for item in worklist(uow, actor, within_days=28, key_worker_id=staff_id, limit=100_000):
        due[item.person_id].append(item)
    return [CaseloadRow(pid, _name(s, f, p), dob, started, ", ".join(labels[eid]), tuple(due[pid]))
            for pid, s, f, p, dob, eid, started in rows]


def journey_outstanding(uow: UnitOfWork, actor: Actor, person_id: int) -> list[Outstanding]:
    """What is due on the person's journey, for the record summary."""
    require(actor, Permission.JOURNEY_READ)
    today = uow.clock.today()
    out = []
    for e in uow.session.execute(select(Episode).where(Episode.person_id == person_id,
                                                       Episode.ended_on.is_(None))).scalars():
        for due, label in ((e.next_plan_due, "Recovery plan or review due"), (e.next_top_due, "TOP due")):
            if due is not None and due <= today + timedelta(days=DUE_SOON_DAYS):
                out.append(Outstanding("journey", label, due, _severity(due, today)))
    return out
