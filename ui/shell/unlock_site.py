"""Asking for the site passphrase (or recovery code) when no keyring holds
the key. A wrong one says so and lets the user try again; nothing is ever
created over the existing database.

A workstation of a server site that keeps no database password (no keyring,
or the password was changed with ``harbour-admin rekey``) is asked for that
too; with the site key in the keyring the passphrase may stay empty."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from clinic import server_connection
from clinic.clock import Clock
from clinic.services.setup import SiteError, open_with_secret
from clinic.uow import Clinic
from ui import ops
from ui.shell.style import heading


class UnlockSiteDialog(QDialog):
    """Emits ``opened(clinic)`` once the passphrase opened the site."""

    opened = Signal(object)

    def __init__(self, data_dir: Path, clock: Clock, parent: QWidget | None = None, *,
                 server_password: bool = False, message: str = "") -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self._clock = clock
        self.setWindowTitle("Harbour — open the site")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(heading("Open the clinic's database"))
        intro = QLabel(
            "This workstation does not hold the site key. Enter the <b>site passphrase</b>, "
            "or the <b>recovery code</b> printed when the site was set up."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        #: The server's database password, when this workstation does not keep it.
        self.server_password: QLineEdit | None = None
        if server_password:
            intro.setText("The clinic's database is on the server. Enter the <b>server password</b> your "
                          "administrator gave you and, unless this workstation holds the site key, the "
                          "<b>site passphrase</b> or the <b>recovery code</b>.")
            self.server_password = QLineEdit()
            self.server_password.setEchoMode(QLineEdit.EchoMode.Password)
            self.server_password.setAccessibleName("Server password")
            self.server_password.setPlaceholderText("Server password")
            layout.addWidget(self.server_password)
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName("Site passphrase or recovery code")
        self.secret.setPlaceholderText("Site passphrase or recovery code")
        layout.addWidget(self.secret)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a4262c;")
        layout.addWidget(self.message)
        self.message.setText(message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.open_button = buttons.addButton("&Open", QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button.setDefault(True)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def submit(self) -> None:
        secret = self.secret.text()
        if not secret and self.server_password is None:
            self.message.setText("Enter the site passphrase or the recovery code.")
            return
        self.open_button.setEnabled(False)
        self.message.setText("Checking… (this takes a moment on purpose)")
        ops.task(self, self._opening(secret)).on_success(self._opened).on_failure(self._failed).start()

    def _opening(self, secret: str) -> Callable[[], Clinic | None]:
        data_dir, clock = self._data_dir, self._clock
        if self.server_password is None:
            return lambda: open_with_secret(data_dir, secret, clock=clock)
        password = self.server_password.text()
        if secret:
            return lambda: server_connection.open_with_secret(data_dir, secret, password, clock=clock)
        return lambda: server_connection.open_with_keyring(data_dir, password, clock=clock)

    def _opened(self, clinic: Clinic | None) -> None:
        if clinic is None:  # the server let us in, but this workstation holds no site key
            self.open_button.setEnabled(True)
            self.secret.setFocus()
            self.message.setText("This workstation does not hold the site key: enter the site passphrase or the "
                                 "recovery code too.")
            return
        self.opened.emit(clinic)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.open_button.setEnabled(True)
        field = self.secret
        if self.server_password is not None and getattr(error, "wrong_password", False):
            field = self.server_password
        field.selectAll()
        field.setFocus()
        self.message.setText(str(error) if isinstance(error, SiteError) else
                             "The site could not be opened. Check the data folder and try again.")
