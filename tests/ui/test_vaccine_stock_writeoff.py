"""UI-24: the Stock list shows in-use batches by default; expired, used-up
and written-off ones on request; a nurse writes a batch off with a reason."""

from __future__ import annotations

from datetime import date

import pytest

from clinic.permissions import Role
from clinic.services.vaccination import stock
from db.tables.vaccination import VaccineBatch
from ui import ops
from ui.context import AppContext
from ui.vaccines.stock import StockView, WriteOffDialog

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def _settle(qtbot, until) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: (ops.wait_for_all(), until())[1], timeout=10_000)


def _batches(view: StockView) -> list[str]:
    return [view.table.item(r, 2).text() for r in range(view.table.rowCount())]


def test_in_use_by_default_and_write_off_with_a_reason(qtbot, clinic, actors) -> None:  # type: ignore[no-untyped-def]
    nurse = actors[Role.NURSE]
    with clinic.unit_of_work(write=True) as uow:
        product = stock.add_product(uow, nurse, stock.AddProduct("Engerix B 20 micrograms", "hepb")).id
        for number, expiry in (("OLD1", date(2025, 6, 30)), ("GOOD", date(2027, 6, 30)), ("USED", date(2027, 6, 30))):
            stock.receive_batch(uow, nurse, stock.ReceiveBatch(product, number, expiry, 10, date(2025, 1, 2)))
        used = uow.session.query(VaccineBatch).filter_by(batch_number="USED").one()
        used.quantity_used = 10
    view = StockView(AppContext(clinic, nurse))
    qtbot.addWidget(view)
    view.resize(1100, 400)
    view.refresh()
    _settle(qtbot, lambda: _batches(view) == ["GOOD"])
    view.show_all.setChecked(True)
    _settle(qtbot, lambda: sorted(_batches(view)) == ["GOOD", "OLD1", "USED"])
    view.show_all.setChecked(False)
    _settle(qtbot, lambda: _batches(view) == ["GOOD"])
    view.table.selectRow(0)
    view.write_off.click()
    dialog = view.dialog
    assert isinstance(dialog, WriteOffDialog)
    dialog.save_button.click()
    _settle(qtbot, lambda: bool(dialog.errors["reason"].message))
    assert dialog.errors["reason"].message.startswith("Say why the batch is written off")
    dialog.reason.setCurrentText("Fridge failure (cold chain broken)")
    dialog.grab().save("/tmp/shots/loops-write-off.png")
    dialog.save_button.click()
    _settle(qtbot, lambda: not dialog.isVisible())
    view.refresh()
    _settle(qtbot, lambda: _batches(view) == [])
    view.show_all.setChecked(True)
    _settle(qtbot, lambda: len(_batches(view)) == 3)
    row = _batches(view).index("GOOD")
    assert view.table.item(row, 7).text() == "Written off: Fridge failure (cold chain broken)"
    view.grab().save("/tmp/shots/loops-stock.png")
