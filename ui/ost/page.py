"""The OST worklists page: reviews due and overdue, missed-dose alerts,
take-home doses with children at home and no box, reviews awaiting sign-off.

Each list is one SQL query in ``clinic.services.ost.worklists`` (≤ 500
rows). Enter or double-click emits ``open_person(person_id)``; the shell
opens the record.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic.changes import Changes
from clinic.dates import uk_date
from clinic.services.ost import worklists as work
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.ost.pharmacies import PharmaciesDialog
from ui.widgets.page_title import title_label  # one page-title style (UI-48)
from ui.widgets.table import fill, table

LISTS: tuple[tuple[str, str, Callable[..., list[work.WorkItem]]], ...] = (
    ("missed", "Missed-dose alerts", work.missed_dose_alerts),
    ("storage", "Children, take-home, no box", work.storage_alerts),
    ("reviews", "Reviews due and overdue", work.reviews_due),
    ("unsigned", "Awaiting sign-off", work.unsigned_reviews),
)


class OstPage(QWidget):
    open_person = Signal(int)
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items: dict[str, list[work.WorkItem]] = {}
        self.tables: dict[str, QTableWidget] = {}
        self.tabs = QTabWidget()
        for key, title, _ in LISTS:
            t = table(("Name", "Date of birth", "Date", "Detail"))
            t.doubleClicked.connect(lambda _i, k=key: self.open_selected(k))
            t.installEventFilter(self)
            self.tables[key] = t
            self.tabs.addTab(t, title)
        self.summary = QLabel()
        refresh = QPushButton("&Refresh")
        refresh.clicked.connect(self.refresh)
        self.pharmacies_button = QPushButton("&Pharmacies…")
        self.pharmacies_button.setToolTip("The dispensing pharmacies: add, correct, retire")
        self.pharmacies_button.clicked.connect(self.edit_pharmacies)
        self.dialog: PharmaciesDialog | None = None
        head = QHBoxLayout()
        head.addWidget(title_label("OST worklists"))
        head.addWidget(self.summary, 1)
        head.addWidget(self.pharmacies_button)
        head.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.tabs, 1)
        self._stale = True
        self._generation = 0  # bumped on lock: a read that finishes after it is dropped
        ctx.changes_applied.connect(self._changes_applied)
        ctx.locked.connect(self.drop)

    def edit_pharmacies(self) -> None:
        self.dialog = PharmaciesDialog(self.ctx, self)
        self.dialog.open()

    def refresh(self) -> None:
        actor = self.ctx.actor
        self._stale = False

        def read(uow: UnitOfWork) -> dict[str, list[work.WorkItem]]:
            return {key: fn(uow, actor) for key, _, fn in LISTS}

        gen = self._generation
        self.ctx.query(self, read).on_success(lambda items: self._show(items) if gen == self._generation else None) \
            .start()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _changes_applied(self, changes: Changes, initiator: object) -> None:
        if changes.touches("ost") or changes.touches("safe_storage") or changes.touches("people"):
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    def drop(self) -> None:
        self.items = {}
        self._stale = True
        self._generation += 1
        for t in self.tables.values():
            t.setRowCount(0)
        self.summary.clear()

    def _show(self, items: dict[str, list[work.WorkItem]]) -> None:
        self.items = items
        for i, (key, title, _) in enumerate(LISTS):
            rows = items[key]
            fill(self.tables[key], [(w.name, uk_date(w.date_of_birth), uk_date(w.due) if w.due else "", w.detail)
                                    for w in rows])
            self.tabs.setTabText(i, f"{title} ({len(rows)})")
        alerts = len(items["missed"]) + len(items["storage"])
        plural = "s" if alerts != 1 else ""
        self.summary.setText(f"<span style='color:#8b0000'><b>{alerts} alert{plural}</b></span>" if alerts else "")
        self.loaded.emit()

    def open_selected(self, key: str | None = None) -> None:
        key = key or LISTS[self.tabs.currentIndex()][0]
        row = self.tables[key].currentRow()
        if 0 <= row < len(self.items.get(key, [])):
            self.open_person.emit(self.items[key][row].person_id)

    def eventFilter(self, watched: object, event: object) -> bool:  # noqa: N802 - Qt name
        if (isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.open_selected()
            return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]
