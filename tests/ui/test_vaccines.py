"""Tests for ui.vaccines: the person's Vaccinations tab and the nurse page."""

from __future__ import annotations

import os
from datetime import date

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from clinic.bbv import Result, SampleType, TestKind
from clinic.permissions import Actor, Role
from clinic.services import bbv as bbv_svc
from clinic.services.vaccination import courses as svc
from clinic.services.vaccination import stock
from clinic.uow import Clinic
from tests.conftest import add_person
from ui import ops
from ui.context import AppContext
from ui.vaccines.dialogs import AntiHbsDialog, DoseDialog, StartCourseDialog
from ui.vaccines.page import VaccinationPage
from ui.vaccines.stock import AddProductDialog, ReceiveBatchDialog
from ui.vaccines.tab import VaccinesTab
from ui.widgets.form_dialog import FormDialog
from ui.widgets.reason_dialog import ReasonDialog

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]
SHOTS = os.environ.get("HARBOUR_SHOTS")  # a folder: save screenshots there
TODAY = date(2026, 11, 23)


@pytest.fixture
def ctx_role() -> Role:
    return Role.NURSE


def shot(widget: object, name: str) -> None:
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, f"vacc-{name}.png"))  # type: ignore[attr-defined]


def receive(clinic: Clinic, actor: Actor, vaccine: str = "hepb", expiry: date = date(2027, 6, 30)) -> int:
    with clinic.unit_of_work(write=True) as uow:
        product = stock.add_product(uow, actor, stock.AddProduct("Engerix B 20 micrograms", vaccine)).id
        return stock.receive_batch(uow, actor, stock.ReceiveBatch(product, "EB26A", expiry, 20,
                                                                  date(2026, 10, 1))).id


def show(qtbot: QtBot, widget: VaccinesTab | VaccinationPage) -> None:
    qtbot.addWidget(widget)
    widget.resize(1000, 560)
    with qtbot.waitSignal(widget.loaded, timeout=5000):
        widget.show()


def test_start_course_record_dose_see_next_planned(qtbot: QtBot, ctx: AppContext, clinic: Clinic,
                                                     actors: dict[Role, Actor]) -> None:
    receive(clinic, actors[Role.NURSE])
    person = add_person(clinic)
    tab = VaccinesTab(ctx, person)
    show(qtbot, tab)
    assert "No vaccinations recorded" in tab.summary.text()
    tab.buttons["start"].click()
    dialog = tab.dialog
    assert isinstance(dialog, StartCourseDialog)
    assert "dose 3: 23/05/2027" in dialog.plan.text()
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        dialog.save_button.click()
    course = tab.tree.topLevelItem(0)
    assert course.text(0) == "Hepatitis B, standard (0, 1, 6 months) — in progress"
    assert [course.child(i).text(3) for i in range(3)] == ["◷ Due today", "• Planned", "• Planned"]
    # due today says so (UI-28)

    tab.tree.setCurrentItem(course.child(0))
    tab.buttons["dose"].click()
    dose = tab.dialog
    assert isinstance(dose, DoseDialog)
    assert "batch EB26A" in dose.batch.currentText()
    dose.save_button.click()  # no consent yet: refused next to the field
    assert "consent" in dose.errors["consent"].message
    dose.consent.setChecked(True)
    dose.site.setCurrentText("Left deltoid")
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        dose.save_button.click()
    course = tab.tree.topLevelItem(0)
    assert [course.child(i).text(3) for i in range(3)] == ["✓ Given", "• Planned", "• Planned"]
    assert course.child(1).text(1) == "23/12/2026"
    assert "next dose due 23/12/2026" in tab.summary.text()
    shot(tab, "tab")


def test_expired_batch_not_offered_and_refused_next_to_the_batch(
        qtbot: QtBot, ctx: AppContext, clinic: Clinic, actors: dict[Role, Actor]) -> None:
    receive(clinic, actors[Role.NURSE], expiry=date(2026, 11, 22))  # expired yesterday
    person = add_person(clinic)
    with clinic.unit_of_work(write=True) as uow:
        svc.start_course(uow, actors[Role.NURSE], svc.StartCourse(person, "hepb-standard", date(2026, 11, 23)))
    tab = VaccinesTab(ctx, person)
    show(qtbot, tab)
    tab.tree.setCurrentItem(tab.tree.topLevelItem(0))
    tab.buttons["dose"].click()
    dose = tab.dialog
    assert isinstance(dose, DoseDialog)
    assert dose.batch.count() == 0
    dose.consent.setChecked(True)
    dose.site.setCurrentText("Left deltoid")
    dose.save_button.click()
    assert "No batch of this vaccine is in stock" in dose.errors["batch_id"].message
    assert dose.isVisible()


def test_nurse_page_worklists_show_the_right_people(qtbot: QtBot, ctx: AppContext, clinic: Clinic,
                                                     actors: dict[Role, Actor]) -> None:
    nurse = actors[Role.NURSE]
    batch = receive(clinic, nurse)
    due = add_person(clinic, surname="Duesoon", forename="Dee")
    late = add_person(clinic, surname="Overdue", forename="Olly")
    tested = add_person(clinic, surname="Tested", forename="Tess")
    for person, first in ((due, date(2026, 10, 27)), (late, date(2026, 10, 2))):
        with clinic.unit_of_work(write=True) as uow:
            course = svc.start_course(uow, nurse, svc.StartCourse(person, "hepb-standard", first)).id
            svc.record_dose(uow, nurse, svc.RecordDose(person, batch, first, "Left deltoid", "Intramuscular",
                                                       True, course))
    with clinic.unit_of_work(write=True) as uow:
        (test_id,) = bbv_svc.record_test(uow, nurse, bbv_svc.RecordTest(
            tested, (TestKind.HCV_ANTIBODY,), SampleType.DRIED_BLOOD_SPOT, date(2026, 11, 2))).ids
        bbv_svc.record_result(uow, nurse, bbv_svc.RecordResult(test_id, Result.NEGATIVE, date(2026, 11, 9)))
    page = VaccinationPage(ctx)
    show(qtbot, page)
    names = page.worklist_names()
    assert names["due"] == ["DUESOON, Dee"]
    assert names["overdue"] == ["OVERDUE, Olly"]
    assert names["not_given"] == ["TESTED, Tess"]
    assert names["awaiting"] == []
    with qtbot.waitSignal(page.open_person) as opened:
        page.lists["due"].table.selectRow(0)
        page.lists["due"].open_current()
    assert opened.args == [due]
    shot(page, "page")
    page.tabs.setCurrentWidget(page.stock)
    qtbot.waitUntil(lambda: page.stock.table.rowCount() == 1)
    assert page.stock.table.item(0, 4).text() == "20"
    shot(page, "stock")


def test_probation_sees_no_vaccination_data(qtbot: QtBot, clinic: Clinic, actors: dict[Role, Actor]) -> None:
    ctx = AppContext(clinic, actors[Role.PROBATION])
    person = add_person(clinic)
    tab = VaccinesTab(ctx, person)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(ctx.error_shown, timeout=5000) as shown:
        tab.show()
    assert "does not allow" in shown.args[0]
    assert tab.tree.topLevelItemCount() == 0
    ops.wait_for_all()


def test_book_next_dose_opens_the_booking_on_the_due_date(qtbot: QtBot, ctx: AppContext, clinic: Clinic,
                                                          actors: dict[Role, Actor]) -> None:
    from clinic.permissions import Permission
    from db.tables.appointments import Appointment, AppointmentType
    from ui.widgets.booking_dialog import BookingDialog

    nurse = actors[Role.NURSE]
    batch = receive(clinic, nurse)
    person = add_person(clinic, surname="Booker", forename="Bea")
    with clinic.unit_of_work(write=True) as uow:
        course = svc.start_course(uow, nurse, svc.StartCourse(person, "hepb-standard", date(2026, 11, 23))).id
        svc.record_dose(uow, nurse, svc.RecordDose(person, batch, date(2026, 11, 23), "Left deltoid",
                                                   "Intramuscular", True, course))
    tab = VaccinesTab(ctx, person)
    show(qtbot, tab)
    tab.tree.setCurrentItem(tab.tree.topLevelItem(0).child(1))
    assert tab.buttons["book"].isEnabled()
    tab.buttons["book"].click()
    qtbot.waitUntil(lambda: isinstance(tab.dialog, BookingDialog) and tab.dialog.ok.isEnabled(), timeout=5000)
    dialog = tab.dialog
    assert isinstance(dialog, BookingDialog)
    qtbot.waitUntil(lambda: dialog.person.label.text().startswith("BOOKER, Bea · "), timeout=5000)
    assert dialog.person.label.text().endswith(f"H{person:06d}")  # named with DOB and client number (UI-4)
    assert dialog.date.date().toPython() == date(2026, 12, 23) and dialog.time.time().toString("HH:mm") == "10:00"
    assert dialog.kind.currentText().startswith("Vaccination")
    dialog.resize(520, dialog.sizeHint().height())
    dialog.grab().save("/tmp/shots/gap-vaccines-book-next-dose.png")
    tab.grab().save("/tmp/shots/gap-vaccines-tab-book-button.png")
    with qtbot.waitSignal(dialog.booked, timeout=5000) as booked:
        dialog.ok.click()
    with clinic.unit_of_work() as uow:
        row = uow.session.get(Appointment, booked.args[0].id)
        assert row.person_id == person and row.start.date() == date(2026, 12, 23)
        assert uow.session.get(AppointmentType, row.type_id).code == "vaccination"

    class NoBooking(AppContext):
        def can(self, permission: Permission) -> bool:
            return permission is not Permission.APPOINTMENT_WRITE and super().can(permission)

    other = VaccinesTab(NoBooking(clinic, nurse), person)
    show(qtbot, other)
    assert other.buttons["book"].isHidden()


def test_course_plan_flags_a_bank_holiday(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    """UI-27: dose 2 planned on 1 January 2027 was not flagged."""
    from datetime import date

    from ui.vaccines.dialogs import StartCourseDialog

    person = add_person(clinic)
    dialog = StartCourseDialog(ctx, person, date(2026, 11, 23), date(1985, 7, 3))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.first.setText("01/12/2026")  # a one-month gap puts dose 2 on 1 January 2027
    for i in range(dialog.schedule.count()):
        dialog.schedule.setCurrentIndex(i)
        if "01/01/2027" in dialog.plan.text():
            break
    assert "01/01/2027 (⚠ bank holiday" in dialog.plan.text()


def test_book_next_dose_defaults_to_me_and_to_a_working_day(qtbot: QtBot, ctx: AppContext, clinic: Clinic,
                                                            actors: dict[Role, Actor]) -> None:
    """UI-7: the next dose is due on a closure day, so the booking opens on the
    next working day, with the signed-in nurse (who holds sessions then) as the
    clinician rather than the first name in the list."""
    from datetime import time

    from clinic.services.appointments import sessions
    from clinic.services import site_settings
    from ui.widgets.booking_dialog import BookingDialog

    nurse, admin = actors[Role.NURSE], actors[Role.ADMIN]
    batch = receive(clinic, nurse)
    person = add_person(clinic, surname="Booker", forename="Bea")
    with clinic.unit_of_work(write=True) as uow:
        course = svc.start_course(uow, nurse, svc.StartCourse(person, "hepb-standard", date(2026, 11, 23))).id
        svc.record_dose(uow, nurse, svc.RecordDose(person, batch, date(2026, 11, 23), "Left deltoid",
                                                   "Intramuscular", True, course))
    with clinic.unit_of_work(write=True) as uow:  # due Wed 23 Dec: the clinic is closed that day
        site_settings.change(uow, admin, {"workdays.closures": ["2026-12-23"]})
        room = sessions.add_room(uow, admin, "Room 1").id
    with clinic.unit_of_work(write=True) as uow:
        sessions.create_session(uow, admin, sessions.SessionSpec(nurse.staff_id, room, date(2026, 12, 24),
                                                                 time(9), time(12), 15))
    tab = VaccinesTab(ctx, person)
    show(qtbot, tab)
    tab.tree.setCurrentItem(tab.tree.topLevelItem(0).child(1))
    tab.buttons["book"].click()
    qtbot.waitUntil(lambda: isinstance(tab.dialog, BookingDialog) and tab.dialog.ok.isEnabled(), timeout=5000)
    dialog = tab.dialog
    assert isinstance(dialog, BookingDialog)
    assert dialog.date.date().toPython() == date(2026, 12, 24)
    assert dialog.clinician.currentData() == nurse.staff_id
    dialog.grab().save("/tmp/shots/uifix-vaccines-book-next-dose.png")
    dialog.reject()
    ops.wait_for_all()


def _refused_at(qtbot: QtBot, dialog: FormDialog, field: str, words: str) -> None:
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.save_button.click()
    qtbot.waitUntil(lambda: words in dialog.errors[field].message, timeout=5000)
    assert dialog.isVisible() and dialog.error.message == ""


def test_each_dialog_puts_the_services_refusal_by_the_field_it_names(
        qtbot: QtBot, ctx: AppContext, clinic: Clinic, actors: dict[Role, Actor]) -> None:
    """The service says which field it refuses (clinic.errors.Refused.field); no words are matched."""
    nurse = actors[Role.NURSE]
    receive(clinic, nurse)
    born = date(2026, 11, 20)
    person = add_person(clinic, date_of_birth=born)
    start = StartCourseDialog(ctx, person, TODAY, born)
    start.first.setDate(QDate(2026, 11, 19))
    _refused_at(qtbot, start, "first_dose_on", "before the person's date of birth")

    with clinic.unit_of_work(write=True) as uow:
        course = svc.start_course(uow, nurse, svc.StartCourse(person, "hepb-standard", TODAY)).id
        batches = stock.stock(uow, nurse, vaccine="hepb")
    dose = DoseDialog(ctx, person, TODAY, batches, course_id=course, vaccine="hepb")
    dose.given_on.setDate(QDate(2026, 11, 19))
    dose.site.setCurrentText("Left deltoid")
    dose.consent.setChecked(True)
    _refused_at(qtbot, dose, "given_on", "before the date of birth")

    anti = AntiHbsDialog(ctx, person, TODAY)
    anti.taken_on.setDate(QDate(2026, 11, 19))
    anti.level.setValue(25)
    _refused_at(qtbot, anti, "taken_on", "before the date of birth")

    # The service's own refusal of the reason (the dialog refuses an empty one before it asks).
    stop = ReasonDialog(ctx, "Stop this course", "&Reason",
                        lambda _typed: lambda uow: svc.stop_course(uow, nurse, svc.StopCourse(course, " ")))
    qtbot.keyClicks(stop.reason, "Moved away")
    _refused_at(qtbot, stop, "reason", "Say why")


def test_stock_dialogs_put_the_services_refusal_by_the_field_it_names(
        qtbot: QtBot, ctx: AppContext, clinic: Clinic, actors: dict[Role, Actor]) -> None:
    product = AddProductDialog(ctx)
    qtbot.keyClicks(product.name, "Engerix B " * 30)  # longer than the column holds
    _refused_at(qtbot, product, "name", "too long")

    with clinic.unit_of_work(write=True) as uow:
        stock.add_product(uow, actors[Role.NURSE], stock.AddProduct("Engerix B 20 micrograms", "hepb"))
        products = stock.products(uow, actors[Role.NURSE])
    batch = ReceiveBatchDialog(ctx, products, TODAY)
    qtbot.keyClicks(batch.number, "EB26A")
    batch.quantity.setValue(0)
    _refused_at(qtbot, batch, "quantity", "at least 1")
    batch.quantity.setValue(10)
    batch.expiry.setDate(QDate(2026, 11, 1))
    batch.save_button.click()
    qtbot.waitUntil(lambda: "before it was received" in batch.errors["expiry"].message, timeout=5000)
