"""The drop-in queue with live waiting times.

Reception adds a walk-in: the person found as the People search finds them
(name, date of birth, client number), named once chosen, or a name as typed
for someone not on the register, and a reason. Clinicians call the next
person in (F5 / "Call next") or the one selected ("Call selected", for a
wound check that needs the nurse), then mark seen or left. The people
waiting come first, longest wait at the top; finished visits go to the
bottom (UI-6). The list re-reads every 30 seconds (a timer that stops on
lock) so waits tick on; waits over ``queue.wait_warn_minutes`` are marked
in red and with a word, not by colour alone.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic.changes import Changes
from clinic.permissions import Permission
from clinic.services import queue
from clinic.services.queue import QueueRow, QueueView
from ui import ops
from ui.context import AppContext
from ui.operations import queue as queue_ops
from ui.shell import theme
from ui.widgets.form_row import FieldError
from ui.widgets.person_picker import PersonPicker
from ui.widgets.table import table

REFRESH_MS = 30_000
COLUMNS = ("Arrived", "Name", "Reason", "Status", "Waited")
_ORDER = {"waiting": 0, "with_clinician": 1}


def wait_text(minutes: int) -> str:
    """"11 h 39 min", "45 min"."""
    hours, mins = divmod(minutes, 60)
    return f"{hours} h {mins} min" if hours else f"{mins} min"


def in_queue_order(rows: tuple[QueueRow, ...]) -> list[QueueRow]:
    """Waiting first (longest wait at the top), then with a clinician, then finished."""
    return sorted(rows, key=lambda r: (_ORDER.get(r.status, 2), -r.wait_minutes if r.status == "waiting" else 0,
                                       r.arrived_at))
OVER = "#f8d7da"
CALLED = "#fff3bf"
DONE = "#6c757d"


class DropInQueueWidget(QWidget):
    """``DropInQueueWidget(ctx, parent=None)``."""

    #: The harm-reduction counter for the selected row's person (None for a walk-in not on the register).
    to_counter = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view: QueueView | None = None
        self.rows: list[QueueRow] = []
        self.person = PersonPicker(ctx, self, placeholder="Walk-in: name, date of birth or client number")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Reason (e.g. needle exchange)")
        self.reason.setAccessibleName("Reason")
        self.add_button = QPushButton("&Add walk-in")
        self.add_button.setIcon(theme.icon("user-plus"))
        self.add_error = FieldError()
        add_row = QHBoxLayout()
        add_row.addWidget(self.person, 3)
        add_row.addWidget(self.reason, 2, Qt.AlignmentFlag.AlignTop)
        add_row.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignTop)
        self.table = table(COLUMNS)
        self.table.setAccessibleName("Drop-in queue")
        for column in (1, 2):  # name and reason take the room; the rest fit their text
            self.table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.call_button = QPushButton("&Call next")
        self.call_button.setToolTip("Call in whoever has waited longest (F5)")
        self.call_selected_button = QPushButton("Call &in selected")
        self.call_selected_button.setToolTip("Call in the person selected in the list")
        self.seen_button = QPushButton("S&een")
        self.left_button = QPushButton("&Left")
        self.summary = QLabel()
        self.counter_button = QPushButton("C&ounter")  # the harm-reduction counter
        self.counter_button.setToolTip("Record an NSP visit for the selected person")
        self.counter_button.setVisible(ctx.can(Permission.NSP_COUNTER))
        self.counter_button.clicked.connect(self._to_counter)
        actions = QHBoxLayout()
        for w in (self.call_button, self.call_selected_button, self.seen_button, self.left_button,
                  self.counter_button):
            actions.addWidget(w)
        actions.addStretch(1)
        actions.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(add_row)
        layout.addWidget(self.add_error)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self.add_button.clicked.connect(self.add_walk_in)
        self.reason.returnPressed.connect(self.add_walk_in)
        self.call_button.clicked.connect(self.call_next)
        self.call_selected_button.clicked.connect(self.call_selected)
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
        current = self.selected()
        self.view = view
        rows = self.rows = in_queue_order(view.rows)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            status = queue.STATUS_LABELS[row.status]
            if row.status == "with_clinician" and row.called_by_name:
                status += f" ({row.called_by_name})"
            waited = wait_text(row.wait_minutes) + (" — over" if row.over_threshold else "")
            cells = (f"{row.arrived_at:%H:%M}", row.name, row.reason, status, waited)
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
        self.summary.setText(f"{len(waiting)} waiting" + (f" · longest {wait_text(longest)}" if waiting else ""))

    def clear(self) -> None:
        self.view = None
        self.rows = []
        self.table.setRowCount(0)
        self.summary.clear()

    def _changes_applied(self, changes: Changes, initiator: object) -> None:
        if changes.touches("queue"):
            self.refresh()

    def selected(self) -> QueueRow | None:
        r = self.table.currentRow()
        if not 0 <= r < len(self.rows):
            return None
        return self.rows[r]

    def add_walk_in(self) -> None:
        self.add_error.clear_message()
        pid = self.person.person_id
        cmd = queue.AddWalkIn(pid, self.reason.text(), "" if pid else self.person.text())
        actor = self.ctx.actor
        self.ctx.write(self, queue_ops.add_walk_in(actor, cmd)).on_success(self._added) \
            .on_failure(self._refused).start()

    def _refused(self, error: BaseException) -> None:
        """Said under the row, not in a box (UI-12)."""
        if isinstance(error, ValueError):
            self.add_error.show_message(str(error))
            self.person.setFocus()
        else:
            self.ctx.show_error(self, error)

    def _added(self, _result: object) -> None:
        self.person.clear()
        self.reason.clear()
        self.person.setFocus()

    def call_next(self) -> None:
        actor = self.ctx.actor
        self.ctx.write(self, queue_ops.call_next(actor)).start()

    def _to_counter(self) -> None:
        row = self.selected() or next((r for r in (self.view.rows if self.view else ())
                                       if r.status == "with_clinician"), None)
        self.to_counter.emit(row.person_id if row else None)

    def call_selected(self) -> None:
        row = self.selected()
        if row is None or row.status != "waiting":
            return
        actor = self.ctx.actor
        self.ctx.write(self, queue_ops.call_next(actor, row.id)).start()

    def _finish(self, status: str) -> None:
        row = self.selected()
        if row is None:
            return
        actor, fn = self.ctx.actor, queue_ops.mark_seen if status == "seen" else queue_ops.mark_left
        self.ctx.write(self, fn(actor, row.id, row.version)).start()
