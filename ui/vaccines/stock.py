"""Vaccine stock: batches with expiry, received, used and remaining, with
expiry warnings; add a product, receive a batch."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic.permissions import Permission
from clinic.services.vaccination import stock as svc
from clinic.uow import UnitOfWork
from clinic.dates import uk_date
from ui.context import AppContext
from ui.operations import vaccination as vaccination_ops
from ui.widgets.form_dialog import FormDialog
from ui.widgets.table import table
from ui.widgets.write_dialog import date_edit, date_of

WARN = QColor("#b00020")


class AddProductDialog(FormDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Add a vaccine product", parent)
        self.name = QLineEdit()
        self.vaccine = QComboBox()
        for key, label in svc.VACCINE_LABELS.items():
            self.vaccine.addItem(label, key)
        self.maker = QLineEdit()
        self.field("name", "&Product name", self.name, hint="As on the pack, e.g. Engerix B 20 micrograms")
        self.field("vaccine", "&Protects against", self.vaccine)
        self.field("manufacturer", "&Manufacturer", self.maker)

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        if not self.name.text().strip():
            self.show_field_error("name", "Enter the product name.")
            return None
        cmd, actor = svc.AddProduct(self.name.text(), self.vaccine.currentData(), self.maker.text()), self.ctx.actor
        return vaccination_ops.add_product(actor, cmd)


class ReceiveBatchDialog(FormDialog):
    def __init__(self, ctx: AppContext, products: Sequence[svc.Product], today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Receive a batch", parent)
        self.product = QComboBox()
        for p in products:
            self.product.addItem(f"{p.name} ({p.vaccine_label})", p.id)
        self.number = QLineEdit()
        self.expiry = date_edit(today)
        self.quantity = QSpinBox()
        self.quantity.setRange(0, 10_000)
        self.quantity.setValue(10)
        self.received = date_edit(today, maximum=today)
        self.field("product_id", "P&roduct", self.product)
        self.field("batch_number", "&Batch number", self.number)
        self.field("expiry", "&Expiry", self.expiry, hint="Packs showing a month only expire at its end.")
        self.field("quantity", "&Doses received", self.quantity)
        self.field("received_on", "Received &on", self.received)

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        if self.product.currentData() is None:
            self.show_field_error("product_id", "Add the product first.")
            return None
        if not self.number.text().strip():
            self.show_field_error("batch_number", "Enter the batch number printed on the pack.")
            return None
        cmd = svc.ReceiveBatch(self.product.currentData(), self.number.text(), date_of(self.expiry),
                               self.quantity.value(), date_of(self.received))
        actor = self.ctx.actor
        return vaccination_ops.receive_batch(actor, cmd)


class WriteOffDialog(FormDialog):
    def __init__(self, ctx: AppContext, batch: svc.BatchStock, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"Write off batch {batch.batch_number}", parent)
        self.setMinimumWidth(560)
        self.batch = batch
        self.reason = QComboBox(self)
        self.reason.setEditable(True)
        self.reason.addItems(["", "Expired", "Fridge failure (cold chain broken)", "Damaged", "Recalled by the maker"])
        note = QLabel(f"{batch.product}, expires {uk_date(batch.expiry)}: {batch.remaining} left will no longer be "
                      "offered. Doses already given from it are kept.", self)
        note.setWordWrap(True)
        self.form.addRow(note)
        self.field("reason", "&Reason", self.reason)
        self.save_button.setText("&Write off")
        self.reason.setFocus()

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        actor, cmd = self.ctx.actor, svc.WriteOff(self.batch.batch_id, self.reason.currentText())
        return vaccination_ops.write_off(actor, cmd)


class StockView(QWidget):
    loaded = Signal()
    COLUMNS = ("Product", "Vaccine", "Batch", "Expiry", "Received", "Used", "Remaining", "Warning")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.products: list[svc.Product] = []
        self.today: date | None = None
        self.table = table(self.COLUMNS)
        self.add_product = QPushButton("Add &product…")
        self.receive = QPushButton("Recei&ve batch…")
        self.write_off = QPushButton("&Write off…")
        self.write_off.setToolTip("Take the selected batch out of use, with the reason")
        self.show_all = QCheckBox("Show &all batches (expired, used up, written off)")
        self.show_all.toggled.connect(lambda *_: self.refresh())
        self.add_product.clicked.connect(self._add_product)
        self.receive.clicked.connect(self._receive)
        self.write_off.clicked.connect(self._write_off)
        for b in (self.add_product, self.receive, self.write_off):
            b.setVisible(ctx.can(Permission.VACCINE_STOCK_WRITE))
        self.batches: list[svc.BatchStock] = []
        self.note = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.add_product)
        row.addWidget(self.receive)
        row.addWidget(self.write_off)
        row.addWidget(self.show_all)
        row.addStretch(1)
        row.addWidget(self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self.dialog: FormDialog | None = None

    def refresh(self) -> None:
        actor, in_use_only = self.ctx.actor, not self.show_all.isChecked()

        def read(uow: UnitOfWork) -> tuple[list[svc.Product], list[svc.BatchStock], date]:
            return svc.products(uow, actor), svc.stock(uow, actor, in_use_only=in_use_only), uow.clock.today()

        self.ctx.query(self, read).on_success(self._show).start()

    def _show(self, data: tuple[list[svc.Product], list[svc.BatchStock], date]) -> None:
        self.products, batches, self.today = data
        self.batches = batches
        self.table.setRowCount(len(batches))
        warnings = 0
        for i, b in enumerate(batches):
            cells = (b.product, svc.VACCINE_LABELS.get(b.vaccine, b.vaccine), b.batch_number,
                     uk_date(b.expiry), str(b.received), str(b.used), str(b.remaining), b.warning)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (3, 7) and (b.expired or b.expires_soon):
                    item.setForeground(QBrush(WARN))
                self.table.setItem(i, c, item)
            warnings += bool(b.expired or b.expires_soon)
        hidden = "" if self.show_all.isChecked() else "In-use stock only. "
        self.note.setText(hidden + (f"{warnings} batch{'es' if warnings != 1 else ''} expired or expiring soon"
                                    if warnings else ""))
        self.loaded.emit()

    def clear(self) -> None:
        self.table.setRowCount(0)

    def _add_product(self) -> None:
        self.dialog = AddProductDialog(self.ctx, self)
        self.dialog.open()

    def _write_off(self) -> None:
        r = self.table.currentRow()
        if not self.table.selectedItems() or not 0 <= r < len(self.batches) or self.batches[r].written_off:
            self.note.setText("Select a batch that is not written off yet.")
            return
        self.dialog = WriteOffDialog(self.ctx, self.batches[r], self)
        self.dialog.open()

    def _receive(self) -> None:
        if self.today is not None:
            self.dialog = ReceiveBatchDialog(self.ctx, self.products, self.today, self)
            self.dialog.open()
