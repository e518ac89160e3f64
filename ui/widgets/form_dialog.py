"""A dialog whose every field says what is wrong next to it (DESIGN §7).

Built on the shared write dialog (Save on Enter, Cancel on Esc, the write
via ``ctx.write``, closes only once it has landed). Fields are added with
``field(...)``, which returns the field's error label; a refusal from the
service is put under the field it names (``clinic.errors.Refused.field``),
so a field is named as the command field it fills; else the message goes on
the dialog's message line. Messages are never matched for words.

A message wraps to its field's width, and a top-level window does not grow
for a wrapped label by itself (the layouts keep the heights they worked out
before), so two lines were drawn in one line's room: after each message the
form works its heights out again and takes its natural size.
"""

from __future__ import annotations

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import (
    QAbstractButton,
    QLayout,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from clinic.errors import Refused
from ui.context import AppContext
from ui.widgets.form_row import FieldError, add_field
from ui.widgets.write_dialog import WriteDialog


def _edits(editor: QWidget) -> list[SignalInstance]:
    """The signals that say ``editor`` (or a box of them) was changed by the user."""
    widgets = [editor, *editor.findChildren(QWidget)]
    out: list[SignalInstance] = []
    for w in widgets:
        if isinstance(w, QLineEdit) and not isinstance(w.parent(), QAbstractSpinBox | QComboBox):
            out.append(w.textEdited)
        elif isinstance(w, QComboBox):
            out.append(w.activated)
        elif isinstance(w, QAbstractButton) and w.isCheckable():
            out.append(w.toggled)
        elif isinstance(w, QAbstractSpinBox):
            out.append(w.editingFinished)
        elif isinstance(w, QPlainTextEdit):
            out.append(w.textChanged)
    return out


#: Wide enough that most refusals fit on one or two lines beside the labels.
MINIMUM_WIDTH = 460


class FormDialog(WriteDialog):
    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, title, parent)
        self.setMinimumWidth(MINIMUM_WIDTH)
        self.errors: dict[str, FieldError] = {}
        self.editors: dict[str, QWidget] = {}

    def field(self, name: str, label: str, editor: QWidget, *, hint: str = "") -> FieldError:
        if not editor.objectName():
            editor.setObjectName(name)  # a date field's own refusal names it (ui/widgets/date_edit.py)
        self.errors[name] = error = add_field(self.form, label, editor, hint=hint)
        self.editors[name] = editor
        for signal in _edits(editor):  # a message goes once the field is changed (UI-21)
            signal.connect(lambda *_, e=error: self._clear_field_error(e))
        return error

    def _clear_field_error(self, error: FieldError) -> None:
        error.clear_message()
        self.error.clear_message()

    def clear_errors(self) -> None:
        self.error.clear_message()
        for error in self.errors.values():
            error.clear_message()

    def show_field_error(self, name: str, message: str) -> None:
        self.errors[name].show_message(message)
        self.fit_messages()

    def fit_messages(self) -> None:
        for layout in self.findChildren(QLayout):
            layout.invalidate()
        self.adjustSize()

    def failed(self, error: BaseException) -> None:
        field = error.field if isinstance(error, Refused) else None
        if field in self.errors:
            self._refused_at(field, str(error))
        else:
            super().failed(error)
        self.fit_messages()

    def _refused_at(self, name: str, message: str) -> None:
        """The message by its field, and the cursor there to put it right."""
        self.errors[name].show_message(message)
        self.ready_again()
        self.editors[name].setFocus()

    def _save(self) -> None:
        self.clear_errors()
        super()._save()
