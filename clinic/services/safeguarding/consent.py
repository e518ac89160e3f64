"""Consent to share, per recipient kind, and the letters it guards
(seed 002 §10.16, §17; seed 001 §8.1, §11).

A decision is never edited: recording a new one (given, or refused, which
is also how consent is withdrawn) adds a row, and the newest per recipient
kind is the one in force. ``check_letter`` is the one place every letter to
an outside recipient is checked before it is filed; a disclosure made
without consent (a safeguarding duty) is recorded with the reason for
overriding it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from clinic.changes import Area, Changes
from clinic.errors import Refused
from clinic.permissions import Actor, Permission, require
from clinic.safeguarding import ConsentDecision, RecipientKind
from clinic.services.people.register import on_register
from clinic.services.safeguarding.common import AREA, choice, dated, text
from clinic.uow import UnitOfWork
from db.tables.probation import DrrOrder
from db.tables.safeguarding import (
    ConsentToShare,
    DisclosureWithoutConsent,
    ReferralOut,
    SafeguardingProfile,
)
from db.tables.staff import Staff

HOW_RECORDED = {"verbal": "Verbal, noted by staff", "written": "Signed form", "letter": "In a letter or email"}

#: Letters to someone other than the person, and whose consent each needs.
#: Probation letters: see ``probation_refused_on`` (one rule, two parts);
#: referral letters on the referral's own consent (``check_referral``).
LETTER_RECIPIENTS = {
    "gp_letter": RecipientKind.GP,
    "ost_review_gp": RecipientKind.GP,
    "pharmacy_missed_doses": RecipientKind.PHARMACY,
}
#: Every probation template's key starts so (``probation_common.TEMPLATE_KEYS``).
PROBATION_PREFIX = "probation_"
REFERRAL_LETTER = "referral_letter"


@dataclass(frozen=True)
class RecordConsent:
    person_id: int
    recipient_kind: str
    decision: str
    decided_on: date
    how_recorded: str
    review_on: date | None = None


@dataclass(frozen=True)
class RecordLimitsExplained:
    person_id: int
    explained_on: date


@dataclass(frozen=True)
class RecordDisclosure:
    person_id: int
    recipient_kind: str
    recipient: str
    disclosed_on: date
    reason: str


@dataclass(frozen=True)
class ConsentRow:
    id: int
    recipient_kind: RecipientKind
    decision: ConsentDecision
    decided_on: date
    how_recorded: str
    review_on: date | None
    recorded_by: str


@dataclass(frozen=True)
class DisclosureRow:
    recipient_kind: RecipientKind
    recipient: str
    disclosed_on: date
    reason: str
    by: str


@dataclass(frozen=True)
class Consents:
    current: tuple[ConsentRow, ...]  # one per kind with a decision, in RecipientKind order
    history: tuple[ConsentRow, ...]  # newest first
    limits_explained_on: date | None
    disclosures: tuple[DisclosureRow, ...]


@dataclass(frozen=True)
class ProbationConsent:
    """All probation liaison may know of this module: whether the person's
    consent lets the service share with probation, and the decision on
    their consent record (given, refused or None: none recorded)."""

    may_share: bool
    decided_on: date | None
    decision: str | None = None


def record_consent(uow: UnitOfWork, actor: Actor, cmd: RecordConsent) -> Changes:
    require(actor, Permission.CONSENT_WRITE)
    return _record(uow, actor, cmd)


def record_probation_consent(uow: UnitOfWork, actor: Actor, cmd: RecordConsent) -> Changes:
    """The liaison records consent to share with Probation (only that kind):
    they take the order's signed consent, and a refusal or withdrawal
    recorded here stops every letter to Probation."""
    require(actor, Permission.PROBATION_WRITE)
    if cmd.recipient_kind != RecipientKind.PROBATION.value:
        raise Refused("From the Probation tab only consent to share with Probation is recorded.",
                      field="recipient_kind")
    return _record(uow, actor, cmd)


def _record(uow: UnitOfWork, actor: Actor, cmd: RecordConsent) -> Changes:
    who = on_register(uow, cmd.person_id)
    kind = choice(RecipientKind, cmd.recipient_kind, "recipient_kind", "who the consent is about")
    decision = choice(ConsentDecision, cmd.decision, "decision", "whether consent is given or refused")
    if cmd.how_recorded not in HOW_RECORDED:
        raise Refused("Choose how the consent was recorded.", field="how_recorded")
    dated(uow, who, cmd.decided_on, "decided_on", "date of the decision")
    dated(uow, who, cmd.review_on, "review_on", "review date", future_allowed=True, required=False)
    if cmd.review_on is not None and cmd.review_on <= cmd.decided_on:
        raise Refused("The review date must be after the decision.", field="review_on")
    row = ConsentToShare(person_id=who.id, recipient_kind=kind.value, decision=decision.value,
                         decided_on=cmd.decided_on, how_recorded=cmd.how_recorded, review_on=cmd.review_on,
                         staff_id=actor.staff_id, recorded_at=uow.clock.now())
    uow.session.add(row)
    uow.session.flush()
    uow.audit(actor, "consent.recorded", "consent_to_share", row.id, person_id=who.id,
              changes={"recipient_kind": [None, kind.value], "decision": [None, decision.value]})
    return Changes.of(AREA, Area.CONSENT, Area.PROBATION, person_id=who.id)


def record_limits_explained(uow: UnitOfWork, actor: Actor, cmd: RecordLimitsExplained) -> Changes:
    """"The limits of confidentiality explained", at first contact (seed 002 §10.16)."""
    require(actor, Permission.CONSENT_WRITE)
    who = on_register(uow, cmd.person_id)
    dated(uow, who, cmd.explained_on, "explained_on", "date explained")
    profile = uow.session.get(SafeguardingProfile, who.id)
    if profile is None:
        profile = SafeguardingProfile(person_id=who.id, pregnant=False, antenatal="", early_help_outcome="")
        uow.session.add(profile)
    profile.limits_explained_on, profile.limits_explained_by = cmd.explained_on, actor.staff_id
    uow.session.flush()
    uow.audit(actor, "consent.limits_explained", "safeguarding_profile", who.id, person_id=who.id,
              changes={"explained_on": [None, cmd.explained_on.isoformat()]})
    return Changes.of(AREA, Area.CONSENT, person_id=who.id)


def record_disclosure(uow: UnitOfWork, actor: Actor, cmd: RecordDisclosure) -> Changes:
    """Information shared without consent, with the reason for overriding it."""
    require(actor, Permission.CONSENT_WRITE)
    who = on_register(uow, cmd.person_id)
    kind = choice(RecipientKind, cmd.recipient_kind, "recipient_kind", "who it was shared with")
    recipient = text(cmd.recipient, "recipient", "who it was shared with", limit=200, required=True)
    dated(uow, who, cmd.disclosed_on, "disclosed_on", "date shared")
    reason = text(cmd.reason, "reason", "why consent was overridden", limit=2000, required=True)
    record_override(uow, actor, who.id, kind, recipient, cmd.disclosed_on, reason)
    return Changes.of(AREA, Area.CONSENT, person_id=who.id)


def record_override(uow: UnitOfWork, actor: Actor, person_id: int, kind: RecipientKind, recipient: str,
                    on: date, reason: str, *, request_id: int | None = None) -> None:
    """The disclosure row and its audit (callers have checked permission and text)."""
    row = DisclosureWithoutConsent(person_id=person_id, recipient_kind=kind.value, recipient=recipient,
                                   disclosed_on=on, reason=reason, request_id=request_id, staff_id=actor.staff_id)
    uow.session.add(row)
    uow.session.flush()
    uow.audit(actor, "consent.overridden", "disclosure_without_consent", row.id, person_id=person_id,
              changes={"recipient_kind": [None, kind.value]})


# --- reading and checking ---------------------------------------------------------

def _row(c: ConsentToShare, names: dict[int, str]) -> ConsentRow:
    return ConsentRow(c.id, RecipientKind(c.recipient_kind), ConsentDecision(c.decision), c.decided_on,
                      c.how_recorded, c.review_on, names.get(c.staff_id, ""))


def consent_in_force(uow: UnitOfWork, person_id: int, kind: RecipientKind) -> ConsentToShare | None:
    """The newest decision for this recipient kind, or None (no permission:
    callers check theirs)."""
    return uow.session.execute(select(ConsentToShare).where(
        ConsentToShare.person_id == person_id, ConsentToShare.recipient_kind == kind.value)
        .order_by(ConsentToShare.decided_on.desc(), ConsentToShare.id.desc()).limit(1)).scalar_one_or_none()


def person_consents(uow: UnitOfWork, actor: Actor, person_id: int) -> Consents:
    require(actor, Permission.CONSENT_READ)
    names = dict(uow.session.execute(select(Staff.id, Staff.full_name)).all())
    rows = uow.session.execute(select(ConsentToShare).where(ConsentToShare.person_id == person_id)
                               .order_by(ConsentToShare.decided_on.desc(), ConsentToShare.id.desc())).scalars()
    history = tuple(_row(c, names) for c in rows)
    newest: dict[RecipientKind, ConsentRow] = {}
    for c in history:
        newest.setdefault(c.recipient_kind, c)
    profile = uow.session.get(SafeguardingProfile, person_id)
    disclosures = uow.session.execute(select(DisclosureWithoutConsent).where(
        DisclosureWithoutConsent.person_id == person_id).order_by(DisclosureWithoutConsent.disclosed_on.desc()))
    return Consents(tuple(newest[k] for k in RecipientKind if k in newest), history,
                    profile.limits_explained_on if profile else None,
                    tuple(DisclosureRow(RecipientKind(d.recipient_kind), d.recipient, d.disclosed_on, d.reason,
                                        names.get(d.staff_id, "")) for d in disclosures.scalars()))


def probation_consent(uow: UnitOfWork, actor: Actor, person_id: int) -> ProbationConsent:
    """Probation liaison's only view of consent: may the service share with probation?"""
    require(actor, Permission.PROBATION_READ)
    row = consent_in_force(uow, person_id, RecipientKind.PROBATION)
    return ProbationConsent(_probation_may_share(uow, person_id), row.decided_on if row else None,
                            row.decision if row else None)


def probation_refused_on(uow: UnitOfWork, person_id: int) -> date | None:
    """When the person refused (or withdrew) consent to share with Probation,
    if that is the decision in force on their consent record.

    The one rule for every letter to Probation: it goes only when (1) the
    order's consent to share is signed and not withdrawn (the order is where
    the court's DRR consent is taken: ``probation.letter_data``) and (2) no
    refusal is in force here. A consent "given" here does not stand in for an
    unsigned order, and a refusal here stops letters whatever the order says,
    so withdrawing consent in either place stops them."""
    return probation_refusals(uow, [person_id]).get(person_id)


def probation_refusals(uow: UnitOfWork, person_ids: Iterable[int]) -> dict[int, date]:
    """``probation_refused_on`` for many people in one query (a batch of letters)."""
    newest: dict[int, ConsentToShare] = {}
    for row in uow.session.execute(select(ConsentToShare).where(
            ConsentToShare.person_id.in_(list(set(person_ids))),
            ConsentToShare.recipient_kind == RecipientKind.PROBATION.value)
            .order_by(ConsentToShare.decided_on.desc(), ConsentToShare.id.desc())).scalars():
        newest.setdefault(row.person_id, row)
    return {pid: row.decided_on for pid, row in newest.items() if row.decision == ConsentDecision.REFUSED.value}


def _probation_may_share(uow: UnitOfWork, person_id: int) -> bool:
    """The rule of ``probation_refused_on`` for a person (any of their orders)."""
    if probation_refused_on(uow, person_id) is not None:
        return False
    return uow.session.execute(select(DrrOrder.id).where(
        DrrOrder.person_id == person_id, DrrOrder.consent_signed_on.is_not(None),
        DrrOrder.consent_withdrawn_on.is_(None)).limit(1)).first() is not None


def check_letter(uow: UnitOfWork, person_id: int | None, letter_type: str) -> None:
    """Refuse to file a letter to an outside recipient without the matching
    consent (no permission of its own: called by the letter service after
    its check). Letters to the person themselves need none."""
    kind = RecipientKind.PROBATION if letter_type.startswith(PROBATION_PREFIX) else LETTER_RECIPIENTS.get(letter_type)
    if person_id is None or kind is None:
        return
    if kind is RecipientKind.PROBATION:
        if not _probation_may_share(uow, person_id):
            raise Refused("The person has not consented to sharing with probation (or has withdrawn it): "
                          "the letter was not filed.", field="consent")
        return
    row = consent_in_force(uow, person_id, kind)
    if row is None:
        raise Refused(f"No consent to share with the {kind.label} is recorded: record it on the "
                      "Safeguarding tab before this letter leaves.", field="consent")
    if row.decision != ConsentDecision.GIVEN.value:
        raise Refused(f"The person refused consent to share with the {kind.label} on "
                      f"{row.decided_on:%d/%m/%Y}: the letter was not filed.", field="consent")
    if row.review_on is not None and row.review_on < uow.clock.today():
        raise Refused(f"Consent to share with the {kind.label} was due for review on {row.review_on:%d/%m/%Y}: "
                      "ask the person again and record it before this letter leaves.", field="consent")


def check_referral(uow: UnitOfWork, referral: ReferralOut) -> None:
    """A referral letter leaves only with the person's consent to that referral."""
    if referral.consent != ConsentDecision.GIVEN.value:
        raise Refused("The person has not consented to this referral: the letter was not made.", field="consent")
