"""Referrals out: to hepatology, the HIV clinic, sexual health, the GP, mental
health, housing, mutual aid and others (seed 001 §8.1, §9; seed 002 §10.2,
§10.10; requirements B6, B7, L4, OT2).

A referral has a date, a reason, the person's consent to it, a referral
letter (``referral_letter``, to the service chosen) and an outcome; those
without an outcome after the set weeks are on a worklist. A BBV positive
referred from the BBV tab lands here too (``from_bbv``), and the KPI
"people engaging with HCV treatment" is counted from the outcomes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import distinct, func, select

from clinic import safeguarding as rules
from clinic.bbv import Virus
from clinic.changes import Area, Changes
from clinic.errors import NotFound, Refused
from clinic.letters.model import Disposition, Recipient
from clinic.letters.templates import referral_letter
from clinic.permissions import Actor, Permission, require
from clinic.safeguarding import ConsentDecision, ReferralKind, ReferralOutcome
from clinic.services.people.register import on_register
from clinic.services.safeguarding import consent
from clinic.services.letters import filing
from clinic.services.letters import parts as letter_parts
from clinic.services.letters.filing import LetterSummary
from clinic.services.safeguarding.common import (
    choice,
    dated,
    same_version,
    text,
)
from clinic.uow import UnitOfWork
from db.tables.people import Person
from db.tables.safeguarding import ReferralOut
from db.tables.staff import Staff

AREA = Area.REFERRALS
#: Where each BBV positive is referred by default (the nurse names the clinic).
BBV_KIND = {Virus.HEPATITIS_B: ReferralKind.HEPATOLOGY, Virus.HEPATITIS_C: ReferralKind.HEPATOLOGY,
            Virus.HIV: ReferralKind.HIV_CLINIC, Virus.SYPHILIS: ReferralKind.SEXUAL_HEALTH}


@dataclass(frozen=True)
class Refer:
    person_id: int
    kind: str
    destination: str
    referred_on: date
    reason: str
    consent: str  # given | refused: nothing is assumed
    destination_address: str = ""
    virus: str = ""


@dataclass(frozen=True)
class RecordOutcome:
    referral_id: int
    version: int
    outcome: str
    outcome_on: date


@dataclass(frozen=True)
class ReferralRow:
    id: int
    person_id: int
    person_name: str
    kind: ReferralKind
    destination: str
    destination_address: str
    referred_on: date
    reason: str
    consent: str
    virus: str
    letter_id: int | None
    outcome: ReferralOutcome | None
    outcome_on: date | None
    by: str
    waiting: bool  # no outcome after the set weeks
    version: int


@dataclass(frozen=True)
class Referred:
    id: int
    changes: Changes


@dataclass(frozen=True)
class LetterFiled:
    letter: LetterSummary
    changes: Changes


def _consent(value: str) -> ConsentDecision:
    return choice(ConsentDecision, value, "consent", "whether the person consents to the referral")


def refer(uow: UnitOfWork, actor: Actor, cmd: Refer) -> Referred:
    require(actor, Permission.REFERRAL_WRITE)
    return _add(uow, actor, cmd)


def _add(uow: UnitOfWork, actor: Actor, cmd: Refer, bbv_event_id: int | None = None) -> Referred:
    who = on_register(uow, cmd.person_id)
    kind = choice(ReferralKind, cmd.kind, "kind", "where the referral goes")
    decision = _consent(cmd.consent)
    destination = text(cmd.destination, "destination", "the service referred to", limit=200, required=True)
    address = text(cmd.destination_address, "destination_address", "the service's address", limit=500)
    reason = text(cmd.reason, "reason", "the reason for the referral", limit=2000, required=True)
    dated(uow, who, cmd.referred_on, "referred_on", "referral date")
    virus = choice(Virus, cmd.virus, "virus", "the result referred").value if cmd.virus else ""
    row = ReferralOut(person_id=who.id, kind=kind.value, destination=destination, destination_address=address,
                      referred_on=cmd.referred_on, reason=reason, consent=decision.value, virus=virus,
                      bbv_event_id=bbv_event_id, staff_id=actor.staff_id)
    uow.session.add(row)
    uow.session.flush()
    uow.audit(actor, "referral.made", "referral_out", row.id, person_id=who.id,
              changes={"kind": [None, kind.value], "consent": [None, decision.value],
                       "referred_on": [None, cmd.referred_on.isoformat()]})
    return Referred(row.id, Changes.of(AREA, person_id=who.id))


def from_bbv(uow: UnitOfWork, actor: Actor, person_id: int, virus: Virus, referred_to: str, on: date,
             consent_decision: str, bbv_event_id: int) -> Referred:
    """The referral out behind a BBV "referred" event (called by
    ``clinic.services.bbv.record_referral`` after its own permission check)."""
    return _add(uow, actor, Refer(person_id, BBV_KIND[virus].value, referred_to, on, f"{virus.label} positive",
                                  consent_decision, virus=virus.value), bbv_event_id)


def _get(uow: UnitOfWork, referral_id: int) -> ReferralOut:
    row = uow.session.get(ReferralOut, referral_id) if isinstance(referral_id, int) else None
    if row is None:
        raise NotFound("That referral is not on the record.")
    return row


def record_outcome(uow: UnitOfWork, actor: Actor, cmd: RecordOutcome) -> Referred:
    require(actor, Permission.REFERRAL_WRITE)
    row = _get(uow, cmd.referral_id)
    same_version(row.version, cmd.version)
    outcome = choice(ReferralOutcome, cmd.outcome, "outcome", "the outcome")
    dated(uow, on_register(uow, row.person_id), cmd.outcome_on, "outcome_on", "date of the outcome")
    if cmd.outcome_on < row.referred_on:
        raise Refused("The outcome cannot come before the referral.", field="outcome_on")
    before = row.outcome
    row.outcome, row.outcome_on, row.outcome_by = outcome.value, cmd.outcome_on, actor.staff_id
    uow.session.flush()
    uow.audit(actor, "referral.outcome", "referral_out", row.id, person_id=row.person_id,
              changes={"outcome": [before, outcome.value], "outcome_on": [None, cmd.outcome_on.isoformat()]})
    return Referred(row.id, Changes.of(AREA, person_id=row.person_id))


# --- the referral letter ----------------------------------------------------------

def draft_letter(uow: UnitOfWork, actor: Actor, referral_id: int, paragraphs: tuple[str, ...],
                 address: str | None = None) -> Any:
    """The referral letter's data: to the service chosen (at ``address``, or
    the referral's own), about the person. Refused without the person's
    consent to the referral, or without an address to send it to."""
    require(actor, Permission.LETTER_CLINICAL)
    row = _get(uow, referral_id)
    consent.check_referral(uow, row)
    who = on_register(uow, row.person_id)
    typed = row.destination_address if address is None else address
    lines = tuple(line.strip() for line in text(typed, "address", "the service's address", limit=500).splitlines()
                  if line.strip())
    if not lines:
        raise Refused("Enter the address of the service the referral goes to.", field="address")
    kind = ReferralKind(row.kind).label
    to = row.destination if kind.lower() in row.destination.lower() else f"{row.destination} ({kind})"
    result = f"{Virus(row.virus).label} positive" if row.virus else ""
    summary = [("Referred to", to), *([("Result", result)] if result and result != row.reason else []),
               ("Reason", row.reason), ("Consent", f"Given for this referral ({row.referred_on:%d/%m/%Y})")]
    return letter_parts.build(referral_letter.ReferralLetter, {
        "reference": letter_parts.next_reference(uow, who.id), "date": uow.clock.today(),
        "recipient": Recipient(name=row.destination, address_lines=lines),
        "signatory": letter_parts.signatory(actor), "letterhead": letter_parts.letterhead(uow),
        **letter_parts.patient_facts(who),
        "summary": tuple(summary), "paragraphs": tuple(p for p in paragraphs if p.strip()) or ("",)}, {})


def file_letter(uow: UnitOfWork, actor: Actor, referral_id: int, pdf: bytes, disposition: str,
                reference: str = "") -> LetterFiled:
    """File the printed (or saved) referral letter and link it to the referral."""
    require(actor, Permission.LETTER_CLINICAL)
    row = _get(uow, referral_id)
    consent.check_referral(uow, row)
    filed = filing.file_rendered(uow, actor, row.person_id, referral_letter.TEMPLATE.key, pdf,
                                 disposition, reference=reference, exported=disposition == Disposition.SAVED)
    row.letter_id = filed.letter.id
    uow.session.flush()
    uow.audit(actor, "referral.letter", "referral_out", row.id, person_id=row.person_id,
              changes={"letter_id": [None, filed.letter.id]})
    return LetterFiled(filed.letter, Changes.of(AREA, Area.LETTERS, person_id=row.person_id))


# --- reading --------------------------------------------------------------------

def _rows(uow: UnitOfWork, *conditions: object, limit: int = 500) -> list[ReferralRow]:
    today, weeks = uow.clock.today(), uow.settings["referrals.outcome_weeks"]
    rows = uow.session.execute(
        select(ReferralOut, Person.surname, Person.forename, Staff.full_name)
        .join(Person, Person.id == ReferralOut.person_id).join(Staff, Staff.id == ReferralOut.staff_id)
        .where(*conditions)  # type: ignore[arg-type]
        .order_by(ReferralOut.referred_on.desc(), ReferralOut.id.desc()).limit(limit)).all()
    return [ReferralRow(
        r.id, r.person_id, f"{s.upper()}, {f}", ReferralKind(r.kind), r.destination, r.destination_address,
        r.referred_on, r.reason, r.consent, r.virus, r.letter_id, ReferralOutcome(r.outcome) if r.outcome else None,
        r.outcome_on, by, rules.referral_waiting(r.referred_on, today, has_outcome=r.outcome is not None,
                                                 weeks=weeks), r.version) for r, s, f, by in rows]


def person_referrals(uow: UnitOfWork, actor: Actor, person_id: int) -> tuple[ReferralRow, ...]:
    require(actor, Permission.REFERRAL_READ)
    return tuple(_rows(uow, ReferralOut.person_id == person_id))


def referrals_waiting(uow: UnitOfWork, actor: Actor, *, limit: int = 500) -> tuple[ReferralRow, ...]:
    """Referrals with no outcome after the set weeks, oldest first."""
    require(actor, Permission.REFERRAL_READ)
    cutoff = uow.clock.today() - timedelta(weeks=uow.settings["referrals.outcome_weeks"])
    rows = _rows(uow, ReferralOut.outcome.is_(None), ReferralOut.referred_on <= cutoff, limit=limit)
    return tuple(sorted(rows, key=lambda r: (r.referred_on, r.id)))


def hcv_engaging(uow: UnitOfWork, actor: Actor, start: date, end: date) -> int:
    """KPI (seed 002 PI 3k): people whose hepatitis C referral reached
    treatment started or completed between ``start`` and ``end`` inclusive."""
    require(actor, Permission.REPORTS_READ)
    return uow.session.execute(select(func.count(distinct(ReferralOut.person_id))).where(
        ReferralOut.virus == Virus.HEPATITIS_C.value,
        ReferralOut.outcome.in_([o.value for o in rules.ENGAGED]),
        ReferralOut.outcome_on.between(start, end))).scalar_one()
