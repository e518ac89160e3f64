"""The staff list as a table model (a site has tens of accounts, not
thousands, so the whole list is held)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from clinic.permissions import ROLE_LABELS
from clinic.services.staff import StaffSummary

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Name", "Username", "Roles", "Registration no.", "Active", "Locked out", "Must change password")
_GREY = QColor("#777777")
_RED = QColor("#b00020")


def role_text(summary: StaffSummary) -> str:
    return ", ".join(ROLE_LABELS[r] for r in sorted(summary.roles))


class StaffTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[StaffSummary] = []

    def set_rows(self, rows: list[StaffSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def summary(self, row: int) -> StaffSummary:
        return self._rows[row]

    def row_of(self, staff_id: int) -> int | None:
        return next((i for i, s in enumerate(self._rows) if s.id == staff_id), None)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        s = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                s.full_name, s.username, role_text(s), s.registration_number or "",
                "Yes" if s.active else "Deactivated", "Locked" if s.locked else "",
                "Yes" if s.must_change_password else "",
            )[col]
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 5 and s.locked:
                return _RED
            if not s.active:
                return _GREY
        return None
