"""Tests for clinic.services.probation.orders, probation_attendance and probation_worklist."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from clinic.clock import SITE_TZ, FixedClock
from clinic.permissions import PermissionDenied, Role
from clinic.probation import Outcome
from clinic.services import bbv
from clinic.services.appointments import booking as appointments
from clinic.services.appointments import series as appointments_series
from clinic.services.probation import orders
from clinic.services.probation import attendance
from clinic.services.probation import letters
from clinic.services.probation import worklist
from clinic.uow import Clinic
from db.tables.audit import AuditRow as AuditLog
from db.tables.letters import FiledLetter
from db.tables.probation import Notification
from tests.clinic.services.probation_fixtures import OFFICER, active_order, outcome
from tests.conftest import add_person


def at(clock: FixedClock, day: date) -> None:
    clock.at = datetime(day.year, day.month, day.day, 17, 0, tzinfo=SITE_TZ).astimezone(clock.at.tzinfo)


@pytest.mark.parametrize(("missed", "due"), [
    (date(2026, 12, 24), date(2026, 12, 29)),  # Christmas, weekend, substitute Boxing Day
    (date(2026, 8, 28), date(2026, 9, 1)),  # Friday before the August bank holiday
    (date(2026, 4, 2), date(2026, 4, 7)),  # Thursday before Good Friday; Easter Monday skipped
    (date(2026, 4, 6), date(2026, 4, 7)),  # a DNA on Easter Monday itself (the clinic opened)
])
def test_worked_examples_for_the_notification_deadline(clinic: Clinic, actors, clock, missed, due) -> None:
    liaison = actors[Role.PROBATION]
    at(clock, date(2026, 3, 1))
    oid = active_order(clinic, liaison, add_person(clinic), start=date(2026, 3, 2), hearings=(), months=12)
    at(clock, missed)
    recorded = outcome(clinic, liaison, oid, datetime.combine(missed, datetime.min.time()).replace(hour=10),
                       Outcome.UNACCEPTABLE_ABSENCE)
    assert recorded.due_on == due
    assert "Probation must be told by the end of" in recorded.message


def test_site_closure_moves_the_deadline(clinic: Clinic, actors, clock) -> None:
    from db.tables.staff import SiteSetting
    with clinic.unit_of_work(write=True) as uow:
        uow.session.add(SiteSetting(key="workdays.closures", value=["2026-11-20"]))
    liaison = actors[Role.PROBATION]
    oid = active_order(clinic, liaison, add_person(clinic))
    recorded = outcome(clinic, liaison, oid, datetime(2026, 11, 19, 10), Outcome.UNACCEPTABLE_ABSENCE)
    assert recorded.due_on == date(2026, 11, 23)


def test_acceptable_absence_needs_a_reason_and_is_still_notified(clinic: Clinic, actors) -> None:
    liaison = actors[Role.PROBATION]
    oid = active_order(clinic, liaison, add_person(clinic))
    with pytest.raises(ValueError, match="reason"):
        outcome(clinic, liaison, oid, datetime(2026, 11, 19, 10), Outcome.ACCEPTABLE_ABSENCE)
    recorded = outcome(clinic, liaison, oid, datetime(2026, 11, 19, 10), Outcome.ACCEPTABLE_ABSENCE, "In hospital")
    assert recorded.due_on == date(2026, 11, 20)


def test_outcome_recorded_twice_is_refused(clinic: Clinic, actors) -> None:
    liaison = actors[Role.PROBATION]
    oid = active_order(clinic, liaison, add_person(clinic))
    outcome(clinic, liaison, oid, datetime(2026, 11, 19, 10), Outcome.ATTENDED)
    with pytest.raises(ValueError, match="Amend it instead"):
        outcome(clinic, liaison, oid, datetime(2026, 11, 19, 10), Outcome.UNACCEPTABLE_ABSENCE)


def test_future_outcome_and_outcome_before_start_are_refused(clinic: Clinic, actors) -> None:
    liaison = actors[Role.PROBATION]
    oid = active_order(clinic, liaison, add_person(clinic))
    with pytest.raises(ValueError, match="not happened yet"):
        outcome(clinic, liaison, oid, datetime(2026, 11, 24, 10), Outcome.ATTENDED)
    with pytest.raises(ValueError, match="before it"):
        outcome(clinic, liaison, oid, datetime(2026, 9, 1, 10), Outcome.ATTENDED)


def test_breach_threshold_flag(clinic: Clinic, actors) -> None:
    liaison = actors[Role.PROBATION]
    oid = active_order(clinic, liaison, add_person(clinic))
    first = outcome(clinic, liaison, oid, datetime(2026, 10, 1, 10), Outcome.UNACCEPTABLE_ABSENCE)
    assert not first.breach_flag
    outcome(clinic, liaison, oid, datetime(2026, 10, 8, 10), Outcome.ACCEPTABLE_ABSENCE, "Court date")
    second = outcome(clinic, liaison, oid, datetime(2026, 11, 19, 10), Outcome.UNACCEPTABLE_ABSENCE)
    assert second.breach_flag and "breach threshold" in second.message
    with clinic.unit_of_work() as uow:
        work = worklist.worklist(uow, liaison)
        assert [o.order_id for o in work.breach_flagged] == [oid]
        assert orders.get_order(uow, liaison, oid).breach_flag


def test_order_validation(clinic: Clinic, actors) -> None:
    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    with clinic.unit_of_work(write=True) as uow:
        base = orders.OrderInput(pid, "DRR", "Court", date(2026, 9, 1), 6, date(2026, 9, 7))
        with pytest.raises(ValueError, match="end date is before its start"):
            orders.add_order(uow, liaison, orders.OrderInput(**{**base.__dict__, "expected_end": date(2026, 9, 1)}))
        with pytest.raises(ValueError, match="before the date the court made it"):
            orders.add_order(uow, liaison, orders.OrderInput(**{**base.__dict__, "start_on": date(2026, 8, 1)}))
        saved = orders.add_order(uow, liaison, base)
        assert saved.order.expected_end == date(2027, 3, 6)
        assert any("No probation officer" in w for w in saved.warnings)
        with pytest.raises(ValueError, match="consent to share was signed"):
            orders.activate_order(uow, liaison, saved.order.id)


def test_order_for_a_closed_record_is_refused(clinic: Clinic, actors) -> None:
    pid = add_person(clinic, status="closed")
    with clinic.unit_of_work(write=True) as uow, pytest.raises(ValueError, match="record is closed"):
        orders.add_order(uow, actors[Role.PROBATION],
                         orders.OrderInput(pid, "ATR", "Court", date(2026, 9, 1), 6, date(2026, 9, 7)))


def test_officer_without_address_or_email_warns_and_refuses_sending(clinic: Clinic, actors) -> None:
    liaison = actors[Role.PROBATION]
    oid = active_order(clinic, liaison, add_person(clinic),
                       officer=orders.ContactInput("Nemo Nowhere", phone="01234 000000"))
    outcome(clinic, liaison, oid, datetime(2026, 11, 19, 10), Outcome.UNACCEPTABLE_ABSENCE)
    with clinic.unit_of_work(write=True) as uow:
        assert any("no postal address or secure email" in w for w in orders.get_order(uow, liaison, oid).warnings)
        work = worklist.worklist(uow, liaison)
        assert work.overdue[0].blocked and not work.printable_today
        result = letters.batch_print(uow, liaison, [work.overdue[0].id])
    assert result.pdf is None and "Sam Example" in result.failures[0][0]


def test_consent_withdrawn_stops_letters_and_says_contact_probation(clinic: Clinic, actors) -> None:
    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    oid = active_order(clinic, liaison, pid)
    other = active_order(clinic, liaison, add_person(clinic, "Other", "Alex"))
    outcome(clinic, liaison, oid, datetime(2026, 11, 19, 10), Outcome.UNACCEPTABLE_ABSENCE)
    outcome(clinic, liaison, other, datetime(2026, 11, 19, 10), Outcome.UNACCEPTABLE_ABSENCE)
    with clinic.unit_of_work(write=True) as uow:
        saved = orders.withdraw_consent(uow, liaison, oid, date(2026, 11, 20))
        assert "contact Olive Officer" in saved.warnings[0]
        assert any(i.label.startswith("Consent") for i in orders.probation_outstanding(uow, liaison, pid))
    rec = outcome(clinic, liaison, oid, datetime(2026, 11, 20, 10), Outcome.ATTENDED)
    assert "contact the probation officer" in rec.message
    with clinic.unit_of_work(write=True) as uow:
        work = worklist.worklist(uow, liaison)
        ids = [n.id for n in work.overdue + work.due_today]
        assert {n.blocked for n in work.overdue + work.due_today if n.order_id == oid} == {
            "Consent withdrawn: contact Probation"}
        result = letters.batch_print(uow, liaison, ids)
        assert len(result.filed) == 1  # the other person's letter still goes
        assert any("consent to share was withdrawn" in why for _, why in result.failures)
        with pytest.raises(ValueError, match=r"cannot be activated|Only an order pending"):
            orders.activate_order(uow, liaison, oid)


def test_supersession_after_the_letter_was_sent(clinic: Clinic, actors) -> None:
    liaison = actors[Role.PROBATION]
    oid = active_order(clinic, liaison, add_person(clinic))
    rec = outcome(clinic, liaison, oid, datetime(2026, 11, 19, 10), Outcome.UNACCEPTABLE_ABSENCE)
    with clinic.unit_of_work(write=True) as uow:
        first = letters.batch_print(uow, liaison, [rec.notification_id])
        letters.mark_sent(uow, liaison, letters.MarkSent((rec.notification_id,), date(2026, 11, 23), "post"))
        row = attendance.attendance_for_order(uow, liaison, oid)[0]
        amended = attendance.amend_outcome(uow, liaison, attendance.AmendOutcome(
            row.id, row.version, Outcome.ACCEPTABLE_ABSENCE, "Hospital admission", "Discharge letter"))
    assert "corrected letter" in amended.message
    with clinic.unit_of_work(write=True) as uow:
        data = letters.letter_data(uow, liaison, amended.notification_id)
        assert data.correction is not None and data.correction.previous_reference == f"PRB/{oid}/{rec.notification_id}"
        second = letters.batch_print(uow, liaison, [amended.notification_id])
        old, new = first.filed[0][1], second.filed[0][1]
        rows = {r.id: r for r in uow.session.execute(select(FiledLetter)).scalars()}
        assert rows[old].status == "superseded" and rows[old].superseded_by_id == new
        assert rows[new].status == "filed"
        notes = {n.id: n for n in uow.session.execute(select(Notification)).scalars()}
        assert notes[rec.notification_id].superseded_by == amended.notification_id


def test_amend_before_the_letter_goes_just_cancels_it(clinic: Clinic, actors) -> None:
    liaison = actors[Role.PROBATION]
    oid = active_order(clinic, liaison, add_person(clinic))
    rec = outcome(clinic, liaison, oid, datetime(2026, 11, 19, 10), Outcome.UNACCEPTABLE_ABSENCE)
    with clinic.unit_of_work(write=True) as uow:
        row = attendance.attendance_for_order(uow, liaison, oid)[0]
        amended = attendance.amend_outcome(uow, liaison, attendance.AmendOutcome(row.id, row.version,
                                                                                 Outcome.ATTENDED_LATE))
        notes = {n.id: n for n in uow.session.execute(select(Notification)).scalars()}
        assert notes[rec.notification_id].status == "cancelled"
        assert notes[amended.notification_id].kind == "attendance_confirmation"
        assert notes[amended.notification_id].corrects_id is None
    with clinic.unit_of_work() as uow:  # the audit rows are written with the commit
        changes = uow.session.execute(select(AuditLog.changes).where(
            AuditLog.action == "probation.outcome_amended")).scalar_one()
    assert set(changes if isinstance(changes, dict) else __import__("json").loads(changes)) == {"outcome"}


@pytest.mark.parametrize(("frequency", "due", "period"), [
    ("per_appointment", date(2026, 11, 20), (date(2026, 11, 19), date(2026, 11, 19))),
    ("weekly", date(2026, 11, 23), (date(2026, 11, 16), date(2026, 11, 22))),
    ("monthly", date(2026, 12, 1), (date(2026, 11, 1), date(2026, 11, 30))),
])
def test_confirmations_follow_the_frequency_setting(clinic: Clinic, actors, frequency, due, period) -> None:
    from db.tables.staff import SiteSetting
    with clinic.unit_of_work(write=True) as uow:
        uow.session.add(SiteSetting(key="probation.confirmation_frequency", value=frequency))
    liaison = actors[Role.PROBATION]
    oid = active_order(clinic, liaison, add_person(clinic))
    a = outcome(clinic, liaison, oid, datetime(2026, 11, 19, 10), Outcome.ATTENDED)
    b = outcome(clinic, liaison, oid, datetime(2026, 11, 17, 10), Outcome.ATTENDED_LATE)
    with clinic.unit_of_work() as uow:
        note = uow.session.get(Notification, a.notification_id)
        assert (note.due_on, (note.period_from, note.period_to)) == (due, period)
    assert (a.notification_id == b.notification_id) is (frequency != "per_appointment")


def test_progress_report_due_three_working_days_before_the_hearing(clinic: Clinic, actors) -> None:
    liaison = actors[Role.PROBATION]
    oid = active_order(clinic, liaison, add_person(clinic), hearings=(date(2026, 12, 29),))
    with clinic.unit_of_work(write=True) as uow:
        notes = letters.notifications_for_order(uow, liaison, oid)
        assert [(n.kind, n.due_on) for n in notes] == [("progress_report", date(2026, 12, 22))]
        with pytest.raises(ValueError, match="methadone"):
            letters.set_summary(uow, liaison, notes[0].id, "Stable on methadone, engaging well")
        letters.set_summary(uow, liaison, notes[0].id, "Sam has attended group work and engaged well.")


def test_ending_an_order_makes_a_closure_letter_due(clinic: Clinic, actors) -> None:
    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    oid = active_order(clinic, liaison, pid)
    with clinic.unit_of_work(write=True) as uow:
        orders.end_order(uow, liaison, oid, "completed", date(2026, 11, 20))
        kinds = {(n.kind, n.status) for n in letters.notifications_for_order(uow, liaison, oid)}
        assert ("closure", "due") in kinds and ("progress_report", "cancelled") in kinds
        assert orders.probation_outstanding(uow, liaison, pid) == []


def test_outstanding_provider_has_the_chip(clinic: Clinic, actors) -> None:
    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    active_order(clinic, liaison, pid)
    with clinic.unit_of_work() as uow:
        items = orders.probation_outstanding(uow, liaison, pid)
    assert items[0].chip == "On DRR"


def test_worklist_sections(clinic: Clinic, actors, clock) -> None:
    liaison = actors[Role.PROBATION]
    oid = active_order(clinic, liaison, add_person(clinic), start=date(2026, 6, 1), hearings=(date(2026, 11, 27),))
    outcome(clinic, liaison, oid, datetime(2026, 11, 19, 10), Outcome.UNACCEPTABLE_ABSENCE)
    outcome(clinic, liaison, oid, datetime(2026, 11, 20, 10), Outcome.ATTENDED)
    with clinic.unit_of_work() as uow:
        work = worklist.worklist(uow, liaison)
    assert [n.kind for n in work.overdue] == ["non_attendance"]
    assert [n.kind for n in work.due_today] == ["attendance_confirmation"]
    assert [(n.kind, n.hearing_on) for n in work.upcoming] == [("progress_report", date(2026, 11, 27))]
    assert [o.order_id for o in work.ending_soon] == [oid]  # ends 30 November 2026


def test_dna_on_a_required_appointment_creates_the_notification(clinic: Clinic, actors, clock) -> None:
    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    oid = active_order(clinic, liaison, pid)
    with clinic.unit_of_work(write=True) as uow:
        booked = attendance.book_required(uow, liaison, attendance.BookRequired(
            oid, liaison.staff_id, datetime(2026, 11, 24, 10)))
    assert booked.appointment_ids
    clock.advance(timedelta(days=1, hours=2))  # Tuesday 24 November, 12:00
    reception = actors[Role.RECEPTION]
    with clinic.unit_of_work(write=True) as uow:
        result = appointments.set_status(uow, reception, appointments.SetStatus(booked.appointment_ids[0], "dna"))
        assert result.changes.touches("probation")
        notes = letters.notifications_for_order(uow, liaison, oid)
        assert ("non_attendance", date(2026, 11, 25)) in {(n.kind, n.due_on) for n in notes}
    assert appointments_series  # the series service booked them


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.NURSE, Role.PRESCRIBER, Role.MANAGER, Role.ADMIN])
def test_other_roles_cannot_read_orders(clinic: Clinic, actors, role) -> None:
    pid = add_person(clinic)
    active_order(clinic, actors[Role.PROBATION], pid)
    with clinic.unit_of_work() as uow:
        with pytest.raises(PermissionDenied):
            orders.orders_for_person(uow, actors[role], pid)
        with pytest.raises(PermissionDenied):
            worklist.worklist(uow, actors[role])


def test_liaison_reads_and_writes_but_sees_nothing_clinical(clinic: Clinic, actors) -> None:
    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    oid = active_order(clinic, liaison, pid)
    with clinic.unit_of_work(write=True) as uow:
        attendance.record_drug_test(uow, liaison, attendance.RecordDrugTest(oid, date(2026, 11, 19), "Opiates",
                                                                            "negative"))
        assert orders.orders_for_person(uow, liaison, pid)
        with pytest.raises(PermissionDenied):
            bbv.overview(uow, liaison, pid)
        with pytest.raises(PermissionDenied):
            bbv.record_offer(uow, liaison, bbv.RecordOffer(pid, (bbv.Virus.HIV,), date(2026, 11, 19)))
    for module, reader in (("ost", "overview"), ("vaccination", "overview")):
        mod = pytest.importorskip(f"clinic.services.{module}")
        fn = getattr(mod, reader, None)
        if fn is not None:
            with clinic.unit_of_work() as uow, pytest.raises(PermissionDenied):
                fn(uow, liaison, pid)


def test_drug_test_refused_without_testing_requirement(clinic: Clinic, actors) -> None:
    liaison = actors[Role.PROBATION]
    oid = active_order(clinic, liaison, add_person(clinic), testing=False)
    with clinic.unit_of_work(write=True) as uow, pytest.raises(ValueError, match="no drug-testing requirement"):
        attendance.record_drug_test(uow, liaison, attendance.RecordDrugTest(oid, date(2026, 11, 19), "Opiates",
                                                                            "negative"))


def test_order_edit_audits_changed_fields_only(clinic: Clinic, actors) -> None:
    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    oid = active_order(clinic, liaison, pid)
    with clinic.unit_of_work(write=True) as uow:
        o = orders.get_order(uow, liaison, oid)
        orders.update_order(uow, liaison, oid, o.version, orders.OrderInput(
            pid, "DRR", "Exampletown Crown Court", o.order_date, o.length_months, o.start_on,
            testing_required=True, officer_id=o.officer.id if o.officer else None, probation_reference="X123456",
            consent_signed_on=o.consent_signed_on, hearings=o.hearings))
        with pytest.raises(orders.StaleOrder):
            orders.update_order(uow, liaison, oid, o.version, orders.OrderInput(
                pid, "DRR", "Other", o.order_date, o.length_months, o.start_on))
    with clinic.unit_of_work() as uow:  # the audit rows are written with the commit
        changes = uow.session.execute(select(AuditLog.changes).where(
            AuditLog.action == "probation.order_changed")).scalar_one()
    assert set(changes if isinstance(changes, dict) else __import__("json").loads(changes)) == {"court"}
    assert OFFICER.name == "Olive Officer"


def test_contact_edit_audits_changed_fields_only(clinic: Clinic, actors) -> None:
    liaison = actors[Role.PROBATION]
    with clinic.unit_of_work(write=True) as uow:
        first = orders.save_contact(uow, liaison, OFFICER)
        orders.save_contact(uow, liaison, OFFICER, contact_id=first.id, version=first.version)  # unchanged
        moved = orders.save_contact(uow, liaison, orders.ContactInput(OFFICER.name, "Northtown PDU", OFFICER.address,
                                                                      OFFICER.phone, OFFICER.secure_email),
                                    contact_id=first.id, version=first.version)
    with clinic.unit_of_work() as uow:  # the audit rows are written with the commit
        changes = uow.session.execute(select(AuditLog.changes).where(
            AuditLog.action == "probation.contact_changed")).scalars().all()
    assert moved.version == first.version + 1
    assert [c if isinstance(c, dict) else __import__("json").loads(c) for c in changes] == [
        {"office": [OFFICER.office, "Northtown PDU"]}]


def test_preparing_a_batch_reads_in_a_fixed_number_of_statements(clinic: Clinic, actors) -> None:
    """DESIGN §6: the 200-letter batch read ~7 rows one by one per letter
    (N+1); now it reads the same few statements whatever the batch size."""
    from sqlalchemy import event
    liaison = actors[Role.PROBATION]
    for i in range(4):
        oid = active_order(clinic, liaison, add_person(clinic, f"Person{i}", "Alex"))
        outcome(clinic, liaison, oid, datetime(2026, 11, 19, 10), Outcome.UNACCEPTABLE_ABSENCE)
    with clinic.unit_of_work() as uow:
        work = worklist.worklist(uow, liaison)
        ids = [n.id for n in work.overdue + work.due_today]
    assert len(ids) == 4
    statements: list[str] = []

    def count(_c, _cur, statement, *_rest) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(clinic.site.engine, "before_cursor_execute", count)
    try:
        sizes = []
        for batch in (ids[:1], ids):
            statements.clear()
            with clinic.unit_of_work() as uow:
                prepared = letters.prepare_batch(uow, liaison, batch)
            assert len(prepared.letters) == len(batch)
            sizes.append(len(statements))
    finally:
        event.remove(clinic.site.engine, "before_cursor_execute", count)
    assert sizes[0] == sizes[1] <= 12


def test_filing_a_batch_reads_in_a_fixed_number_of_statements(clinic: Clinic, actors) -> None:
    """Issue 21: filing read each letter's order and person again, one by one
    (two SELECTs per letter); now the reads are the same few whatever the size."""
    from sqlalchemy import event
    liaison = actors[Role.PROBATION]
    for i in range(4):
        oid = active_order(clinic, liaison, add_person(clinic, f"Person{i}", "Alex"))
        outcome(clinic, liaison, oid, datetime(2026, 11, 19, 10), Outcome.UNACCEPTABLE_ABSENCE)
    with clinic.unit_of_work() as uow:
        work = worklist.worklist(uow, liaison)
        ids = [n.id for n in work.overdue + work.due_today]
    selects: list[str] = []

    def count(_c, _cur, statement, *_rest) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    sizes = []
    for batch in (ids[:1], ids[1:]):
        with clinic.unit_of_work(write=True) as uow:
            prepared = letters.prepare_batch(uow, liaison, batch)
            selects.clear()
            event.listen(clinic.site.engine, "before_cursor_execute", count)
            try:
                result = letters.file_batch(uow, liaison, prepared)
            finally:
                event.remove(clinic.site.engine, "before_cursor_execute", count)
        assert len(result.filed) == len(batch)
        sizes.append(len(selects))
    assert sizes[0] == sizes[1]
