"""Add an order from the Probation tab, with a new probation officer entered
field by field (UI-37); refusals appear by the field they are about."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from clinic.permissions import Role
from clinic.services.probation import orders
from tests.conftest import add_person
from ui import ops
from ui.context import AppContext
from ui.probation import ProbationTab
from ui.probation.dialogs import OrderDialog

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def _settle(qtbot, until) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: (ops.wait_for_all(), until())[1], timeout=10_000)


def test_add_an_order_with_a_new_officer(qtbot, clinic, actors) -> None:  # type: ignore[no-untyped-def]
    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    tab = ProbationTab(AppContext(clinic, liaison), pid)
    qtbot.addWidget(tab)
    _settle(qtbot, lambda: "No DRR or ATR order" in tab.details.text())
    tab.buttons["add"].click()
    _settle(qtbot, lambda: isinstance(tab.dialog, OrderDialog))
    d = tab.dialog
    d.save_button.click()
    _settle(qtbot, lambda: bool(d.errors["court"].message))
    assert d.errors["court"].message == "Enter the court that made the order."
    qtbot.keyClicks(d.court, "Exampletown Magistrates' Court")
    d.add_officer.setChecked(True)
    assert not d.officer_box.isHidden() and not d.officer.isEnabled()
    d.save_button.click()
    _settle(qtbot, lambda: bool(d.officer_errors["name"].message))
    assert d.officer_errors["name"].message == "Enter the probation officer's name."
    qtbot.keyClicks(d.officer_fields["name"], "Nadia Newofficer")
    qtbot.keyClicks(d.officer_fields["office"], "Northtown PDU")
    d.officer_address.setPlainText("3 Court Street\nNorthtown\nNT1 1AA")
    qtbot.keyClicks(d.officer_fields["secure_email"], "nadia.newofficer@justice.gov.uk")
    d.consent.setText("20/11/2026")
    d.grab().save("/tmp/shots/loops-order-dialog.png")
    qtbot.keyClick(d.court, Qt.Key.Key_Return)
    _settle(qtbot, lambda: tab.status.text().startswith("Order saved."))
    with clinic.unit_of_work() as uow:
        (order,) = orders.orders_for_person(uow, liaison, pid)
    assert order.officer is not None and order.officer.name == "Nadia Newofficer"
    assert order.officer.address == "3 Court Street\nNorthtown\nNT1 1AA" and order.status == "pending"
