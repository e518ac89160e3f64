"""What locking does to every window other than the main one: the one
place that hides and disables open dialogs, previews and message boxes.

``cover`` walks ``QApplication.topLevelWidgets()``: a window-modal or
modeless window (forms opened with ``open()``, previews, message boxes,
menus) is disabled and hidden and comes back, with its typing intact, when
the same user unlocks. An application-modal one (``exec()``: a print or
file dialog, a confirmation) cannot be hidden without ending its loop, so
it is cancelled, which every caller treats as "not done". Nothing stays on
screen over the lock, and nothing hidden can be used.

When the user is signed out instead (switch user, quit), ``keep_drafts``
copies what was typed into each open dialog into ``ctx.drafts`` for that
user (memory only), and ``offer_draft`` puts it back the next time the same
user opens the same form: a ``DraftOffer`` filter on the application does
that for every dialog, so no form needs its own code.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QBoxLayout, QDialog, QLabel, QWidget

from ui.context import AppContext
from ui.drafts import draft_key, fields_of, restore_fields

RESTORED = "Your unsaved typing from before you were signed out is back: check it, then save or cancel."


class LockCover:
    def __init__(self, main_window: QWidget) -> None:
        self._main = main_window
        self._hidden: list[QWidget] = []

    def cover(self) -> None:
        for window in QApplication.topLevelWidgets():
            if window is self._main or not window.isVisible():
                continue
            if isinstance(window, QDialog) and window.windowModality() == Qt.WindowModality.ApplicationModal:
                window.reject()
                continue
            window.setEnabled(False)
            window.hide()
            self._hidden.append(window)

    def uncover(self) -> None:
        hidden, self._hidden = self._hidden, []
        for window in hidden:
            if shiboken6.isValid(window):
                window.setEnabled(True)
                window.show()

    def keep_drafts(self, ctx: AppContext) -> None:
        """Signing out: keep each open form's typing for this user, then close it."""
        windows = [w for w in self._hidden if shiboken6.isValid(w)]
        windows += [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not self._main]
        self._hidden = []
        for window in dict.fromkeys(windows):
            if isinstance(window, QDialog):
                values = fields_of(window)
                if values != window.property("harbour_initial"):  # something was typed or chosen
                    ctx.drafts.keep(ctx.actor.staff_id, draft_key(window), values)
            window.close()


class DraftOffer(QObject):
    """Application event filter: the first time a dialog is shown, give the
    signed-in user back what they had typed into the same form."""

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Show and isinstance(watched, QDialog)
                and not watched.property("harbour_draft_checked")):
            watched.setProperty("harbour_draft_checked", True)
            watched.setProperty("harbour_initial", fields_of(watched))
            values = self._ctx.drafts.take(self._ctx.actor.staff_id, draft_key(watched))
            if values is not None:
                restore_fields(watched, values)
                note = QLabel(RESTORED, watched)
                note.setObjectName("draftNote")
                note.setWordWrap(True)
                layout = watched.layout()
                if isinstance(layout, QBoxLayout):
                    layout.insertWidget(0, note)
                    note.show()
        return False
