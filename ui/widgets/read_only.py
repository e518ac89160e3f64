"""Fields shown read-only, not disabled (UI-43): a disabled field is greyed,
cannot be selected or copied, is skipped by Tab and by screen readers. A
read-only one keeps its text readable and selectable and stays in the Tab
order; only changing it is refused. The look is ``[readOnly="true"]`` in
resources/harbour.qss.

    set_read_only(self.form, not ctx.can(Permission.PERSON_EDIT))
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

#: Keys that move on or copy; every other key would change a choice or a tick.
_PASSING_KEYS = {Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter}
_CHANGING_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
                    QEvent.Type.Wheel, QEvent.Type.KeyPress, QEvent.Type.KeyRelease}


class _Unchangeable(QObject):
    """Swallows the clicks, wheel turns and keys that would change a combo
    box or a check box, so it can still take focus and be read."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() not in _CHANGING_EVENTS:
            return False
        if isinstance(event, QKeyEvent):
            return not (event.key() in _PASSING_KEYS or event.matches(QKeySequence.StandardKey.Copy))
        return True


_FILTER = _Unchangeable()


def set_read_only(root: QWidget, read_only: bool) -> None:
    """Every field under ``root`` (and ``root`` itself) read-only or editable again."""
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
            widget.setReadOnly(read_only)
            _hint_only_when_editable(widget, read_only)
        elif isinstance(widget, QComboBox) or (isinstance(widget, QAbstractButton) and widget.isCheckable()):
            if read_only:
                widget.installEventFilter(_FILTER)
            else:
                widget.removeEventFilter(_FILTER)
        else:
            continue
        widget.setProperty("readOnly", read_only)
        widget.setAccessibleDescription("Read only" if read_only else "")
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def _hint_only_when_editable(edit: QLineEdit | QPlainTextEdit | QTextEdit, read_only: bool) -> None:
    """A placeholder ("leave blank if none") tells someone typing what to
    type; in a field nobody may change it reads as if it were the value."""
    if read_only and edit.placeholderText():
        edit.setProperty("editingHint", edit.placeholderText())
        edit.setPlaceholderText("")
    elif not read_only and (hint := edit.property("editingHint")):
        edit.setPlaceholderText(hint)
