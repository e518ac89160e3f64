"""A from/to date picker where either end may be left open ("any").

Reusable wherever a list is filtered by date (audit log, reports,
worklists). Dates are shown and typed day first (dd/mm/yyyy). The lowest
date of each edit is shown as "any" and means no bound.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QWidget

_OPEN = QDate(2000, 1, 1)


class OptionalDateEdit(QDateEdit):
    """A QDateEdit whose minimum means "no date" and shows as ``open_text``."""

    def __init__(self, open_text: str = "any", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("dd/MM/yyyy")
        self.setCalendarPopup(True)
        self.setMinimumDate(_OPEN)
        self.setSpecialValueText(open_text)
        self.setDate(_OPEN)

    def value(self) -> date | None:
        d = self.date()
        return None if d == _OPEN else date(d.year(), d.month(), d.day())

    def set_value(self, value: date | None) -> None:
        self.setDate(_OPEN if value is None else QDate(value.year, value.month, value.day))


class DateRangePicker(QWidget):
    """Two optional dates; ``changed`` fires when either moves."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.start = OptionalDateEdit("any")
        self.end = OptionalDateEdit("any")
        self.start.setAccessibleName("From date")
        self.end.setAccessibleName("To date")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.start)
        row.addWidget(QLabel("to"))
        row.addWidget(self.end)
        self.start.dateChanged.connect(self.changed)
        self.end.dateChanged.connect(self.changed)

    def range(self) -> tuple[date | None, date | None]:
        return self.start.value(), self.end.value()

    def problem(self) -> str:
        """Why the range cannot be used, or "" if it can."""
        start, end = self.range()
        if start is not None and end is not None and start > end:
            return "The start date is after the end date."
        return ""
