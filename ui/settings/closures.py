"""The site's closure days: a sorted list with add and remove.

Dates are typed day first (clinic.dates); a weekend or bank holiday is
refused because it is never a working day anyway.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QSizePolicy,
                               QVBoxLayout, QWidget)

from clinic import workdays
from clinic.dates import parse_date, uk_date
from ui.widgets.form_row import FieldError

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def closure_problem(d: date, existing: set[date]) -> str:
    if d in existing:
        return f"{uk_date(d)} is already a closure day."
    if d.weekday() >= 5:
        return f"{uk_date(d)} is a {_WEEKDAYS[d.weekday()]}: it is never a working day, so it needs no closure."
    if workdays.is_bank_holiday(d):
        return f"{uk_date(d)} is a bank holiday: it is never a working day, so it needs no closure."
    return ""


class ClosureDatesEditor(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = QLineEdit()
        self.entry.setPlaceholderText("dd/mm/yyyy")
        self.entry.setAccessibleName("Closure date to add")
        self.add_button = QPushButton("Add")
        self.add_button.setAutoDefault(False)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAutoDefault(False)
        self.list = QListWidget()
        self.list.setFixedHeight(self.list.fontMetrics().lineSpacing() * 6 + 8)
        self.error = FieldError()
        row = QHBoxLayout()
        row.addWidget(self.entry, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.error)
        column.addWidget(self.list)
        self.add_button.clicked.connect(self.add_typed)
        self.entry.returnPressed.connect(self.add_typed)
        self.remove_button.clicked.connect(self.remove_selected)
        self.setFocusProxy(self.entry)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def dates(self) -> list[date]:
        return sorted(self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count()))

    def value(self) -> list[str]:
        return [d.isoformat() for d in self.dates()]

    def set_value(self, values: list[str]) -> None:
        self.list.clear()
        for text in values:
            self._insert(date.fromisoformat(text))
        self.error.clear_message()

    def add_typed(self) -> bool:
        """Add the typed date; say what is wrong beside the box if it cannot be."""
        try:
            d = parse_date(self.entry.text())
        except ValueError as exc:
            self.error.show_message(str(exc))
            return False
        if problem := closure_problem(d, set(self.dates())):
            self.error.show_message(problem)
            return False
        self.error.clear_message()
        self._insert(d)
        self.entry.clear()
        self.changed.emit()
        return True

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))
        self.changed.emit()

    def _insert(self, d: date) -> None:
        item = QListWidgetItem(f"{_WEEKDAYS[d.weekday()]} {uk_date(d)}")
        item.setData(Qt.ItemDataRole.UserRole, d)
        position = sum(1 for existing in self.dates() if existing < d)
        self.list.insertItem(position, item)

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802 - like QLineEdit
        for w in (self.entry, self.add_button, self.remove_button):
            w.setEnabled(not read_only)
