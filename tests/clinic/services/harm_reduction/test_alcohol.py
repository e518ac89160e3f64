"""Tests for clinic.services.harm_reduction.alcohol: screens, the full AUDIT when positive, brief interventions."""

from __future__ import annotations

from datetime import date

import pytest

from clinic.permissions import PermissionDenied, Role
from clinic.services.harm_reduction import alcohol as svc
from clinic.services.harm_reduction import record as harm_reduction
from clinic.services.people import summary as people_summary
from tests.conftest import add_person, refused, run

TODAY = date(2026, 11, 23)


@pytest.fixture
def nurse(actors):  # type: ignore[no-untyped-def]
    return actors[Role.NURSE]


def test_a_negative_screen_stops_at_audit_c(clinic, nurse) -> None:  # type: ignore[no-untyped-def]
    pid = add_person(clinic)
    done = run(clinic, svc.record_screen, nurse, svc.RecordScreen(pid, TODAY, (1, 1, 1)))
    assert (done.audit_c_score, done.positive, done.audit_score, done.zone) == (3, False, None, None)


def test_a_positive_screen_needs_the_full_audit(clinic, nurse) -> None:  # type: ignore[no-untyped-def]
    pid = add_person(clinic)
    assert refused(clinic, svc.record_screen, nurse, svc.RecordScreen(pid, TODAY, (2, 2, 1))).field == "q4"
    done = run(clinic, svc.record_screen, nurse, svc.RecordScreen(pid, TODAY, (2, 2, 1), (1, 1, 0, 1, 1, 2, 0)))
    assert (done.audit_c_score, done.positive, done.audit_score, done.zone) == (5, True, 11, 2)
    with clinic.unit_of_work() as uow:
        assert harm_reduction.person_harm_reduction(uow, nurse, pid).last_audit_zone == 2
        labels = [o.label for o in people_summary.refresh_record(uow, nurse, pid).outstanding]
    assert any(label.startswith("Last AUDIT zone 2 (Increasing risk)") for label in labels)


@pytest.mark.parametrize(("c", "rest", "field"), [
    ((None, 1, 1), (), "q1"),
    ((1, 5, 1), (), "q2"),
    ((4, 4, 4), (0, 0, 0, 0, 0, 1, 0), "q9"),  # Q9 scores 0, 2 or 4
    ((4, 4, 4), (0, 0, 0, 0, 0, 0, 3), "q10"),
    ((4, 4, 4), (0, 0, None, 0, 0, 0, 0), "q6"),
    ((4, 4, 4), (0, 0, 0), "q4"),
])
def test_an_answer_out_of_range_or_missing_is_refused_by_its_question(clinic, nurse, c, rest, field) -> None:  # type: ignore[no-untyped-def]
    pid = add_person(clinic)
    assert refused(clinic, svc.record_screen, nurse, svc.RecordScreen(pid, TODAY, c, rest)).field == field


def test_brief_interventions(clinic, nurse) -> None:  # type: ignore[no-untyped-def]
    pid = add_person(clinic)
    cmd = svc.RecordIntervention
    assert refused(clinic, svc.record_alcohol_intervention, nurse, cmd(pid, TODAY, ())).field == "components"
    assert refused(clinic, svc.record_alcohol_intervention, nurse, cmd(pid, TODAY, ("referral",))
                   ).field == "referral_to"
    assert refused(clinic, svc.record_drug_intervention, nurse, cmd(pid, TODAY, ("motivational",))
                   ).field == "duration"
    assert refused(clinic, svc.record_drug_intervention, nurse, cmd(pid, TODAY, ("motivational",), 0)
                   ).field == "duration"
    run(clinic, svc.record_alcohol_intervention, nurse, cmd(pid, TODAY, ("advice", "units")))
    run(clinic, svc.record_drug_intervention, nurse, cmd(pid, TODAY, ("motivational",), 20))
    with clinic.unit_of_work() as uow:
        kinds = [e.kind for e in harm_reduction.person_harm_reduction(uow, nurse, pid).events]
    assert sorted(kinds) == ["Alcohol brief intervention", "Drug brief intervention"]


def test_reception_never_sees_or_records_audit(clinic, actors) -> None:  # type: ignore[no-untyped-def]
    pid = add_person(clinic)
    run(clinic, svc.record_screen, actors[Role.NURSE], svc.RecordScreen(pid, TODAY, (0, 0, 0)))
    for role in (Role.RECEPTION, Role.PROBATION):
        with pytest.raises(PermissionDenied):
            run(clinic, svc.record_screen, actors[role], svc.RecordScreen(pid, TODAY, (0, 0, 0)))
        with clinic.unit_of_work() as uow:
            labels = [o.label for o in people_summary.refresh_record(uow, actors[role], pid).outstanding]
        assert not any("AUDIT" in label for label in labels)
