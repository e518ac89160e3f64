"""The dialog walk for the dialogs this branch added or changed (issue 14):
for every role, each dialog is opened from its real button where the role
can reach it, refused with the message by the field on invalid input, then
saved with valid input and the result checked; where the role cannot reach
it, the button is not offered. The pages and tabs are reached as the shell
offers them (``ui.shell.pages`` and the person record's tabs, by permission).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QMessageBox

from clinic.clock import SITE_TZ
from clinic.permissions import Permission
from clinic.permissions import Role
from clinic.probation import Outcome
from clinic.services.probation import attendance
from clinic.services.probation import letters as probation_letters
from clinic.services.vaccination import courses as vacc
from clinic.services.vaccination import offers
from clinic.services.vaccination import stock
from tests.clinic.services.probation_fixtures import active_order, outcome
from tests.conftest import add_person
from tests.ui.conftest import settle_until
from tests.ui.test_probation_links import _drr_type
from ui.today.outcomes import OutcomesList
from ui.appointments.page import AppointmentBookPage
from ui.context import AppContext
from ui.probation import ProbationPage, ProbationTab
from ui.vaccines.page import VaccinationPage
from ui.vaccines.stock import StockView
from ui.vaccines.tab import VaccinesTab

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]




class Site:
    """People and records every walk starts from, made by the roles that own them."""

    def __init__(self, clinic, actors) -> None:  # type: ignore[no-untyped-def]
        liaison, nurse = actors[Role.PROBATION], actors[Role.NURSE]
        self.clinic, self.actors = clinic, actors
        self.ordered = add_person(clinic, "Ordered", "Olu")
        self.order = active_order(clinic, liaison, self.ordered, hearings=(date(2026, 11, 27),))
        self.consenting = add_person(clinic, "Consent", "Cam")
        self.consent_order = active_order(clinic, liaison, self.consenting)
        self.two_orders = add_person(clinic, "Twoorders", "Tia")
        active_order(clinic, liaison, self.two_orders)
        self.second_order = active_order(clinic, liaison, self.two_orders, start=date(2026, 11, 2))
        printed = outcome(clinic, liaison, self.consent_order, datetime(2026, 11, 19, 10), Outcome.UNACCEPTABLE_ABSENCE)
        with clinic.unit_of_work(write=True) as uow:
            probation_letters.batch_print(uow, liaison, [printed.notification_id])
            product = stock.add_product(uow, nurse, stock.AddProduct("Engerix B 20 micrograms", "hepb")).id
            self.batch = stock.receive_batch(uow, nurse, stock.ReceiveBatch(product, "EB1", date(2027, 6, 30), 10,
                                                                            date(2026, 10, 1))).id
        self.overdue = add_person(clinic, "Overdue", "Ola", address_lines="1 High St", postcode="EX1 1AA")
        with clinic.unit_of_work(write=True) as uow:
            vacc.start_course(uow, nurse, vacc.StartCourse(self.overdue, "hepb-standard", date(2026, 10, 2)))


# ---- one walk per dialog: returns whether the role reached it ------------------------------------


def walk_outcome(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    if not ctx.can(Permission.PROBATION_READ):
        return False  # no Probation tab on the record
    tab = _tab(qtbot, ctx, site.ordered)
    if not ctx.can(Permission.PROBATION_WRITE):
        assert not tab.buttons["outcome"].isEnabled()
        return False
    tab.buttons["outcome"].click()
    d = tab.dialog
    d.when.setDateTime(QDateTime(QDate(2026, 11, 20), QTime(10, 0)))
    qtbot.keyClick(d.evidence, Qt.Key.Key_Return)
    assert d.errors["outcome"].message == "Choose the outcome."
    d.outcome.setCurrentIndex(d.outcome.findData(Outcome.ATTENDED.value))
    d.save_button.click()
    settle_until(qtbot, lambda: not d.isVisible())
    assert tab.status.text().startswith("Attended recorded.")
    return True


def walk_book_required(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    if not ctx.can(Permission.PROBATION_READ):
        return False
    tab = _tab(qtbot, ctx, site.ordered)
    if not ctx.can(Permission.PROBATION_WRITE):
        assert not tab.buttons["book"].isEnabled()
        return False
    tab.buttons["book"].click()
    d = tab.dialog
    settle_until(qtbot, lambda: d.save_button.isEnabled())
    d.first.setDateTime(QDateTime(QDate(2027, 4, 1), QTime(10, 0)))
    d.save_button.click()
    settle_until(qtbot, lambda: bool(d.errors["first_start"].message))
    d.first.setDateTime(QDateTime(QDate(2027, 2, 1), QTime(10, 0)))
    d.save_button.click()
    settle_until(qtbot, lambda: "booked and linked" in tab.status.text())
    return True


def walk_summary(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    if not ctx.can(Permission.PROBATION_READ):
        return False
    tab = _tab(qtbot, ctx, site.ordered)
    row = next(r for r in range(tab.letters.rowCount()) if tab.letters.item(r, 1).text() == "Progress report")
    tab.letters.selectRow(row)
    if not ctx.can(Permission.PROBATION_WRITE):
        assert not tab.buttons["summary"].isEnabled()
        return False
    tab.buttons["summary"].click()
    d = tab.dialog
    d.save_button.click()
    assert d.errors["summary"].message.startswith("Write the engagement summary")
    d.text.setPlainText("Attends every week and takes part.")
    d.save_button.click()
    settle_until(qtbot, lambda: tab.status.text().startswith("Engagement summary saved"))
    return True


def walk_end_order(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    if not ctx.can(Permission.PROBATION_READ):
        return False
    tab = _tab(qtbot, ctx, site.ordered)
    if not ctx.can(Permission.PROBATION_WRITE):
        assert not tab.buttons["end"].isEnabled()
        return False
    tab.buttons["end"].click()
    d = tab.dialog
    d.save_button.click()
    assert d.errors["status"].message == "Choose how the order ended."
    d.how.setCurrentIndex(d.how.findData("transferred"))
    d.save_button.click()
    settle_until(qtbot, lambda: tab.status.text().startswith("Order ended (transferred)."))
    return True


def walk_withdraw_consent(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    if not ctx.can(Permission.PROBATION_READ):
        return False
    tab = _tab(qtbot, ctx, site.consenting)
    if not ctx.can(Permission.PROBATION_WRITE):
        assert not tab.buttons["consent"].isEnabled()
        return False
    tab.buttons["consent"].click()
    d = tab.dialog
    d.on.setDate(QDate(2026, 1, 1))
    d.save_button.click()
    settle_until(qtbot, lambda: bool(d.errors["on"].message))
    d.on.setDate(QDate(2026, 11, 23))
    d.save_button.click()
    settle_until(qtbot, lambda: "No letters will be sent" in tab.status.text())
    return True


def walk_mark_sent(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    if not ctx.can(Permission.PROBATION_READ):
        return False  # no Probation page
    page = ProbationPage(ctx)
    qtbot.addWidget(page)
    settle_until(qtbot, lambda: page.data is not None)
    if not ctx.can(Permission.LETTER_PROBATION):
        assert not page.sent_button.isEnabled()
        return False
    settle_until(qtbot, lambda: page.sent_button.isEnabled())
    page.sent_button.click()
    d = page.dialog
    d.list.item(0).setCheckState(Qt.CheckState.Unchecked)
    d.save_button.click()
    assert d.errors["ids"].message == "Tick the letters that have gone."
    d.list.item(0).setCheckState(Qt.CheckState.Checked)
    d.save_button.click()
    settle_until(qtbot, lambda: page.status.text().startswith("Marked 1 letter sent (post, "))
    return True


def walk_booking_with_order(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    if not ctx.can(Permission.APPOINTMENT_READ):
        return False  # no Appointments page
    page = AppointmentBookPage(ctx)
    qtbot.addWidget(page)
    if not ctx.can(Permission.APPOINTMENT_WRITE):
        assert page.book_button.isHidden()
        return False
    d = page.book_selected(person_id=site.two_orders, person_name="Tia Twoorders")
    settle_until(qtbot, lambda: d.ok.isEnabled())
    drr = _drr_type(site.clinic, ctx.actor)
    d.kind.setCurrentIndex(next(i for i in range(d.kind.count()) if d.kind.itemData(i)[0] == drr))
    settle_until(qtbot, lambda: d.order.loaded and d.order.combo.count() == 3)
    d.time.setTime(QTime(10, 30))
    d.ok.click()
    settle_until(qtbot, lambda: bool(d.order.error.message))
    d.order.combo.setCurrentIndex(d.order.combo.findData(site.second_order))
    with qtbot.waitSignal(d.booked, timeout=10_000) as booked:
        d.ok.click()
    with site.clinic.unit_of_work() as uow:
        assert attendance.order_for_appointment(uow, booked.args[0].id) == site.second_order
    return True


def walk_dna_question(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    """After the booking walk: at 12:00 the 10:30 DRR booking is marked DNA from the outcomes list."""
    if not ctx.can(Permission.APPOINTMENT_WRITE):
        return False
    site.clinic.clock.at = datetime(2026, 11, 23, 12, tzinfo=SITE_TZ)
    outcomes = OutcomesList(ctx)
    qtbot.addWidget(outcomes)
    settle_until(qtbot, lambda: len(outcomes.rows) == 1)
    outcomes.table.selectRow(0)
    outcomes.buttons["dna"].click()
    settle_until(qtbot, lambda: outcomes.marker.box is not None and outcomes.marker.box.isVisible())
    outcomes.marker.box.button(QMessageBox.StandardButton.No).click()  # asked, and nothing happened
    assert outcomes.notice.text() == ""
    outcomes.buttons["dna"].click()
    settle_until(qtbot, lambda: outcomes.marker.box.isVisible())
    outcomes.marker.box.button(QMessageBox.StandardButton.Yes).click()
    settle_until(qtbot, lambda: "Probation must be told" in outcomes.notice.text())
    return True


def walk_clinic_setup(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    if not ctx.can(Permission.APPOINTMENT_READ):
        return False
    page = AppointmentBookPage(ctx)
    qtbot.addWidget(page)
    if not ctx.can(Permission.SESSION_ADMIN):
        assert page.setup_button.isHidden()
        return False
    setup = page.clinic_setup()
    settle_until(qtbot, lambda: setup.type_table.rowCount() == 6)
    setup.buttons["add_room"].click()
    room = setup.child
    room.save_button.click()
    settle_until(qtbot, lambda: bool(room.errors["name"].message))
    room.name.setText("Room 9")
    room.save_button.click()
    settle_until(qtbot, lambda: setup.room_table.rowCount() == 1)
    setup.buttons["add_type"].click()
    kind = setup.child
    kind.name.setText("Outreach")
    kind.minutes.setValue(0)
    kind.save_button.click()
    settle_until(qtbot, lambda: bool(kind.errors["minutes"].message))
    kind.minutes.setValue(60)
    kind.save_button.click()
    settle_until(qtbot, lambda: setup.type_table.rowCount() == 7)
    setup.buttons["new_session"].click()
    session = setup.child
    session.day.setDate(QDate(2026, 11, 24))
    session.end.setTime(QTime(9, 0))
    session.save_button.click()
    settle_until(qtbot, lambda: bool(session.errors["end_time"].message))
    session.end.setTime(QTime(12, 0))
    session.save_button.click()
    settle_until(qtbot, lambda: setup.session_table.rowCount() == 1)
    return True


def walk_hepb_offer(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    if not ctx.can(Permission.VACCINATION_READ):
        return False  # no Vaccinations tab
    tab = VaccinesTab(ctx, site.ordered)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        tab.show()
    if not ctx.can(Permission.VACCINATION_WRITE):
        assert tab.buttons["offer"].isHidden()
        return False
    tab.buttons["offer"].click()
    d = tab.dialog
    d.what_happened.setCurrentIndex(d.what_happened.findData("declined"))
    d.save_button.click()
    settle_until(qtbot, lambda: bool(d.errors["reason"].message))
    d.reason.setText("Wants to think about it")
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        d.save_button.click()
    with site.clinic.unit_of_work() as uow:
        assert [r.event for r in offers.hepb_offers(uow, ctx.actor, site.ordered).rows] == ["declined"]
    return True


def walk_write_off(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    if not ctx.can(Permission.VACCINATION_READ):
        return False  # no Stock tab
    view = StockView(ctx)
    qtbot.addWidget(view)
    view.refresh()
    settle_until(qtbot, lambda: view.table.rowCount() == 1)
    if not ctx.can(Permission.VACCINE_STOCK_WRITE):
        assert view.write_off.isHidden()
        return False
    view.table.selectRow(0)
    view.write_off.click()
    d = view.dialog
    d.save_button.click()
    settle_until(qtbot, lambda: bool(d.errors["reason"].message))
    d.reason.setCurrentText("Damaged")
    d.save_button.click()
    settle_until(qtbot, lambda: not d.isVisible())
    with site.clinic.unit_of_work() as uow:
        assert stock.stock(uow, ctx.actor, in_use_only=True) == []
    return True


def walk_recalls(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    if not ctx.can(Permission.VACCINATION_READ):
        return False  # no Vaccinations page
    page = VaccinationPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    if not ctx.can(Permission.LETTER_CLINICAL):
        assert page.recall_button.isHidden()
        return False
    page.tabs.setCurrentWidget(page.lists["overdue"])
    page.recall_button.click()
    assert "Select the people" in page.recall_status.text()
    page.lists["overdue"].table.selectAll()
    page.recall_button.click()
    d = page.dialog
    settle_until(qtbot, lambda: d.print_button.isEnabled())
    d.print_fn = lambda pdf, parent: True
    with qtbot.waitSignal(d.batch_done, timeout=10_000):
        d.print_button.click()
    assert d.status.text() == "1 letter filed."
    return True


def _tab(qtbot, ctx, pid) -> ProbationTab:  # type: ignore[no-untyped-def]
    tab = ProbationTab(ctx, pid)
    qtbot.addWidget(tab)
    settle_until(qtbot, lambda: tab.view is not None)
    return tab


WALKS = (walk_outcome, walk_book_required, walk_summary, walk_end_order, walk_withdraw_consent, walk_mark_sent,
         walk_booking_with_order, walk_dna_question, walk_clinic_setup, walk_hepb_offer, walk_write_off,
         walk_recalls)
BOOKING = ["walk_booking_with_order", "walk_dna_question"]
NURSING = [*BOOKING, "walk_hepb_offer", "walk_write_off", "walk_recalls"]
REACHED = {
    Role.RECEPTION: BOOKING,
    Role.NURSE: NURSING,
    Role.PRESCRIBER: NURSING,
    Role.PROBATION: ["walk_outcome", "walk_book_required", "walk_summary", "walk_end_order",
                     "walk_withdraw_consent", "walk_mark_sent", *BOOKING],
    Role.MANAGER: ["walk_clinic_setup"],
    Role.ADMIN: [],  # has the session permission but no Appointments page (no appointment.read)
}


@pytest.mark.parametrize("role", list(Role))
def test_dialog_walk(qtbot, clinic, actors, role: Role) -> None:  # type: ignore[no-untyped-def]
    site = Site(clinic, actors)
    ctx = AppContext(clinic, actors[role])
    reached = [walk.__name__ for walk in WALKS if walk(qtbot, ctx, site)]
    assert reached == REACHED[role]
