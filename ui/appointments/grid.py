"""The appointment book grid: time rows × clinician, room or day columns.

A plain ``QTableWidget`` (a day holds a few hundred cells, not a register):
free session slots are pale green, bookings are coloured by status and span
their length. ``cell_item(row, col)`` gives what a cell holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from clinic.services.appointments_book import AppointmentRow, BookView, FreeSlot
from clinic.services.appointments_common import STATUS_LABELS

STEP_MINUTES = 10
FIRST = time(8, 0)
LAST = time(18, 0)

STATUS_COLOURS = {
    "booked": "#cfe2ff",
    "arrived": "#fff3bf",
    "in_progress": "#ffd8a8",
    "seen": "#c3e6cb",
    "dna": "#f5c2c7",
    "cancelled_client": "#e9ecef",
    "cancelled_service": "#e9ecef",
    "left_unseen": "#f8d7da",
}
FREE_COLOUR = "#eefaf0"
SESSION_COLOUR = "#f6fbf7"


@dataclass(frozen=True)
class Column:
    key: int | date  # clinician id, room id or day
    title: str


class BookGrid(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setDefaultSectionSize(22)
        self.columns: list[Column] = []
        self.cells: dict[tuple[int, int], AppointmentRow | FreeSlot] = {}

    @staticmethod
    def times() -> list[time]:
        out, moment = [], datetime.combine(date.min, FIRST)
        while moment.time() < LAST:
            out.append(moment.time())
            moment += timedelta(minutes=STEP_MINUTES)
        return out

    def _row_of(self, moment: datetime) -> int:
        minutes = (moment.hour * 60 + moment.minute) - (FIRST.hour * 60 + FIRST.minute)
        return max(0, min(self.rowCount() - 1, minutes // STEP_MINUTES))

    def show_view(self, view: BookView, columns: list[Column], column_of: str) -> None:
        """``column_of``: "clinician", "room" or "day" — which field picks the column."""
        self.clearSpans()
        self.clear()
        self.cells = {}
        self.columns = columns
        times = self.times()
        self.setRowCount(len(times))
        self.setColumnCount(len(columns))
        self.setHorizontalHeaderLabels([c.title for c in columns])
        self.setVerticalHeaderLabels([t.strftime("%H:%M") if t.minute % 30 == 0 else "" for t in times])
        index = {c.key: i for i, c in enumerate(columns)}

        def col(item: AppointmentRow | FreeSlot, clinician: int, room: int | None) -> int | None:
            key = {"clinician": clinician, "room": room, "day": item.start.date()}[column_of]
            return index.get(key)  # type: ignore[arg-type]

        for session in view.sessions:
            c = col(session, session.clinician_id, session.room_id)  # type: ignore[arg-type]
            if c is None:
                continue
            for r in range(self._row_of(session.start), self._row_of(session.end - timedelta(minutes=1)) + 1):
                self._paint(r, c, "", SESSION_COLOUR, session.label)
        for appt in view.appointments:
            c = col(appt, appt.clinician_id, appt.room_id)
            if c is not None:
                text = f"{appt.start:%H:%M} {appt.person_name} — {appt.type_name}"
                if appt.status != "booked":
                    text += f" [{STATUS_LABELS[appt.status]}]"
                self._place(appt, c, text, STATUS_COLOURS[appt.status])
        for slot in view.free_slots:
            c = col(slot, slot.clinician_id, slot.room_id)
            if c is not None:
                self._place(slot, c, f"{slot.start:%H:%M} free", FREE_COLOUR)

    def _paint(self, r: int, c: int, text: str, colour: str, tip: str = "") -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setBackground(QBrush(QColor(colour)))
        if tip:
            item.setToolTip(tip)
        self.setItem(r, c, item)
        return item

    def _place(self, thing: AppointmentRow | FreeSlot, c: int, text: str, colour: str) -> None:
        first = self._row_of(thing.start)
        last = self._row_of(thing.end - timedelta(minutes=1))
        existing = self.cells.get((first, c))
        if existing is not None:
            if isinstance(thing, AppointmentRow) and isinstance(existing, AppointmentRow):
                # overlapping bookings share the cell, so neither is hidden
                item = self.item(self._row_of(existing.start), c)
                if item is not None:
                    item.setText(item.text() + "\n" + text)
                return
            if isinstance(thing, FreeSlot):
                return  # a slot starting inside a neighbour's row: the neighbour shows it
        for r in range(first + 1, last + 1):
            if (r, c) in self.cells:
                last = r - 1
                break
        item = self._paint(first, c, text, colour)
        if isinstance(thing, AppointmentRow):
            item.setToolTip(f"{text}\n{thing.start:%H:%M}–{thing.end:%H:%M}"
                            f"{' · ' + thing.room_name if thing.room_name else ''}"
                            f"{chr(10) + thing.reception_note if thing.reception_note else ''}")
        item.setData(Qt.ItemDataRole.UserRole, thing)
        for r in range(first, last + 1):
            self.cells[(r, c)] = thing
        if last > first:
            for r in range(first + 1, last + 1):
                self.takeItem(r, c)
            self.setSpan(first, c, last - first + 1, 1)

    def cell_item(self, row: int, col: int) -> AppointmentRow | FreeSlot | None:
        return self.cells.get((row, col))

    def current_thing(self) -> AppointmentRow | FreeSlot | None:
        return self.cell_item(self.currentRow(), self.currentColumn())

    def find_cell(self, predicate: Callable[[AppointmentRow | FreeSlot], bool]) -> tuple[int, int] | None:
        for (r, c), thing in sorted(self.cells.items()):
            if predicate(thing):
                return r, c
        return None
