"""The small table of filed letters shared by the Letters tab and the held
list. A person has tens of letters, the held list a few dozen: a plain
QTableWidget filled from one query is enough."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from clinic.clock import SITE_TZ
from clinic.services.letters.writing import LetterRow
from clinic.dates import uk_date, uk_date_time

DISPOSITIONS = {"printed": "Printed", "saved": "Saved as PDF", "held": "Held for collection"}
METHODS = {"post": "post", "hand": "by hand", "secure_email": "secure email"}


def local_time(at: datetime) -> datetime:
    """Stored times are UTC; SQLite hands them back without a zone."""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(SITE_TZ)


def status_text(row: LetterRow) -> str:
    s = row.letter
    if s.status == "sent" and s.sent_on is not None:
        return f"Sent {uk_date(s.sent_on)} ({METHODS.get(s.sent_method or '', s.sent_method)})"
    if s.status == "superseded":
        return "Superseded by a correction"
    return {"filed": "Filed", "returned": "Returned", "collected": "Collected"}.get(s.status, s.status)


class LetterTable(QTableWidget):
    def __init__(self, columns: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(0, len(columns), parent)
        self.columns = tuple(columns)
        self.setHorizontalHeaderLabels(list(columns))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self._rows: list[LetterRow] = []

    def set_rows(self, rows: Sequence[LetterRow]) -> None:
        keep = self.current()
        self._rows = list(rows)
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, column in enumerate(self.columns):
                item = QTableWidgetItem(self._cell(row, column))
                item.setData(Qt.ItemDataRole.UserRole, row.id)
                self.setItem(r, c, item)
        if keep is not None:
            self.select_id(keep.id)

    def rows(self) -> list[LetterRow]:
        return list(self._rows)

    def current(self) -> LetterRow | None:
        r = self.currentRow()
        selected = self.selectionModel().selectedRows() if self.selectionModel() else []
        if not selected or not 0 <= r < len(self._rows):
            return None
        return self._rows[r]

    def select_id(self, letter_id: int) -> None:
        for r, row in enumerate(self._rows):
            if row.id == letter_id:
                self.selectRow(r)
                return

    def _cell(self, row: LetterRow, column: str) -> str:
        s = row.letter
        match column:
            case "Date":
                return f"{uk_date_time(local_time(s.created_at))}"
            case "Letter":
                return s.title
            case "Reference":
                return s.reference
            case "Author":
                return row.author
            case "Person":
                return row.person_name
            case "How":
                return DISPOSITIONS.get(s.disposition, s.disposition)
            case "Status":
                return status_text(row)
        raise KeyError(column)
