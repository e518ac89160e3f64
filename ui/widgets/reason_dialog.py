"""A dialog that asks only for a reason and then runs the write it was given:
removing a dose recorded in error, stopping a course, withdrawing a result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLineEdit, QWidget

from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.widgets.form_dialog import FormDialog


class ReasonDialog(FormDialog):
    """A reason is required; the write is made from it by ``make``."""

    def __init__(self, ctx: AppContext, title: str, label: str,
                 make: Callable[[str], Callable[[UnitOfWork], Any]], parent: QWidget | None = None) -> None:
        super().__init__(ctx, title, parent)
        self.reason = QLineEdit()
        self._make = make
        self.field("reason", label, self.reason)

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        if not self.reason.text().strip():
            self.show_field_error("reason", "Give a reason.")
            return None
        return self._make(self.reason.text().strip())
