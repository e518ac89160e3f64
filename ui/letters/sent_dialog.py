"""Ask when and how a letter was sent."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QWidget

from ui.widgets.write_dialog import date_of

METHODS = (("post", "Post"), ("hand", "By hand"), ("secure_email", "Secure email"))


class MarkSentDialog(QDialog):
    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mark letter sent")
        self.on = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.on.setDisplayFormat("dd/MM/yyyy")
        self.on.setCalendarPopup(True)
        self.on.setMaximumDate(QDate(today.year, today.month, today.day))
        self.method = QComboBox(self)
        for key, label in METHODS:
            self.method.addItem(label, key)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Mark sent")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Sent &on", self.on)
        form.addRow("&How", self.method)
        form.addRow(buttons)

    def sent_on(self) -> date:
        return date_of(self.on)

    def sent_method(self) -> str:
        return str(self.method.currentData())
