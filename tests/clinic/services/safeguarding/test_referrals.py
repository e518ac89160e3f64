"""Tests for clinic.services.safeguarding.referrals: referrals out, their letter, outcome and the HCV KPI."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from clinic.bbv import Result, SampleType, TestKind, Virus
from clinic.errors import Refused
from clinic.permissions import PermissionDenied, Role
from clinic.services import bbv
from clinic.services.letters import writing
from clinic.services.safeguarding import referrals as svc
from tests.conftest import add_person

TODAY = date(2026, 11, 23)


def run(clinic, fn, actor, *args):  # type: ignore[no-untyped-def]
    with clinic.unit_of_work(write=True) as uow:
        return fn(uow, actor, *args)


@pytest.fixture
def person(clinic) -> int:  # type: ignore[no-untyped-def]
    return add_person(clinic, address_lines="1 Main St", postcode="EX1 1AA")


def refer(person: int, **over):  # type: ignore[no-untyped-def]
    return replace(svc.Refer(person, "housing", "Housing Options, City Council", date(2026, 10, 1),
                             "At risk of losing tenancy", "given", "Civic Centre\nExampletown"), **over)


def positive_hcv(clinic, actors, person: int) -> None:  # type: ignore[no-untyped-def]
    nurse = actors[Role.NURSE]
    with clinic.unit_of_work(write=True) as uow:
        test_id = bbv.record_test(uow, nurse, bbv.RecordTest(person, (TestKind.HCV_RNA,), SampleType.VENOUS,
                                                             date(2026, 11, 2))).ids[0]
    with clinic.unit_of_work(write=True) as uow:
        bbv.record_result(uow, nurse, bbv.RecordResult(test_id, Result.POSITIVE, date(2026, 11, 9)))


def letter(clinic, actor, referral_id):  # type: ignore[no-untyped-def]
    with clinic.unit_of_work(write=True) as uow:
        data = svc.draft_letter(uow, actor, referral_id, ("Please see for assessment.",), "Liver Unit\nExampletown")
        pdf = writing.render(data)
        return svc.file_letter(uow, actor, referral_id, pdf, "printed", data.reference).letter, pdf


def test_referral_without_consent_gets_no_letter(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    nurse = actors[Role.NURSE]
    saved = run(clinic, svc.refer, nurse, refer(person, consent="refused"))
    with pytest.raises(Refused, match="not consented to this referral") as caught:
        letter(clinic, nurse, saved.id)
    assert caught.value.field == "consent"


def test_a_referral_letter_needs_an_address(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    saved = run(clinic, svc.refer, actors[Role.NURSE], refer(person, destination_address=""))
    with clinic.unit_of_work() as uow, pytest.raises(Refused) as caught:
        svc.draft_letter(uow, actors[Role.NURSE], saved.id, ("Please see.",))
    assert caught.value.field == "address"


def test_nothing_assumed_about_consent(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Refused) as caught:
        run(clinic, svc.refer, actors[Role.NURSE], refer(person, consent=""))
    assert caught.value.field == "consent"


def test_positive_hcv_referred_with_consent_letter_and_treatment_started(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    nurse, manager = actors[Role.NURSE], actors[Role.MANAGER]
    positive_hcv(clinic, actors, person)
    run(clinic, bbv.record_referral, nurse, bbv.RecordReferral(
        person, Virus.HEPATITIS_C, "Hepatology, General Hospital", date(2026, 11, 10), consent="given"))
    [row] = run(clinic, svc.person_referrals, nurse, person)
    assert (row.kind.value, row.virus, row.consent, row.outcome) == ("hepatology", "hepatitis_c", "given", None)
    filed, pdf = letter(clinic, nurse, row.id)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Hepatology, General Hospital" in text and "Hepatitis C positive" in text
    assert filed.letter_type == "referral_letter" and filed.disposition == "printed"
    [row] = run(clinic, svc.person_referrals, nurse, person)
    assert row.letter_id == filed.id
    assert run(clinic, svc.hcv_engaging, manager, date(2026, 10, 1), date(2026, 12, 31)) == 0
    run(clinic, svc.record_outcome, nurse, svc.RecordOutcome(row.id, row.version, "treatment_started", TODAY))
    assert run(clinic, svc.hcv_engaging, manager, date(2026, 10, 1), date(2026, 12, 31)) == 1
    assert run(clinic, svc.hcv_engaging, manager, date(2027, 1, 1), date(2027, 3, 31)) == 0


def test_bbv_referral_needs_the_consent_answer(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    positive_hcv(clinic, actors, person)
    with pytest.raises(Refused) as caught:
        run(clinic, bbv.record_referral, actors[Role.NURSE], bbv.RecordReferral(
            person, Virus.HEPATITIS_C, "Hepatology, General Hospital", date(2026, 11, 10)))
    assert caught.value.field == "consent"


def test_worklist_of_referrals_without_outcome_after_four_weeks(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    nurse = actors[Role.NURSE]
    old = run(clinic, svc.refer, nurse, refer(person, referred_on=date(2026, 10, 26)))
    run(clinic, svc.refer, nurse, refer(person, referred_on=date(2026, 10, 27)))
    waiting = run(clinic, svc.referrals_waiting, nurse)
    assert [r.id for r in waiting] == [old.id] and waiting[0].waiting
    run(clinic, svc.record_outcome, nurse, svc.RecordOutcome(old.id, 1, "seen", TODAY))
    assert run(clinic, svc.referrals_waiting, nurse) == ()


@pytest.mark.parametrize(("over", "field"), [
    ({"kind": ""}, "kind"),
    ({"destination": ""}, "destination"),
    ({"reason": ""}, "reason"),
    ({"referred_on": date(2026, 11, 24)}, "referred_on"),
])
def test_bad_referral_refused_by_field(clinic, actors, person, over, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Refused) as caught:
        run(clinic, svc.refer, actors[Role.NURSE], refer(person, **over))
    assert caught.value.field == field


def test_outcome_before_the_referral_refused(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    saved = run(clinic, svc.refer, actors[Role.NURSE], refer(person))
    with pytest.raises(Refused) as caught:
        run(clinic, svc.record_outcome, actors[Role.NURSE], svc.RecordOutcome(saved.id, 1, "seen", date(2026, 9, 1)))
    assert caught.value.field == "outcome_on"


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.PROBATION, Role.MANAGER, Role.ADMIN])
def test_only_clinicians_read_referrals(clinic, actors, person, role) -> None:  # type: ignore[no-untyped-def]
    run(clinic, svc.refer, actors[Role.NURSE], refer(person))
    with pytest.raises(PermissionDenied):
        run(clinic, svc.person_referrals, actors[role], person)
