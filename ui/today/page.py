"""Today: my appointments, the drop-in queue, callbacks due, outcomes to record.

Each part appears only for roles that may use it (the services refuse the
rest anyway).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QGridLayout, QGroupBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget,
)

from clinic.changes import Changes
from clinic.permissions import Permission
from clinic.services import appointments_book as book
from clinic.services.appointments_book import BookView
from clinic.services.appointments_common import STATUS_LABELS
from ui.appointments.grid import STATUS_COLOURS
from ui.appointments.outcomes import OutcomesList
from ui.context import AppContext
from ui.today.callbacks_widget import CallbacksWidget
from ui.today.queue_widget import DropInQueueWidget

from PySide6.QtGui import QBrush, QColor


class MyAppointments(QWidget):
    """Today's bookings with the signed-in clinician (or, for reception, everyone's)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(("Time", "Person", "Type", "Status"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        ctx.changes_applied.connect(self._changes_applied)
        ctx.locked.connect(lambda: self.table.setRowCount(0))
        self.refresh()

    def refresh(self) -> None:
        actor = self.ctx.actor
        today = self.ctx.clinic.clock.today()
        mine = None if self.ctx.can(Permission.QUEUE_WRITE) and not _is_clinician(self.ctx) else [actor.staff_id]
        self.ctx.query(self, lambda uow: book.book_range(uow, actor, today, today, clinician_ids=mine)) \
            .on_success(self._show).start()

    def _show(self, view: BookView) -> None:
        self.table.setRowCount(len(view.appointments))
        for r, row in enumerate(view.appointments):
            cells = (f"{row.start:%H:%M}–{row.end:%H:%M}", row.person_name,
                     row.type_name + ("" if _is_clinician(self.ctx) else f" · {row.clinician_name}"),
                     STATUS_LABELS[row.status])
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setBackground(QBrush(QColor(STATUS_COLOURS[row.status])))
                self.table.setItem(r, c, item)

    def _changes_applied(self, changes: Changes, initiator: object) -> None:
        if changes.touches("appointments"):
            self.refresh()


def _is_clinician(ctx: AppContext) -> bool:
    return ctx.can(Permission.CLINICAL_NOTES_READ) or ctx.can(Permission.PROBATION_WRITE)


class TodayPage(QWidget):
    """``TodayPage(ctx, parent=None)``: the home screen."""

    #: The queue asked for the harm-reduction counter (person id or None).
    open_counter = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        today = ctx.clinic.clock.today()
        grid = QGridLayout()
        self.appointments: MyAppointments | None = None
        self.queue: DropInQueueWidget | None = None
        self.callbacks: CallbacksWidget | None = None
        self.outcomes: OutcomesList | None = None
        parts: list[tuple[str, QWidget]] = []
        if ctx.can(Permission.APPOINTMENT_READ):
            self.appointments = MyAppointments(ctx)
            title = "My appointments" if _is_clinician(ctx) else "Today's appointments"
            parts.append((title, self.appointments))
        if ctx.can(Permission.QUEUE_WRITE):
            self.queue = DropInQueueWidget(ctx)
            self.queue.to_counter.connect(self.open_counter)
            parts.append(("Drop-in queue", self.queue))
        if ctx.can(Permission.CALLBACK_WRITE):
            self.callbacks = CallbacksWidget(ctx)
            parts.append(("Callbacks due", self.callbacks))
        if ctx.can(Permission.APPOINTMENT_READ):
            mine = ctx.actor.staff_id if _is_clinician(ctx) else None
            self.outcomes = OutcomesList(ctx, clinician_id=mine)
            parts.append(("Outcomes to record", self.outcomes))
        for i, (title, widget) in enumerate(parts):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(widget)
            grid.addWidget(box, i // 2, i % 2)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>Today — {today:%A %d %B %Y}</h2>"))
        layout.addLayout(grid, 1)
