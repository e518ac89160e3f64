"""Unsaved edits kept across a lock or a user switch, for the same user.

Held in memory only (a draft holds client data, so it never touches disk)
and keyed by member of staff: another user signing in on the workstation
never sees it; the same user gets their typing back when they reopen the
form. Gone when Harbour closes.
"""

from __future__ import annotations

from typing import Any


class Drafts:
    def __init__(self) -> None:
        self._items: dict[tuple[int, str], Any] = {}

    def keep(self, staff_id: int, key: str, value: Any) -> None:
        self._items[(staff_id, key)] = value

    def take(self, staff_id: int, key: str) -> Any:
        """The draft, once: taking it removes it."""
        return self._items.pop((staff_id, key), None)


# ---- what a dialog holds, for a lock that ends in a sign-out (ui/shell/lock_cover.py) ----

def draft_key(dialog: Any) -> str:
    """The form and what it is about: its class, and every ``*_id`` it holds
    (the person, the course, the booking), so a draft only ever returns to
    the same form for the same record."""
    ids = sorted((k, v) for k, v in vars(dialog).items() if k.endswith("_id") and isinstance(v, int))
    person = getattr(getattr(dialog, "person", None), "person_id", None)
    if isinstance(person, int):
        ids.append(("person", person))
    return f"{type(dialog).__module__}.{type(dialog).__qualname__}:{ids}"


def _editors(dialog: Any) -> list[Any]:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
        QWidget,
    )

    kinds = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox, QAbstractButton)
    found = []
    for w in dialog.findChildren(QWidget):  # in creation order: the same form gives the same list
        if isinstance(w, kinds) and not (isinstance(w, QAbstractButton) and not w.isCheckable()):
            if isinstance(w, QLineEdit) and isinstance(w.parent(), (QAbstractSpinBox, QComboBox)):
                continue  # the line edit inside a spin box or an editable combo
            found.append(w)
    return found


def _value(w: Any) -> Any:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
    )

    if isinstance(w, QLineEdit):
        return "" if w.echoMode() != QLineEdit.EchoMode.Normal else w.text()  # never keep a password
    if isinstance(w, QComboBox):
        return w.currentText()
    if isinstance(w, QAbstractSpinBox):
        return w.text()
    if isinstance(w, QAbstractButton):
        return w.isChecked()
    return w.toPlainText()


def fields_of(dialog: Any) -> list[Any]:
    """What was typed or chosen in each field, in the form's own order."""
    return [(type(w).__name__, _value(w)) for w in _editors(dialog)]


def restore_fields(dialog: Any, values: list[Any]) -> None:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
    )

    for w, (kind, value) in zip(_editors(dialog), values, strict=False):
        if type(w).__name__ != kind:
            return  # the form has changed shape: stop rather than fill the wrong field
        if isinstance(w, QLineEdit):
            w.setText(value)
        elif isinstance(w, QComboBox):
            index = w.findText(value)
            if index >= 0:
                w.setCurrentIndex(index)
            elif w.isEditable():
                w.setEditText(value)
        elif isinstance(w, QAbstractSpinBox):
            w.lineEdit().setText(value)
            w.interpretText()
        elif isinstance(w, QAbstractButton):
            w.setChecked(value)
        else:
            w.setPlainText(value)
