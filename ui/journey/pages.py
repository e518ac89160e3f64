"""The journey worklist page and the key worker's caseload page.

Both read in the background, reload when a journey change lands, empty on
lock, and open the person's record on Enter or double-click
(``open_person``; the shell opens it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic.changes import Changes
from clinic.dates import uk_date
from clinic.permissions import Permission
from clinic.services.journey import episodes as svc
from clinic.services.journey import worklists as work
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.widgets.table import fill, table


class _Page(QWidget):
    open_person = Signal(int)
    loaded = Signal()
    TITLE = ""
    HEADERS: tuple[str, ...] = ()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person_ids: list[int] = []
        self.table = table(self.HEADERS)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.installEventFilter(self)
        self.summary = QLabel()
        self.head = QHBoxLayout()
        self.head.addWidget(QLabel(f"<b>{self.TITLE}</b>"))
        self.head.addWidget(self.summary, 1)
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(self.head)
        layout.addWidget(self.table, 1)
        self._stale, self._generation = True, 0
        ctx.changes_applied.connect(self._changes_applied)
        ctx.locked.connect(self.drop)

    def reader(self) -> Callable[[UnitOfWork], Any]:
        raise NotImplementedError

    def show_rows(self, rows: Any) -> None:
        raise NotImplementedError

    def refresh(self) -> None:
        self._stale = False
        gen, read = self._generation, self.reader()
        self.ctx.query(self, read).on_success(lambda rows: self._shown(rows) if gen == self._generation else None) \
            .start()

    def _shown(self, rows: Any) -> None:
        self.show_rows(rows)
        self.loaded.emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _changes_applied(self, changes: Changes, initiator: object) -> None:
        if changes.touches(svc.AREA) or changes.touches("people"):
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    def drop(self) -> None:
        self.person_ids, self._stale = [], True
        self._generation += 1
        self.table.setRowCount(0)
        self.summary.clear()

    def open_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.person_ids):
            self.open_person.emit(self.person_ids[row])

    def eventFilter(self, watched: object, event: object) -> bool:
        if (isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.open_selected()
            return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]


class JourneyWorklistPage(_Page):
    """First contact, first intervention, prescribing start, plan and TOP due."""

    TITLE = "Journey worklist"
    HEADERS = ("Due", "Name", "Date of birth", "What", "Key worker")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.kind = QComboBox()
        self.kind.addItem("Everything due", None)
        for key, label in work.KINDS.items():
            self.kind.addItem(label, key)
        self.kind.currentIndexChanged.connect(lambda _i: self.refresh())
        self.mine = QCheckBox("&My caseload only")
        self.mine.toggled.connect(lambda _on: self.refresh())
        caption = QLabel("&Show")
        caption.setBuddy(self.kind)
        for w in (caption, self.kind, self.mine, self.refresh_button):
            self.head.addWidget(w)
        self.items: list[work.WorkItem] = []

    def reader(self) -> Callable[[UnitOfWork], Any]:
        actor, kind, mine = self.ctx.actor, self.kind.currentData(), self.mine.isChecked()
        kinds = frozenset({kind}) if kind else None
        return lambda uow: work.worklist(uow, actor, kinds=kinds, key_worker_id=actor.staff_id if mine else None)

    def show_rows(self, rows: list[work.WorkItem]) -> None:
        self.items, self.person_ids = rows, [i.person_id for i in rows]
        fill(self.table, [(("OVERDUE " if i.severity == "overdue" else "") + uk_date(i.due), i.name,
                           uk_date(i.date_of_birth), i.detail, i.key_worker) for i in rows])
        overdue = sum(1 for i in rows if i.severity == "overdue")
        self.summary.setText(f"{len(rows)} due in the next {work.DUE_SOON_DAYS} days"
                             + (f", <span style='color:#b00020'><b>{overdue} overdue</b></span>" if overdue else ""))


class CaseloadPage(_Page):
    """A key worker's people and what is due for each in the next 4 weeks."""

    TITLE = "Caseload"
    HEADERS = ("Name", "Date of birth", "Episode from", "Modalities", "Next due", "What is due")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.worker = QComboBox()
        self.worker.addItem(ctx.actor.full_name, ctx.actor.staff_id)
        self.worker.setEnabled(ctx.can(Permission.WORKLISTS_ALL_STAFF))
        self.worker.currentIndexChanged.connect(lambda _i: self.refresh())
        caption = QLabel("&Key worker")
        caption.setBuddy(self.worker)
        for w in (caption, self.worker, self.refresh_button):
            self.head.addWidget(w)
        self.rows: list[work.CaseloadRow] = []
        self._workers_loaded = False

    def reader(self) -> Callable[[UnitOfWork], Any]:
        actor, staff = self.ctx.actor, self.worker.currentData()
        load_workers = not self._workers_loaded and self.ctx.can(Permission.WORKLISTS_ALL_STAFF)

        def read(uow: UnitOfWork) -> tuple[list[work.CaseloadRow], list[svc.KeyWorker] | None]:
            workers = svc.key_workers(uow, actor) if load_workers else None
            if workers and staff == actor.staff_id and actor.staff_id not in {k.id for k in workers}:
                return work.caseload(uow, actor, workers[0].id), workers  # a manager holds no caseload
            return work.caseload(uow, actor, staff), workers

        return read

    def show_rows(self, result: tuple[list[work.CaseloadRow], list[svc.KeyWorker] | None]) -> None:
        rows, workers = result
        if workers is not None:
            self._workers_loaded = True
            self.worker.blockSignals(True)
            self.worker.clear()
            for k in workers:
                self.worker.addItem(k.name, k.id)
            self.worker.blockSignals(False)
        self.rows, self.person_ids = rows, [r.person_id for r in rows]
        fill(self.table, [(r.name, uk_date(r.date_of_birth), uk_date(r.started_on), r.modalities,
                           uk_date(r.next_due) if r.next_due else "",
                           "; ".join(("OVERDUE: " if i.severity == "overdue" else "") + i.detail for i in r.due))
                          for r in rows])
        self.summary.setText("1 person in treatment" if len(rows) == 1 else f"{len(rows)} people in treatment")
