"""Tests for ui.counter: the NSP counter by keyboard, naloxone kits, AUDIT-C to AUDIT."""

from __future__ import annotations

import os
from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from clinic.permissions import Actor, Role
from clinic.services.harm_reduction import naloxone as kits
from clinic.uow import Clinic
from db.tables.harm_reduction import AlcoholScreen, NaloxoneUse, NspVisit
from tests.conftest import add_person
from ui import ops
from ui.context import AppContext
from ui.counter.alcohol_dialogs import AuditDialog
from ui.counter.naloxone_dialogs import ReportUsedDialog, SupplyKitDialog
from ui.counter.page import CounterPage
from ui.counter.tab import HarmReductionTab

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]
SHOTS = os.environ.get("HARBOUR_SHOTS")


@pytest.fixture
def ctx_role() -> Role:
    return Role.NURSE


def shoot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        widget.resize(1366, 768)
        widget.grab().save(f"{SHOTS}/{name}.png")


def open_counter(qtbot: QtBot, ctx: AppContext) -> CounterPage:
    page = CounterPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitUntil(lambda: bool(page.form.spins))
    return page


def type_code(qtbot: QtBot, page: CounterPage, initials: str, dob: str, gender_key: str) -> None:
    form = page.form
    qtbot.keyClicks(form.initials, initials)
    qtbot.keyClicks(form.dob, dob)
    form.gender.setFocus()
    while form.gender.currentData() != gender_key:
        qtbot.keyClick(form.gender, Qt.Key.Key_Down)


def type_count(qtbot: QtBot, spin, text: str) -> None:  # type: ignore[no-untyped-def]
    spin.setFocus()  # focus selects the number, so typing replaces it
    qtbot.keyClicks(spin, text)


def test_a_pseudonymous_visit_then_a_repeat_found_by_the_same_code(qtbot: QtBot, ctx: AppContext,
                                                                   clinic: Clinic) -> None:
    page = open_counter(qtbot, ctx)
    form = page.form
    type_code(qtbot, page, "js", "03071985", "M")
    qtbot.waitUntil(lambda: "JS03071985M" in form.visitor_label.text() and "first visit" in form.visitor_label.text())
    # Tab from gender into the item grid, type numbers
    qtbot.keyClick(form.gender, Qt.Key.Key_Tab)
    first_spin = form.spins[0][1]
    assert first_spin.hasFocus()
    qtbot.keyClicks(first_spin, "10")
    qtbot.keyClick(first_spin, Qt.Key.Key_Tab)
    qtbot.keyClicks(form.spins[1][1], "5")
    type_count(qtbot, form.bins, "1")
    form.advice["overdose"].setChecked(True)
    shoot(page, "counter-code-visit")
    with qtbot.waitSignal(form.saved, timeout=5000):
        qtbot.keyClick(form.bins, Qt.Key.Key_Return)
    assert "Saved: JS03071985M, 15 items given" in form.status.text()
    assert form.search.hasFocus() and form.initials.text() == ""

    # the same person comes back: the code typed differently finds the first visit
    type_code(qtbot, page, "J.S", "3/7/1985", "M")
    qtbot.waitUntil(lambda: "1 earlier visit" in form.visitor_label.text())
    type_count(qtbot, form.spins[0][1], "20")
    with qtbot.waitSignal(form.saved, timeout=5000):
        qtbot.keyClick(form.spins[0][1], Qt.Key.Key_Enter)
    with clinic.unit_of_work() as uow:
        visits = uow.session.execute(select(NspVisit.pseudonym, NspVisit.items_issued, NspVisit.bins_returned,
                                            NspVisit.advice).order_by(NspVisit.id)).all()
    assert visits == [("JS03071985M", 15, 1, "overdose"), ("JS03071985M", 20, 0, "")]


def test_a_registered_person_found_by_search_and_a_refusal_shown_by_the_items(qtbot: QtBot, ctx: AppContext,
                                                                              clinic: Clinic) -> None:
    add_person(clinic, "Counterman", "Ola")
    page = open_counter(qtbot, ctx)
    form = page.form
    qtbot.keyClicks(form.search, "counterm")
    qtbot.waitUntil(lambda: len(form.hits) == 1)
    qtbot.keyClick(form.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "COUNTERMAN, Ola" in form.visitor_label.text())
    assert form.spins[0][1].hasFocus() and page.kit_button.isEnabled()
    qtbot.keyClick(form.spins[0][1], Qt.Key.Key_Return)  # nothing entered
    qtbot.waitUntil(lambda: form.items_error.message != "")
    assert "Enter what was given" in form.items_error.message


def test_an_under_18_visit_shows_the_young_person_box(qtbot: QtBot, ctx: AppContext) -> None:
    page = open_counter(qtbot, ctx)
    form = page.form
    type_code(qtbot, page, "KT", "01012010", "F")
    qtbot.waitUntil(lambda: form.young.isVisible())
    assert "Under 18" in form.young_banner.alert
    type_count(qtbot, form.spins[0][1], "5")
    qtbot.keyClick(form.spins[0][1], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.young_error.message != "")
    shoot(page, "counter-under-18")
    form.assessed.setChecked(True)
    qtbot.keyClicks(form.assessment, "Injecting daily, would share otherwise")
    with qtbot.waitSignal(form.saved, timeout=5000):
        qtbot.keyClick(form.assessment, Qt.Key.Key_Return)
    assert "flagged for safeguarding" in form.status.text()
    page.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: page.young.rowCount() == 1)


@pytest.fixture
def person_with_stock(clinic: Clinic, actors: dict[Role, Actor]) -> int:
    person = add_person(clinic, "Kitholder", "Mo", injects=True)
    with clinic.unit_of_work(write=True) as uow:
        kits.receive_kits(uow, actors[Role.NURSE], kits.ReceiveKits("Prenoxad 1mg/ml", "PX-1", date(2028, 3, 1), 5,
                                                                     date(2026, 11, 1)))
    return person


def open_tab(qtbot: QtBot, ctx: AppContext, person: int) -> HarmReductionTab:
    tab = HarmReductionTab(ctx, person)
    qtbot.addWidget(tab)
    tab.resize(1100, 600)
    with qtbot.waitSignal(tab.loaded):
        tab.show()
    return tab


def test_a_kit_supplied_and_later_reported_used(qtbot: QtBot, ctx: AppContext, clinic: Clinic,
                                                person_with_stock: int) -> None:
    tab = open_tab(qtbot, ctx, person_with_stock)
    assert tab.status.text().startswith("No naloxone kit")
    assert not tab.buttons["used"].isEnabled()
    tab.buttons["supply"].click()
    dialog = tab.dialog
    assert isinstance(dialog, SupplyKitDialog)
    assert dialog.recipient.currentData() is None and dialog.reason.currentData() is None  # nothing assumed
    dialog.batch.setCurrentIndex(1)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.errors["recipient"].message != "")
    dialog.recipient.setCurrentIndex(dialog.recipient.findData("person"))
    dialog.reason.setCurrentIndex(dialog.reason.findData("first"))
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        dialog.save_button.click()
    assert tab.status.text().startswith("Holds an in-date naloxone kit")
    assert tab.log.item(0, 1).text() == "Naloxone supplied"

    tab.buttons["used"].click()
    used = tab.dialog
    assert isinstance(used, ReportUsedDialog)
    assert used.ambulance.currentData() is None and used.outcome.currentData() is None
    shoot(used, "counter-kit-used")
    used.ambulance.setCurrentIndex(used.ambulance.findData(True))
    used.outcome.setCurrentIndex(used.outcome.findData("survived"))
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        used.save_button.click()
    # the resupply is offered straight away, for the reason "used"
    qtbot.waitUntil(lambda: isinstance(tab.dialog, SupplyKitDialog) and tab.dialog is not dialog)
    assert tab.dialog.reason.currentData() == "used"
    assert tab.status.text().startswith("No naloxone kit")
    shoot(tab, "counter-harm-reduction-tab")
    with clinic.unit_of_work() as uow:
        use = uow.session.execute(select(NaloxoneUse)).scalar_one()
    assert (use.ambulance_called, use.outcome) == (True, "survived")
    tab.dialog.reject()


def test_an_audit_c_positive_leads_to_the_full_audit(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    person = add_person(clinic, "Drinker")
    tab = open_tab(qtbot, ctx, person)
    tab.buttons["audit"].click()
    dialog = tab.dialog
    assert isinstance(dialog, AuditDialog)
    assert all(q.currentData() is None for q in dialog.questions)  # no answer pre-filled
    assert not dialog.full_audit_shown
    for number, score in ((0, 2), (1, 2), (2, 0)):
        combo = dialog.questions[number]
        combo.setFocus()
        for _ in range(score + 1):
            qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert "AUDIT-C 4: negative" in dialog.score.text() and not dialog.full_audit_shown
    qtbot.keyClick(dialog.questions[2], Qt.Key.Key_Down)  # question 3 now scores 1: total 5
    assert dialog.full_audit_shown and "positive" in dialog.score.text()
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.errors["q4"].message != "")
    for combo in dialog.questions[3:]:
        combo.setCurrentIndex(1)  # the lowest answer, chosen
    dialog.questions[8].setCurrentIndex(2)  # question 9: "yes, but not in the last year" scores 2
    assert "AUDIT 7: zone 1" in dialog.score.text()
    shoot(dialog, "counter-audit")
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        dialog.save_button.click()
    assert "zone 1" in tab.message.text()
    with clinic.unit_of_work() as uow:
        screen = uow.session.execute(select(AlcoholScreen)).scalar_one()
    assert (screen.audit_c_score, screen.audit_score, screen.audit_zone, screen.audit_answers) == (
        5, 7, 1, "2210000020")
    ops.wait_for_all()


def test_the_drop_in_queue_opens_the_counter_for_that_person(qtbot: QtBot, clinic: Clinic,
                                                             actors: dict[Role, Actor]) -> None:
    from clinic.services import queue
    from ui.shell.main_window import MainWindow
    from ui.today.page import TodayPage

    person = add_person(clinic, "Queuer", "Bo")
    with clinic.unit_of_work(write=True) as uow:
        queue.add_walk_in(uow, actors[Role.RECEPTION], queue.AddWalkIn(person, "needle exchange", ""))
    ctx = AppContext(clinic, actors[Role.NURSE])
    window = MainWindow(ctx, site_name="Test site", idle_minutes=60)
    qtbot.addWidget(window)
    window.show()
    today = window.page("Today")
    assert isinstance(today, TodayPage) and today.queue is not None
    qtbot.waitUntil(lambda: today.queue.table.rowCount() == 1)
    today.queue.table.selectRow(0)
    today.queue.counter_button.click()
    counter = window.page("Counter")
    assert isinstance(counter, CounterPage) and window.stack.currentWidget() is counter
    qtbot.waitUntil(lambda: "QUEUER, Bo" in counter.form.visitor_label.text())
    assert counter.form.person_id == person
    window.close()
    ops.wait_for_all()


@pytest.mark.parametrize("ctx_role", [Role.RECEPTION])
def test_reception_sees_only_the_counter_and_is_told_when_the_site_forbids_it(qtbot: QtBot, ctx: AppContext,
                                                                              clinic: Clinic,
                                                                              actors: dict[Role, Actor]) -> None:
    from clinic.services import site_settings

    page = open_counter(qtbot, ctx)
    assert page.tabs.count() == 1 and not page.kit_button.isVisibleTo(page)
    assert page.form.save_button.isEnabled()
    with clinic.unit_of_work(write=True) as uow:
        site_settings.change(uow, actors[Role.ADMIN], {"nsp.reception_may_record": 0})
    page = open_counter(qtbot, ctx)
    qtbot.waitUntil(lambda: "does not let reception" in page.form.status.text())
    assert not page.form.save_button.isEnabled()


def test_the_no_kit_worklist_opens_the_persons_record(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    person = add_person(clinic, "Nokit", "Jay", injects=True)
    page = open_counter(qtbot, ctx)
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.no_kit.rowCount() == 1)
    assert page.no_kit.item(0, 0).text() == "NOKIT, Jay"
    page.no_kit.setFocus()
    page.no_kit.setCurrentCell(0, 0)
    with qtbot.waitSignal(page.open_person) as opened:
        qtbot.keyClick(page.no_kit, Qt.Key.Key_Return)
    assert opened.args == [person]
