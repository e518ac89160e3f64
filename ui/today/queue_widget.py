"""The drop-in queue with live waiting times.

Reception adds a walk-in (a client number or a name, and a reason);
clinicians call the next person in (F5 / "Call next"), then mark seen or
left. The list re-reads every 30 seconds so waits tick on, and waits over
``queue.wait_warn_minutes`` are shown in red.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QTableWidgetItem, QVBoxLayout, QWidget,
)

from clinic.changes import Changes
from clinic.services import queue
from clinic.services.queue import QueueRow, QueueView
from ui import ops
from ui.context import AppContext
from ui.widgets.table import table

REFRESH_MS = 30_000
COLUMNS = ("Arrived", "Name", "Reason", "Status", "Waited")
OVER = "#f8d7da"
CALLED = "#fff3bf"
DONE = "#6c757d"


class DropInQueueWidget(QWidget):
    """``DropInQueueWidget(ctx, parent=None)``."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view: QueueView | None = None
        self.person = QSpinBox()
        self.person.setRange(0, 2_000_000_000)
        self.person.setSpecialValueText("Client no.")
        self.person.setToolTip("Client number, if they are on the register")
        self.name = QLineEdit()
        self.name.setPlaceholderText("or name")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Reason (e.g. needle exchange)")
        self.add_button = QPushButton("&Add walk-in")
        add_row = QHBoxLayout()
        for w in (self.person, self.name, self.reason, self.add_button):
            add_row.addWidget(w)
        self.table = table(COLUMNS)
        self.call_button = QPushButton("&Call next")
        self.call_button.setToolTip("Call in whoever has waited longest (F5)")
        self.seen_button = QPushButton("S&een")
        self.left_button = QPushButton("&Left")
        self.summary = QLabel()
        actions = QHBoxLayout()
        for w in (self.call_button, self.seen_button, self.left_button):
            actions.addWidget(w)
        actions.addStretch(1)
        actions.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(add_row)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self.add_button.clicked.connect(self.add_walk_in)
        self.reason.returnPressed.connect(self.add_walk_in)
        self.call_button.clicked.connect(self.call_next)
        self.seen_button.clicked.connect(lambda: self._finish("seen"))
        self.left_button.clicked.connect(lambda: self._finish("left"))
        QShortcut(QKeySequence("F5"), self, self.call_next)
        self.timer = ops.every(ctx, self, REFRESH_MS, self.refresh)
        ctx.changes_applied.connect(self._changes_applied)
        ctx.locked.connect(self.clear)
        self.refresh()

    def refresh(self) -> None:
        actor = self.ctx.actor
        self.ctx.query(self, lambda uow: queue.today_queue(uow, actor)).on_success(self._show).start()

    def _show(self, view: QueueView) -> None:
        self.view = view
        rows = view.rows
        current = self.selected()
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = (f"{row.arrived_at:%H:%M}", row.name, row.reason, queue.STATUS_LABELS[row.status],
                     f"{row.wait_minutes} min")
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.id)
                if row.over_threshold:
                    item.setBackground(QBrush(QColor(OVER)))
                elif row.status == "with_clinician":
                    item.setBackground(QBrush(QColor(CALLED)))
                elif row.status in ("seen", "left"):
                    item.setForeground(QBrush(QColor(DONE)))
                self.table.setItem(r, c, item)
            if current is not None and row.id == current.id:
                self.table.selectRow(r)
        waiting = view.waiting
        longest = max((r.wait_minutes for r in waiting), default=0)
        self.summary.setText(f"{len(waiting)} waiting" + (f" · longest {longest} min" if waiting else ""))

    def clear(self) -> None:
        self.view = None
        self.table.setRowCount(0)
        self.summary.clear()

    def _changes_applied(self, changes: Changes, initiator: object) -> None:
        if changes.touches("queue"):
            self.refresh()

    def selected(self) -> QueueRow | None:
        r = self.table.currentRow()
        if self.view is None or not 0 <= r < len(self.view.rows):
            return None
        return self.view.rows[r]

    def add_walk_in(self) -> None:
        cmd = queue.AddWalkIn(self.person.value() or None, self.reason.text(), self.name.text())
        actor = self.ctx.actor
        self.ctx.write(self, lambda uow: queue.add_walk_in(uow, actor, cmd)).on_success(self._added).start()

    def _added(self, _result: object) -> None:
        self.person.setValue(0)
        self.name.clear()
        self.reason.clear()
        self.person.setFocus()

    def call_next(self) -> None:
        actor = self.ctx.actor
        self.ctx.write(self, lambda uow: queue.call_next(uow, actor)).start()

    def _finish(self, status: str) -> None:
        row = self.selected()
        if row is None:
            return
        actor, fn = self.ctx.actor, queue.mark_seen if status == "seen" else queue.mark_left
        self.ctx.write(self, lambda uow: fn(uow, actor, row.id, row.version)).start()
