"""The "Order" row of a booking: which DRR/ATR order a DRR appointment is
for. Hidden unless the chosen type and person have one; with one order it
is chosen and the row says so, with several it starts unchosen and the
booking is refused (by this row) until one is picked."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QVBoxLayout, QWidget

from clinic.services.probation import links
from ui.context import AppContext
from ui.widgets.form_row import FieldError, HintLabel


class OrderField(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.combo = QComboBox(self)
        self.note = HintLabel("", self)
        self.error = FieldError(self)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        for w in (self.combo, self.note, self.error):
            column.addWidget(w)
        self.choices: list[links.OrderChoice] = []
        self.loaded = False

    def load(self, person_id: int | None, type_id: int | None,
             on_done: Callable[[bool], None] | None = None) -> None:
        """Look up the orders a booking of ``type_id`` for ``person_id`` would join."""
        self.loaded = False
        if not person_id or not type_id:
            self._show([], on_done)
            return
        actor = self.ctx.actor
        self.ctx.query(self, lambda uow: links.orders_for_booking(uow, actor, person_id, type_id)) \
            .on_success(lambda found: self._show(found, on_done)).start()

    def _show(self, found: list[links.OrderChoice], on_done: Callable[[bool], None] | None) -> None:
        self.choices = found
        self.combo.clear()
        self.error.clear_message()
        if len(found) > 1:
            self.combo.addItem("(choose the order)", None)
        for c in found:
            self.combo.addItem(c.label, c.order_id)
        self.note.setText("Required by the order: did not attend, seen and seen late are recorded on it and "
                          "make the letter to Probation due." if found else "")
        self.loaded = True
        if on_done is not None:
            on_done(bool(found))

    def order_id(self) -> int | None:
        return self.combo.currentData() if self.choices else None
