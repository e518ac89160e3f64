"""Missed doses reported by the pharmacy, and the prescriber's decision.

When a run of consecutive missed days reaches ``ost.missed_dose_threshold``
(default 3) and the latest prescriber decision did not see it whole
(``clinic.ost.missed_dose_alert``: a day after the decision, or one entered
after it for a day before it), the person's current prescriptions carry
``missed_alert_on`` = the run's last day: "prescriber review before next
dose". Recording more missed doses may raise it but never clears it; only a
prescriber decision (``OST_PRESCRIBE``) that has seen every such day does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import select

from clinic import ost
from clinic.changes import Changes
from clinic.dates import uk_long
from clinic.errors import Refused, refused_as
from clinic.permissions import Actor, Permission, require
from clinic.services.ost.prescriptions import AREA, current_rows, prescription_on
from clinic.uow import UnitOfWork
from db.tables.ost import OstDecision, OstMissedDose
from db.tables.staff import Staff

REPORTERS = {"pharmacy": "Pharmacy", "person": "The person", "staff": "Staff member"}
DECISIONS = {
    "continue": "Continue at the same dose",
    "reduce": "Reduce the dose until reviewed",
    "retitrate": "Re-titrate from a lower dose",
    "hold": "Hold doses until seen",
    "stop": "Stop the prescription",
}
#: Said by the decision while none is chosen (the form says it before asking the service).
CHOOSE_DECISION = "Choose the decision."


@dataclass(frozen=True)
class RecordMissedDoses:
    person_id: int
    days: tuple[date, ...]
    reported_by: str
    reporter_name: str = ""


@dataclass(frozen=True)
class MissedRecorded:
    count: int
    run: int  # consecutive missed days ending at the latest
    alert_on: date | None  # the alert now standing, if any
    changes: Changes = field(default_factory=Changes)


@dataclass(frozen=True)
class RecordDecision:
    person_id: int
    decided_on: date
    decision: str
    note: str = ""


@dataclass(frozen=True)
class Decided:
    id: int
    alert_on: date | None  # None: the alert is cleared
    changes: Changes = field(default_factory=Changes)


@dataclass(frozen=True)
class MissedRow:
    missed_on: date
    reported_by: str
    reporter_name: str
    recorded_by: str


@dataclass(frozen=True)
class DecisionRow:
    id: int
    decided_on: date
    decision: str
    note: str
    prescriber: str
    recorded_at: datetime


def _missed_days(uow: UnitOfWork, person_id: int) -> list[date]:
    return list(uow.session.execute(
        select(OstMissedDose.missed_on).where(OstMissedDose.person_id == person_id)).scalars())


def _utc(at: datetime | None) -> datetime | None:
    """Stored instants, comparable whether the driver hands them back aware or not."""
    return at.astimezone(UTC).replace(tzinfo=None) if at is not None and at.tzinfo else at


def _entries(uow: UnitOfWork, person_id: int) -> list[ost.MissedEntry]:
    return [ost.MissedEntry(day, _utc(at)) for day, at in uow.session.execute(
        select(OstMissedDose.missed_on, OstMissedDose.recorded_at).where(OstMissedDose.person_id == person_id))]


def _last_decision(uow: UnitOfWork, person_id: int) -> ost.DecisionMade | None:
    """The decision recorded last (what the prescriber knew then is what it saw)."""
    row = uow.session.execute(select(OstDecision.decided_on, OstDecision.recorded_at)
                              .where(OstDecision.person_id == person_id)
                              .order_by(OstDecision.recorded_at.desc(), OstDecision.id.desc()).limit(1)).first()
    return ost.DecisionMade(row[0], _utc(row[1])) if row else None


def _alert(uow: UnitOfWork, person_id: int, decision: ost.DecisionMade | None) -> date | None:
    return ost.missed_dose_alert(_entries(uow, person_id), decision=decision,
                                 threshold=uow.settings["ost.missed_dose_threshold"])


def record_missed_doses(uow: UnitOfWork, actor: Actor, cmd: RecordMissedDoses) -> MissedRecorded:
    require(actor, Permission.OST_WRITE)
    if not cmd.days:
        raise Refused("Enter the date of at least one missed dose.", field="days")
    if cmd.reported_by not in REPORTERS:
        raise Refused("Say who reported the missed dose.", field="reported_by")
    today = uow.clock.today()
    already = set(_missed_days(uow, cmd.person_id))
    for day in sorted(set(cmd.days)):
        if day > today:
            raise Refused(f"{uk_long(day)} is in the future: a dose cannot be missed yet.", field="days")
        if day in already:
            raise Refused(f"A missed dose on {uk_long(day)} is already recorded.", field="days")
        with refused_as("days"):
            prescription = prescription_on(uow, cmd.person_id, day, what="missed dose")
        uow.session.add(OstMissedDose(
            person_id=cmd.person_id, prescription_id=prescription.id, missed_on=day,
            reported_by=cmd.reported_by, reporter_name=cmd.reporter_name.strip(), recorded_by_id=actor.staff_id))
    uow.session.flush()
    uow.audit(actor, "ost.missed_doses_recorded", "person", cmd.person_id, person_id=cmd.person_id,
              changes={"missed_on": [None, sorted(d.isoformat() for d in set(cmd.days))],
                       "reported_by": [None, cmd.reported_by]})
    missed = [*already, *cmd.days]
    raised = _alert(uow, cmd.person_id, _last_decision(uow, cmd.person_id))
    alert_on = None
    for p in current_rows(uow, cmd.person_id):
        if raised is not None and p.missed_alert_on != raised:
            uow.audit(actor, "ost.missed_dose_alert_raised", "ost_prescription", p.id, person_id=cmd.person_id,
                      changes={"missed_alert_on": [_iso(p.missed_alert_on), raised.isoformat()]})
            p.missed_alert_on = raised
        alert_on = p.missed_alert_on or alert_on
    return MissedRecorded(len(set(cmd.days)), ost.consecutive_missed(missed), alert_on,
                          Changes.of(AREA, person_id=cmd.person_id))


def record_decision(uow: UnitOfWork, actor: Actor, cmd: RecordDecision) -> Decided:
    """A prescriber's decision: the only thing that clears the missed-dose alert."""
    require(actor, Permission.OST_PRESCRIBE)
    if cmd.decision not in DECISIONS:
        raise Refused(CHOOSE_DECISION, field="decision")
    if cmd.decided_on > uow.clock.today():
        raise Refused(f"The decision date ({uk_long(cmd.decided_on)}) is in the future.", field="decided_on")
    if cmd.decision != "continue" and not cmd.note.strip():
        raise Refused("Add a note saying what the pharmacy and the person are told.", field="note")
    with refused_as("decided_on"):
        prescription = prescription_on(uow, cmd.person_id, cmd.decided_on, what="decision")
    row = OstDecision(person_id=cmd.person_id, prescription_id=prescription.id, decided_on=cmd.decided_on,
                      decision=cmd.decision, note=cmd.note.strip(), prescriber_id=actor.staff_id)
    uow.session.add(row)
    uow.session.flush()
    uow.audit(actor, "ost.decision_recorded", "ost_decision", row.id, person_id=cmd.person_id,
              changes={"decision": [None, cmd.decision], "decided_on": [None, cmd.decided_on.isoformat()]})
    still = _alert(uow, cmd.person_id, _last_decision(uow, cmd.person_id)) is not None
    alert_on = None
    for p in current_rows(uow, cmd.person_id):
        if p.missed_alert_on is not None and not still:
            uow.audit(actor, "ost.missed_dose_alert_cleared", "ost_prescription", p.id, person_id=cmd.person_id,
                      changes={"missed_alert_on": [p.missed_alert_on.isoformat(), None]})
            p.missed_alert_on = None
        alert_on = p.missed_alert_on or alert_on
    return Decided(row.id, alert_on, Changes.of(AREA, person_id=cmd.person_id))


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def missed_doses(uow: UnitOfWork, actor: Actor, person_id: int, *, limit: int = 60) -> list[MissedRow]:
    """The latest missed doses, newest first."""
    require(actor, Permission.OST_READ)
    rows = uow.session.execute(
        select(OstMissedDose.missed_on, OstMissedDose.reported_by, OstMissedDose.reporter_name, Staff.full_name)
        .join(Staff, Staff.id == OstMissedDose.recorded_by_id)
        .where(OstMissedDose.person_id == person_id)
        .order_by(OstMissedDose.missed_on.desc()).limit(limit)).all()
    return [MissedRow(*r) for r in rows]


def decisions(uow: UnitOfWork, actor: Actor, person_id: int) -> list[DecisionRow]:
    require(actor, Permission.OST_READ)
    rows = uow.session.execute(
        select(OstDecision.id, OstDecision.decided_on, OstDecision.decision, OstDecision.note,
               Staff.full_name, OstDecision.recorded_at)
        .join(Staff, Staff.id == OstDecision.prescriber_id)
        .where(OstDecision.person_id == person_id)
        .order_by(OstDecision.decided_on.desc(), OstDecision.id.desc())).all()
    return [DecisionRow(*r) for r in rows]
