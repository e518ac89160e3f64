"""A person's harm reduction, as their record shows it: NSP visits, naloxone
kits and training, alcohol screens and brief interventions in time order,
and the three facts the summary leads with (last NSP visit, kit status,
last AUDIT zone).

Alcohol screens and alcohol interventions are left out for a role without
``ALCOHOL_READ``; the whole tab needs ``HARM_REDUCTION_READ`` (so reception
and probation liaison see none of it). Each part is one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from clinic import alcohol, naloxone, nsp
from clinic.dates import uk_long
from clinic.naloxone import SupplyStatus
from clinic.outstanding import Outstanding, Severity
from clinic.permissions import Actor, Permission, require
from clinic.services.harm_reduction.alcohol import ALCOHOL_COMPONENTS, DRUG_COMPONENTS
from clinic.services.staff import staff_names
from clinic.uow import UnitOfWork
from db.tables.harm_reduction import (
    AlcoholScreen,
    BriefIntervention,
    NaloxoneBatch,
    NaloxoneSupply,
    NaloxoneUse,
    NspVisit,
    NspVisitItem,
    OverdoseTraining,
)
from db.tables.people import Person

MODULE = "harm_reduction"


@dataclass(frozen=True)
class Event:
    on: date
    kind: str  # "NSP visit", "Naloxone supplied", ...
    detail: str
    by: str
    sort_id: tuple[int, int]  # same-day order: kind rank, row id


@dataclass(frozen=True)
class HeldKit:
    supply_id: int
    label: str  # "Prenoxad batch AB12, expires 3 May 2027 (held by carer Jo)"
    expired: bool


@dataclass(frozen=True)
class HarmReductionRecord:
    events: tuple[Event, ...]  # newest first
    kit_status: str  # clinic.naloxone IN_DATE | EXPIRED | NONE
    held_kits: tuple[HeldKit, ...]
    last_nsp_visit: date | None
    last_audit_zone: int | None  # None when never screened or not visible
    last_audit_on: date | None
    shows_alcohol: bool


def person_harm_reduction(uow: UnitOfWork, actor: Actor, person_id: int) -> HarmReductionRecord:
    require(actor, Permission.HARM_REDUCTION_READ)
    today, names, run = uow.clock.today(), staff_names(uow), uow.session.execute
    events: list[Event] = []

    visits = run(select(NspVisit).where(NspVisit.person_id == person_id)).scalars().all()
    items: dict[int, list[str]] = {}
    if visits:
        for visit_id, label, quantity in run(select(NspVisitItem.visit_id, NspVisitItem.item_label,
                                                    NspVisitItem.quantity)
                                             .where(NspVisitItem.visit_id.in_([v.id for v in visits]))):
            items.setdefault(visit_id, []).append(f"{quantity} × {label}")
    for v in visits:
        parts = ["; ".join(items.get(v.id, [])) or "Nothing issued"]
        if v.bins_returned or v.loose_returned:
            parts.append(f"returned {v.bins_returned} bin(s), {v.loose_returned} loose")
        if v.advice:
            parts.append("advice: " + ", ".join(nsp.ADVICE[a].lower() for a in v.advice.split()))
        if v.under_18:
            parts.append("under 18 — flagged for safeguarding")
        events.append(Event(v.visited_on, "NSP visit", " · ".join(parts), names.get(v.staff_id, "—"), (1, v.id)))

    supplies = run(select(NaloxoneSupply, NaloxoneBatch.product, NaloxoneBatch.batch_number)
                   .join(NaloxoneBatch, NaloxoneBatch.id == NaloxoneSupply.batch_id)
                   .where(NaloxoneSupply.person_id == person_id)).all()
    held: list[HeldKit] = []
    for s, product, batch in supplies:
        to = "the person" if s.recipient == "person" else f"carer {s.carer_name}"
        events.append(Event(s.supplied_on, "Naloxone supplied",
                            f"{product} batch {batch}, expires {uk_long(s.expires_on)}, to {to} · "
                            f"{naloxone.REASONS[s.reason]}", names.get(s.staff_id, "—"), (2, s.id)))
        if s.status == SupplyStatus.HELD:
            held.append(HeldKit(s.id, f"{product} batch {batch}, expires {uk_long(s.expires_on)}"
                                + ("" if s.recipient == "person" else f" (held by {to})"), s.expires_on < today))
    for u in run(select(NaloxoneUse).where(NaloxoneUse.person_id == person_id)).scalars():
        events.append(Event(u.used_on, "Naloxone used",
                            f"Ambulance {'called' if u.ambulance_called else 'not called'} · "
                            f"{naloxone.OUTCOMES[u.outcome]}" + (f" · {u.note}" if u.note else ""),
                            names.get(u.staff_id, "—"), (3, u.id)))
    for t in run(select(OverdoseTraining).where(OverdoseTraining.person_id == person_id)).scalars():
        who = "the person" if t.trainee == "person" else f"carer {t.carer_name}"
        events.append(Event(t.trained_on, "Overdose training", f"Given to {who}", names.get(t.staff_id, "—"),
                            (4, t.id)))

    shows_alcohol = actor.can(Permission.ALCOHOL_READ)
    last_zone = last_audit_on = None
    if shows_alcohol:
        for a in run(select(AlcoholScreen).where(AlcoholScreen.person_id == person_id)
                     .order_by(AlcoholScreen.screened_on, AlcoholScreen.id)).scalars():
            text = f"AUDIT-C {a.audit_c_score} ({'positive' if a.audit_c_positive else 'negative'})"
            if a.audit_score is not None and a.audit_zone is not None:
                text += f" · AUDIT {a.audit_score}, zone {a.audit_zone} ({alcohol.ZONE_LABELS[a.audit_zone]})"
                last_zone, last_audit_on = a.audit_zone, a.screened_on
            events.append(Event(a.screened_on, "Alcohol screen", text, names.get(a.staff_id, "—"), (5, a.id)))
    kinds = ("alcohol", "drug") if shows_alcohol else ("drug",)
    for b in run(select(BriefIntervention).where(BriefIntervention.person_id == person_id,
                                                 BriefIntervention.kind.in_(kinds))).scalars():
        labels = ALCOHOL_COMPONENTS if b.kind == "alcohol" else DRUG_COMPONENTS
        text = ", ".join(labels[c] for c in b.components.split())
        if b.duration_minutes:
            text += f" · {b.duration_minutes} min"
        if b.referral_to:
            text += f" · referred to {b.referral_to}"
        events.append(Event(b.given_on, f"{b.kind.capitalize()} brief intervention", text,
                            names.get(b.staff_id, "—"), (6, b.id)))

    events.sort(key=lambda e: (e.on, e.sort_id), reverse=True)
    kits = [naloxone.Kit(s.expires_on, s.status == SupplyStatus.HELD) for s, _, _ in supplies]
    return HarmReductionRecord(tuple(events), naloxone.kit_status(kits, today), tuple(held),
                               max((v.visited_on for v in visits), default=None), last_zone, last_audit_on,
                               shows_alcohol)


def _injects(uow: UnitOfWork, person_id: int) -> bool:
    person = uow.session.get(Person, person_id)
    return bool(person and person.injects)


def harm_reduction_outstanding(uow: UnitOfWork, actor: Actor, person_id: int) -> list[Outstanding]:
    """For the person summary: last NSP visit, naloxone kit status, last AUDIT zone."""
    require(actor, Permission.HARM_REDUCTION_READ)
    today, run = uow.clock.today(), uow.session.execute
    out: list[Outstanding] = []
    last_visit = run(select(NspVisit.visited_on).where(NspVisit.person_id == person_id)
                     .order_by(NspVisit.visited_on.desc()).limit(1)).scalar()
    if last_visit is not None:
        out.append(Outstanding(MODULE, f"Last NSP visit {uk_long(last_visit)}", None, Severity.INFO))
    kits = [naloxone.Kit(e, True) for e in run(select(NaloxoneSupply.expires_on).where(
        NaloxoneSupply.person_id == person_id, NaloxoneSupply.status == SupplyStatus.HELD)).scalars()]
    status = naloxone.kit_status(kits, today)
    if status == naloxone.IN_DATE:
        latest = max(k.expires_on for k in kits)
        out.append(Outstanding(MODULE, f"{naloxone.STATUS_LABELS[status]} (expires {uk_long(latest)})", None,
                               Severity.INFO, chip="Naloxone"))
    elif status == naloxone.EXPIRED or last_visit is not None or _injects(uow, person_id):
        out.append(Outstanding(MODULE, naloxone.STATUS_LABELS[status] + ": offer one", None, Severity.DUE))
    if actor.can(Permission.ALCOHOL_READ):
        row = run(select(AlcoholScreen.audit_zone, AlcoholScreen.screened_on)
                  .where(AlcoholScreen.person_id == person_id, AlcoholScreen.audit_zone.is_not(None))
                  .order_by(AlcoholScreen.screened_on.desc(), AlcoholScreen.id.desc()).limit(1)).first()
        zone, on = row if row is not None else (None, None)
        if zone is not None and on is not None:
            out.append(Outstanding(MODULE, f"Last AUDIT zone {zone} ({alcohol.ZONE_LABELS[zone]}), "
                                           f"{uk_long(on)}", None, Severity.INFO))
    return out
