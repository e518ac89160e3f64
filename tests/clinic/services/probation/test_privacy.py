"""Nothing clinical reaches Probation (issue 13: M1, M2, m9; DESIGN.md §3)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from clinic.clinical_words import ClinicalWordsFound
from clinic.permissions import Actor, Role
from clinic.probation import Outcome
from clinic.services.appointments import booking as appts
from clinic.services.appointments import book as book_view
from clinic.services.appointments import sessions
from clinic.services import callbacks
from clinic.services.appointments import letters as appointment_letters
from clinic.services.probation import attendance
from clinic.services.probation import letters
from clinic.uow import Clinic
from db.tables.probation import Notification
from tests.clinic.services.probation_fixtures import active_order
from tests.clinic.test_clinical_words import REVIEW_PHRASINGS
from tests.conftest import add_person

TUE = date(2026, 11, 24)


def test_clinical_absence_reason_is_refused_with_the_words_named(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    liaison = actors[Role.PROBATION]
    oid = active_order(clinic, liaison, add_person(clinic))
    with pytest.raises(ClinicalWordsFound) as found, clinic.unit_of_work(write=True) as uow:
        attendance.record_outcome(uow, liaison, attendance.RecordOutcome(
            oid, datetime(2026, 11, 19, 9, 17), Outcome.ACCEPTABLE_ABSENCE,
            absence_reason="in hospital for hepatitis C treatment (HCV positive)",
            evidence_seen="hospital letter"))
    assert found.value.field == "absence_reason" and found.value.words == ("hepatitis C", "HCV")
    with pytest.raises(ClinicalWordsFound) as found, clinic.unit_of_work(write=True) as uow:
        attendance.record_outcome(uow, liaison, attendance.RecordOutcome(
            oid, datetime(2026, 11, 19, 9, 17), Outcome.ACCEPTABLE_ABSENCE, absence_reason="In hospital",
            evidence_seen="HIV clinic letter; methadone script"))
    assert found.value.field == "evidence_seen" and "methadone" in found.value.words


@pytest.mark.parametrize("summary", REVIEW_PHRASINGS)
def test_clinical_engagement_summaries_are_refused(clinic: Clinic, actors: dict[Role, Actor], summary: str) -> None:
    liaison = actors[Role.PROBATION]
    oid = active_order(clinic, liaison, add_person(clinic))
    with clinic.unit_of_work() as uow:
        report = uow.session.query(Notification).filter_by(order_id=oid, kind="progress_report").one()
    with pytest.raises(ClinicalWordsFound) as found, clinic.unit_of_work(write=True) as uow:
        letters.set_summary(uow, liaison, report.id, summary)
    assert found.value.words and found.value.field == "summary"


@pytest.fixture
def booked(clinic: Clinic, actors: dict[Role, Actor]) -> int:
    """A person with an OST review (with a reception note) and a DRR appointment."""
    person, rec = add_person(clinic), actors[Role.RECEPTION]
    with clinic.unit_of_work(write=True) as uow:
        types = {t.code: t.id for t in sessions.list_types(uow, rec)}
    for code, hour, note in (("ost_review", 10, "Bring methadone card"), ("drr", 14, "")):
        with clinic.unit_of_work(write=True) as uow:
            appts.book(uow, rec, appts.BookAppointment(person, actors[Role.NURSE].staff_id, types[code],
                                                       datetime.combine(TUE, time(hour)), reception_note=note))
    return person


def test_probation_sees_appointments_only_as_at_the_clinic(clinic: Clinic, actors: dict[Role, Actor],
                                                           booked: int) -> None:
    with clinic.unit_of_work() as uow:
        mine = book_view.person_appointments(uow, actors[Role.PROBATION], booked)
        week = book_view.book_range(uow, actors[Role.PROBATION], TUE, TUE)
        sheet = appointment_letters.draft_day_sheet(uow, actors[Role.PROBATION], TUE)
        theirs = book_view.person_appointments(uow, actors[Role.RECEPTION], booked)
    shown = {a.type_name for a in mine} | {a.type_name for a in week.appointments} | {
        b.appointment_type for s in sheet.sessions for b in s.bookings}
    assert shown == {"Appointment at the clinic", "DRR appointment"}
    notes = {a.reception_note for a in mine + list(week.appointments)} | {
        b.notes for s in sheet.sessions for b in s.bookings}
    assert notes == {""}
    assert {a.type_name for a in theirs} == {"OST review", "DRR appointment"}
    assert "Bring methadone card" in {a.reception_note for a in theirs}


def test_probation_is_not_told_who_sees_them_at_a_clinical_booking(clinic: Clinic, actors: dict[Role, Actor],
                                                                    booked: int) -> None:
    """A clinician's name says what a booking is for ("with Dr … Prescriber"),
    so a masked booking names no one; a DRR booking still names its worker."""
    with clinic.unit_of_work() as uow:
        mine = book_view.person_appointments(uow, actors[Role.PROBATION], booked)
        week = book_view.book_range(uow, actors[Role.PROBATION], TUE, TUE)
        theirs = book_view.person_appointments(uow, actors[Role.RECEPTION], booked)
    names = {(a.type_name, a.clinician_name) for a in mine + list(week.appointments)}
    nurse = {a.clinician_name for a in theirs} - {""}
    assert names == {("Appointment at the clinic", ""), ("DRR appointment", *nurse)}
    assert len(nurse) == 1


def test_probation_does_not_read_others_callback_messages(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    for actor, message in ((actors[Role.RECEPTION], "Asked about test results - call to arrange"),
                           (actors[Role.PROBATION], "Officer asked for the order dates")):
        with clinic.unit_of_work(write=True) as uow:
            callbacks.take_message(uow, actor, callbacks.TakeMessage("Caller", "01234 567890", message))
    with clinic.unit_of_work() as uow:
        seen = {c.message for c in callbacks.callbacks_open(uow, actors[Role.PROBATION])}
        reception = {c.message for c in callbacks.callbacks_open(uow, actors[Role.RECEPTION])}
    assert seen == {callbacks.HIDDEN_MESSAGE, "Officer asked for the order dates"}
    assert "Asked about test results - call to arrange" in reception


def test_a_clinical_reason_saved_before_the_check_blocks_the_letter(clinic: Clinic,
                                                                     actors: dict[Role, Actor]) -> None:
    """The review's M1(a) reproduction: the reason reached the PDF; now the letter is refused."""
    from sqlalchemy import update

    from db.tables.probation import Attendance

    liaison = actors[Role.PROBATION]
    oid = active_order(clinic, liaison, add_person(clinic))
    with clinic.unit_of_work(write=True) as uow:
        attendance.record_outcome(uow, liaison, attendance.RecordOutcome(
            oid, datetime(2026, 11, 19, 9, 17), Outcome.ACCEPTABLE_ABSENCE, absence_reason="In hospital"))
    with clinic.unit_of_work(write=True) as uow:  # as an older version stored it, past the flush check
        uow.session.execute(update(Attendance).values(absence_reason="hepatitis C treatment (HCV positive)"))
    with clinic.unit_of_work() as uow:
        note = uow.session.query(Notification).filter_by(order_id=oid, kind="non_attendance").one()
    with pytest.raises(ClinicalWordsFound) as found, clinic.unit_of_work() as uow:
        letters.preview(uow, liaison, note.id)
    assert found.value.field == "absence_reason" and "HCV" in found.value.words
