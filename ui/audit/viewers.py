""""Who has looked at this record": for a person's record, managers only.

The service refuses everyone else (``Permission.PERSON_ACCESS_LOG``); for
them the panel says so instead of asking.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from clinic.permissions import Permission
from clinic.services import audit_log
from clinic.services.audit_log import AuditLine
from clinic.uow import UnitOfWork
from clinic.dates import uk_date_time
from ui.context import AppContext
from ui.widgets.form_row import HintLabel


class RecordViewersPanel(QWidget):
    """Newest first: when the record was opened, and by whom (latest 200)."""

    def __init__(self, ctx: AppContext, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person_id = person_id
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Opened", "By"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().resizeSection(0, 160)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Who has looked at this record</b>"))
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.allowed = ctx.can(Permission.PERSON_ACCESS_LOG)
        if not self.allowed:
            self.table.hide()
            layout.addWidget(HintLabel("Only service managers can see who has looked at a record."))
            return
        ctx.locked.connect(self.clear)
        self.refresh()

    def refresh(self) -> None:
        if not self.allowed:
            return
        actor, person_id = self.ctx.actor, self.person_id

        def load(uow: UnitOfWork) -> list[AuditLine]:
            return audit_log.record_viewers(uow, actor, person_id)

        self.summary.setText("Loading…")
        self.ctx.query(self, load).on_success(self._loaded).start()

    def _loaded(self, lines: list[AuditLine]) -> None:
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            self.table.setItem(row, 0, QTableWidgetItem(uk_date_time(line.at)))
            self.table.setItem(row, 1, QTableWidgetItem(line.staff))
        people = len({line.staff for line in lines})
        if not lines:
            self.summary.setText("Nobody has opened this record yet.")
        else:
            latest = f" (the latest {len(lines)})" if len(lines) >= audit_log.PAGE else ""
            self.summary.setText(f"Opened {len(lines)} time{'s' if len(lines) != 1 else ''}{latest} "
                                 f"by {people} member{'s' if people != 1 else ''} of staff.")

    def clear(self) -> None:
        self.table.setRowCount(0)
        self.summary.setText("")
