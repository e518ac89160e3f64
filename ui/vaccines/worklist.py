"""One worklist: who, born, what, due; Enter or double-click opens the person."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic.dates import uk_date
from ui.widgets.table import table

OVERDUE = QColor("#b00020")


class Row(Protocol):
    person_id: int
    name: str
    date_of_birth: date
    what: str
    due: date


class WorklistView(QWidget):
    open_person = Signal(int)

    def __init__(self, empty_text: str, due_header: str = "Due", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty_text = empty_text
        self.count = QLabel()
        self.table = table(("Name", "Born", "What", due_header))
        self.table.setSortingEnabled(False)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda _index: self.open_current())
        # Many may be chosen for a batch of recall letters (Shift/Ctrl+arrows, Ctrl+A).
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.person_ids: list[int] = []
        layout = QVBoxLayout(self)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)

    def show_rows(self, rows: Sequence[Row], more: bool, today: date) -> None:
        self.person_ids = [r.person_id for r in rows]
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            cells = (r.name, uk_date(r.date_of_birth), r.what, uk_date(r.due))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 3 and r.due < today:
                    item.setForeground(QBrush(OVERDUE))
                self.table.setItem(i, c, item)
        if not rows:
            self.count.setText(self.empty_text)
        elif more:
            self.count.setText(f"Showing the first {len(rows):,}; there are more.")
        else:
            self.count.setText(f"{len(rows):,} {'person' if len(rows) == 1 else 'people'}.")

    def names(self) -> list[str]:
        return [item.text() for i in range(self.table.rowCount()) if (item := self.table.item(i, 0)) is not None]

    def selected_person_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.person_ids[r] for r in rows if 0 <= r < len(self.person_ids)]

    def clear(self) -> None:
        self.person_ids = []
        self.table.setRowCount(0)
        self.count.clear()

    def open_current(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.person_ids):
            self.open_person.emit(self.person_ids[row])
