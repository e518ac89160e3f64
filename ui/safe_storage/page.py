"""Safe-storage box stock: what is on hand, receiving a delivery, and the
boxes issued this NHS quarter (for the quarterly report)."""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from clinic.changes import Changes
from clinic.dates import uk_date
from clinic.permissions import Permission
from clinic.services import safe_storage as svc
from ui.context import AppContext
from ui.operations import safe_storage as safe_storage_ops
from ui.widgets.write_dialog import date_edit, date_of
from ui.widgets.form_row import FieldError
from ui.widgets.table import fill, table


def parse_numbers(text: str) -> tuple[str, ...]:
    """Box numbers separated by commas, spaces or new lines."""
    return tuple(part for part in re.split(r"[,\s]+", text.strip()) if part)


class SafeStoragePage(QWidget):
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.stock: svc.Stock | None = None
        self.counts = QLabel()
        self.quarter = QLabel()
        self.quarter_range = QLabel()
        self.table = table(("Box number", "Received"))
        self.numbers = QLineEdit()
        self.numbers.setPlaceholderText("e.g. SSB-101, SSB-102, SSB-103")
        self.received_on = date_edit(ctx.clinic.clock.today(), maximum=ctx.clinic.clock.today())
        self.error = FieldError()
        self.receive_button = QPushButton("&Receive boxes")
        self.receive_button.clicked.connect(self.receive)
        self.numbers.returnPressed.connect(self.receive)
        receive = QGroupBox("Receive a delivery")
        form = QFormLayout(receive)
        form.addRow("Box &numbers", self.numbers)
        form.addRow("Received &on", self.received_on)
        form.addRow("", self.error)
        form.addRow("", self.receive_button)
        receive.setVisible(ctx.can(Permission.SAFE_STORAGE_WRITE))
        side = QVBoxLayout()
        side.addWidget(self.quarter)
        side.addWidget(self.quarter_range)
        side.addWidget(receive)
        side.addStretch(1)
        stock_box = QGroupBox("Stock on hand")
        stock_layout = QVBoxLayout(stock_box)
        stock_layout.addWidget(self.counts)
        stock_layout.addWidget(self.table, 1)
        body = QHBoxLayout(self)
        body.addWidget(stock_box, 1)
        body.addLayout(side, 1)
        self._stale = True
        ctx.changes_applied.connect(self._changes_applied)
        ctx.locked.connect(self.drop)

    def refresh(self) -> None:
        actor = self.ctx.actor
        self._stale = False
        self.ctx.query(self, lambda uow: svc.stock(uow, actor)).on_success(self._show).start()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _changes_applied(self, changes: Changes, initiator: object) -> None:
        if changes.touches("safe_storage"):
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    def drop(self) -> None:
        self.stock, self._stale = None, True  # stock holds no client data, but keep one rule for all pages

    def _show(self, stock: svc.Stock) -> None:
        self.stock = stock
        self.counts.setText(f"<b>{len(stock.in_stock)}</b> in stock · {stock.issued} out on issue · "
                            f"{stock.lost} lost")
        self.quarter.setText(f"<b>Issued this quarter: {stock.issued_this_quarter}</b>")
        self.quarter_range.setText(f"{stock.quarter_label}, {uk_date(stock.quarter_start)} to "
                                   f"{uk_date(stock.quarter_end)}")
        fill(self.table, [(b.box_number, uk_date(b.received_on)) for b in stock.in_stock])
        self.loaded.emit()

    def receive(self) -> None:
        self.error.clear_message()
        numbers = parse_numbers(self.numbers.text())
        if not numbers:
            self.error.show_message("Enter the box numbers of the delivery.")
            return
        cmd, actor = svc.ReceiveBoxes(numbers, date_of(self.received_on)), self.ctx.actor
        self.receive_button.setEnabled(False)
        self.ctx.write(self, safe_storage_ops.receive_boxes(actor, cmd)).on_success(
            self._received).on_failure(self._failed).start()

    def _received(self, _: object) -> None:
        self.receive_button.setEnabled(True)
        self.numbers.clear()

    def _failed(self, error: BaseException) -> None:
        self.receive_button.setEnabled(True)
        if isinstance(error, ValueError):
            self.error.show_message(str(error))
        else:
            self.ctx.show_error(self, error)
