"""The idle lock: after N idle minutes every piece of client data is hidden
until the same user re-enters their password, or someone else signs in.

An application-wide event filter restarts a single-shot timer on every key
press, click or wheel turn. Locking hides the workspace (widgets are kept,
so unsaved typing survives an unlock by the same user) and emits
``ctx.locked`` so views drop cached client rows.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic.services import staff
from ui.context import AppContext
from ui.operations import staff as staff_ops
from ui.shell.style import heading

_ACTIVITY = {
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    """Emits ``idle`` after ``minutes`` without keyboard or mouse input."""

    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, int(minutes * 60_000)))
        self._timer.timeout.connect(self.idle)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False

    def pause(self) -> None:
        self._timer.stop()

    def resume(self) -> None:
        self._timer.start()


class LockScreen(QWidget):
    """What covers the window while locked: no client data, just a way back."""

    unlocked = Signal()
    switch_user = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = QWidget()
        box.setFixedWidth(440)
        col = QVBoxLayout(box)
        col.addWidget(heading("Harbour is locked"))
        who = QLabel(f"Signed in as <b>{ctx.actor.full_name}</b>. Enter your password to carry on.")
        who.setWordWrap(True)
        col.addWidget(who)
        label = QLabel("&Password")
        col.addWidget(label)
        self.password = QLineEdit()
        label.setBuddy(self.password)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.password.returnPressed.connect(self.submit)
        col.addWidget(self.password)
        self.message = QLabel()
        self.message.setObjectName("error")
        self.message.setStyleSheet("color: #a4262c;")
        col.addWidget(self.message)
        kept = QLabel("Open forms are hidden, not lost: they come back when you unlock. "
                      "If someone else signs in, your typing is kept for you until Harbour closes.")
        kept.setObjectName("hint")
        kept.setWordWrap(True)
        col.addWidget(kept)
        row = QHBoxLayout()
        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.submit)
        switch = QPushButton("S&witch user")
        switch.clicked.connect(self.switch_user)
        row.addWidget(self.unlock_button)
        row.addWidget(switch)
        row.addStretch(1)
        col.addLayout(row)
        centre = QHBoxLayout()
        centre.addStretch(1)
        centre.addWidget(box)
        centre.addStretch(1)
        outer.addLayout(centre)
        outer.addStretch(2)

    def showEvent(self, event: object) -> None:
        self.password.clear()
        self.message.clear()
        self.password.setFocus()

    def submit(self) -> None:
        password = self.password.text()
        if not password:
            self.message.setText("Enter your password.")
            return
        self.unlock_button.setEnabled(False)
        actor = self._ctx.actor
        self._ctx.write(self, staff_ops.check_password(actor, password)) \
            .on_success(self._checked).start()

    def _checked(self, result: staff.Unlock) -> None:
        """Show the service's own refusal: a wrong password that counts toward
        the lockout, a locked-out or a deactivated account (reliability M5)."""
        self.unlock_button.setEnabled(True)
        self.password.clear()
        if result.ok:
            self.unlocked.emit()
        else:
            self.message.setText(result.refusal or "That password is not right.")
