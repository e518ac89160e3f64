"""The shape every OST and safe-storage form shares: fields, a message line
that says what is wrong, Save (Enter from any single-line field) and Cancel
(Esc). The write runs via ``ctx.write``; the dialog closes only when it has
landed. Focus starts on the first field (ui/shell/keyboard.py does that for
every dialog).

``date_edit`` and ``date_of`` are the shared date field (ui/widgets/date_edit.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from clinic.permissions import PermissionDenied
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.widgets.date_edit import DateEdit
from ui.widgets.form_row import FieldError


def date_edit(value: date, *, maximum: date | None = None) -> DateEdit:
    edit = DateEdit(value, today=maximum or value)
    edit.maximum = maximum
    return edit


def date_of(edit: DateEdit | QDateEdit) -> date:
    """The date in the field; a ``DateEdit`` that does not hold one raises
    ``Refused`` for its field, which ``WriteDialog`` shows instead of saving."""
    if isinstance(edit, DateEdit):
        return edit.value()
    d = edit.date()
    return date(d.year(), d.month(), d.day())


class WriteDialog(QDialog):
    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = FieldError()
        # Parented at once: a default set on a button outside its dialog is lost
        # the first time focus leaves it, and Enter then stops saving (UI-20).
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.result_value: Any = None

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        """The write to run, or None after showing what is wrong."""
        raise NotImplementedError

    def failed(self, error: BaseException) -> None:
        if isinstance(error, ValueError | PermissionDenied):
            self.error.show_message(str(error))
        else:
            self.ctx.show_error(self, error)
        self.ready_again()

    def ready_again(self) -> None:
        """After a refusal: Save works again and is the default once more
        (disabling it during the write handed Enter to Cancel)."""
        self.save_button.setEnabled(True)
        self.save_button.setDefault(True)

    def _save(self) -> None:
        self.error.clear_message()
        try:
            fn = self.command()
        except ValueError as error:  # a field that cannot be read (a date that is not one)
            self.failed(error)
            return
        if fn is None:
            return
        self.save_button.setEnabled(False)
        self.ctx.write(self, fn).on_success(self._saved).on_failure(self.failed).start()

    def _saved(self, result: Any) -> None:
        self.result_value = result
        self.accept()
