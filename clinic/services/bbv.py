"""Blood-borne virus testing: offers, declines, tests, results, referrals.

Every action is one dated row in ``bbv_events`` so KPIs count exactly. The
rules (what a result means, which dates are impossible, the status line)
are ``clinic.bbv``; this module checks permission first, stores, audits the
changed fields and keeps the worklist state on each *tested* row
(``awaiting`` -> ``to_give`` -> ``given``, see ``db.tables.bbv``). The
deciding row of each person's latest negative HCV sample, once given, is
marked ``recall`` instead of ``given`` (``_refresh_hcv_recall``, run after
every HCV write), so "HCV re-tests due" is one range scan on
``(state, event_date)`` rather than a latest-sample-per-person grouping
over every test.

Probation liaison and reception hold neither BBV_READ nor BBV_WRITE: every
function here refuses them before touching the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from clinic import bbv
from clinic.bbv import EventKind, Result, SampleType, TestKind, Virus
from clinic.changes import Area, Changes
from clinic.dates import end_of_week
from clinic.errors import Refused
from clinic.outstanding import Outstanding, Severity
from clinic.people import PersonStatus
from clinic.permissions import Actor, Permission, require
from clinic.services.people.register import on_register
from clinic.services.vaccination.courses import RecallLetter, recall_letter
from clinic.services.safeguarding import referrals
from clinic.services import worklists
from clinic.services.worklists import WORKLIST_LIMIT, Worklist, bounded, listed_name
from clinic.uow import UnitOfWork
from clinic.validation import DAY_ONLY, check_date
from db.tables.bbv import BbvEvent
from db.tables.people import Person

AREA = Area.BBV
RESULT_GIVEN = "result_given"  # a stored kind beyond clinic.bbv.EventKind

AWAITING, TO_GIVE, GIVEN = "awaiting", "to_give", "given"
#: The deciding test (RNA, else antibody) of a person's latest HCV sample,
#: negative and given: the row the re-test recall counts from.
RECALL = "recall"


# --- commands -----------------------------------------------------------------

@dataclass(frozen=True)
class RecordOffer:
    person_id: int
    viruses: tuple[Virus, ...]
    on: date


@dataclass(frozen=True)
class RecordDecline:
    person_id: int
    viruses: tuple[Virus, ...]
    on: date
    reason: str = ""


@dataclass(frozen=True)
class RecordTest:
    """One sample, one or more tests on it (e.g. HBsAg and anti-HBc)."""

    person_id: int
    tests: tuple[TestKind, ...]
    sample_type: SampleType
    taken_on: date


@dataclass(frozen=True)
class RecordResult:
    test_event_id: int
    result: Result
    result_on: date


@dataclass(frozen=True)
class RecordResultGiven:
    test_event_id: int
    given_on: date


@dataclass(frozen=True)
class RecordReferral:
    person_id: int
    virus: Virus
    referred_to: str
    on: date
    #: The person's consent to the referral: "given" or "refused" (clinic.services.safeguarding.referrals).
    consent: str = ""


@dataclass(frozen=True)
class VoidEvent:
    event_id: int
    reason: str


@dataclass(frozen=True)
class Recorded:
    ids: tuple[int, ...]
    changes: Changes


# --- views --------------------------------------------------------------------

@dataclass(frozen=True)
class EventRow:
    id: int
    virus: Virus
    kind: str
    on: date
    test: TestKind | None
    sample_type: SampleType | None
    result: Result | None
    taken_on: date | None
    state: str | None
    detail: str
    voided: bool

    @property
    def description(self) -> str:
        if self.kind == EventKind.TESTED:
            sample = f" ({self.sample_type.label.lower()})" if self.sample_type else ""
            return f"{self.test.label if self.test else 'Test'} taken{sample}"
        if self.kind == EventKind.RESULT and self.test and self.result:
            return f"{self.test.label}: {self.result.value}"
        if self.kind == RESULT_GIVEN:
            return f"{self.test.label if self.test else 'Result'} given to the person"
        return {"offered": "Test offered", "declined": "Test declined",
                "referred": "Referred"}.get(self.kind, self.kind)


@dataclass(frozen=True)
class OpenTest:
    """A test still in the worklists: result awaited, or not yet given."""

    id: int
    virus: Virus
    test: TestKind
    taken_on: date
    state: str
    result: Result | None
    next_step: str


@dataclass(frozen=True)
class VirusStatus:
    virus: Virus
    summary: str
    referral_needed: bool


@dataclass(frozen=True)
class BbvOverview:
    person_id: int
    injects: bool
    statuses: tuple[VirusStatus, ...]
    open_tests: tuple[OpenTest, ...]
    history: tuple[EventRow, ...]
    hcv_retest_due: date | None


@dataclass(frozen=True)
class WorklistRow(worklists.WorklistRow):
    event_id: int | None = None  # the test, on the results worklists


# --- helpers ------------------------------------------------------------------


def _add(uow: UnitOfWork, actor: Actor, action: str, row: BbvEvent, audit: dict[str, object]) -> int:
    uow.session.add(row)
    uow.session.flush()
    uow.audit(actor, action, "bbv_event", row.id, person_id=row.person_id,
              changes={k: [None, v] for k, v in audit.items()})
    return row.id


def _test_row(uow: UnitOfWork, test_event_id: int) -> BbvEvent:
    row = uow.session.get(BbvEvent, test_event_id)
    if row is None or row.kind != EventKind.TESTED or row.voided:
        raise ValueError("That test is not on the record (it may have been corrected).")
    return row


def _linked(uow: UnitOfWork, test: BbvEvent, kind: str) -> BbvEvent | None:
    return uow.session.execute(
        select(BbvEvent).where(BbvEvent.test_event_id == test.id, BbvEvent.kind == kind,
                               BbvEvent.voided.is_(False))
    ).scalars().first()


def _changes(person_id: int) -> Changes:
    return Changes.of(AREA, person_id=person_id)


def _refresh_hcv_recall(uow: UnitOfWork, person_id: int) -> None:
    """Move the ``recall`` mark to the person's latest HCV sample, if negative
    and given (derived worklist state: not audited, the events are)."""
    rows = list(uow.session.execute(select(BbvEvent).where(
        BbvEvent.person_id == person_id, BbvEvent.virus == Virus.HEPATITIS_C.value,
        BbvEvent.kind == EventKind.TESTED.value, BbvEvent.voided.is_(False))).scalars())
    for r in rows:
        if r.state == RECALL:
            r.state = GIVEN
    if not rows:
        return
    last = max(r.event_date for r in rows)
    sample = {r.test_kind: r for r in rows if r.event_date == last}
    deciding = sample.get(TestKind.HCV_RNA.value) or sample.get(TestKind.HCV_ANTIBODY.value)
    if (deciding is not None and deciding.state == GIVEN and deciding.result == Result.NEGATIVE.value
            and not any(r.state == AWAITING for r in sample.values())):
        deciding.state = RECALL


# --- writes -------------------------------------------------------------------

def _record_simple(uow: UnitOfWork, actor: Actor, person_id: int, viruses: tuple[Virus, ...],
                   on: date, kind: EventKind, reason: str = "") -> Recorded:
    if not viruses:
        raise Refused("Choose at least one virus.", field="viruses")
    on_register(uow, person_id)
    check_date(on, field="on", today=uow.clock.today(), wording=DAY_ONLY)
    ids = tuple(
        _add(uow, actor, f"bbv.{kind.value}", BbvEvent(
            person_id=person_id, virus=v.value, kind=kind.value, event_date=on,
            decline_reason=reason.strip(), staff_id=actor.staff_id,
        ), {"virus": v.value, "kind": kind.value, "date": on.isoformat()}
            | ({"reason_given": True} if reason.strip() else {}))
        for v in viruses
    )
    return Recorded(ids, _changes(person_id))


def record_offer(uow: UnitOfWork, actor: Actor, cmd: RecordOffer) -> Recorded:
    require(actor, Permission.BBV_WRITE)
    return _record_simple(uow, actor, cmd.person_id, cmd.viruses, cmd.on, EventKind.OFFERED)


def record_decline(uow: UnitOfWork, actor: Actor, cmd: RecordDecline) -> Recorded:
    require(actor, Permission.BBV_WRITE)
    return _record_simple(uow, actor, cmd.person_id, cmd.viruses, cmd.on, EventKind.DECLINED,
                          cmd.reason)


def record_test(uow: UnitOfWork, actor: Actor, cmd: RecordTest) -> Recorded:
    require(actor, Permission.BBV_WRITE)
    if not cmd.tests:
        raise Refused("Choose at least one test.", field="tests")
    on_register(uow, cmd.person_id)
    bbv.check_result_dates(cmd.taken_on, None, None, today=uow.clock.today())
    ids = tuple(
        _add(uow, actor, "bbv.tested", BbvEvent(
            person_id=cmd.person_id, virus=t.virus.value, kind=EventKind.TESTED.value,
            test_kind=t.value, sample_type=cmd.sample_type.value, event_date=cmd.taken_on,
            state=AWAITING, staff_id=actor.staff_id,
        ), {"test": t.value, "sample_type": cmd.sample_type.value,
            "date": cmd.taken_on.isoformat()})
        for t in dict.fromkeys(cmd.tests)
    )
    _refresh_hcv_recall(uow, cmd.person_id)
    return Recorded(ids, _changes(cmd.person_id))


def record_result(uow: UnitOfWork, actor: Actor, cmd: RecordResult) -> Recorded:
    """A result for a test taken; refused before the test, or twice."""
    require(actor, Permission.BBV_WRITE)
    if not isinstance(cmd.result, Result):
        raise Refused("Choose the result.", field="result")
    test = _test_row(uow, cmd.test_event_id)
    if _linked(uow, test, EventKind.RESULT) is not None:
        raise Refused("This test already has a result. Correct the result instead.", field="result")
    bbv.check_result_dates(test.event_date, cmd.result_on, None, today=uow.clock.today())
    row_id = _add(uow, actor, "bbv.result", BbvEvent(
        person_id=test.person_id, virus=test.virus, kind=EventKind.RESULT.value,
        test_kind=test.test_kind, event_date=cmd.result_on, taken_on=test.event_date,
        result=cmd.result.value, test_event_id=test.id, staff_id=actor.staff_id,
    ), {"test": test.test_kind, "result": cmd.result.value, "date": cmd.result_on.isoformat()})
    uow.audit(actor, "bbv.test_state", "bbv_event", test.id, person_id=test.person_id,
              changes={"state": [test.state, TO_GIVE], "result": [None, cmd.result.value]})
    test.state, test.result = TO_GIVE, cmd.result.value
    _refresh_hcv_recall(uow, test.person_id)
    return Recorded((row_id,), _changes(test.person_id))


def record_result_given(uow: UnitOfWork, actor: Actor, cmd: RecordResultGiven) -> Recorded:
    """The day the person was told; refused before the result arrived."""
    require(actor, Permission.BBV_WRITE)
    test = _test_row(uow, cmd.test_event_id)
    result = _linked(uow, test, EventKind.RESULT)
    if result is None:
        raise Refused("Enter the result before the date the result was given.", field="given_on")
    if _linked(uow, test, RESULT_GIVEN) is not None:
        raise Refused("This result has already been given.", field="given_on")
    bbv.check_result_dates(test.event_date, result.event_date, cmd.given_on,
                           today=uow.clock.today())
    row_id = _add(uow, actor, "bbv.result_given", BbvEvent(
        person_id=test.person_id, virus=test.virus, kind=RESULT_GIVEN, test_kind=test.test_kind,
        event_date=cmd.given_on, taken_on=test.event_date, test_event_id=test.id,
        staff_id=actor.staff_id,
    ), {"test": test.test_kind, "date": cmd.given_on.isoformat()})
    uow.audit(actor, "bbv.test_state", "bbv_event", test.id, person_id=test.person_id,
              changes={"state": [test.state, GIVEN]})
    test.state = GIVEN
    _refresh_hcv_recall(uow, test.person_id)
    return Recorded((row_id,), _changes(test.person_id))


def record_referral(uow: UnitOfWork, actor: Actor, cmd: RecordReferral) -> Recorded:
    require(actor, Permission.BBV_WRITE)
    on_register(uow, cmd.person_id)
    if not cmd.referred_to.strip():
        raise Refused("Say who the person was referred to.", field="referred_to")
    check_date(cmd.on, field="on", today=uow.clock.today(), wording=DAY_ONLY)
    row_id = _add(uow, actor, "bbv.referred", BbvEvent(
        person_id=cmd.person_id, virus=cmd.virus.value, kind=EventKind.REFERRED.value,
        event_date=cmd.on, referred_to=cmd.referred_to.strip(), staff_id=actor.staff_id,
    ), {"virus": cmd.virus.value, "referred_to": cmd.referred_to.strip(),
        "date": cmd.on.isoformat()})
    referrals.from_bbv(uow, actor, cmd.person_id, cmd.virus, cmd.referred_to, cmd.on, cmd.consent, row_id)
    return Recorded((row_id,), _changes(cmd.person_id))


def void_event(uow: UnitOfWork, actor: Actor, cmd: VoidEvent) -> Recorded:
    """Correct a wrong entry: voided with a reason, never deleted.

    Voiding a test voids its result and given rows with it; voiding a
    result puts its test back to awaiting, and voiding a given row puts it
    back to "result not yet given".
    """
    require(actor, Permission.BBV_WRITE)
    if not cmd.reason.strip():
        raise Refused("Give a reason for the correction.", field="reason")
    row = uow.session.get(BbvEvent, cmd.event_id)
    if row is None or row.voided:
        raise ValueError("That entry is not on the record.")
    targets = [row]
    if row.kind == EventKind.TESTED:
        targets += [r for k in (EventKind.RESULT, RESULT_GIVEN) if (r := _linked(uow, row, k))]
    elif row.kind == EventKind.RESULT and row.test_event_id:
        test = _test_row(uow, row.test_event_id)
        given = _linked(uow, test, RESULT_GIVEN)
        targets += [given] if given else []
        _set_state(uow, actor, test, AWAITING, None)
    elif row.kind == RESULT_GIVEN and row.test_event_id:
        test = _test_row(uow, row.test_event_id)
        _set_state(uow, actor, test, TO_GIVE, test.result)
    for target in targets:
        target.voided, target.void_reason = True, cmd.reason.strip()
        if target.kind == EventKind.TESTED:
            target.state = None
        uow.audit(actor, "bbv.voided", "bbv_event", target.id, person_id=target.person_id,
                  changes={"voided": [False, True], "void_reason": [None, cmd.reason.strip()]})
    _refresh_hcv_recall(uow, row.person_id)
    return Recorded(tuple(t.id for t in targets), _changes(row.person_id))


def _set_state(uow: UnitOfWork, actor: Actor, test: BbvEvent, state: str, result: str | None) -> None:
    uow.audit(actor, "bbv.test_state", "bbv_event", test.id, person_id=test.person_id,
              changes={"state": [test.state, state], "result": [test.result, result]})
    test.state, test.result = state, result


# --- reads --------------------------------------------------------------------

def _event_row(r: BbvEvent) -> EventRow:
    detail = r.referred_to or r.decline_reason or (r.void_reason and f"Corrected: {r.void_reason}")
    return EventRow(
        r.id, Virus(r.virus), r.kind, r.event_date,
        TestKind(r.test_kind) if r.test_kind else None,
        SampleType(r.sample_type) if r.sample_type else None,
        Result(r.result) if r.result and r.kind == EventKind.RESULT else None,
        r.taken_on, r.state, detail, r.voided,
    )


def _rule_events(rows: list[BbvEvent]) -> list[bbv.BbvEvent]:
    return [
        bbv.BbvEvent(EventKind(r.kind), Virus(r.virus), r.event_date,
                     TestKind(r.test_kind) if r.test_kind else None,
                     Result(r.result) if r.kind == EventKind.RESULT and r.result else None,
                     r.taken_on if r.kind == EventKind.RESULT else None)
        for r in rows if not r.voided and r.kind != RESULT_GIVEN
    ]


def overview(uow: UnitOfWork, actor: Actor, person_id: int) -> BbvOverview:
    """Everything the BBV tab shows, in one query plus the person."""
    require(actor, Permission.BBV_READ)
    person = on_register(uow, person_id)
    rows = list(uow.session.execute(
        select(BbvEvent).where(BbvEvent.person_id == person_id)
        .order_by(BbvEvent.event_date.desc(), BbvEvent.id.desc())
    ).scalars())
    events = _rule_events(rows)
    months = uow.settings["bbv.hcv_retest_months"]
    statuses = []
    for virus in Virus:
        summary = bbv.status_summary(events, virus)
        statuses.append(VirusStatus(virus, summary, "referral needed" in summary))
    open_tests = tuple(
        OpenTest(r.id, Virus(r.virus), TestKind(r.test_kind or ""), r.event_date, r.state or "",
                 Result(r.result) if r.result else None,
                 bbv.next_step(TestKind(r.test_kind or ""), Result(r.result), retest_months=months)
                 if r.result else "Result awaited.")
        for r in rows
        if r.kind == EventKind.TESTED and r.state in (AWAITING, TO_GIVE) and not r.voided
    )
    return BbvOverview(person_id, person.injects, tuple(statuses), open_tests,
                       tuple(_event_row(r) for r in rows), _person_retest_due(rows, person, months))


def _person_retest_due(rows: list[BbvEvent], person: Person, months: int) -> date | None:
    """HCV re-test date for a person who injects, after a negative last sample."""
    if not person.injects:
        return None
    recall = next((r for r in rows if r.state == RECALL and not r.voided), None)
    return bbv.hcv_retest_due(recall.event_date, months=months) if recall else None


# --- worklists ----------------------------------------------------------------

def _open_tests(uow: UnitOfWork, state: str, what: str) -> Worklist[WorklistRow]:
    rows = uow.session.execute(
        select(BbvEvent.id, BbvEvent.person_id, BbvEvent.test_kind, BbvEvent.event_date,
               Person.surname, Person.forename, Person.date_of_birth)
        .join(Person, Person.id == BbvEvent.person_id)
        .where(BbvEvent.state == state, Person.status == PersonStatus.OPEN)
        .order_by(BbvEvent.event_date, BbvEvent.id).limit(WORKLIST_LIMIT + 1)).all()
    return bounded([
        WorklistRow(r.person_id, listed_name(r.surname, r.forename), r.date_of_birth,
                    f"{TestKind(r.test_kind).label} {what}", r.event_date, r.id)
        for r in rows])


def results_awaiting(uow: UnitOfWork, actor: Actor) -> Worklist[WorklistRow]:
    """Tests taken with no result yet, oldest first (due = day taken)."""
    require(actor, Permission.BBV_READ)
    return _open_tests(uow, AWAITING, "result awaited")


def results_not_given(uow: UnitOfWork, actor: Actor) -> Worklist[WorklistRow]:
    """Results in but not yet given to the person, oldest sample first."""
    require(actor, Permission.BBV_READ)
    return _open_tests(uow, TO_GIVE, "result to give")


def hcv_retests_due(uow: UnitOfWork, actor: Actor) -> Worklist[WorklistRow]:
    """People who inject whose latest HCV sample was negative (and given) and
    whose re-test (``bbv.hcv_retest_months`` later) falls due by the end of
    this week (``clinic.dates.end_of_week``), longest overdue first."""
    require(actor, Permission.BBV_READ)
    months = uow.settings["bbv.hcv_retest_months"]
    today = uow.clock.today()
    cutoff = end_of_week(today) - relativedelta(months=months)
    rows = uow.session.execute(
        select(BbvEvent.person_id, BbvEvent.event_date, Person.surname, Person.forename,
               Person.date_of_birth)
        .join(Person, Person.id == BbvEvent.person_id)
        .where(BbvEvent.state == RECALL, BbvEvent.event_date <= cutoff,
               Person.injects.is_(True), Person.status == PersonStatus.OPEN)
        .order_by(BbvEvent.event_date, BbvEvent.id).limit(WORKLIST_LIMIT + 1)).all()
    return bounded([
        WorklistRow(r.person_id, listed_name(r.surname, r.forename), r.date_of_birth,
                    "Hepatitis C re-test", bbv.hcv_retest_due(r.event_date, months=months))
        for r in rows])


# --- outstanding --------------------------------------------------------------

def bbv_outstanding(uow: UnitOfWork, actor: Actor, person_id: int) -> list[Outstanding]:
    """For the person summary: referrals needed, results to chase or give,
    HCV re-test due, and an HCV test never offered to someone who injects."""
    view = overview(uow, actor, person_id)
    today = uow.clock.today()
    items = [Outstanding("bbv", f"{s.virus.label}: referral needed", None, Severity.ALERT)
             for s in view.statuses if s.referral_needed]
    for t in view.open_tests:
        label = "result awaited" if t.state == AWAITING else "result to give"
        items.append(Outstanding("bbv", f"{t.test.label}: {label}", t.taken_on, Severity.DUE))
    if view.hcv_retest_due is not None and view.hcv_retest_due <= today + timedelta(days=30):
        severity = Severity.OVERDUE if view.hcv_retest_due < today else Severity.DUE
        items.append(Outstanding("bbv", "Hepatitis C re-test due", view.hcv_retest_due, severity))
    hcv_events = [e for e in view.history if e.virus is Virus.HEPATITIS_C and not e.voided]
    if view.injects and not hcv_events:
        items.append(Outstanding("bbv", "Hepatitis C test not yet offered", None, Severity.DUE))
    return items


def results_ready_letter(uow: UnitOfWork, actor: Actor, person_id: int) -> RecallLetter:
    """"Please come back for your results": never says which test, nor the result."""
    require(actor, Permission.LETTER_CLINICAL)
    require(actor, Permission.BBV_READ)
    person = on_register(uow, person_id)
    oldest = uow.session.execute(
        select(func.min(BbvEvent.event_date)).where(
            BbvEvent.person_id == person_id, BbvEvent.state == TO_GIVE)).scalar()
    if oldest is None:
        raise ValueError("This person has no results waiting to be given.")
    return recall_letter(uow, person, "results_ready", (
        "We would like to see you to go over something from your recent visit to our service.",
        "This will only take a few minutes with our nurse.",
    ), None)
