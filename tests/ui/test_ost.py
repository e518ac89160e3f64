"""Tests for ui.ost: the OST tab and worklist page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from clinic.permissions import Actor, Role
from clinic.services.ost import prescriptions as svc
from clinic.services.ost.worklists import MISSED_ALERT
from clinic.uow import Clinic
from tests.conftest import add_person
from ui import ops
from ui.context import AppContext
from ui.ost.missed_dialog import DecisionDialog, MissedDoseDialog
from ui.ost.page import OstPage
from ui.ost.review_dialog import ReviewDialog
from ui.ost.tab import OstTab
from ui.widgets.form_dialog import FormDialog

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def nurse_ctx(clinic: Clinic, actors: dict[Role, Actor]) -> Iterator[AppContext]:
    yield AppContext(clinic, actors[Role.NURSE])
    ops.wait_for_all()


@pytest.fixture
def on_ost(clinic: Clinic, actors: dict[Role, Actor]) -> int:
    person = add_person(clinic, children_in_household=True)
    with clinic.unit_of_work(write=True) as uow:
        svc.start_prescription(uow, actors[Role.PRESCRIBER], svc.StartPrescription(
            person, "methadone", "oral solution 1 mg/mL", 60, 5, 2, None, date(2026, 8, 1)))
    return person


def open_tab(qtbot: QtBot, ctx: AppContext, person: int) -> OstTab:
    tab = OstTab(ctx, person)
    qtbot.addWidget(tab)
    tab.resize(1100, 700)
    with qtbot.waitSignal(tab.loaded):
        tab.show()
    return tab


def refusals(dialog: FormDialog) -> dict[str, str]:
    """What the dialog says is wrong: by field, and on its message line ("")."""
    said = {name: e.message for name, e in dialog.errors.items() if e.message}
    return said | ({"": dialog.error.message} if dialog.error.message else {})


def closed_clean(qtbot: QtBot, dialog: FormDialog) -> None:
    """The save landed: the dialog closed and refused nothing."""
    qtbot.waitUntil(lambda: not dialog.isVisible() or bool(refusals(dialog)), timeout=5000)
    assert refusals(dialog) == {}


def test_record_a_review(qtbot: QtBot, nurse_ctx: AppContext, on_ost: int) -> None:
    tab = open_tab(qtbot, nurse_ctx, on_ost)
    assert "overdue" in tab.fields["next_review"].text()
    tab.buttons["review"].click()
    dialog = tab.dialog
    assert isinstance(dialog, ReviewDialog)
    dialog.save_button.click()
    assert dialog.errors["attendance"].message == "Choose the attendance since the last review."
    assert dialog.errors["overdose_risk"].message == "Choose the overdose risk."  # all four at once
    assert dialog.focusWidget() is dialog.attendance and dialog.isVisible()
    for box in (dialog.attendance, dialog.dose_adequacy, dialog.supervision, dialog.overdose_risk):
        box.setCurrentIndex(1)
    dialog.naloxone.setChecked(True)
    dialog.plan.setPlainText("Continue at 60 mg; review in three months.")
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        dialog.save_button.click()
    assert tab.reviews_table.rowCount() == 1
    assert tab.reviews_table.item(0, 9).text() == "Awaiting sign-off"
    assert tab.fields["next_review"].text() == "23/02/2027"


def test_missed_doses_raise_the_alert_and_a_decision_clears_it(
        qtbot: QtBot, clinic: Clinic, actors: dict[Role, Actor], nurse_ctx: AppContext, on_ost: int) -> None:
    tab = open_tab(qtbot, nurse_ctx, on_ost)
    assert tab.missed_banner.alert == ""
    assert not tab.buttons["decision"].isVisible()  # nurses cannot decide
    tab.buttons["missed"].click()
    dialog = tab.dialog
    assert isinstance(dialog, MissedDoseDialog)
    dialog.first_day.setDate(dialog.first_day.date().addDays(-2))  # 20, 21, 22 November
    dialog.days.setValue(3)
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        dialog.save_button.click()
    assert MISSED_ALERT in tab.missed_banner.alert
    assert tab.missed_banner.isVisible()
    assert tab.missed_table.rowCount() == 3

    prescriber = AppContext(clinic, actors[Role.PRESCRIBER])
    ptab = open_tab(qtbot, prescriber, on_ost)
    assert MISSED_ALERT in ptab.missed_banner.alert
    ptab.buttons["decision"].click()
    decision = ptab.dialog
    assert isinstance(decision, DecisionDialog)
    decision.note.setText("Reduce to 40 mg until seen on Wednesday")
    assert decision.decision.currentText() == "(choose)"  # never pre-filled (UI-19)
    decision.save_button.click()
    assert decision.errors["decision"].message == "Choose the decision." and decision.isVisible()
    assert decision.note.text() == "Reduce to 40 mg until seen on Wednesday"  # nothing typed is lost
    decision.decision.setCurrentIndex(decision.decision.findData("reduce"))
    with qtbot.waitSignal(ptab.loaded, timeout=5000):
        decision.save_button.click()
    assert ptab.missed_banner.alert == ""
    ops.wait_for_all()


def test_worklist_page_lists_overdue_reviews_and_alerts(qtbot: QtBot, nurse_ctx: AppContext, on_ost: int) -> None:
    page = OstPage(nurse_ctx)
    qtbot.addWidget(page)
    page.resize(1000, 500)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    assert page.tables["reviews"].rowCount() == 1
    assert page.tables["storage"].rowCount() == 1
    opened = []
    page.open_person.connect(opened.append)
    page.tabs.setCurrentIndex(2)
    page.tables["reviews"].selectRow(0)
    page.open_selected()
    assert opened == [on_ost]


def test_locking_drops_the_record(qtbot: QtBot, nurse_ctx: AppContext, on_ost: int) -> None:
    tab = open_tab(qtbot, nurse_ctx, on_ost)
    nurse_ctx.locked.emit()
    assert tab.record is None and tab.fields["dose"].text() == "" and tab.storage_banner.alert == ""


def test_pharmacies_editor_adds_corrects_and_retires(qtbot: QtBot, nurse_ctx: AppContext, clinic: Clinic,
                                                     actors: dict[Role, Actor]) -> None:
    from PySide6.QtCore import Qt

    from ui.ost.pharmacies import PharmaciesDialog

    page = OstPage(nurse_ctx)
    qtbot.addWidget(page)
    page.pharmacies_button.click()
    dialog = page.dialog
    assert isinstance(dialog, PharmaciesDialog)
    qtbot.waitSignal(dialog.loaded, timeout=5000).wait()
    assert dialog.list.count() == 0
    qtbot.keyClicks(dialog.editors["secure_email"], "not-an-address")
    qtbot.keyClick(dialog.editors["secure_email"], Qt.Key.Key_Return)  # Enter saves
    assert dialog.errors["name"].message == "Enter the pharmacy's name."
    assert dialog.errors["secure_email"].message == "The secure email address does not look right."
    dialog.editors["secure_email"].clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(dialog.editors["name"], "Station Pharmacy")
    qtbot.keyClicks(dialog.editors["address"], "1 Station Approach")
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        qtbot.keyClick(dialog.editors["name"], Qt.Key.Key_Return)
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == ["Station Pharmacy"]
    assert dialog.current.name == "Station Pharmacy" and dialog.status.text() == "Added."
    pharmacy_id, person = dialog.current.id, add_person(clinic)
    with clinic.unit_of_work(write=True) as uow:
        svc.start_prescription(uow, actors[Role.PRESCRIBER], svc.StartPrescription(
            person, "methadone", "oral solution 1 mg/mL", 60, 5, 2, pharmacy_id, date(2026, 8, 1)))
    dialog.editors["phone"].setText("01234 500401")  # type: ignore[attr-defined]
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save()
    qtbot.waitSignal(dialog.loaded, timeout=5000).wait()
    assert dialog.status.text() == "Saved." and dialog.current.phone == "01234 500401"
    dialog.retire_button.click()
    qtbot.waitUntil(lambda: dialog.retire_button.text() == "Confirm re&tire", timeout=5000)
    assert "1 person is still dispensed there" in dialog.status.text()
    dialog.resize(820, 460)
    dialog.grab().save("/tmp/shots/gap-ost-pharmacy-retire-confirm.png")
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        dialog.retire_button.click()
    assert dialog.list.item(0).text() == "Station Pharmacy  (retired)" and not dialog.retire_button.isEnabled()
    dialog.grab().save("/tmp/shots/gap-ost-pharmacies.png")
    with clinic.unit_of_work() as uow:
        assert svc.pharmacies(uow, nurse_ctx.actor) == []
        assert svc.pharmacies(uow, nurse_ctx.actor, include_retired=True)[0].phone == "01234 500401"
        current = svc.prescriptions(uow, nurse_ctx.actor, person)[0]
    from ui.ost.prescription_dialog import PrescriptionDialog

    change = PrescriptionDialog(nurse_ctx, person, (), date(2026, 11, 23), current)
    qtbot.addWidget(change)
    assert change.pharmacy.currentText() == "Station Pharmacy (retired)"  # not quietly dropped on a dose change
    assert change.pharmacy.currentData() == pharmacy_id



def test_counts_are_worded_for_their_number(qtbot: QtBot, nurse_ctx: AppContext, on_ost: int) -> None:
    """UI-31: "1 day(s) in a row" and "6 supervised, 1 take-home days a week" read as English."""
    from dataclasses import fields

    dialog = MissedDoseDialog(nurse_ctx, on_ost, date(2026, 11, 23))
    qtbot.addWidget(dialog)
    assert dialog.days.text() == "1 day in a row"
    dialog.days.setValue(3)
    assert dialog.days.text() == "3 days in a row"
    dialog.grab().save("/tmp/shots/uifix-ost-missed.png")
    values = {f.name: None for f in fields(svc.PrescriptionRow)} | {"supervised_days": 6, "take_home_days": 1}
    assert svc.PrescriptionRow(**values).supervision_text == "6 supervised days and 1 take-home day a week"


def test_the_tab_at_laptop_size(qtbot: QtBot, nurse_ctx: AppContext, on_ost: int) -> None:
    tab = open_tab(qtbot, nurse_ctx, on_ost)
    tab.resize(1366, 768)
    tab.grab().save("/tmp/shots/uifix-ost-tab.png")
    assert "5 supervised days and 2 take-home days a week" in " ".join(
        w.text() for w in tab.findChildren(QLabel))


def _decide(qtbot: QtBot, tab: OstTab, decision: str) -> None:
    tab.buttons["decision"].click()
    dialog = tab.dialog
    assert isinstance(dialog, DecisionDialog)
    dialog.decision.setCurrentIndex(dialog.decision.findData(decision))
    qtbot.keyClicks(dialog.note, "Reduced until seen on Wednesday")
    dialog.save_button.click()
    closed_clean(qtbot, dialog)


def test_a_decision_to_reduce_leads_to_the_change_and_the_pharmacy_letter(
        qtbot: QtBot, clinic: Clinic, actors: dict[Role, Actor], on_ost: int) -> None:
    """UI-30: after "Reduce the dose", Change dose… (the new dose empty) and Write to pharmacy…."""
    from ui.ost.prescription_dialog import PrescriptionDialog
    from ui.output.write_dialog import WriteLetterDialog

    tab = open_tab(qtbot, AppContext(clinic, actors[Role.PRESCRIBER]), on_ost)
    assert not tab.next_buttons["change"].isVisibleTo(tab)
    assert not tab.buttons["start"].isEnabled()  # one is active
    tab._after_decision("continue")
    assert not tab.next_buttons["change"].isVisibleTo(tab)  # nothing to act on
    _decide(qtbot, tab, "reduce")
    assert tab.next_buttons["change"].isVisibleTo(tab) and tab.next_buttons["pharmacy"].isVisibleTo(tab)
    assert not tab.next_buttons["naloxone"].isVisibleTo(tab)
    tab.grab().save("/tmp/flows-ost-next.png")
    tab.next_buttons["change"].click()
    change = tab.dialog
    assert isinstance(change, PrescriptionDialog) and change.current is not None
    assert change.current.id == tab.record.current[-1].id  # type: ignore[union-attr]
    assert change.dose.value() == 0 and change.dose.text() == "(enter the new dose)"  # no clinical value pre-filled
    qtbot.keyClicks(change.reason, "Reduced after missed doses")
    qtbot.keyClick(change.reason, Qt.Key.Key_Return)
    assert change.errors["daily_dose_mg"].message == "Enter the new daily dose." and change.isVisible()
    assert change.focusWidget() is change.dose
    change.reject()
    tab.next_buttons["pharmacy"].click()
    letter = tab.dialog
    assert isinstance(letter, WriteLetterDialog)
    qtbot.waitUntil(lambda: letter.letter_type() == "pharmacy_missed_doses", timeout=5000)
    letter.reject()


def test_a_high_overdose_risk_without_a_kit_offers_naloxone(
        qtbot: QtBot, nurse_ctx: AppContext, on_ost: int) -> None:
    from ui.counter.naloxone_dialogs import SupplyKitDialog

    tab = open_tab(qtbot, nurse_ctx, on_ost)
    tab.buttons["review"].click()
    dialog = tab.dialog
    assert isinstance(dialog, ReviewDialog)
    for box in (dialog.attendance, dialog.dose_adequacy, dialog.supervision):
        box.setCurrentIndex(1)
    dialog.overdose_risk.setCurrentIndex(dialog.overdose_risk.findData("high"))
    dialog.plan.setPlainText("Continue at 60 mg; overdose advice given.")
    dialog.save_button.click()
    closed_clean(qtbot, dialog)
    qtbot.waitUntil(lambda: tab.next_buttons["naloxone"].isVisibleTo(tab), timeout=5000)
    assert "no naloxone kit is on record" in tab.next_label.text()
    assert not tab.next_buttons["change"].isVisibleTo(tab)  # the dose was found adequate
    tab.next_buttons["naloxone"].click()
    qtbot.waitUntil(lambda: isinstance(tab.dialog, SupplyKitDialog), timeout=5000)
    assert tab.dialog.person_id == on_ost  # type: ignore[union-attr]
