"""A form row that says what is wrong next to the field (DESIGN.md §7).

Reusable by any form::

    form = QFormLayout()
    name_error = add_field(form, "&Name", self.name, hint="As on their badge")
    ...
    name_error.show_message("Enter the person's full name.")

``add_field`` puts the editor, an optional grey hint and a hidden red
``FieldError`` in the field column of a ``QFormLayout``; the label's
mnemonic (``&Name``) focuses the editor.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

ERROR_STYLE = "color: #b00020;"
HINT_STYLE = "color: palette(placeholder-text);"


class FieldError(QLabel):
    """A message under a field; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(ERROR_STYLE)
        self.setAccessibleName("error")
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))

    def clear_message(self) -> None:
        self.show_message("")

    @property
    def message(self) -> str:
        return self.text() if not self.isHidden() else ""


class HintLabel(QLabel):
    """Grey explanatory text under a field (rules, examples)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setStyleSheet(HINT_STYLE)


def add_field(form: QFormLayout, label: str, editor: QWidget, *, hint: str = "") -> FieldError:
    """Add ``label`` / ``editor`` (+ hint, + error) to ``form``; return the error label."""
    cell = QWidget()
    column = QVBoxLayout(cell)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(editor)
    if hint:
        column.addWidget(HintLabel(hint))
    error = FieldError()
    column.addWidget(error)
    caption = QLabel(label)
    caption.setBuddy(editor)
    form.addRow(caption, cell)
    return error
