"""Hepatitis B vaccination offered, accepted or declined, as dated events
(V9; seed 002 App. 1: 95% offered, no more than 10% offered and refused).

An offer is its own event, apart from BBV *testing* offers and from the
course itself: "offered" (the person is thinking about it), "accepted", or
"declined" with the person's reason. Events are never edited; the latest
is the current answer. ``hepb_prompt`` says when a person shows no hep B
immunity and has no offer recorded, so the Vaccinations tab can ask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from clinic import vaccines
from clinic.changes import Area, Changes
from clinic.dates import uk_long
from clinic.errors import Refused
from clinic.permissions import Actor, Permission, require
from clinic.uow import UnitOfWork
from db.tables.people import Person
from db.tables.vaccination import AntiHbsResult, VaccineCourse, VaccineOffer

AREA = Area.VACCINATION
EVENTS = {"offered": "Offered (answer not given yet)", "accepted": "Accepted", "declined": "Declined"}
EARLIEST = date(1900, 1, 1)


@dataclass(frozen=True)
class RecordOffer:
    person_id: int
    event: str  # offered | accepted | declined
    event_on: date
    reason: str = ""  # required when declined


@dataclass(frozen=True)
class OfferRow:
    id: int
    event: str
    event_on: date
    reason: str

    @property
    def text(self) -> str:
        said = {"offered": "offered", "accepted": "offered and accepted", "declined": "offered and declined"}
        reason = f": {self.reason}" if self.reason else ""
        return f"Hepatitis B vaccination {said[self.event]} on {uk_long(self.event_on)}{reason}"


@dataclass(frozen=True)
class OfferSaved:
    row: OfferRow
    changes: Changes

    @property
    def message(self) -> str:
        return self.row.text + "."


@dataclass(frozen=True)
class HepBOffers:
    rows: tuple[OfferRow, ...]  # newest first
    prompt: str  # "" unless an offer should be made and recorded


def record_offer(uow: UnitOfWork, actor: Actor, cmd: RecordOffer) -> OfferSaved:
    require(actor, Permission.VACCINATION_WRITE)
    person = uow.session.get(Person, cmd.person_id)
    if person is None:
        raise Refused("That person is not on the register.")
    if cmd.event not in EVENTS:
        raise Refused("Choose what happened: offered, accepted or declined.", field="event")
    if cmd.event_on > uow.clock.today():
        raise Refused("An offer cannot be dated in the future.", field="event_on")
    if cmd.event_on < EARLIEST or (person.date_of_birth and cmd.event_on < person.date_of_birth):
        raise Refused("That date is before the person was born.", field="event_on")
    reason = cmd.reason.strip()
    if cmd.event == "declined" and not reason:
        raise Refused("Give the reason they gave for declining (their words).", field="reason")
    row = VaccineOffer(person_id=person.id, vaccine=vaccines.Vaccine.HEP_B, event=cmd.event, event_on=cmd.event_on,
                       reason=reason if cmd.event == "declined" else "", staff_id=actor.staff_id,
                       recorded_at=uow.clock.now())
    uow.session.add(row)
    uow.session.flush()
    uow.audit(actor, f"vaccination.offer_{cmd.event}", "vaccine_offer", row.id, person_id=person.id,
              changes={"event": [None, cmd.event], "event_on": [None, cmd.event_on.isoformat()]})
    return OfferSaved(_row(row), Changes.of(AREA, person_id=person.id))


def hepb_offers(uow: UnitOfWork, actor: Actor, person_id: int) -> HepBOffers:
    require(actor, Permission.VACCINATION_READ)
    rows = tuple(_row(r) for r in uow.session.execute(
        select(VaccineOffer).where(VaccineOffer.person_id == person_id, VaccineOffer.vaccine == vaccines.Vaccine.HEP_B)
        .order_by(VaccineOffer.event_on.desc(), VaccineOffer.id.desc())).scalars())
    return HepBOffers(rows, "" if rows or _protected_or_started(uow, person_id) else
                      "No hepatitis B vaccination offer is recorded, and there is no course or anti-HBs "
                      "result to show immunity. Offer it and record the answer (Alt+O).")


def _protected_or_started(uow: UnitOfWork, person_id: int) -> bool:
    course = uow.session.execute(select(VaccineCourse.id).where(
        VaccineCourse.person_id == person_id,
        VaccineCourse.schedule_id.in_(vaccines.HEP_B_SCHEDULES)).limit(1)).first()
    result = uow.session.execute(select(AntiHbsResult.id).where(
        AntiHbsResult.person_id == person_id, AntiHbsResult.voided.is_(False)).limit(1)).first()
    return course is not None or result is not None


def _row(r: VaccineOffer) -> OfferRow:
    return OfferRow(r.id, r.event, r.event_on, r.reason)
