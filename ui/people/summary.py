"""The Summary tab: what is outstanding, and the record's status.

Outstanding items come from the module providers (``PROVIDERS`` in
``clinic.services.people.summary``), most urgent first. The status area
closes and reopens the record, lists its history and merges.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic.dates import uk_date
from clinic.outstanding import Severity
from clinic.people import STATUS_LABELS
from clinic.permissions import Permission
from clinic.services.people.summary import PersonRecord
from ui.context import AppContext

SEVERITY = {  # a word and a symbol as well as a colour
    Severity.ALERT: ("⚠ Alert", "#b00020"),
    Severity.OVERDUE: ("! Overdue", "#b00020"),
    Severity.DUE: ("◷ Due", "#8a5300"),
    Severity.INFO: ("• Planned", "#333333"),
}
#: Module names as staff say them, not as the code does (UI-25).
MODULES = {"ost": "OST", "bbv": "BBV", "safe_storage": "Safe storage", "vaccination": "Vaccinations",
           "vaccines": "Vaccinations", "probation": "Probation", "appointments": "Appointments", "letters": "Letters"}


def severity_text(severity: Severity, due: date | None, today: date) -> tuple[str, str]:
    """The label for an item: past its date it is overdue, whatever module said "due";
    a current fact with no date is "Now", not "Planned" (UI-25)."""
    if severity in (Severity.DUE, Severity.INFO) and due is not None and due < today:
        return SEVERITY[Severity.OVERDUE]
    if severity is Severity.INFO and due is None:
        return "• Now", "#333333"
    return SEVERITY.get(severity, ("", "#333333"))


def module_text(module: str) -> str:
    return MODULES.get(module, module.replace("_", " ").capitalize())


class SummaryTab(QWidget):
    def __init__(self, ctx: AppContext, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person_id = person_id
        self.record: PersonRecord | None = None
        self.outstanding = QTreeWidget(self)
        self.outstanding.setHeaderLabels(["Status", "What", "Due", "Area"])
        self.outstanding.setRootIsDecorated(False)
        self.outstanding.setAccessibleName("Outstanding items")
        self.nothing = QLabel("Nothing outstanding.", self)
        self.nothing.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        due_box = QGroupBox("Outstanding and upcoming", self)
        due_layout = QVBoxLayout(due_box)
        due_layout.addWidget(self.nothing)
        due_layout.addWidget(self.outstanding)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.close_button = QPushButton("&Close record…", self)
        self.reopen_button = QPushButton("Re&open record…", self)
        self.merge_button = QPushButton("&Merge with another record…", self)
        can_close = ctx.can(Permission.PERSON_CLOSE)
        self.close_button.setVisible(can_close)
        self.reopen_button.setVisible(can_close)
        self.merge_button.setVisible(ctx.can(Permission.PERSON_MERGE))
        self.close_button.clicked.connect(self._close)
        self.reopen_button.clicked.connect(self._reopen)
        self.merge_button.clicked.connect(self._merge)
        self.history = QTreeWidget(self)
        self.history.setHeaderLabels(["Date", "Status", "Reason", "Note", "By"])
        self.history.setRootIsDecorated(False)
        self.history.setAccessibleName("Status history")
        buttons = QHBoxLayout()
        for button in (self.close_button, self.reopen_button, self.merge_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        status_box = QGroupBox("Record status", self)
        status_layout = QVBoxLayout(status_box)
        status_layout.addWidget(self.status)
        status_layout.addLayout(buttons)
        status_layout.addWidget(self.history)

        layout = QVBoxLayout(self)
        layout.addWidget(due_box, 3)
        layout.addWidget(status_box, 2)

    def show_record(self, record: PersonRecord) -> None:
        self.record = record
        self.outstanding.clear()
        today = self.ctx.clinic.clock.today()
        for item in record.outstanding:
            label, colour = severity_text(item.severity, item.due, today)
            row = QTreeWidgetItem([label, item.label, uk_date(item.due) if item.due else "", module_text(item.module)])
            row.setForeground(0, QBrush(QColor(colour)))
            self.outstanding.addTopLevelItem(row)
        self.nothing.setVisible(not record.outstanding)
        self.outstanding.setVisible(bool(record.outstanding))
        for column in range(3):
            self.outstanding.resizeColumnToContents(column)
        status = record.hit.status
        text = f"Record {STATUS_LABELS.get(status, status).lower()}."
        if record.merged_into is not None:
            text = f"Merged into {record.merged_into.client_id} ({record.merged_into.display_name})."
        if record.merged_from:
            text += "  Merged into this record: " + ", ".join(
                f"{r.client_id} ({r.display_name})" for r in record.merged_from) + "."
        self.status.setText(text)
        self.close_button.setEnabled(status == "open")
        self.reopen_button.setEnabled(status == "closed")
        self.merge_button.setEnabled(status != "merged")
        self.history.clear()
        for h in record.history:
            self.history.addTopLevelItem(QTreeWidgetItem([
                uk_date(h.effective_on), STATUS_LABELS.get(h.status, h.status), h.reason, h.note, h.by]))
        for column in range(5):
            self.history.resizeColumnToContents(column)

    def drop(self) -> None:
        self.record = None
        self.outstanding.clear()
        self.history.clear()
        self.status.setText("")

    def _close(self) -> None:
        from ui.people.status import StatusDialog

        if self.record is not None:
            StatusDialog(self.ctx, self.record, closing=True, parent=self).open()

    def _reopen(self) -> None:
        from ui.people.status import StatusDialog

        if self.record is not None:
            StatusDialog(self.ctx, self.record, closing=False, parent=self).open()

    def _merge(self) -> None:
        from ui.people.merge import MergeDialog

        MergeDialog(self.ctx, self.person_id, self).open()
