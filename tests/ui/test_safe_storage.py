"""Tests for ui.safe_storage: the person's boxes tab and the stock page."""

from __future__ import annotations

from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from clinic.permissions import Actor, Role
from clinic.services.ost import prescriptions as ost_svc
from clinic.services import safe_storage as svc
from clinic.uow import Clinic
from tests.conftest import add_person
from tests.ui.conftest import choose
from ui.context import AppContext
from ui.ost.tab import OstTab
from ui.safe_storage.box_dialog import BoxDialog
from ui.safe_storage.page import SafeStoragePage, parse_numbers
from ui.safe_storage.tab import SafeStorageTab

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def ctx_role() -> Role:
    return Role.NURSE


@pytest.fixture
def parent_on_take_home(clinic: Clinic, actors: dict[Role, Actor]) -> int:
    person = add_person(clinic, children_in_household=True)
    with clinic.unit_of_work(write=True) as uow:
        ost_svc.start_prescription(uow, actors[Role.PRESCRIBER], ost_svc.StartPrescription(
            person, "buprenorphine", "sublingual tablets", 16, 4, 3, None, date(2026, 9, 1)))
        svc.receive_boxes(uow, actors[Role.NURSE], svc.ReceiveBoxes(("SSB-1", "SSB-2"), date(2026, 10, 1)))
    return person


def test_issue_a_box_and_the_alert_clears(qtbot: QtBot, ctx: AppContext, parent_on_take_home: int) -> None:
    tab = SafeStorageTab(ctx, parent_on_take_home)
    ost_tab = OstTab(ctx, parent_on_take_home)
    for w in (tab, ost_tab):
        qtbot.addWidget(w)
        w.resize(900, 500)
        with qtbot.waitSignal(w.loaded):
            w.show()
    assert "no safe-storage box" in tab.banner.alert
    assert "no safe-storage box" in ost_tab.storage_banner.alert
    tab.buttons["issue"].click()
    dialog = tab.dialog
    assert isinstance(dialog, BoxDialog)
    assert dialog.box.currentText() == "SSB-1"
    choose(qtbot, dialog.reason, 1)  # "Children in the household"
    dialog.advice.setChecked(True)
    with qtbot.waitSignals([tab.loaded, ost_tab.loaded], timeout=5000):
        dialog.save_button.click()
    assert tab.banner.alert == "" and ost_tab.storage_banner.alert == ""
    assert "SSB-1" in tab.held.text()
    assert tab.log.item(0, 1).text() == "Issued"
    # The advice leaflet is offered straight away, already naming the box.
    leaflet = tab.leaflet
    assert leaflet.letter_type() == "safe_storage_leaflet"
    qtbot.waitUntil(lambda: leaflet.preview.page_count() == 1, timeout=10_000)
    leaflet.reject()


def test_issuing_a_box_already_issued_says_so(qtbot: QtBot, ctx: AppContext, clinic: Clinic,
                                               actors: dict[Role, Actor], parent_on_take_home: int) -> None:
    other = add_person(clinic, "Other")
    with clinic.unit_of_work(write=True) as uow:
        svc.issue_box(uow, actors[Role.NURSE], svc.IssueBox(other, "SSB-1", date(2026, 11, 2),
                                                             "children_in_household", True))
    tab = SafeStorageTab(ctx, parent_on_take_home)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.loaded):
        tab.show()
    tab.open_dialog("issue")
    dialog = tab.dialog
    assert isinstance(dialog, BoxDialog)
    dialog.box.setEditText("SSB-1")
    choose(qtbot, dialog.reason, 1)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.errors["box_number"].message == "Box SSB-1 is already issued")
    assert dialog.box.currentText() == "SSB-1" and dialog.isVisible()


def test_receive_a_delivery_on_the_stock_page(qtbot: QtBot, ctx: AppContext) -> None:
    page = SafeStoragePage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.show()
    assert page.table.rowCount() == 0
    page.numbers.setText("A1, A2\nA3")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.receive_button.click()
    assert page.table.rowCount() == 3
    assert "Issued this quarter" in page.quarter.text()


def test_parse_numbers() -> None:
    assert parse_numbers(" a1,a2  a3\n") == ("a1", "a2", "a3")
