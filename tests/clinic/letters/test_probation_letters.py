"""Tests for the probation letter templates and the sharing rule
(clinic.services.probation.letter_data): nothing clinical ever reaches Probation."""

from __future__ import annotations

import ast
import dataclasses
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from clinic.letters.templates.probation_common import ProbationLetter
from clinic.permissions import Role
from clinic.probation import Outcome
from clinic.services.probation import orders
from clinic.services.probation import attendance
from clinic.services.probation import letter_data as probation_letter_data
from clinic.services.probation import letters
from clinic.uow import Clinic
from tests.clinic.services.probation_fixtures import active_order, outcome
from tests.conftest import add_person

#: Everything clinical the person below has on record; none may be printed.
CLINICAL = ("MARKER", "HIV", "hepatitis", "Hepatitis", "reactive", "methadone", "Methadone", "65 mg",
            "Engerix", "vaccin", "Vaccin", "deltoid", "safeguarding", "Safeguarding", "chlamydia", "Chlamydia")

ALLOWED_FIELDS = {
    "reference", "date", "recipient", "signatory", "letterhead", "kind", "person_name", "date_of_birth", "order",
    "attendance", "tests", "period_from", "period_to", "hearing_on", "engagement_summary", "closure_status",
    "ended_on", "correction",
}


def _clinical_records(clinic: Clinic, person_id: int, staff_id: int) -> None:
    """BBV results, an OST prescription and a vaccination, put in directly."""
    from db.tables.bbv import BbvEvent
    from db.tables.ost import OstPrescription

    with clinic.unit_of_work(write=True) as uow:
        uow.session.add(BbvEvent(person_id=person_id, virus="hiv", kind="result", event_date=date(2026, 10, 1),
                                 result="reactive", referred_to="MARKER HIV clinic", staff_id=staff_id))
        uow.session.add(BbvEvent(person_id=person_id, virus="hepatitis_c", kind="referral",
                                 event_date=date(2026, 10, 1), referred_to="MARKER hepatitis team", staff_id=staff_id))
        uow.session.add(OstPrescription(person_id=person_id, medicine="methadone", formulation="MARKER 1mg/ml",
                                        daily_dose_mg=65, supervised_days=7, take_home_days=0,
                                        prescriber_id=staff_id, start_on=date(2026, 9, 1),
                                        next_review_due=date(2026, 12, 1)))


@pytest.fixture
def every_letter(clinic: Clinic, actors) -> list[tuple[ProbationLetter, bytes]]:
    liaison = actors[Role.PROBATION]
    nurse = actors[Role.NURSE]
    pid = add_person(clinic, "Example", "Sam", risk_notes="MARKER safeguarding concern, chlamydia")
    _clinical_records(clinic, pid, nurse.staff_id)
    oid = active_order(clinic, liaison, pid, hearings=(date(2026, 11, 30),))
    outcome(clinic, liaison, oid, datetime(2026, 11, 19, 10), Outcome.UNACCEPTABLE_ABSENCE)
    outcome(clinic, liaison, oid, datetime(2026, 11, 16, 10), Outcome.ACCEPTABLE_ABSENCE, "Court appearance")
    outcome(clinic, liaison, oid, datetime(2026, 11, 20, 10), Outcome.ATTENDED)
    with clinic.unit_of_work(write=True) as uow:
        attendance.record_drug_test(uow, liaison, attendance.RecordDrugTest(oid, date(2026, 11, 20), "Opiates",
                                                                            "negative"))
        report = next(n for n in letters.notifications_for_order(uow, liaison, oid) if n.kind == "progress_report")
        letters.set_summary(uow, liaison, report.id, "Sam has attended group sessions and engaged well.")
        orders.end_order(uow, liaison, oid, "completed", date(2026, 11, 23))
        out = []
        for note in letters.notifications_for_order(uow, liaison, oid):
            if note.status == "due":
                data = letters.letter_data(uow, liaison, note.id)
                out.append((data, letters.render([data])))
    assert {d.kind for d, _ in out} == {"non_attendance", "attendance_confirmation", "closure"}
    return out


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_no_letter_carries_clinical_data(every_letter) -> None:
    for data, pdf in every_letter:
        text = _text(pdf)
        assert "Sam Example" in text and "3 July 1985" in text
        for word in CLINICAL:
            assert word not in text, (data.kind, word)
            assert word not in repr(data), (data.kind, word)


def test_progress_report_has_tests_and_summary_but_nothing_clinical(clinic: Clinic, actors) -> None:
    liaison = actors[Role.PROBATION]
    pid = add_person(clinic, risk_notes="MARKER safeguarding")
    _clinical_records(clinic, pid, actors[Role.NURSE].staff_id)
    oid = active_order(clinic, liaison, pid, hearings=(date(2026, 11, 30),))
    outcome(clinic, liaison, oid, datetime(2026, 11, 20, 10), Outcome.ATTENDED_LATE)
    with clinic.unit_of_work(write=True) as uow:
        attendance.record_drug_test(uow, liaison, attendance.RecordDrugTest(oid, date(2026, 11, 20), "Cocaine",
                                                                            "positive"))
        report = next(n for n in letters.notifications_for_order(uow, liaison, oid) if n.kind == "progress_report")
        letters.set_summary(uow, liaison, report.id, "Engaged well in group work.")
        data = letters.letter_data(uow, liaison, report.id)
    text = _text(letters.render([data]))
    assert "Progress report for review hearing" in text and "30 November 2026" in text
    assert "Cocaine" in text and "Positive" in text and "Engaged well in group work." in text
    assert "Attended late" in text
    for word in CLINICAL:
        assert word not in text


def test_tests_are_left_out_without_a_testing_requirement(clinic: Clinic, actors) -> None:
    liaison = actors[Role.PROBATION]
    oid = active_order(clinic, liaison, add_person(clinic), testing=True)
    outcome(clinic, liaison, oid, datetime(2026, 11, 20, 10), Outcome.ATTENDED)
    with clinic.unit_of_work(write=True) as uow:
        attendance.record_drug_test(uow, liaison, attendance.RecordDrugTest(oid, date(2026, 11, 20), "Opiates",
                                                                            "positive"))
        o = orders.get_order(uow, liaison, oid)
        orders.update_order(uow, liaison, oid, o.version, orders.OrderInput(
            o.person_id, o.order_type, o.court, o.order_date, o.length_months, o.start_on, testing_required=False,
            officer_id=o.officer.id if o.officer else None, consent_signed_on=o.consent_signed_on,
            hearings=o.hearings))
        note = next(n for n in letters.notifications_for_order(uow, liaison, oid)
                    if n.kind == "attendance_confirmation")
        data = letters.letter_data(uow, liaison, note.id)
    assert data.tests == () and "Opiates" not in _text(letters.render([data]))


def test_letter_data_has_only_the_allowed_fields() -> None:
    assert {f.name for f in dataclasses.fields(ProbationLetter)} == ALLOWED_FIELDS


def test_the_builder_has_no_route_to_clinical_tables() -> None:
    source = Path(probation_letter_data.__file__).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
    db_modules = {m for m in imported if m.startswith("db.")}
    assert db_modules == {"db.tables.people", "db.tables.probation"}
    assert not {m for m in imported if m.startswith("clinic.services")}
    # The person's table is read three named columns (and the id), never as a row.
    assert "Person.id, Person.forename, Person.surname, Person.date_of_birth)" in source
    assert "get(Person" not in source and "select(Person)" not in source


def test_liaison_batch_prints_and_nurse_cannot(clinic: Clinic, actors) -> None:
    liaison = actors[Role.PROBATION]
    oid = active_order(clinic, liaison, add_person(clinic))
    rec = outcome(clinic, liaison, oid, datetime(2026, 11, 19, 10), Outcome.UNACCEPTABLE_ABSENCE)
    from clinic.permissions import PermissionDenied
    with clinic.unit_of_work(write=True) as uow:
        with pytest.raises(PermissionDenied):
            letters.batch_print(uow, actors[Role.NURSE], [rec.notification_id])
        result = letters.batch_print(uow, liaison, [rec.notification_id])
    assert result.pdf is not None and "Notification of non-attendance" in _text(result.pdf)
    assert "19 November 2026, 10:00" in _text(result.pdf)


def test_cancelled_batch_files_nothing(clinic: Clinic, actors) -> None:
    liaison = actors[Role.PROBATION]
    oid = active_order(clinic, liaison, add_person(clinic))
    rec = outcome(clinic, liaison, oid, datetime(2026, 11, 19, 10), Outcome.UNACCEPTABLE_ABSENCE)
    with pytest.raises(letters.Cancelled), clinic.unit_of_work(write=True) as uow:
        letters.batch_print(uow, liaison, [rec.notification_id], cancelled=lambda: True)
    with clinic.unit_of_work() as uow:
        assert [n.status for n in letters.notifications_for_order(uow, liaison, oid)
                if n.id == rec.notification_id] == ["due"]


def test_a_one_paragraph_letter_is_one_page(clinic: Clinic, actors) -> None:
    """UI-36: the sign-off of a short non-attendance letter spilled onto page 2."""
    liaison = actors[Role.PROBATION]
    oid = active_order(clinic, liaison, add_person(clinic))
    rec = outcome(clinic, liaison, oid, datetime(2026, 11, 19, 10), Outcome.UNACCEPTABLE_ABSENCE)
    with clinic.unit_of_work() as uow:
        pdf = letters.preview(uow, liaison, rec.notification_id)
    text = _text(pdf)
    assert "Page 1 of 1" in text and "Yours sincerely" in text
