"""The clinical letters through clinic.services.letters.writing, against a
real SQLCipher site: drafted from the record by the services' data
builders, rendered, filed; and refused to roles without clinical access."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from clinic.bbv import Result, SampleType, TestKind
from clinic.permissions import Actor, PermissionDenied, Role
from clinic.services import bbv
from clinic.services.letters import writing
from clinic.services.letters import filing
from clinic.services import safe_storage
from clinic.services.ost import prescriptions as ost
from clinic.services.ost import missed as ost_missed
from clinic.services.ost import reviews as ost_reviews
from clinic.services.vaccination import courses as vaccination
from clinic.services.vaccination import stock as vaccine_stock
from clinic.uow import Clinic
from db.tables.people import GpPractice
from tests.clinic.letters.templates.wording_rules import REVEALING, words_found
from tests.clinic.services.consent_fixtures import consent_to
from tests.conftest import add_person

Actors = dict[Role, Actor]
TODAY = date(2026, 11, 23)
ADDRESS = dict(address_lines="Flat 2\n14 Łukasz Court\nExampletown", postcode="ex2 3bb")
CLINICAL = ("vaccination_recall", "results_ready", "ost_review_gp", "pharmacy_missed_doses", "safe_storage_leaflet")


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def zoe(clinic: Clinic, **fields: object) -> int:
    with clinic.unit_of_work(write=True) as uow:
        gp = GpPractice(name="Riverside Surgery", address="5 River Road\nExampletown\nEX3 4CC")
        uow.session.add(gp)
        uow.session.flush()
        gp_id = gp.id
    values: dict[str, object] = dict(nhs_number="9434765919", gp_practice_id=gp_id, **ADDRESS) | fields
    return add_person(clinic, "Ó Súilleabháin", "Zoë", **values)


def vaccination_due(clinic: Clinic, actors: Actors, pid: int) -> None:
    nurse = actors[Role.NURSE]
    with clinic.unit_of_work(write=True) as uow:
        product = vaccine_stock.add_product(uow, nurse, vaccine_stock.AddProduct("Engerix B", "hepb")).id
        batch = vaccine_stock.receive_batch(uow, nurse, vaccine_stock.ReceiveBatch(
            product, "AB123", date(2027, 6, 30), 10, date(2026, 1, 5))).id
        course = vaccination.start_course(uow, nurse, vaccination.StartCourse(pid, "hepb-standard",
                                                                             date(2026, 10, 20))).id
    with clinic.unit_of_work(write=True) as uow:
        vaccination.record_dose(uow, nurse, vaccination.RecordDose(
            pid, batch, date(2026, 10, 20), "Left deltoid", "Intramuscular", True, course_id=course))


def result_to_give(clinic: Clinic, actors: Actors, pid: int) -> None:
    nurse = actors[Role.NURSE]
    with clinic.unit_of_work(write=True) as uow:
        test_id = bbv.record_test(uow, nurse, bbv.RecordTest(
            pid, (TestKind.HCV_ANTIBODY,), SampleType.DRIED_BLOOD_SPOT, date(2026, 11, 9))).ids[0]
    with clinic.unit_of_work(write=True) as uow:
        bbv.record_result(uow, nurse, bbv.RecordResult(test_id, Result.POSITIVE, date(2026, 11, 16)))


def on_ost(clinic: Clinic, actors: Actors, pid: int, *, pharmacy: bool = True) -> None:
    prescriber, nurse = actors[Role.PRESCRIBER], actors[Role.NURSE]
    with clinic.unit_of_work(write=True) as uow:
        pharmacy_id = ost.add_pharmacy(uow, nurse, ost.AddPharmacy(
            "Quay Pharmacy", "12 Quay Street\nExampletown\nEX1 9ZZ", "01234 111222")).id if pharmacy else None
        ost.start_prescription(uow, prescriber, ost.StartPrescription(
            person_id=pid, medicine="methadone", formulation="oral solution 1 mg/mL", daily_dose_mg=60,
            supervised_days=6, take_home_days=1, pharmacy_id=pharmacy_id, start_on=date(2026, 8, 1)))
    with clinic.unit_of_work(write=True) as uow:
        ost_reviews.record_review(uow, nurse, ost_reviews.RecordReview(
            person_id=pid, reviewed_on=TODAY, attendance="good", dose_adequacy="adequate", on_top_use=False,
            on_top_substances="", injecting=False, supervision_decision="continue", supervision_reason="",
            children_in_household=True, box_issued=True, box_seen=False, overdose_risk="low",
            naloxone_held=True, agreed_plan="Continue; naloxone refreshed."))
    with clinic.unit_of_work(write=True) as uow:
        ost_missed.record_missed_doses(uow, nurse, ost_missed.RecordMissedDoses(
            pid, (date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 22)), "pharmacy", "Quay Pharmacy"))


def give_box(clinic: Clinic, actors: Actors, pid: int, number: str = "B0042") -> None:
    nurse = actors[Role.NURSE]
    with clinic.unit_of_work(write=True) as uow:
        safe_storage.receive_boxes(uow, nurse, safe_storage.ReceiveBoxes((number,), date(2026, 11, 1)))
        safe_storage.issue_box(uow, nurse, safe_storage.IssueBox(pid, number, TODAY, "children_in_household", True))


def draft_and_file(clinic: Clinic, actor: Actor, pid: int, key: str, **form: object) -> tuple[object, str, str]:
    with clinic.unit_of_work(write=True) as uow:
        data, pdf = writing.draft_and_render(uow, actor, pid, key, **form)
        filed = filing.file_rendered(uow, actor, pid, key, pdf, "printed", reference=data.reference)
    assert filed.letter.letter_type == key and filed.letter.category == "clinical"
    return data, text_of(pdf), filed.letter.disposition


def test_nurses_and_prescribers_are_offered_them_and_others_are_not(actors: Actors) -> None:
    for role in (Role.NURSE, Role.PRESCRIBER):
        keys = [t.key for t in writing.letter_types(actors[role])]
        assert set(CLINICAL) <= set(keys)
    for role in (Role.RECEPTION, Role.PROBATION, Role.MANAGER, Role.ADMIN):
        assert not set(CLINICAL) & {t.key for t in writing.letter_types(actors[role])}


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.PROBATION])
@pytest.mark.parametrize("key", CLINICAL)
def test_reception_and_probation_cannot_draft_them(clinic: Clinic, actors: Actors, role: Role, key: str) -> None:
    pid = zoe(clinic)
    with pytest.raises(PermissionDenied), clinic.unit_of_work() as uow:
        writing.draft(uow, actors[role], pid, key)


@pytest.mark.parametrize("discreet", [False, True])
def test_vaccination_recall(clinic: Clinic, actors: Actors, discreet: bool) -> None:
    pid = zoe(clinic, discreet_envelope=discreet)
    vaccination_due(clinic, actors, pid)
    data, text, disposition = draft_and_file(clinic, actors[Role.NURSE], pid, "vaccination_recall")
    assert data.recipient.name == "Zoë Ó Súilleabháin" and data.recipient.discreet is discreet  # type: ignore[attr-defined]
    assert "Your next appointment is due" in text and "20 November 2026" in text and disposition == "printed"
    if discreet:
        assert words_found(text, REVEALING) == [] and "Harbour" not in text
    for word in ("vaccin", "hepatitis", "virus", "result", "dose", "Engerix"):
        assert word not in text.lower().replace("harbour harm reduction service", ""), word


def test_results_ready_is_held_for_a_no_post_person(clinic: Clinic, actors: Actors) -> None:
    pid = zoe(clinic, no_post=True, discreet_envelope=True)
    result_to_give(clinic, actors, pid)
    _data, text, disposition = draft_and_file(clinic, actors[Role.NURSE], pid, "results_ready")
    assert "Please come back to see us" in text and "Not to be posted" in text and disposition == "held"
    assert words_found(text, REVEALING) == []
    for word in ("result", "test", "positive", "negative", "hepatitis", "hcv", "virus"):
        assert word not in text.lower(), word


def test_nothing_to_recall_says_so(clinic: Clinic, actors: Actors) -> None:
    pid = zoe(clinic)
    with clinic.unit_of_work() as uow:
        with pytest.raises(ValueError, match="no vaccination due"):
            writing.draft(uow, actors[Role.NURSE], pid, "vaccination_recall")
        with pytest.raises(ValueError, match="no results waiting"):
            writing.draft(uow, actors[Role.NURSE], pid, "results_ready")


def test_ost_review_to_the_gp(clinic: Clinic, actors: Actors) -> None:
    pid = zoe(clinic, no_post=True)
    on_ost(clinic, actors, pid)
    consent_to(clinic, actors[Role.NURSE], pid, "gp")
    data, text, disposition = draft_and_file(clinic, actors[Role.PRESCRIBER], pid, "ost_review_gp")
    assert type(data).__name__ == "OstReviewToGP" and data.recipient.name == "Riverside Surgery"  # type: ignore[attr-defined]
    assert not filing.to_person("ost_review_gp") and disposition == "printed"  # to the GP: never held
    for expected in ("Dear Doctor", "Re: Zoë Ó Súilleabháin", "NHS number 943 476 5919",
                     "60 mg methadone (oral solution 1 mg/mL) daily", "Continue; naloxone refreshed"):
        assert expected in text
    form = writing.values_to_form("ost_review_gp", data)
    assert "Attendance: Attending well" in form["summary"]
    edited = draft_and_file(clinic, actors[Role.PRESCRIBER], pid, "ost_review_gp",
                            paragraphs=form["paragraphs"] + "\n\nShe has asked us to thank you.")[1]
    assert "She has asked us to thank you." in edited


def test_pharmacy_missed_doses(clinic: Clinic, actors: Actors) -> None:
    pid = zoe(clinic, no_post=True)
    on_ost(clinic, actors, pid)
    consent_to(clinic, actors[Role.NURSE], pid, "pharmacy")
    prescriber = actors[Role.PRESCRIBER]
    data, text, disposition = draft_and_file(clinic, prescriber, pid, "pharmacy_missed_doses")
    assert data.recipient.name == "Quay Pharmacy" and not filing.to_person("pharmacy_missed_doses")  # type: ignore[attr-defined]
    assert disposition == "printed"
    for expected in ("Quay Pharmacy", "Zoë Ó Súilleabháin", "Date of birth 3 July 1985", "60 mg methadone daily",
                     "Friday 20, Saturday 21 and Sunday 22 November 2026", "prescriber review before next dose",
                     "Do not dispense the next dose", prescriber.full_name):
        assert expected in text, expected
    if prescriber.registration_number:
        assert prescriber.registration_number in text
    instruction = "Hold doses until seen. She is booked for tomorrow at 10am."
    assert instruction in draft_and_file(clinic, prescriber, pid, "pharmacy_missed_doses",
                                         instruction=instruction)[1]


def test_pharmacy_notice_needs_a_pharmacy(clinic: Clinic, actors: Actors) -> None:
    pid = zoe(clinic)
    on_ost(clinic, actors, pid, pharmacy=False)
    with pytest.raises(ValueError, match="No dispensing pharmacy"), clinic.unit_of_work() as uow:
        writing.draft(uow, actors[Role.PRESCRIBER], pid, "pharmacy_missed_doses")


def test_safe_storage_leaflet_is_handed_over_not_held(clinic: Clinic, actors: Actors) -> None:
    pid = zoe(clinic, no_post=True)
    give_box(clinic, actors, pid)
    data, text, disposition = draft_and_file(clinic, actors[Role.NURSE], pid, "safe_storage_leaflet")
    assert (data.box_number, data.issued_on) == ("B0042", TODAY)  # type: ignore[attr-defined]
    assert disposition == "printed" and "FOR COLLECTION" not in text
    for expected in ("Keeping your medicine safe at home", "Zoë Ó Súilleabháin", "B0042", "Monday 23 November 2026",
                     "locked box", "out of their sight", "Never decant", "Phone 999", "naloxone"):
        assert expected in text, expected


def test_safe_storage_leaflet_needs_a_box(clinic: Clinic, actors: Actors) -> None:
    pid = zoe(clinic)
    with pytest.raises(ValueError, match="does not hold a safe-storage box"), clinic.unit_of_work() as uow:
        writing.draft(uow, actors[Role.NURSE], pid, "safe_storage_leaflet")
    with clinic.unit_of_work() as uow:  # the issue dialog says which box it has just handed over
        data = writing.draft(uow, actors[Role.NURSE], pid, "safe_storage_leaflet", box_number="B0099",
                             issued_on=TODAY)
    assert data.box_number == "B0099"
