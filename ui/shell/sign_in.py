"""The sign-in window: username, password, and in demo mode the accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic.uow import Clinic
from ui import ops
from ui.shell.style import banner, heading

if TYPE_CHECKING:
    from clinic.services.staff import SignIn


class SignInWindow(QWidget):
    """Emits ``signed_in(actor, must_change_password)`` on success, and
    ``first_painted`` once it has been drawn (what sign-in needs next loads then)."""

    signed_in = Signal(object, bool)
    first_painted = Signal()

    def __init__(self, clinic: Clinic, *, site_name: str, demo_accounts: list[tuple[str, str, str]] | None = None,
                 demo_password: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clinic = clinic
        self._painted = False
        self.setWindowTitle(f"Harbour — sign in · {site_name}")
        # The form keeps its width in the middle of a maximised window, not a field across a whole screen.
        panel = QWidget(self)
        panel.setMinimumWidth(520)
        panel.setMaximumWidth(720)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(panel, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(12)
        if demo_accounts is not None:
            layout.addWidget(banner("DEMO — synthetic people only. Nothing here is a real person."))
        layout.addWidget(heading("Sign in to Harbour"))
        layout.addWidget(QLabel(site_name))
        form = QFormLayout()
        self.username = QLineEdit()
        self.username.setAccessibleName("Username")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        form.addRow("&Username", self.username)
        form.addRow("&Password", self.password)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a4262c;")
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox()
        self.sign_in_button = self.buttons.addButton("&Sign in", QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in_button.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        layout.addWidget(self.buttons)
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.submit)
        if demo_accounts is not None:
            layout.addWidget(self._demo_table(demo_accounts, demo_password))
        self.setMinimumWidth(460)
        self.username.setFocus()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self.first_painted.emit)  # after the whole window is drawn; not if closed

    def _demo_table(self, accounts: list[tuple[str, str, str]], password: str) -> QWidget:
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 8, 0, 0)
        col.addWidget(QLabel(f"Demo accounts — every password is <b>{password}</b>"))
        table = QTableWidget(len(accounts), 3)
        table.setHorizontalHeaderLabels(["Username", "Name", "Role"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for row, values in enumerate(accounts):
            for col_no, value in enumerate(values):
                table.setItem(row, col_no, QTableWidgetItem(value))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        table.cellDoubleClicked.connect(lambda r, _c: self._pick(accounts[r][0], password))
        table.setMinimumHeight(table.verticalHeader().length() + table.horizontalHeader().height() + 4)
        col.addWidget(table)
        return box

    def _pick(self, username: str, password: str) -> None:
        self.username.setText(username)
        self.password.setText(password)
        self.submit()

    def submit(self) -> None:
        username, password = self.username.text(), self.password.text()
        if not username.strip() or not password:
            self.message.setText("Enter your username and password.")
            return
        self._busy(True)
        clinic = self._clinic

        def check() -> SignIn:
            from clinic.services import staff  # on the worker, when someone signs in: not on the cold start

            with clinic.unit_of_work(write=True) as uow:
                return staff.sign_in(uow, username, password)

        ops.task(self, check).on_success(self._done).on_failure(self._failed).start()

    def _done(self, result: SignIn) -> None:
        self._busy(False)
        self.password.clear()
        if result.actor is None:
            self.message.setText(result.refusal)
            self.password.setFocus()
            return
        self.message.clear()
        self.signed_in.emit(result.actor, result.must_change_password)

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        self.message.setText("Signing in failed: the database could not be reached. Try again.")

    def _busy(self, busy: bool) -> None:
        self.sign_in_button.setEnabled(not busy)
        self.message.setText("Checking…" if busy else self.message.text())
