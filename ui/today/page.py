"""Today: my appointments, the drop-in queue, callbacks due, outcomes to record.

Each part appears only for roles that may use it (the services refuse the
rest anyway).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic.changes import Changes
from clinic.dates import uk_long
from clinic.permissions import Permission, Role
from clinic.services.appointments import book
from clinic.services.appointments.book import BookView
from ui.widgets.status_look import STATUS_COLOURS, status_text
from ui.today.outcomes import OutcomesList
from ui.context import AppContext
from ui.today.callbacks_widget import CallbacksWidget
from ui.today.queue_widget import DropInQueueWidget
from ui.widgets.page_title import page_title
from ui.widgets.table import table


class MyAppointments(QWidget):
    """Today's bookings with the signed-in clinician (or, for reception, everyone's)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.table = table(("Time", "Person", "Type", "Status"), stretch=2)  # rows, one Tab stop (UI-1)
        self.table.setAccessibleName("Today's appointments")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        ctx.changes_applied.connect(self._changes_applied)
        ctx.locked.connect(lambda: self.table.setRowCount(0))
        self.refresh()

    def refresh(self) -> None:
        actor = self.ctx.actor
        today = self.ctx.clinic.clock.today()
        mine = [actor.staff_id] if _is_clinician(self.ctx) else None
        self.ctx.query(self, lambda uow: book.book_range(uow, actor, today, today, clinician_ids=mine)) \
            .on_success(self._show).start()

    def _show(self, view: BookView) -> None:
        self.table.setRowCount(len(view.appointments))
        for r, row in enumerate(view.appointments):
            cells = (f"{row.start:%H:%M}–{row.end:%H:%M}", row.person_name,
                     row.type_name + ("" if _is_clinician(self.ctx) or not row.clinician_name
                                     else f" · {row.clinician_name}"),
                     status_text(row.status))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setBackground(QBrush(QColor(STATUS_COLOURS[row.status])))
                self.table.setItem(r, c, item)

    def _changes_applied(self, changes: Changes, initiator: object) -> None:
        if changes.touches("appointments"):
            self.refresh()


def _is_clinician(ctx: AppContext) -> bool:
    """Someone who is booked themselves sees their own list; a manager, like
    reception, sees everyone's (UI-42)."""
    return bool(ctx.actor.roles & {Role.NURSE, Role.PRESCRIBER, Role.PROBATION})


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
        # The queue and callbacks (reception's work) get the wider left column and
        # most of the height, so the people waiting are in view at 1366×768 (UI-6).
        left = [p for p in parts if p[1] in (self.queue, self.callbacks)]
        right = [p for p in parts if p[1] not in (self.queue, self.callbacks)]
        columns = [c for c in (left, right) if c]
        for col, items in enumerate(columns):
            for row, (title, widget) in enumerate(items):
                box = QGroupBox(title)
                QVBoxLayout(box).addWidget(widget)
                grid.addWidget(box, row, col)
                if col == 0:
                    grid.setRowStretch(row, 3 if widget is self.queue else 2)
        if len(columns) == 2:
            grid.setColumnStretch(0, 3)
            grid.setColumnStretch(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title("Today", f"{today:%A} {uk_long(today)}"))
        layout.addLayout(grid, 1)
