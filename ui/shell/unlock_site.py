"""Asking for the site passphrase (or recovery code) when no keyring holds
the key. A wrong one says so and lets the user try again; nothing is ever
created over the existing database."""

from __future__ import annotations

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

from clinic.clock import Clock
from clinic.services.setup import SiteError, open_with_secret
from clinic.uow import Clinic
from ui import ops
from ui.shell.style import heading


class UnlockSiteDialog(QDialog):
    """Emits ``opened(clinic)`` once the passphrase opened the site."""

    opened = Signal(object)

    def __init__(self, data_dir: Path, clock: Clock, parent: QWidget | None = None) -> None:
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
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName("Site passphrase or recovery code")
        self.secret.setPlaceholderText("Site passphrase or recovery code")
        layout.addWidget(self.secret)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a4262c;")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.open_button = buttons.addButton("&Open", QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button.setDefault(True)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def submit(self) -> None:
        secret = self.secret.text()
        if not secret:
            self.message.setText("Enter the site passphrase or the recovery code.")
            return
        self.open_button.setEnabled(False)
        self.message.setText("Checking… (this takes a moment on purpose)")
        data_dir, clock = self._data_dir, self._clock
        ops.task(self, lambda: open_with_secret(data_dir, secret, clock=clock)) \
            .on_success(self._opened).on_failure(self._failed).start()

    def _opened(self, clinic: Clinic) -> None:
        self.opened.emit(clinic)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.open_button.setEnabled(True)
        self.secret.selectAll()
        self.secret.setFocus()
        self.message.setText(str(error) if isinstance(error, SiteError) else
                             "The site could not be opened. Check the data folder and try again.")
