"""Tests for clinic.services.safeguarding.consent: consent to share, checked before a letter leaves."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from clinic.errors import Refused
from clinic.permissions import PermissionDenied, Role
from clinic.services.safeguarding import consent as svc
from clinic.probation import Outcome
from clinic.services.letters import writing
from clinic.services.letters import filing
from clinic.services.probation import letters as probation_letters
from clinic.services.probation.letters import LetterBlocked
from db.tables.people import GpPractice
from tests.clinic.services.probation_fixtures import active_order, outcome
from tests.conftest import add_person, run

TODAY = date(2026, 11, 23)


@pytest.fixture
def person(clinic) -> int:  # type: ignore[no-untyped-def]
    with clinic.unit_of_work(write=True) as uow:
        gp = GpPractice(name="Riverside Surgery", address="2 River Lane\nExampletown\nEX2 3CC")
        uow.session.add(gp)
        uow.session.flush()
        gp_id = gp.id
    return add_person(clinic, gp_practice_id=gp_id, address_lines="1 Main St", postcode="EX1 1AA")


def gp_letter(clinic, actor, pid):  # type: ignore[no-untyped-def]
    with clinic.unit_of_work(write=True) as uow:
        data, pdf = writing.draft_and_render(uow, actor, pid, "gp_letter", paragraphs="Please review.")
        return filing.file_rendered(uow, actor, pid, "gp_letter", pdf, "printed", reference=data.reference)


def test_a_letter_to_the_gp_without_consent_is_refused_with_the_reason(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    nurse = actors[Role.NURSE]
    with pytest.raises(Refused, match="No consent to share with the GP") as caught:
        gp_letter(clinic, nurse, person)
    assert caught.value.field == "consent"
    with clinic.unit_of_work() as uow:
        assert writing.filed_letters(uow, nurse, person) == []


def test_refused_or_withdrawn_consent_stops_the_letter(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    nurse = actors[Role.NURSE]
    run(clinic, svc.record_consent, nurse, svc.RecordConsent(person, "gp", "given", date(2026, 1, 5), "written"))
    gp_letter(clinic, nurse, person)
    run(clinic, svc.record_consent, nurse, svc.RecordConsent(person, "gp", "refused", TODAY, "verbal"))
    with pytest.raises(Refused, match="refused consent to share with the GP on 23/11/2026"):
        gp_letter(clinic, nurse, person)
    with clinic.unit_of_work() as uow:
        view = svc.person_consents(uow, nurse, person)
    assert [(c.recipient_kind.value, c.decision.value) for c in view.current] == [("gp", "refused")]
    assert len(view.history) == 2


def test_consent_past_its_review_date_stops_the_letter(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    run(clinic, svc.record_consent, actors[Role.NURSE], svc.RecordConsent(
        person, "gp", "given", date(2025, 11, 1), "written", review_on=date(2026, 11, 1)))
    with pytest.raises(Refused, match="due for review on 01/11/2026"):
        gp_letter(clinic, actors[Role.NURSE], person)


def test_letters_to_the_person_need_no_consent(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    with clinic.unit_of_work() as uow:
        svc.check_letter(uow, person, "appointment_reminder")


@pytest.mark.parametrize(("over", "field"), [
    ({"recipient_kind": ""}, "recipient_kind"),
    ({"decision": ""}, "decision"),
    ({"how_recorded": ""}, "how_recorded"),
    ({"decided_on": date(2026, 11, 24)}, "decided_on"),
    ({"review_on": date(2026, 11, 1)}, "review_on"),
])
def test_bad_consent_refused_by_field(clinic, actors, person, over, field) -> None:  # type: ignore[no-untyped-def]
    cmd = replace(svc.RecordConsent(person, "gp", "given", TODAY, "written", date(2027, 11, 23)), **over)
    with pytest.raises(Refused) as caught:
        run(clinic, svc.record_consent, actors[Role.NURSE], cmd)
    assert caught.value.field == field


def test_limits_of_confidentiality_and_disclosure_override(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    nurse = actors[Role.NURSE]
    run(clinic, svc.record_limits_explained, nurse, svc.RecordLimitsExplained(person, TODAY))
    with pytest.raises(Refused) as caught:
        run(clinic, svc.record_disclosure, nurse, svc.RecordDisclosure(
            person, "childrens_services", "Children's services duty team", TODAY, ""))
    assert caught.value.field == "reason"
    run(clinic, svc.record_disclosure, nurse, svc.RecordDisclosure(
        person, "childrens_services", "Children's services duty team", TODAY, "Disclosure of harm to a child"))
    with clinic.unit_of_work() as uow:
        view = svc.person_consents(uow, nurse, person)
    assert view.limits_explained_on == TODAY
    assert [d.reason for d in view.disclosures] == ["Disclosure of harm to a child"]


def test_probation_sees_only_whether_it_may_be_told(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    liaison, nurse = actors[Role.PROBATION], actors[Role.NURSE]
    with clinic.unit_of_work() as uow:
        assert svc.probation_consent(uow, liaison, person) == svc.ProbationConsent(False, None, None)
        with pytest.raises(PermissionDenied):
            svc.person_consents(uow, liaison, person)
    run(clinic, svc.record_consent, nurse, svc.RecordConsent(person, "gp", "given", TODAY, "written"))
    run(clinic, svc.record_consent, nurse, svc.RecordConsent(person, "probation", "given", TODAY, "written"))
    with clinic.unit_of_work() as uow:  # given here, but no signed order: nothing may go yet (one rule)
        assert svc.probation_consent(uow, liaison, person) == svc.ProbationConsent(False, TODAY, "given")
        with pytest.raises(PermissionDenied):
            svc.probation_consent(uow, nurse, person)
    active_order(clinic, liaison, person)
    with clinic.unit_of_work() as uow:
        assert svc.probation_consent(uow, liaison, person) == svc.ProbationConsent(True, TODAY, "given")


def test_withdrawn_probation_consent_stops_probation_letters(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    """The one rule (``probation_refused_on``): the order's signed consent, and
    no refusal in force on the consent record."""
    liaison = actors[Role.PROBATION]
    with clinic.unit_of_work() as uow, pytest.raises(Refused, match="not consented to sharing with probation"):
        svc.check_letter(uow, person, "probation_non_attendance")  # no order, no consent
    oid = active_order(clinic, liaison, person)
    note = outcome(clinic, liaison, oid, datetime(2026, 11, 19, 10), Outcome.UNACCEPTABLE_ABSENCE)
    with clinic.unit_of_work() as uow:
        svc.check_letter(uow, person, "probation_progress_report")
        probation_letters.letter_data(uow, liaison, note.notification_id)
    # The liaison records the refusal from the Probation tab: every letter stops, in both places.
    run(clinic, svc.record_probation_consent, liaison, svc.RecordConsent(person, "probation", "refused", TODAY,
                                                                         "written"))
    with clinic.unit_of_work() as uow, pytest.raises(Refused):
        svc.check_letter(uow, person, "probation_progress_report")
    with clinic.unit_of_work() as uow, pytest.raises(LetterBlocked, match="refused on 23 November 2026"):
        probation_letters.letter_data(uow, liaison, note.notification_id)
    with clinic.unit_of_work(write=True) as uow:
        batch = probation_letters.prepare_batch(uow, liaison, [note.notification_id])
    assert batch.pdf is None and "refused on 23 November 2026" in batch.failures[0][1]


def test_the_liaison_records_only_consent_to_share_with_probation(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    liaison = actors[Role.PROBATION]
    with pytest.raises(Refused) as refused:
        run(clinic, svc.record_probation_consent, liaison, svc.RecordConsent(person, "gp", "given", TODAY, "written"))
    assert refused.value.field == "recipient_kind"
    with pytest.raises(PermissionDenied):
        run(clinic, svc.record_consent, liaison, svc.RecordConsent(person, "probation", "given", TODAY, "written"))
