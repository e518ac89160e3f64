"""Mark a filed letter sent: when and how. A refusal (a date before the
letter was filed, or in the future) is shown by the date and nothing closes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import letters as letters_ops
from ui.widgets.form_dialog import FormDialog
from ui.widgets.write_dialog import date_edit, date_of

METHODS = (("post", "Post"), ("hand", "By hand"), ("secure_email", "Secure email"))


class MarkSentDialog(FormDialog):
    def __init__(self, ctx: AppContext, letter_id: int, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Mark letter sent", parent)
        self.letter_id = letter_id
        self.on = date_edit(today, maximum=today)
        self.method = QComboBox()
        for key, label in METHODS:
            self.method.addItem(label, key)
        self.field("on", "Sent &on", self.on)
        self.field("method", "&How", self.method)
        self.save_button.setText("&Mark sent")

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        return letters_ops.mark_sent(self.ctx.actor, self.letter_id, on=date_of(self.on),
                                     method=str(self.method.currentData()))
