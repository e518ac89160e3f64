"""Find a person as you type: name, date of birth, NHS number or client ID.

Each pause in typing (``DEBOUNCE_MS``) runs one search through
``ctx.query`` off the UI thread; results from an older search than the
latest one are dropped. Keyboard: Down moves from the box into the results,
Up from the top row goes back, Enter opens (from the box, the first hit).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic.dates import uk_date
from clinic.services.people import search as people_search
from clinic.services.people.search import PersonHit
from ui.context import AppContext

DEBOUNCE_MS = 150
COLUMNS = ("Name", "Preferred", "Date of birth", "Age", "NHS number", "Postcode", "Client ID", "Flags")

Index = QModelIndex | QPersistentModelIndex
NO_PARENT = QModelIndex()  # the root: a flat list has rows only under it


class HitsModel(QAbstractTableModel):
    """At most one page of hits (the search is limited in SQL)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hits: list[PersonHit] = []

    def set_hits(self, hits: list[PersonHit]) -> None:
        self.beginResetModel()
        self.hits = list(hits)
        self.endResetModel()

    def rowCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.hits)

    def columnCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        hit = self.hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(hit, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and hit.status != "open":
            return QBrush(QColor("#6b6b6b"))
        if role == Qt.ItemDataRole.UserRole:
            return hit.id
        return None

    @staticmethod
    def _text(hit: PersonHit, column: int) -> str:
        status = "" if hit.status == "open" else f" ({hit.status})"
        return (
            hit.display_name + status, hit.preferred_name, uk_date(hit.date_of_birth), str(hit.age),
            hit.nhs_number, hit.postcode, hit.client_id, ", ".join(c.label for c in hit.chips),
        )[column]


class PersonSearch(QWidget):
    """The search box and its results. ``person_chosen(person_id)`` on Enter."""

    person_chosen = Signal(int)
    #: Emitted after each set of results is shown (tests wait on it).
    results_shown = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0
        self.box = QLineEdit(self)
        self.box.setPlaceholderText("Surname, first name, date of birth, NHS number or client ID")
        self.box.setClearButtonEnabled(True)
        self.box.setAccessibleName("Find a person")
        self.include_closed = QCheckBox("Include &closed records", self)
        self.status = QLabel(self)
        self.status.setAccessibleName("search status")
        self.model = HitsModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setAccessibleName("Search results")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_search)
        self.box.textChanged.connect(self._timer.start)
        self.include_closed.toggled.connect(self.run_search)
        self.box.installEventFilter(self)
        self.view.installEventFilter(self)
        self.view.activated.connect(self._open_index)
        ctx.locked.connect(self.clear)
        ctx.changes_applied.connect(self._changed)

        top = QHBoxLayout()
        top.addWidget(self.box, 1)
        top.addWidget(self.include_closed)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        self.setFocusProxy(self.box)

    # ---- searching -------------------------------------------------------
    def run_search(self) -> None:
        self._timer.stop()
        self._generation += 1
        generation, text, closed = self._generation, self.box.text(), self.include_closed.isChecked()
        if not text.strip():
            self._show(generation, [])
            return
        actor = self.ctx.actor
        self.ctx.query(self, lambda uow: people_search.search(uow, actor, text, include_closed=closed)) \
            .on_success(lambda hits: self._show(generation, hits)).start()

    def _show(self, generation: int, hits: list[PersonHit]) -> None:
        if generation != self._generation:
            return  # an older search finished after a newer one started
        self.model.set_hits(hits)
        text = self.box.text().strip()
        if not text:
            self.status.setText("")
        elif not hits:
            self.status.setText("No one found. Check the spelling, or try the date of birth.")
        else:
            more = " (showing the first 50; type more to narrow)" if len(hits) >= 50 else ""
            self.status.setText(f"{len(hits)} found{more}. Down arrow to choose, Enter to open.")
        if hits:
            self.view.selectRow(0)
        self.results_shown.emit()

    def clear(self) -> None:
        """Forget everything shown (the screen locked)."""
        self._generation += 1
        self._timer.stop()
        self.box.clear()
        self.model.set_hits([])
        self.status.setText("")

    def _changed(self, changes: Any, initiator: Any) -> None:
        if changes.touches("people") and self.model.hits:
            self.run_search()

    # ---- keyboard -----------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if watched is self.box:
            if key == Qt.Key.Key_Down and self.model.hits:
                self.view.setFocus()
                if not self.view.currentIndex().isValid():
                    self.view.selectRow(0)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._timer.isActive() or not self.model.hits:
                    self.run_search()
                    return True
                self._open_row(max(self.view.currentIndex().row(), 0))
                return True
        elif watched is self.view:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.view.currentIndex().isValid():
                self._open_index(self.view.currentIndex())
                return True
            if key == Qt.Key.Key_Up and self.view.currentIndex().row() <= 0:
                self.box.setFocus()
                return True
        return False

    def _open_index(self, index: QModelIndex) -> None:
        self._open_row(index.row())

    def _open_row(self, row: int) -> None:
        if 0 <= row < len(self.model.hits):
            self.person_chosen.emit(self.model.hits[row].id)
