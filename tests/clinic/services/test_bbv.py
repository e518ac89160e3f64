"""Tests for clinic.services.bbv."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from clinic.bbv import Result, SampleType, TestKind, Virus
from clinic.clock import FixedClock
from clinic.outstanding import Severity
from clinic.permissions import Actor, PermissionDenied, Role
from clinic.services import bbv as svc
from clinic.uow import Clinic
from db.tables.audit import AuditRow
from db.tables.bbv import BbvEvent
from tests.conftest import add_person

TODAY = date(2026, 11, 23)


def take(clinic: Clinic, actors: dict[Role, Actor], kind: TestKind, taken: date, person: int) -> int:
    with clinic.unit_of_work(write=True) as uow:
        return svc.record_test(uow, actors[Role.NURSE], svc.RecordTest(
            person, (kind,), SampleType.DRIED_BLOOD_SPOT, taken)).ids[0]



def result(clinic: Clinic, actors: dict[Role, Actor], test_id: int, value: Result, on: date) -> None:
    with clinic.unit_of_work(write=True) as uow:
        svc.record_result(uow, actors[Role.NURSE], svc.RecordResult(test_id, value, on))


def given(clinic: Clinic, actors: dict[Role, Actor], test_id: int, on: date) -> None:
    with clinic.unit_of_work(write=True) as uow:
        svc.record_result_given(uow, actors[Role.NURSE], svc.RecordResultGiven(test_id, on))


def overview(clinic: Clinic, actors: dict[Role, Actor], person: int) -> svc.BbvOverview:
    with clinic.unit_of_work() as uow:
        return svc.overview(uow, actors[Role.NURSE], person)


def test_every_offer_and_decline_is_a_dated_row(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person = add_person(clinic)
    with clinic.unit_of_work(write=True) as uow:
        svc.record_offer(uow, actors[Role.NURSE], svc.RecordOffer(
            person, (Virus.HEPATITIS_C, Virus.HIV), date(2026, 11, 2)))
        svc.record_decline(uow, actors[Role.NURSE], svc.RecordDecline(
            person, (Virus.HIV,), date(2026, 11, 2), "not today"))
    with clinic.unit_of_work() as uow:
        rows = uow.session.execute(select(BbvEvent.virus, BbvEvent.kind, BbvEvent.event_date)
                                   .order_by(BbvEvent.id)).all()
    assert [tuple(r) for r in rows] == [
        ("hepatitis_c", "offered", date(2026, 11, 2)), ("hiv", "offered", date(2026, 11, 2)),
        ("hiv", "declined", date(2026, 11, 2))]
    statuses = {s.virus: s.summary for s in overview(clinic, actors, person).statuses}
    assert statuses[Virus.HIV] == "Declined on 2 November 2026"
    assert statuses[Virus.HEPATITIS_C] == "Offered on 2 November 2026 — not yet tested"
    assert statuses[Virus.SYPHILIS] == "Never tested"


def test_test_result_given_flow_and_worklists(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person = add_person(clinic, surname="Flow")
    test_id = take(clinic, actors, TestKind.HCV_ANTIBODY, date(2026, 11, 9), person)
    with clinic.unit_of_work() as uow:
        awaiting = svc.results_awaiting(uow, actors[Role.NURSE])
    assert [(r.person_id, r.event_id, r.due) for r in awaiting.rows] == [(person, test_id, date(2026, 11, 9))]
    result(clinic, actors, test_id, Result.NEGATIVE, date(2026, 11, 16))
    with clinic.unit_of_work() as uow:
        assert svc.results_awaiting(uow, actors[Role.NURSE]).rows == ()
        (row,) = svc.results_not_given(uow, actors[Role.NURSE]).rows
        letter = svc.results_ready_letter(uow, actors[Role.NURSE], person)
    assert row.what == "Hepatitis C antibody result to give"
    assert "hepatitis" not in " ".join(letter.paragraphs).lower()
    given(clinic, actors, test_id, TODAY)
    view = overview(clinic, actors, person)
    assert view.open_tests == ()
    assert {s.virus: s.summary for s in view.statuses}[Virus.HEPATITIS_C] == (
        "Tested 9 November 2026 — negative")


def test_result_before_test_and_given_before_result_refused(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person = add_person(clinic)
    test_id = take(clinic, actors, TestKind.HIV, date(2026, 11, 9), person)
    with pytest.raises(ValueError, match="Enter the result"):
        given(clinic, actors, test_id, TODAY)
    with pytest.raises(ValueError, match="before the test date"):
        result(clinic, actors, test_id, Result.NEGATIVE, date(2026, 11, 8))
    result(clinic, actors, test_id, Result.NEGATIVE, date(2026, 11, 12))
    with pytest.raises(ValueError, match="already has a result"):
        result(clinic, actors, test_id, Result.NEGATIVE, date(2026, 11, 12))
    with pytest.raises(ValueError, match="before it arrived"):
        given(clinic, actors, test_id, date(2026, 11, 11))
    with pytest.raises(ValueError, match="in the future"):
        take(clinic, actors, TestKind.HIV, date(2026, 11, 24), person)


def test_positive_needs_referral_until_referred(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person = add_person(clinic)
    test_id = take(clinic, actors, TestKind.HCV_RNA, date(2026, 11, 2), person)
    result(clinic, actors, test_id, Result.POSITIVE, date(2026, 11, 9))
    with clinic.unit_of_work() as uow:
        items = svc.bbv_outstanding(uow, actors[Role.NURSE], person)
    assert ("Hepatitis C: referral needed", Severity.ALERT) in [(i.label, i.severity) for i in items]
    with clinic.unit_of_work(write=True) as uow:
        svc.record_referral(uow, actors[Role.NURSE], svc.RecordReferral(
            person, Virus.HEPATITIS_C, "Hepatology, General Hospital", date(2026, 11, 10), consent="given"))
    status = {s.virus: s for s in overview(clinic, actors, person).statuses}[Virus.HEPATITIS_C]
    assert status.summary == "Positive (tested 2 November 2026) — referred on 10 November 2026"
    assert not status.referral_needed


def test_hcv_retest_due_for_people_who_inject(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    injects = add_person(clinic, surname="Injects", injects=True)
    not_injecting = add_person(clinic, surname="Smokes")
    recent = add_person(clinic, surname="Recent", injects=True)
    positive = add_person(clinic, surname="Positive", injects=True)
    for person, taken, value, kind in (
        (injects, date(2025, 11, 20), Result.NEGATIVE, TestKind.HCV_ANTIBODY),
        (not_injecting, date(2025, 11, 20), Result.NEGATIVE, TestKind.HCV_ANTIBODY),
        (recent, date(2025, 12, 10), Result.NEGATIVE, TestKind.HCV_ANTIBODY),
        (positive, date(2025, 11, 20), Result.POSITIVE, TestKind.HCV_RNA),
    ):
        test_id = take(clinic, actors, kind, taken, person)
        result(clinic, actors, test_id, value, taken)
        if person != recent:
            given(clinic, actors, test_id, taken)
    # The recall counts from a negative result once it has been given.
    (test_id,) = [t.id for t in overview(clinic, actors, recent).open_tests]
    given(clinic, actors, test_id, date(2025, 12, 10))
    with clinic.unit_of_work() as uow:
        due = svc.hcv_retests_due(uow, actors[Role.NURSE])
        items = svc.bbv_outstanding(uow, actors[Role.NURSE], injects)
    assert [(r.person_id, r.due) for r in due.rows] == [(injects, date(2026, 11, 20))]
    assert ("Hepatitis C re-test due", Severity.OVERDUE) in [(i.label, i.severity) for i in items]
    # A new test taken takes them off the list.
    take(clinic, actors, TestKind.HCV_ANTIBODY, TODAY, injects)
    with clinic.unit_of_work() as uow:
        assert svc.hcv_retests_due(uow, actors[Role.NURSE]).rows == ()


def test_hcv_retests_due_this_week_end_on_sunday(clinic: Clinic, actors: dict[Role, Actor], clock: FixedClock) -> None:
    """"This week" is today to Sunday, as for vaccine doses: on a Wednesday a
    re-test due next Monday is not yet listed."""
    clock.advance(timedelta(days=2))  # Wednesday 25 November 2026
    sunday = add_person(clinic, surname="Sunday", injects=True)
    monday = add_person(clinic, surname="Monday", injects=True)
    for person, taken in ((sunday, date(2025, 11, 29)), (monday, date(2025, 11, 30))):
        test_id = take(clinic, actors, TestKind.HCV_ANTIBODY, taken, person)
        result(clinic, actors, test_id, Result.NEGATIVE, taken)
        given(clinic, actors, test_id, taken)
    with clinic.unit_of_work() as uow:
        due = svc.hcv_retests_due(uow, actors[Role.NURSE])
    assert [(r.person_id, r.due) for r in due.rows] == [(sunday, date(2026, 11, 29))]


def test_never_offered_hcv_to_someone_who_injects_is_outstanding(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person = add_person(clinic, injects=True)
    with clinic.unit_of_work() as uow:
        labels = [i.label for i in svc.bbv_outstanding(uow, actors[Role.NURSE], person)]
    assert labels == ["Hepatitis C test not yet offered"]


def test_void_result_puts_test_back_to_awaiting(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person = add_person(clinic)
    test_id = take(clinic, actors, TestKind.SYPHILIS, date(2026, 11, 2), person)
    result(clinic, actors, test_id, Result.POSITIVE, date(2026, 11, 9))
    with clinic.unit_of_work() as uow:
        result_id = next(e.id for e in svc.overview(uow, actors[Role.NURSE], person).history
                         if e.kind == "result")
    with clinic.unit_of_work(write=True) as uow:
        svc.void_event(uow, actors[Role.NURSE], svc.VoidEvent(result_id, "entered for the wrong test"))
    view = overview(clinic, actors, person)
    assert [(t.id, t.state) for t in view.open_tests] == [(test_id, "awaiting")]
    with clinic.unit_of_work() as uow:
        audit = uow.session.execute(select(AuditRow).where(AuditRow.action == "bbv.voided")).scalar_one()
    assert json.loads(audit.changes) == {"voided": [False, True],
                                         "void_reason": [None, "entered for the wrong test"]}


@pytest.mark.parametrize("role", [Role.PROBATION, Role.RECEPTION, Role.MANAGER, Role.ADMIN])
def test_no_bbv_read_or_write_for_other_roles(clinic: Clinic, actors: dict[Role, Actor], role: Role) -> None:
    person = add_person(clinic)
    test_id = take(clinic, actors, TestKind.HIV, date(2026, 11, 2), person)
    actor = actors[role]
    calls = [
        lambda uow: svc.overview(uow, actor, person),
        lambda uow: svc.results_awaiting(uow, actor),
        lambda uow: svc.results_not_given(uow, actor),
        lambda uow: svc.hcv_retests_due(uow, actor),
        lambda uow: svc.bbv_outstanding(uow, actor, person),
        lambda uow: svc.results_ready_letter(uow, actor, person),
        lambda uow: svc.record_offer(uow, actor, svc.RecordOffer(person, (Virus.HIV,), TODAY)),
        lambda uow: svc.record_decline(uow, actor, svc.RecordDecline(person, (Virus.HIV,), TODAY)),
        lambda uow: svc.record_test(uow, actor, svc.RecordTest(person, (TestKind.HIV,), SampleType.VENOUS, TODAY)),
        lambda uow: svc.record_result(uow, actor, svc.RecordResult(test_id, Result.NEGATIVE, TODAY)),
        lambda uow: svc.record_result_given(uow, actor, svc.RecordResultGiven(test_id, TODAY)),
        lambda uow: svc.record_referral(uow, actor, svc.RecordReferral(person, Virus.HIV, "x", TODAY)),
        lambda uow: svc.void_event(uow, actor, svc.VoidEvent(test_id, "x")),
    ]
    for call in calls:
        with clinic.unit_of_work() as uow, pytest.raises(PermissionDenied):
            call(uow)
