"""A password entry with show/hide and, for administrators, a suggestion."""

from __future__ import annotations

import secrets

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from clinic.passwords import MIN_LENGTH

RULES = (f"At least {MIN_LENGTH} characters, not the username, and not a commonly used password.")
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def suggest_password() -> str:
    """Three groups of four easy-to-read characters, e.g. ``k7mq-2xpt-9hfd``."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3))


class PasswordField(QWidget):
    def __init__(self, *, suggest: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_button = QPushButton("Show")
        self.show_button.setCheckable(True)
        self.show_button.setAutoDefault(False)
        self.show_button.toggled.connect(self._toggle)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.show_button)
        if suggest:
            self.suggest_button = QPushButton("Suggest")
            self.suggest_button.setAutoDefault(False)
            self.suggest_button.setToolTip("Fill in a random temporary password to give to the person")
            self.suggest_button.clicked.connect(self._suggest)
            row.addWidget(self.suggest_button)
        self.setFocusProxy(self.edit)

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt style, like QLineEdit
        self.edit.setText(text)

    def _toggle(self, shown: bool) -> None:
        self.edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.show_button.setText("Hide" if shown else "Show")

    def _suggest(self) -> None:
        self.edit.setText(suggest_password())
        self.show_button.setChecked(True)  # the administrator has to read it out
        self.edit.setFocus()
