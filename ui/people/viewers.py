"""Who has looked at this record (managers): every opening, newest first,
with the role it was opened in and what was opened, a page at a time with
the total (UI-41)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from clinic.services import audit_log
from clinic.services.audit_log import AuditLine
from clinic.services.people.summary import PersonRecord
from clinic.dates import uk_date_time
from ui.context import AppContext

#: What each viewing action opened, as staff say it.
OPENED = {"person.opened": "The record", "letter.opened": "A letter"}


def opened_text(line: AuditLine) -> str:
    what = OPENED.get(line.action, line.action)
    return f"{what} (no. {line.entity_id})" if line.action == "letter.opened" and line.entity_id else what


class ViewersTab(QWidget):
    def __init__(self, ctx: AppContext, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person_id = person_id
        self.offset = 0
        self.total = 0
        self.list = QTreeWidget(self)
        self.list.setHeaderLabels(["When", "Who", "Role", "What was opened"])
        self.list.setRootIsDecorated(False)
        self.list.setAccessibleName("Who has looked at this record")
        self.list.setStyleSheet("QTreeView::item { padding: 3px 0; }")  # rows were very tight
        self.counted = QLabel(self)
        self.newer = QPushButton("&Newer", self)
        self.older = QPushButton("&Older", self)
        self.newer.clicked.connect(lambda: self._page(self.offset - audit_log.PAGE))
        self.older.clicked.connect(lambda: self._page(self.offset + audit_log.PAGE))
        pager = QHBoxLayout()
        pager.addWidget(self.counted, 1)
        pager.addWidget(self.newer)
        pager.addWidget(self.older)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Every opening of this record or of a letter to this person, newest first.", self))
        layout.addWidget(self.list)
        layout.addLayout(pager)
        self._buttons()

    def show_record(self, record: PersonRecord) -> None:
        """Reload after each opening, so the list includes this one."""
        self._page(0)

    def _page(self, offset: int) -> None:
        actor, pid, start = self.ctx.actor, self.person_id, max(0, offset)

        def read(uow):
            return (audit_log.record_viewers(uow, actor, pid, offset=start),
                    audit_log.count_viewers(uow, actor, pid))

        self.ctx.query(self, read).on_success(lambda found: self._show(start, *found)).start()

    def _show(self, offset: int, lines: list[AuditLine], total: int) -> None:
        self.offset, self.total = offset, total
        self.list.clear()
        for line in lines:
            self.list.addTopLevelItem(QTreeWidgetItem([
                uk_date_time(line.at), line.staff, line.staff_role, opened_text(line)]))
        for column in range(3):
            self.list.resizeColumnToContents(column)
        shown = f"{offset + 1}–{offset + len(lines)}" if lines else "none"
        self.counted.setText(f"Showing {shown} of {total} opening{'s' if total != 1 else ''}.")
        self._buttons()

    def _buttons(self) -> None:
        self.newer.setEnabled(self.offset > 0)
        self.older.setEnabled(self.offset + audit_log.PAGE < self.total)

    def drop(self) -> None:
        self.list.clear()
        self.counted.clear()
        self.offset = self.total = 0
        self._buttons()
