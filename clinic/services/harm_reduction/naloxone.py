"""Take-home naloxone: kit stock by batch, supply, kits reported used,
overdose-awareness training (seeds 003 §4–§6, 004; rules in ``clinic.naloxone``).

A supply takes one kit off its batch's ``remaining`` under the batch's
version, so two workstations handing out the last kit conflict rather
than take stock below zero. A supply given because the last kit was used,
lost, expired or confiscated closes the kits the person still held (their
status becomes that reason), so "holds an in-date kit" stays true to life.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, or_, select

from clinic import naloxone as rules
from clinic.changes import Area, Changes
from clinic.errors import Refused
from clinic.naloxone import SupplyStatus
from clinic.people import PersonStatus
from clinic.permissions import Actor, Permission, require
from clinic.services.harm_reduction.common import MAX_NOTE, check_day, check_text
from clinic.services.ost.worklists import WorkItem
from clinic.services.people.register import on_register
from clinic.services.people.search import display_name
from clinic.outstanding import Severity
from clinic.uow import UnitOfWork
from db.tables.harm_reduction import NaloxoneBatch, NaloxoneSupply, NaloxoneUse, OverdoseTraining
from db.tables.ost import OstPrescription
from db.tables.people import Person

AREA = Area.HARM_REDUCTION


@dataclass(frozen=True)
class ReceiveKits:
    product: str
    batch_number: str
    expires_on: date
    quantity: int
    received_on: date


@dataclass(frozen=True)
class SupplyKit:
    person_id: int
    batch_id: int | None
    supplied_on: date
    recipient: str | None  # person | carer; chosen, never assumed
    reason: str | None
    carer_name: str = ""


@dataclass(frozen=True)
class ReportUsed:
    supply_id: int
    used_on: date
    ambulance_called: bool | None
    outcome: str | None  # survived | died | unknown
    note: str = ""


@dataclass(frozen=True)
class RecordTraining:
    person_id: int
    trained_on: date
    trainee: str | None  # person | carer
    carer_name: str = ""


@dataclass(frozen=True)
class Batch:
    id: int
    product: str
    batch_number: str
    expires_on: date
    remaining: int
    expired: bool

    @property
    def picker_label(self) -> str:
        return (f"{self.product} · batch {self.batch_number} · expires {self.expires_on:%d/%m/%Y}"
                f" · {self.remaining} left")


@dataclass(frozen=True)
class Written:
    id: int
    changes: Changes


def receive_kits(uow: UnitOfWork, actor: Actor, cmd: ReceiveKits) -> Written:
    require(actor, Permission.NALOXONE_STOCK_WRITE)
    product = check_text(cmd.product, "product", limit=100, what="The product")
    number = check_text(cmd.batch_number, "batch_number", limit=40, what="The batch number").upper()
    if not product:
        raise Refused("Enter the product (e.g. Prenoxad 1mg/ml).", field="product")
    if not number:
        raise Refused("Enter the batch number.", field="batch_number")
    rules.check_quantity(cmd.quantity)
    check_day(uow, cmd.received_on, "received_on", what="The date received")
    if cmd.expires_on < cmd.received_on:
        raise Refused("This batch had already expired when it arrived: do not add it to stock.", field="expires_on")
    batch = uow.session.execute(select(NaloxoneBatch).where(
        NaloxoneBatch.product == product, NaloxoneBatch.batch_number == number)).scalar_one_or_none()
    if batch is not None and batch.expires_on != cmd.expires_on:
        raise Refused(f"Batch {number} is already in stock with another expiry date; check the box.",
                      field="expires_on")
    if batch is None:
        batch = NaloxoneBatch(product=product, batch_number=number, expires_on=cmd.expires_on,
                              received_on=cmd.received_on, quantity_received=0, remaining=0, staff_id=actor.staff_id)
        uow.session.add(batch)
    batch.quantity_received += cmd.quantity
    batch.remaining += cmd.quantity
    uow.session.flush()
    uow.audit(actor, "naloxone.received", "naloxone_batch", batch.id, changes={"quantity": [None, cmd.quantity]})
    return Written(batch.id, Changes.of(AREA))


def kit_stock(uow: UnitOfWork, actor: Actor, *, include_empty: bool = False) -> list[Batch]:
    """Batches in stock, soonest expiry first (expired ones shown, flagged, so they can be taken out)."""
    require(actor, Permission.HARM_REDUCTION_READ)
    today = uow.clock.today()
    stmt = select(NaloxoneBatch).order_by(NaloxoneBatch.expires_on, NaloxoneBatch.product, NaloxoneBatch.id)
    if not include_empty:
        stmt = stmt.where(NaloxoneBatch.remaining > 0)
    return [Batch(b.id, b.product, b.batch_number, b.expires_on, b.remaining, b.expires_on < today)
            for b in uow.session.execute(stmt).scalars()]


def supply_kit(uow: UnitOfWork, actor: Actor, cmd: SupplyKit) -> Written:
    require(actor, Permission.HARM_REDUCTION_WRITE)
    person = on_register(uow, cmd.person_id, field="person")
    if cmd.batch_id is None:
        raise Refused("Choose the batch the kit comes from.", field="batch")
    if cmd.recipient not in rules.RECIPIENTS:
        raise Refused("Choose who the kit is given to.", field="recipient")
    if cmd.reason not in rules.REASONS:
        raise Refused("Choose the reason for this kit.", field="reason")
    carer = check_text(cmd.carer_name, "carer_name", what="The carer's name")
    if cmd.recipient == "carer" and not carer:
        raise Refused("Enter the name of the carer or family member.", field="carer_name")
    check_day(uow, cmd.supplied_on, "supplied_on", born=person.date_of_birth, what="The supply date")
    batch = uow.session.get(NaloxoneBatch, cmd.batch_id)
    if batch is None:
        raise Refused("That batch is not in stock.", field="batch")
    rules.check_supply(expires_on=batch.expires_on, on=cmd.supplied_on, remaining=batch.remaining)
    earlier = uow.session.execute(select(NaloxoneSupply).where(NaloxoneSupply.person_id == person.id)).scalars().all()
    if cmd.reason == "first" and earlier:
        raise Refused("This person has had a kit before: choose why this one is needed.", field="reason")
    if cmd.reason != "first":
        for kit in earlier:
            if kit.status == SupplyStatus.HELD:
                kit.status = SupplyStatus(cmd.reason)
    batch.remaining -= 1
    supply = NaloxoneSupply(person_id=person.id, batch_id=batch.id, supplied_on=cmd.supplied_on,
                            recipient=cmd.recipient, carer_name=carer if cmd.recipient == "carer" else "",
                            reason=cmd.reason, expires_on=batch.expires_on, status=SupplyStatus.HELD,
                            staff_id=actor.staff_id)
    uow.session.add(supply)
    uow.session.flush()
    uow.audit(actor, "naloxone.supplied", "naloxone_supply", supply.id, person_id=person.id,
              changes={"reason": [None, cmd.reason], "recipient": [None, cmd.recipient]})
    return Written(supply.id, Changes.of(AREA, person_id=person.id))


def report_used(uow: UnitOfWork, actor: Actor, cmd: ReportUsed) -> Written:
    """A kit used on someone: ambulance and outcome are asked, never assumed. The screen then offers a resupply."""
    require(actor, Permission.HARM_REDUCTION_WRITE)
    supply = uow.session.get(NaloxoneSupply, cmd.supply_id)
    if supply is None:
        raise Refused("Choose the kit that was used.", field="kit")
    if supply.status != SupplyStatus.HELD:
        raise Refused("That kit is no longer held (already reported used, or replaced).", field="kit")
    if cmd.ambulance_called is None:
        raise Refused("Say whether an ambulance was called.", field="ambulance")
    if cmd.outcome not in rules.OUTCOMES:
        raise Refused("Say whether the person it was used on survived.", field="outcome")
    check_day(uow, cmd.used_on, "used_on", what="The date it was used")
    if cmd.used_on < supply.supplied_on:
        raise Refused("The kit cannot have been used before it was supplied.", field="used_on")
    note = check_text(cmd.note, "note", limit=MAX_NOTE, what="The note")
    supply.status = SupplyStatus.USED
    use = NaloxoneUse(supply_id=supply.id, person_id=supply.person_id, used_on=cmd.used_on,
                      ambulance_called=cmd.ambulance_called, outcome=cmd.outcome, note=note,
                      reported_on=uow.clock.today(), staff_id=actor.staff_id)
    uow.session.add(use)
    uow.session.flush()
    uow.audit(actor, "naloxone.used", "naloxone_use", use.id, person_id=supply.person_id,
              changes={"ambulance_called": [None, cmd.ambulance_called], "outcome": [None, cmd.outcome]})
    return Written(use.id, Changes.of(AREA, person_id=supply.person_id))


def record_training(uow: UnitOfWork, actor: Actor, cmd: RecordTraining) -> Written:
    require(actor, Permission.HARM_REDUCTION_WRITE)
    person = on_register(uow, cmd.person_id, field="person")
    if cmd.trainee not in rules.TRAINED:
        raise Refused("Choose who was trained.", field="trainee")
    carer = check_text(cmd.carer_name, "carer_name", what="The carer's name")
    if cmd.trainee == "carer" and not carer:
        raise Refused("Enter the name of the carer or family member.", field="carer_name")
    check_day(uow, cmd.trained_on, "trained_on", born=person.date_of_birth, what="The training date")
    row = OverdoseTraining(person_id=person.id, trained_on=cmd.trained_on, trainee=cmd.trainee,
                           carer_name=carer if cmd.trainee == "carer" else "", staff_id=actor.staff_id)
    uow.session.add(row)
    uow.session.flush()
    uow.audit(actor, "naloxone.training", "overdose_training", row.id, person_id=person.id)
    return Written(row.id, Changes.of(AREA, person_id=person.id))


def no_kit_worklist(uow: UnitOfWork, actor: Actor, *, limit: int = 500) -> list[WorkItem]:
    """Open records on OST now or recorded as injecting, with no in-date kit held for them."""
    require(actor, Permission.HARM_REDUCTION_READ)
    today = uow.clock.today()
    on_ost = exists().where(OstPrescription.person_id == Person.id, OstPrescription.start_on <= today,
                            or_(OstPrescription.end_on.is_(None), OstPrescription.end_on >= today))
    has_kit = exists().where(NaloxoneSupply.person_id == Person.id, NaloxoneSupply.status == SupplyStatus.HELD,
                             NaloxoneSupply.expires_on >= today)
    had_kit = exists().where(NaloxoneSupply.person_id == Person.id, NaloxoneSupply.status == SupplyStatus.HELD)
    rows = uow.session.execute(
        select(Person.id, Person.surname, Person.forename, Person.date_of_birth, Person.injects, on_ost, had_kit)
        .where(Person.status == PersonStatus.OPEN, or_(Person.injects.is_(True), on_ost), ~has_kit)
        .order_by(Person.surname, Person.forename, Person.id).limit(limit)).all()
    return [WorkItem(pid, display_name(s, f), dob, None,
                     ("Kit expired" if expired else "No kit") + " · " +
                     " and ".join(w for w, yes in (("on OST", ost), ("injecting", inj)) if yes), Severity.DUE)
            for pid, s, f, dob, inj, ost, expired in rows]
