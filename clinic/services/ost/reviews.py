"""OST reviews: nurses record them for sign-off, prescribers sign them off.

A review moves the prescription's stored ``next_review_due`` (default: the
review date plus ``ost.review_months``). A review recorded by a prescriber
is signed off as it is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from clinic import ost
from clinic.changes import Changes
from clinic.dates import uk_long
from clinic.errors import Refused, refused_as
from clinic.permissions import Actor, Permission, require
from clinic.services.ost.prescriptions import AREA, current_rows, prescription_on
from clinic.uow import UnitOfWork
from db.tables.ost import OstReview
from db.tables.staff import Staff

ATTENDANCE = {"good": "Attending well", "some_missed": "Some doses or appointments missed",
              "poor": "Poor attendance"}
DOSE_ADEQUACY = {"adequate": "Adequate", "too_low": "Too low (withdrawal, craving)",
                 "too_high": "Too high (sedation)"}
SUPERVISION = {"continue": "Continue as now", "increase": "Increase supervision",
               "reduce": "Reduce supervision (more take-home)", "stop_supervision": "End supervised consumption"}
OVERDOSE_RISK = {"low": "Low", "medium": "Medium", "high": "High"}


@dataclass(frozen=True)
class RecordReview:
    person_id: int
    reviewed_on: date
    attendance: str
    dose_adequacy: str
    on_top_use: bool
    on_top_substances: str
    injecting: bool
    supervision_decision: str
    supervision_reason: str
    children_in_household: bool
    box_issued: bool
    box_seen: bool
    overdose_risk: str
    naloxone_held: bool
    agreed_plan: str
    next_review_on: date | None = None


@dataclass(frozen=True)
class ReviewRow:
    id: int
    person_id: int
    prescription_id: int
    reviewed_on: date
    attendance: str
    dose_adequacy: str
    on_top_use: bool
    on_top_substances: str
    injecting: bool
    supervision_decision: str
    supervision_reason: str
    children_in_household: bool
    box_issued: bool
    box_seen: bool
    overdose_risk: str
    naloxone_held: bool
    agreed_plan: str
    next_review_on: date
    recorded_by: str
    signed_off_by: str | None
    signed_off_at: datetime | None
    version: int


@dataclass(frozen=True)
class Reviewed:
    review: ReviewRow
    changes: Changes = field(default_factory=Changes)


#: The answers a review must have, each with the words a refusal uses for it;
#: none is pre-filled on the form (ui/ost/review_dialog.py refuses them all at once).
CHOICES: dict[str, tuple[dict[str, str], str]] = {
    "attendance": (ATTENDANCE, "attendance since the last review"),
    "dose_adequacy": (DOSE_ADEQUACY, "dose adequacy"),
    "supervision_decision": (SUPERVISION, "supervised consumption decision"),
    "overdose_risk": (OVERDOSE_RISK, "overdose risk"),
}


def choose_message(field: str) -> str:
    return f"Choose the {CHOICES[field][1]}."


def _choice(value: str, field: str) -> str:
    if value not in CHOICES[field][0]:
        raise Refused(choose_message(field), field=field)
    return value


def record_review(uow: UnitOfWork, actor: Actor, cmd: RecordReview) -> Reviewed:
    require(actor, Permission.OST_WRITE)
    today = uow.clock.today()
    with refused_as("reviewed_on"):
        prescription = prescription_on(uow, cmd.person_id, cmd.reviewed_on)
        ost.check_review_date(cmd.reviewed_on, prescription.start_on, today=today)
    for name in CHOICES:
        _choice(getattr(cmd, name), name)
    if cmd.on_top_use and not cmd.on_top_substances.strip():
        raise Refused("Say which substances are used on top.", field="on_top_substances")
    if cmd.supervision_decision != "continue" and not cmd.supervision_reason.strip():
        raise Refused("Give the reason for the supervised consumption decision.", field="supervision_reason")
    if not cmd.agreed_plan.strip():
        raise Refused("Write the agreed plan.", field="agreed_plan")
    next_on = cmd.next_review_on or ost.review_due(cmd.reviewed_on, months=uow.settings["ost.review_months"])
    if next_on <= cmd.reviewed_on:
        raise Refused(f"The next review ({uk_long(next_on)}) must be after this one.", field="next_review_on")
    signs_off = actor.can(Permission.OST_PRESCRIBE)
    row = OstReview(
        person_id=cmd.person_id, prescription_id=prescription.id, reviewed_on=cmd.reviewed_on,
        attendance=cmd.attendance, dose_adequacy=cmd.dose_adequacy, on_top_use=cmd.on_top_use,
        on_top_substances=cmd.on_top_substances.strip() if cmd.on_top_use else "", injecting=cmd.injecting,
        supervision_decision=cmd.supervision_decision, supervision_reason=cmd.supervision_reason.strip(),
        children_in_household=cmd.children_in_household, box_issued=cmd.box_issued, box_seen=cmd.box_seen,
        overdose_risk=cmd.overdose_risk, naloxone_held=cmd.naloxone_held, agreed_plan=cmd.agreed_plan.strip(),
        next_review_on=next_on, recorded_by_id=actor.staff_id,
        signed_off_by_id=actor.staff_id if signs_off else None,
        signed_off_at=uow.clock.now() if signs_off else None,
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit(actor, "ost.review_recorded", "ost_review", row.id, person_id=cmd.person_id, changes={
        "reviewed_on": [None, cmd.reviewed_on.isoformat()], "next_review_on": [None, next_on.isoformat()],
        "signed_off": [None, signs_off],
    })
    _move_next_review(uow, actor, cmd.person_id)
    return Reviewed(review_row(uow, row.id), Changes.of(AREA, person_id=cmd.person_id))


def _move_next_review(uow: UnitOfWork, actor: Actor, person_id: int) -> None:
    """The current prescriptions are next due when the latest review says."""
    latest = uow.session.execute(
        select(OstReview.next_review_on).where(OstReview.person_id == person_id)
        .order_by(OstReview.reviewed_on.desc(), OstReview.id.desc()).limit(1)).scalar_one()
    for p in current_rows(uow, person_id):
        if p.next_review_due != latest:
            uow.audit(actor, "ost.next_review_moved", "ost_prescription", p.id, person_id=person_id,
                      changes={"next_review_due": [p.next_review_due.isoformat(), latest.isoformat()]})
            p.next_review_due = latest


@dataclass(frozen=True)
class SignOffReview:
    review_id: int
    version: int


def sign_off_review(uow: UnitOfWork, actor: Actor, cmd: SignOffReview) -> Reviewed:
    require(actor, Permission.OST_PRESCRIBE)
    row = uow.session.get(OstReview, cmd.review_id)
    if row is None:
        raise ValueError("That review no longer exists.")
    if row.version != cmd.version:
        raise ValueError("Someone else has changed this review since you opened it. Look again.")
    if row.signed_off_at is not None:
        raise ValueError("This review is already signed off.")
    row.signed_off_by_id = actor.staff_id
    row.signed_off_at = uow.clock.now()
    uow.session.flush()
    uow.audit(actor, "ost.review_signed_off", "ost_review", row.id, person_id=row.person_id,
              changes={"signed_off_by_id": [None, actor.staff_id]})
    return Reviewed(review_row(uow, row.id), Changes.of(AREA, person_id=row.person_id))


def _review_query() -> Select[OstReview, str, str]:
    recorder, signer = aliased(Staff), aliased(Staff)
    return (select(OstReview, recorder.full_name, signer.full_name)
            .join(recorder, recorder.id == OstReview.recorded_by_id)
            .outerjoin(signer, signer.id == OstReview.signed_off_by_id))


def _to_row(r: OstReview, recorder: str, signer: str | None) -> ReviewRow:
    return ReviewRow(
        r.id, r.person_id, r.prescription_id, r.reviewed_on, r.attendance, r.dose_adequacy, r.on_top_use,
        r.on_top_substances, r.injecting, r.supervision_decision, r.supervision_reason,
        r.children_in_household, r.box_issued, r.box_seen, r.overdose_risk, r.naloxone_held, r.agreed_plan,
        r.next_review_on, recorder, signer, r.signed_off_at, r.version,
    )


def review_row(uow: UnitOfWork, review_id: int) -> ReviewRow:
    return _to_row(*uow.session.execute(_review_query().where(OstReview.id == review_id)).one())


def reviews(uow: UnitOfWork, actor: Actor, person_id: int) -> list[ReviewRow]:
    """A person's reviews, newest first."""
    require(actor, Permission.OST_READ)
    rows = uow.session.execute(_review_query().where(OstReview.person_id == person_id)
                               .order_by(OstReview.reviewed_on.desc(), OstReview.id.desc())).all()
    return [_to_row(*r) for r in rows]
