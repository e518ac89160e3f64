"""Who has looked at this record (managers): every opening, newest first."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from clinic.services import audit_log
from clinic.services.audit_log import AuditLine
from clinic.services.people_summary import PersonRecord
from ui.context import AppContext


class ViewersTab(QWidget):
    def __init__(self, ctx: AppContext, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person_id = person_id
        self.list = QTreeWidget(self)
        self.list.setHeaderLabels(["When", "Who"])
        self.list.setRootIsDecorated(False)
        self.list.setAccessibleName("Who has looked at this record")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Every opening of this record, newest first (the last 200).", self))
        layout.addWidget(self.list)

    def show_record(self, record: PersonRecord) -> None:
        """Reload after each opening, so the list includes this one."""
        actor, pid = self.ctx.actor, self.person_id
        self.ctx.query(self, lambda uow: audit_log.record_viewers(uow, actor, pid)).on_success(self._show).start()

    def _show(self, lines: list[AuditLine]) -> None:
        self.list.clear()
        for line in lines:
            self.list.addTopLevelItem(QTreeWidgetItem([line.at.strftime("%d/%m/%Y %H:%M"), line.staff]))
        self.list.resizeColumnToContents(0)

    def drop(self) -> None:
        self.list.clear()
