"""The "outcomes to record" worklist: past bookings nobody has closed.

Nothing is marked did-not-attend automatically (a DNA may send a letter to
Probation), so each row is recorded by hand: seen, DNA, left unseen; a DRR
booking asks first and says what it records (``status_confirm``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic.changes import Changes
from clinic.permissions import Permission
from clinic.services.appointments import book
from clinic.services.appointments.book import AppointmentRow
from clinic.services.appointments.common import STATUS_LABELS
from clinic.dates import uk_date_time
from ui.widgets.status_confirm import StatusMarker
from ui.context import AppContext
from ui.widgets.table import table

COLUMNS = ("When", "Person", "Type", "Clinician", "Status")


class OutcomesList(QWidget):
    """``OutcomesList(ctx, clinician_id=None, parent=None)``."""

    def __init__(self, ctx: AppContext, *, clinician_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.clinician_id = clinician_id
        self.rows: list[AppointmentRow] = []
        self.marker = StatusMarker(ctx, self, self._marked)
        # the text columns share the width, so the table fits its pane at 1366 px
        self.table = table(COLUMNS, stretch=(COLUMNS.index("Type"), COLUMNS.index("Clinician")))
        self.count = QLabel()
        self.notice = QLabel()  # what the last marking recorded for Probation
        self.notice.setWordWrap(True)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for label, status in (("&Seen", "seen"), ("Did &not attend", "dna"), ("Left &unseen", "left_unseen")):
            button = QPushButton(label)
            button.clicked.connect(lambda _=False, s=status: self.record(s))
            button.setVisible(ctx.can(Permission.APPOINTMENT_WRITE))
            self.buttons[status] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.notice)
        ctx.changes_applied.connect(self._changes_applied)
        ctx.locked.connect(self.clear)
        self.refresh()

    def refresh(self) -> None:
        actor, clinician = self.ctx.actor, self.clinician_id
        self.ctx.query(self, lambda uow: book.outcomes_to_record(uow, actor, clinician_id=clinician)) \
            .on_success(self._show).start()

    def _show(self, rows: list[AppointmentRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate((f"{uk_date_time(row.start)}", row.person_name, row.type_name,
                                      row.clinician_name, STATUS_LABELS[row.status])):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.id)
                self.table.setItem(r, c, item)
        self.count.setText(f"{len(rows)} to record" if rows else "Nothing to record")
        if rows and self.table.currentRow() < 0:
            self.table.selectRow(0)

    def clear(self) -> None:
        self.rows = []
        self.table.setRowCount(0)
        self.count.clear()
        self.notice.clear()

    def _changes_applied(self, changes: Changes, initiator: object) -> None:
        if changes.touches("appointments"):
            self.refresh()

    def record(self, status: str) -> None:
        r = self.table.currentRow()
        if not 0 <= r < len(self.rows):
            return
        row = self.rows[r]
        self.marker.mark(row.id, row.version, row.person_name, row.start, status)

    def _marked(self, error: BaseException | None) -> None:
        if error is None:
            self.notice.setText(self.marker.message)
