"""A DRR booking from the appointment book is linked to the order; marking
it DNA from the outcomes list (Today's) asks first, saying what it records,
and makes the notification due; the order's tab books a required series."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QMessageBox

from clinic.clock import SITE_TZ
from clinic.permissions import Role
from clinic.probation import Outcome
from clinic.services.appointments import sessions
from clinic.services.probation import attendance
from clinic.services.probation import letters as probation_letters
from tests.clinic.services.probation_fixtures import active_order
from tests.conftest import add_person
from ui import ops
from ui.today.outcomes import OutcomesList
from ui.appointments.page import AppointmentBookPage
from ui.context import AppContext
from ui.probation import ProbationTab
from ui.probation.book_required import BookRequiredDialog

pytestmark = pytest.mark.gui


def _settle(qtbot, until) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: (ops.wait_for_all(), until())[1], timeout=10_000)


def _drr_type(clinic, actor) -> int:  # type: ignore[no-untyped-def]
    with clinic.unit_of_work() as uow:
        return next(t.id for t in sessions.list_types(uow, actor) if t.code == "drr")


def book_drr(qtbot, ctx, pid, at: datetime, *, choose_order: int | None = None) -> int:  # type: ignore[no-untyped-def]
    """Book a DRR appointment from the appointment book, as reception would."""
    page = AppointmentBookPage(ctx)
    qtbot.addWidget(page)
    dialog = page.book_selected(person_id=pid, person_name="Sam Example")
    _settle(qtbot, lambda: dialog.ok.isEnabled())
    drr = _drr_type(ctx.clinic, ctx.actor)
    dialog.kind.setCurrentIndex(next(i for i in range(dialog.kind.count()) if dialog.kind.itemData(i)[0] == drr))
    _settle(qtbot, lambda: dialog.order.loaded and dialog.form.isRowVisible(dialog.order))
    if choose_order is not None:
        dialog.order.combo.setCurrentIndex(dialog.order.combo.findData(choose_order))
    dialog.date.setDate(QDate(at.year, at.month, at.day))
    dialog.time.setTime(QTime(at.hour, at.minute))
    dialog.grab().save("/tmp/shots/loops-booking-drr.png")
    with qtbot.waitSignal(dialog.booked, timeout=10_000) as booked:
        dialog.ok.click()
    return booked.args[0].id


def test_drr_booking_is_linked_and_a_dna_from_today_says_what_it_does(qtbot, clinic, actors, clock) -> None:  # type: ignore[no-untyped-def]
    liaison, rec = actors[Role.PROBATION], actors[Role.RECEPTION]
    pid = add_person(clinic)
    oid = active_order(clinic, liaison, pid)
    ctx = AppContext(clinic, rec)
    appointment_id = book_drr(qtbot, ctx, pid, datetime(2026, 11, 23, 10, 30))
    with clinic.unit_of_work() as uow:
        assert attendance.order_for_appointment(uow, appointment_id) == oid
    clock.at = datetime(2026, 11, 23, 12, tzinfo=SITE_TZ)
    outcomes = OutcomesList(ctx)
    qtbot.addWidget(outcomes)
    _settle(qtbot, lambda: [r.id for r in outcomes.rows] == [appointment_id])
    outcomes.buttons["dna"].click()
    _settle(qtbot, lambda: outcomes.marker.box is not None and outcomes.marker.box.isVisible())
    box = outcomes.marker.box
    assert ("Saving records \u201cdid not attend (unacceptable absence)\u201d on the order and makes a "
            "non-attendance letter to Probation due by 24 November 2026.") in box.text()
    box.grab().save("/tmp/shots/loops-dna-question.png")
    box.button(QMessageBox.StandardButton.Yes).click()
    _settle(qtbot, lambda: "Probation must be told by the end of 24 November 2026" in outcomes.notice.text())
    with clinic.unit_of_work() as uow:
        rows = attendance.attendance_for_order(uow, liaison, oid)
        notes = probation_letters.notifications_for_order(uow, liaison, oid)
    assert [(r.appointment_id, r.outcome) for r in rows] == [(appointment_id, Outcome.UNACCEPTABLE_ABSENCE)]
    assert ("non_attendance", date(2026, 11, 24)) in {(n.kind, n.due_on) for n in notes}


def test_two_orders_the_booking_asks_which(qtbot, clinic, actors) -> None:  # type: ignore[no-untyped-def]
    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    active_order(clinic, liaison, pid)
    second = active_order(clinic, liaison, pid, start=date(2026, 11, 2))
    ctx = AppContext(clinic, actors[Role.RECEPTION])
    page = AppointmentBookPage(ctx)
    qtbot.addWidget(page)
    dialog = page.book_selected(person_id=pid, person_name="Sam Example")
    _settle(qtbot, lambda: dialog.ok.isEnabled())
    drr = _drr_type(clinic, ctx.actor)
    dialog.kind.setCurrentIndex(next(i for i in range(dialog.kind.count()) if dialog.kind.itemData(i)[0] == drr))
    _settle(qtbot, lambda: dialog.order.loaded and dialog.order.combo.count() == 3)
    dialog.time.setTime(QTime(15, 0))
    dialog.ok.click()
    _settle(qtbot, lambda: bool(dialog.order.error.message))
    assert "choose the order" in dialog.order.error.message and dialog.isVisible()
    dialog.order.combo.setCurrentIndex(dialog.order.combo.findData(second))
    with qtbot.waitSignal(dialog.booked, timeout=10_000) as booked:
        dialog.ok.click()
    with clinic.unit_of_work() as uow:
        assert attendance.order_for_appointment(uow, booked.args[0].id) == second


def test_the_order_tab_books_its_required_appointments(qtbot, clinic, actors) -> None:  # type: ignore[no-untyped-def]
    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    oid = active_order(clinic, liaison, pid, start=date(2026, 11, 2), months=1, hearings=())
    tab = ProbationTab(AppContext(clinic, liaison), pid)
    qtbot.addWidget(tab)
    _settle(qtbot, lambda: tab.view is not None and tab.buttons["book"].isEnabled())
    tab.buttons["book"].click()
    dialog = tab.dialog
    assert isinstance(dialog, BookRequiredDialog)
    _settle(qtbot, lambda: dialog.save_button.isEnabled())
    dialog.first.setDateTime(QDateTime(QDate(2026, 12, 10), QTime(10, 0)))
    dialog.save_button.click()
    _settle(qtbot, lambda: bool(dialog.errors["first_start"].message) or bool(dialog.error.message))
    assert "after the order ends" in dialog.errors["first_start"].message
    dialog.first.setDateTime(QDateTime(QDate(2026, 11, 20), QTime(10, 0)))
    dialog.save_button.click()  # the series service's refusal names the same field
    _settle(qtbot, lambda: "cannot start in the past" in dialog.errors["first_start"].message)
    dialog.first.setDateTime(QDateTime(QDate(2026, 11, 24), QTime(10, 0)))
    dialog.grab().save("/tmp/shots/loops-book-required.png")
    dialog.save_button.click()
    _settle(qtbot, lambda: "booked and linked" in tab.status.text())
    assert tab.status.text().startswith("2 required appointments booked")
    with clinic.unit_of_work() as uow:
        from sqlalchemy import select

        from db.tables.probation import RequiredAppointment
        assert len(uow.session.execute(select(RequiredAppointment).where(
            RequiredAppointment.order_id == oid)).all()) == 2


def test_seen_from_the_outcomes_list_asks_on_time_or_late(qtbot, clinic, actors, clock) -> None:  # type: ignore[no-untyped-def]
    liaison, rec = actors[Role.PROBATION], actors[Role.RECEPTION]
    pid = add_person(clinic)
    oid = active_order(clinic, liaison, pid)
    ctx = AppContext(clinic, rec)
    appointment_id = book_drr(qtbot, ctx, pid, datetime(2026, 11, 23, 10, 30))
    clock.at = datetime(2026, 11, 23, 12, tzinfo=SITE_TZ)
    outcomes = OutcomesList(ctx)
    qtbot.addWidget(outcomes)
    _settle(qtbot, lambda: [r.id for r in outcomes.rows] == [appointment_id])
    outcomes.buttons["seen"].click()
    _settle(qtbot, lambda: outcomes.marker.box is not None and outcomes.marker.box.isVisible())
    box = outcomes.marker.box
    assert "makes an attendance confirmation to Probation due by" in box.text()
    late = next(b for b in box.buttons() if b.text() == "Attended &late")
    late.click()
    _settle(qtbot, lambda: outcomes.notice.text().startswith("Attended late recorded."))
    with clinic.unit_of_work() as uow:
        assert [r.outcome for r in attendance.attendance_for_order(uow, liaison, oid)] == [Outcome.ATTENDED_LATE]


def test_a_repeating_drr_booking_names_the_order(qtbot, clinic, actors) -> None:  # type: ignore[no-untyped-def]
    from ui.appointments.series_dialog import SeriesDialog

    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    active_order(clinic, liaison, pid)
    second = active_order(clinic, liaison, pid, start=date(2026, 11, 2))
    ctx = AppContext(clinic, actors[Role.RECEPTION])
    dialog = SeriesDialog(ctx, person_id=pid, person_name="Sam Example")
    qtbot.addWidget(dialog)
    dialog.open()
    _settle(qtbot, lambda: dialog.ok.isEnabled() and dialog.order.loaded and dialog.order.combo.count() == 3)
    assert dialog.form.isRowVisible(dialog.order)  # DRR is the series' first choice
    dialog.count.setValue(3)
    dialog.ok.click()
    _settle(qtbot, lambda: bool(dialog.order.error.message))
    dialog.order.combo.setCurrentIndex(dialog.order.combo.findData(second))
    with qtbot.waitSignal(dialog.booked, timeout=10_000) as booked:
        dialog.ok.click()
    with clinic.unit_of_work() as uow:
        assert {attendance.order_for_appointment(uow, a) for a in booked.args[0].appointment_ids} == {second}
