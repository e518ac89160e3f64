"""What every screen receives: the open clinic, the signed-in user, the
app-wide change signal and the polite error handler. No globals."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from clinic.permissions import Actor, Permission, PermissionDenied
from clinic.uow import Clinic, UnitOfWork
from ui import ops
from ui.drafts import Drafts

T = TypeVar("T")
log = logging.getLogger(__name__)

#: Errors whose message is written for staff and safe to show as it is.
EXPECTED = (PermissionDenied, ValueError)


class AppContext(QObject):
    #: (Changes, initiator widget or None) after any successful write.
    changes_applied = Signal(object, object)
    #: Emitted when the screen locks: views drop cached client data.
    locked = Signal()
    #: Emitted when the same user unlocks: periodic reads start again.
    unlocked = Signal()
    #: The text of every error shown to the user (tests listen to this).
    error_shown = Signal(str)

    def __init__(self, clinic: Clinic, actor: Actor, *, demo: bool = False, drafts: Drafts | None = None) -> None:
        super().__init__()
        self.clinic = clinic
        self.actor = actor
        self.demo = demo
        #: Shared by every sign-in of this run, so a user switch keeps drafts.
        self.drafts = drafts if drafts is not None else Drafts()
        #: While locked, reads are not started and their results are dropped (ui/ops.py).
        self.is_locked = False

    def lock(self) -> None:
        """The shell locked the screen (ui/shell/lock_cover.py hides the windows)."""
        self.is_locked = True
        self.locked.emit()

    def unlock(self) -> None:
        self.is_locked = False
        self.unlocked.emit()

    def can(self, permission: Permission) -> bool:
        return self.actor.can(permission)

    def query(self, parent: QWidget | None, fn: Callable[[UnitOfWork], T]) -> ops.Op[T]:
        return ops.query(self, parent, fn)

    def write(self, parent: QWidget | None, fn: Callable[[UnitOfWork], T]) -> ops.Op[T]:
        return ops.write(self, parent, fn)

    def show_error(self, parent: QWidget | None, error: BaseException) -> None:
        """Tell the user, without blocking: the box is window-modal, not exec()."""
        if isinstance(error, EXPECTED):
            text, icon = str(error), QMessageBox.Icon.Warning
        else:
            # Log the type only: messages from lower layers could carry client data.
            log.error("unexpected error in background work: %s", type(error).__name__)
            text, icon = (
                "Something went wrong and the action was not completed. Nothing has been lost; "
                "please try again, and tell the administrator if it keeps happening.",
                QMessageBox.Icon.Critical,
            )
        # Always parented: a parentless box would be freed with its Python wrapper.
        owner = parent if parent is not None else QApplication.activeWindow()
        box = QMessageBox(icon, "Harbour", text, QMessageBox.StandardButton.Ok, owner)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.error_shown.emit(text)
