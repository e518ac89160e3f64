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
from typing import Any, TypeVar

from sqlalchemy import Select, exists, select

from clinic import journey as rules
from clinic.dates import uk_long
from clinic.errors import Refused
from clinic.outstanding import Outstanding, Severity
from clinic.people import PersonStatus
from clinic.permissions import Actor, Permission, require
from clinic.services.journey.episodes import timescales
from clinic.services.journey.record import prescribing_due
from clinic.uow import UnitOfWork
from db.tables.journey import Episode, EpisodeModality, RecoveryPlan, Referral, TopForm
from db.tables.people import Person
from db.tables.probation import DrrOrder
from db.tables.staff import Staff

S = TypeVar("S", bound=Select[*tuple[Any, ...]])  # a query narrowed to one key worker keeps its row type
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


def _first_contact(referred: date, t: dict[str, int], closures: frozenset[date]) -> tuple[date, str]:
    due = rules.first_contact_due(referred, working_days=t["first_contact_working_days"], closures=closures)
    return due, f"First contact due {uk_long(due)} (referred {uk_long(referred)})"


def _first_intervention(referred: date, today: date, t: dict[str, int]) -> tuple[date, str]:
    due = rules.first_intervention_due(referred, days=t["first_intervention_days"])
    wait = (today - referred).days
    long = f"; waiting {wait} days" if rules.is_long_wait(wait, days=t["long_wait_days"]) else ""
    return due, f"First intervention due {uk_long(due)}{long}"


def _prescribing(referred: date, order_date: date | None, t: dict[str, int],
                 closures: frozenset[date]) -> tuple[date, str]:
    due = prescribing_due(t, closures, referred, order_date)
    return due, f"Prescribing to start by {uk_long(due)}" + (" (DRR)" if order_date else "")


def _plan(due: date, has_plan: bool) -> str:
    return ("Plan review due " if has_plan else "Recovery plan due ") + uk_long(due)


def _top(due: date, has_top: bool) -> str:
    return ("Review TOP due " if has_top else "Start TOP due ") + uk_long(due)


def _order_dates(uow: UnitOfWork, episode_ids: set[int]) -> dict[int, date]:
    """Episode → the date of the DRR order one of its modalities names."""
    if not episode_ids:
        return {}
    return dict(uow.session.execute(
        select(EpisodeModality.episode_id, DrrOrder.order_date)
        .join(DrrOrder, DrrOrder.id == EpisodeModality.drr_order_id)
        .where(EpisodeModality.episode_id.in_(episode_ids))).all())


def worklist(uow: UnitOfWork, actor: Actor, *, within_days: int = DUE_SOON_DAYS, key_worker_id: int | None = None,
             kinds: frozenset[str] | None = None, limit: int = 500) -> list[WorkItem]:
    """Everything due by ``today + within_days``; one key worker's if given.
    Each kind is read soonest first and cut at ``limit`` in SQL."""
    require(actor, Permission.JOURNEY_READ)
    today = uow.clock.today()
    horizon = today + timedelta(days=within_days)
    wanted = kinds or frozenset(KINDS)
    t, closures = timescales(uow), uow.settings.closures
    names = dict(uow.session.execute(select(Staff.id, Staff.full_name)).all())
    items: list[WorkItem] = []

    def add(kind: str, row: Any, due_detail: tuple[date, str], worker: int | None) -> None:
        due, detail = due_detail
        if due <= horizon:
            pid, s, f, p, dob = row[:5]
            items.append(WorkItem(kind, pid, _name(s, f, p), dob, due, detail, _severity(due, today),
                                  names.get(worker, "") if worker else ""))

    def mine(q: S) -> S:
        return q if key_worker_id is None else q.where(Episode.key_worker_id == key_worker_id)

    if wanted & {"first_contact", "first_intervention"}:
        open_referrals = mine(
            select(*_PERSON, Referral.referred_on, Referral.first_contact_on, Episode.key_worker_id)
            .join(Person, Person.id == Referral.person_id)
            .outerjoin(Episode, Episode.id == Referral.episode_id)
            .where(Referral.intervention_on.is_(None), Referral.closed_on.is_(None),
                   Person.status == PersonStatus.OPEN))
        # Both deadlines rise with the referral date: the oldest referrals come first.
        for ref in uow.session.execute(open_referrals.order_by(Referral.referred_on).limit(limit)).all():
            if ref[6] is None and "first_contact" in wanted:
                add("first_contact", ref, _first_contact(ref[5], t, closures), ref[7])
            if "first_intervention" in wanted:
                add("first_intervention", ref, _first_intervention(ref[5], today, t), ref[7])

    if "prescribing" in wanted:
        waiting = uow.session.execute(mine(
            select(*_PERSON, EpisodeModality.referred_on, Episode.id, Episode.key_worker_id)
            .join(Episode, Episode.id == EpisodeModality.episode_id).join(Person, Person.id == Episode.person_id)
            .where(EpisodeModality.modality == rules.Modality.OST, EpisodeModality.started_on.is_(None),
                   EpisodeModality.ended_on.is_(None), Person.status == PersonStatus.OPEN)
            .order_by(EpisodeModality.referred_on).limit(limit))).all()
        orders = _order_dates(uow, {w[6] for w in waiting})
        for w in waiting:
            add("prescribing", w, _prescribing(w[5], orders.get(w[6]), t, closures), w[7])

    for kind, column, exists_in in (("plan", Episode.next_plan_due, RecoveryPlan.episode_id),
                                    ("top", Episode.next_top_due, TopForm.episode_id)):
        if kind not in wanted:
            continue
        text = _plan if kind == "plan" else _top
        due = mine(select(*_PERSON, column, exists().where(exists_in == Episode.id), Episode.key_worker_id)
                   .join(Person, Person.id == Episode.person_id)
                   .where(column <= horizon, Person.status == PersonStatus.OPEN).order_by(column).limit(limit))
        for row in uow.session.execute(due).all():
            if (due_on := row[5]) is not None:  # `column <= horizon` already left out the undated
                add(kind, row, (due_on, text(due_on, row[6])), row[7])

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


CASELOAD_DUE_DAYS = 28


def caseload(uow: UnitOfWork, actor: Actor, staff_id: int, *, limit: int = 500) -> list[CaseloadRow]:
    """A key worker's open episodes (at most ``limit``, by name) and what is
    due for each within 4 weeks, read for those episodes only."""
    require(actor, Permission.JOURNEY_READ)
    if staff_id != actor.staff_id and not actor.can(Permission.WORKLISTS_ALL_STAFF):
        raise Refused("You can see your own caseload; a manager sees everyone's.", "staff_id")
    today = uow.clock.today()
    horizon = today + timedelta(days=CASELOAD_DUE_DAYS)
    t, closures = timescales(uow), uow.settings.closures
    worker = uow.session.get(Staff, staff_id)
    worker_name = worker.full_name if worker else ""
    rows = uow.session.execute(
        select(*_PERSON, Episode.id, Episode.started_on, Episode.next_plan_due, Episode.next_top_due,
               exists().where(RecoveryPlan.episode_id == Episode.id), exists().where(TopForm.episode_id == Episode.id))
        .join(Person, Person.id == Episode.person_id)
        .where(Episode.key_worker_id == staff_id, Episode.ended_on.is_(None), Person.status == PersonStatus.OPEN)
        .order_by(Person.surname, Person.forename).limit(limit)).all()
    ids = [r[5] for r in rows]
    labels: dict[int, list[str]] = defaultdict(list)
    waiting_ost: dict[int, list[date]] = defaultdict(list)
    waiting_referral: dict[int, tuple[date, date | None]] = {}
    if ids:
        for eid, modality, started, referred in uow.session.execute(
                select(EpisodeModality.episode_id, EpisodeModality.modality, EpisodeModality.started_on,
                       EpisodeModality.referred_on)
                .where(EpisodeModality.episode_id.in_(ids), EpisodeModality.ended_on.is_(None))):
            labels[eid].append(rules.Modality(modality).label)
            if modality == rules.Modality.OST and started is None:
                waiting_ost[eid].append(referred)
        for ref_episode, referred, contacted in uow.session.execute(
                select(Referral.episode_id, Referral.referred_on, Referral.first_contact_on)
                .where(Referral.episode_id.in_(ids), Referral.intervention_on.is_(None), Referral.closed_on.is_(None))):
            if ref_episode is not None:  # always, given the filter on ids; the column itself is nullable
                waiting_referral[ref_episode] = (referred, contacted)
    orders = _order_dates(uow, set(waiting_ost))
    out = []
    for row in rows:
        eid, started, plan_due, top_due, has_plan, has_top = row[5:]
        found: list[tuple[str, tuple[date, str]]] = []
        if eid in waiting_referral:
            referred, contacted = waiting_referral[eid]
            if contacted is None:
                found.append(("first_contact", _first_contact(referred, t, closures)))
            found.append(("first_intervention", _first_intervention(referred, today, t)))
        found += [("prescribing", _prescribing(r, orders.get(eid), t, closures)) for r in waiting_ost[eid]]
        if plan_due is not None:
            found.append(("plan", (plan_due, _plan(plan_due, has_plan))))
        if top_due is not None:
            found.append(("top", (top_due, _top(top_due, has_top))))
        pid, s, f, p, dob = row[:5]
        due = tuple(sorted((WorkItem(kind, pid, _name(s, f, p), dob, d, detail, _severity(d, today), worker_name)
                            for kind, (d, detail) in found if d <= horizon), key=lambda i: i.due))
        out.append(CaseloadRow(pid, _name(s, f, p), dob, started, ", ".join(labels[eid]), due))
    return out


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
