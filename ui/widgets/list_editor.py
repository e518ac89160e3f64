"""A small site list kept in a dialog: the list on the left, the chosen
entry's form on the right (probation officers, dispensing pharmacies).

Keyboard first: Enter on the list moves to the form, Enter in a field (or
Ctrl+Enter anywhere) saves, Alt+N starts a new entry, Esc closes. Each field
has its own error line; a service refusal that names fields
(``error.errors``, a field → message dict) lands beside them, any other
refusal under the form. A subclass adds its fields with ``field`` and fills
in the hooks at the bottom.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic.permissions import Actor, PermissionDenied
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.widgets.form_row import FieldError, HintLabel, add_field


class ListEditor(QDialog):
    #: The list was (re)loaded and shown (tests wait on it).
    loaded = Signal()
    #: A write landed; carries the service's result.
    saved = Signal(object)

    def __init__(self, ctx: AppContext, title: str, *, noun: str, writable: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.writable = ctx, writable
        self.rows: list[Any] = []
        self.current: Any = None
        self.setWindowTitle(title)
        self.list = QListWidget()
        self.list.setAccessibleName(title)
        self.list.currentItemChanged.connect(self._chosen)
        self.list.installEventFilter(self)
        self.form = QFormLayout()
        self.errors: dict[str, FieldError] = {}
        self.editors: dict[str, QWidget] = {}
        self.message = FieldError()
        self.status = HintLabel("")
        self.new_button = QPushButton(f"Ne&w {noun}")
        self.new_button.clicked.connect(self.new)
        self.save_button = QPushButton("&Save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.button_row = QHBoxLayout()
        self.button_row.addWidget(self.new_button)
        self.button_row.addStretch(1)
        self.button_row.addWidget(self.save_button)
        for b in (self.new_button, self.save_button):
            b.setVisible(writable)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        right = QVBoxLayout()
        right.addLayout(self.form)
        right.addWidget(self.message)
        right.addLayout(self.button_row)
        right.addWidget(self.status)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.list, 2)
        body.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(HintLabel("Enter saves (Ctrl+Enter from the address); Alt+N adds; Esc closes."
                                   if writable else "Your role can read this list but not change it."))
        layout.addWidget(close)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.save)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.save)
        self.resize(820, 440)

    # ---- building ------------------------------------------------------------------

    def field(self, key: str, label: str, editor: QWidget, *, hint: str = "") -> None:
        if isinstance(editor, QPlainTextEdit):
            editor.setTabChangesFocus(True)
            editor.setFixedHeight(80)
        if isinstance(editor, QLineEdit | QPlainTextEdit):
            editor.setReadOnly(not self.writable)
        self.editors[key] = editor
        self.errors[key] = add_field(self.form, label, editor, hint=hint)

    def start(self) -> None:
        """Call at the end of the subclass's ``__init__``: tab order, then load."""
        chain = [self.list, *self.editors.values(), self.save_button, self.new_button]
        for a, b in pairwise(chain):
            QWidget.setTabOrder(a, b)
        self.new()
        self.reload()

    # ---- loading -------------------------------------------------------------------

    def reload(self, select: int | None = None) -> None:
        actor, read = self.ctx.actor, self.read
        self.ctx.query(self, lambda uow: read(uow, actor)).on_success(lambda rows: self._show(rows, select)).start()

    def _show(self, rows: list[Any], select: int | None) -> None:
        self.rows = rows
        self.list.blockSignals(True)
        self.list.clear()
        for row in rows:
            item = QListWidgetItem(self.label_of(row))
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.list.addItem(item)
            if row.id == select:
                self.list.setCurrentItem(item)
                self.current = row
        self.list.blockSignals(False)
        if select is not None and self.current is not None:
            self.show_row(self.current)
        self._enable()
        self.loaded.emit()

    def _chosen(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        self.current = next((r for r in self.rows if r.id == item.data(Qt.ItemDataRole.UserRole)), None)
        self._clear_errors()
        self.status.clear()
        self.show_row(self.current)
        self._enable()

    def new(self) -> None:
        self.current = None
        self.list.setCurrentRow(-1)
        self.list.clearSelection()
        self._clear_errors()
        self.show_row(None)
        self._enable()
        if self.writable:
            next(iter(self.editors.values())).setFocus()

    def _enable(self) -> None:
        """Subclasses with more buttons enable them here."""

    # ---- saving --------------------------------------------------------------------

    def save(self) -> None:
        if not self.writable:
            return
        self._clear_errors()
        self.status.clear()
        problems = self.validate()
        if problems:
            self._show_errors(problems)
            return
        fn = self.command()
        if fn is None:
            self.status.setText("Nothing has changed.")
            return
        self.run(fn)

    def run(self, fn: Callable[[UnitOfWork], Any]) -> None:
        self.save_button.setEnabled(False)
        self.ctx.write(self, fn).on_success(self._saved).on_failure(self.refused).start()

    def _saved(self, result: Any) -> None:
        self.save_button.setEnabled(True)
        self.status.setText(getattr(result, "message", "") or "Saved.")
        self.saved.emit(result)
        self.reload(select=self.saved_id(result))

    def refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(getattr(error, "errors", None), dict):
            self._show_errors(error.errors)  # type: ignore[attr-defined]
        elif isinstance(error, ValueError | PermissionDenied):
            self.message.show_message(str(error))
            self.ctx.error_shown.emit(str(error))
        else:
            self.ctx.show_error(self, error)

    def _show_errors(self, problems: dict[str, str]) -> None:
        for key, text in problems.items():
            (self.errors.get(key) or self.message).show_message(text)
        first = next((self.editors[k] for k in self.editors if k in problems), None)
        if first is not None:
            first.setFocus()
        self.ctx.error_shown.emit(" ".join(problems.values()))

    def _clear_errors(self) -> None:
        for e in (*self.errors.values(), self.message):
            e.clear_message()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.list and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            next(iter(self.editors.values())).setFocus()  # open the entry, do not save it
            return True
        return super().eventFilter(watched, event)

    # ---- hooks -----------------------------------------------------------------------

    def read(self, uow: UnitOfWork, actor: Actor) -> list[Any]:
        """Runs on a worker thread: the rows (frozen dataclasses with ``id``)."""
        raise NotImplementedError

    def label_of(self, row: Any) -> str:
        raise NotImplementedError

    def show_row(self, row: Any) -> None:
        """Fill the form from ``row``, or empty it for a new entry (None)."""
        raise NotImplementedError

    def validate(self) -> dict[str, str]:
        """Field → message for what is plainly wrong before asking the service."""
        return {}

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        """The write for Save, or None when nothing has changed."""
        raise NotImplementedError

    def saved_id(self, result: Any) -> int | None:
        return getattr(result, "id", None)


def text_of(editor: QWidget) -> str:
    return editor.toPlainText() if isinstance(editor, QPlainTextEdit) else editor.text()  # type: ignore[attr-defined]


def set_text(editor: QWidget, value: str) -> None:
    if isinstance(editor, QPlainTextEdit):
        editor.setPlainText(value)
    else:
        editor.setText(value)  # type: ignore[attr-defined]


__all__ = ["ListEditor", "set_text", "text_of"]
