"""Keyboard rules applied to every window in one place (UI-1, UI-20).

An application event filter, installed once (``install``):

- every table is a single Tab stop: Tab leaves it, arrows move inside it,
  and whole rows are selected (``QTableView`` defaults to Tab moving cell
  to cell, which traps a keyboard user);
- the first time a dialog is shown its Save/OK button is made the default
  now that it is inside the dialog (so Enter saves from any single-line
  field), its buttons are put last in the Tab order, and focus starts on the
  first field unless the dialog chose one itself (never on a button, where
  the first Space would save or cancel).
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTextEdit,
    QWidget,
)

FIELDS = (QLineEdit, QAbstractSpinBox, QComboBox, QPlainTextEdit, QTextEdit, QAbstractItemView, QAbstractButton)
_ACCEPT_ROLES = (QDialogButtonBox.ButtonRole.AcceptRole, QDialogButtonBox.ButtonRole.YesRole,
                 QDialogButtonBox.ButtonRole.ApplyRole)


def single_tab_stop(view: QTableView) -> None:
    view.setTabKeyNavigation(False)
    if view.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectItems:
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)


def tab_chain(window: QWidget) -> list[QWidget]:
    """The widgets Tab visits in ``window``, in order."""
    chain, w = [], window.nextInFocusChain()
    while w is not window and w is not None:
        if (w.window() is window and w.isVisibleTo(window) and w.isEnabled()
                and w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.focusProxy() is None):
            chain.append(w)
        w = w.nextInFocusChain()
        if len(chain) > 2000:
            break
    return chain


def _is_dialog_button(w: QWidget) -> bool:
    return isinstance(w, QPushButton) and isinstance(w.parent(), QDialogButtonBox)


def prepare_dialog(dialog: QDialog) -> None:
    boxes = dialog.findChildren(QDialogButtonBox)
    buttons = [b for box in boxes for b in box.buttons() if b.isVisibleTo(dialog)]
    default = next((b for b in dialog.findChildren(QPushButton) if b.isDefault()), None)
    if default is None:
        accepts = (b for box in boxes for b in box.buttons() if box.buttonRole(b) in _ACCEPT_ROLES)
        default = next((b for b in accepts if isinstance(b, QPushButton)), None)
    if default is not None:
        default.setDefault(True)  # again, now it is inside the dialog: it stays the default
    chain = [w for w in tab_chain(dialog) if not _is_dialog_button(w)]
    ordered = chain + [b for b in buttons if b.focusPolicy() & Qt.FocusPolicy.TabFocus]
    for first, second in pairwise(ordered):
        QWidget.setTabOrder(first, second)
    chosen = dialog.focusWidget()
    if chosen is None or isinstance(chosen, QPushButton):
        first_field = next((w for w in chain if isinstance(w, FIELDS) and not isinstance(w, QPushButton)), None)
        if first_field is not None:
            first_field.setFocus(Qt.FocusReason.TabFocusReason)


class KeyboardPolicy(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(watched, QTableView):
            single_tab_stop(watched)
        elif (kind == QEvent.Type.Show and isinstance(watched, QDialog)
              and not watched.property("harbour_keyboard_ready")):
            watched.setProperty("harbour_keyboard_ready", True)
            # needs the AppContext and the people search, which the sign-in window does not (the cold start)
            from ui.widgets.person_picker import name_the_person

            name_the_person(watched)
            prepare_dialog(watched)
        return False


_policy: KeyboardPolicy | None = None


def install(app: QApplication) -> None:
    """Once per application (the main window and the tests call it)."""
    global _policy
    if _policy is None:
        _policy = KeyboardPolicy(app)
        app.installEventFilter(_policy)
