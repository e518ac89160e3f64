"""Close (discharge) or reopen a record, with date, reason and a note."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from clinic.dates import parse_date, uk_date
from clinic.people import CLOSE_REASONS
from clinic.services.people import records as people
from clinic.services.people.summary import PersonRecord
from ui.context import AppContext
from ui.operations import people as people_ops
from ui.people.form import FieldMessage


class StatusDialog(QDialog):
    def __init__(self, ctx: AppContext, record: PersonRecord, *, closing: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.record = record
        self.closing = closing
        today = ctx.clinic.clock.today()
        self.setWindowTitle(("Close the record of " if closing else "Reopen the record of ") + record.hit.display_name)
        self.reason = QComboBox(self)
        for key, label in CLOSE_REASONS.items():
            self.reason.addItem(label, key)
        self.effective_on = QLineEdit(uk_date(today), self)
        self.note = QLineEdit(self)
        self.date_message = FieldMessage(self)
        form = QFormLayout(self)
        if closing:
            form.addRow("&Reason", self.reason)
        form.addRow("&Date", self.effective_on)
        form.addRow("", self.date_message)
        form.addRow("&Note", self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Close record" if closing else "Reopen record")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(420)

    def save(self) -> None:
        try:
            effective_on: date = parse_date(self.effective_on.text(), today=self.ctx.clinic.clock.today())
        except ValueError as exc:
            self.date_message.say(str(exc))
            return
        actor, pid, note = self.ctx.actor, self.record.person_id, self.note.text()
        if self.closing:
            cmd = people.CloseRecord(pid, str(self.reason.currentData()), effective_on, note)
            op = self.ctx.write(self, people_ops.close_record(actor, cmd))
        else:
            again = people.ReopenRecord(pid, effective_on, note)
            op = self.ctx.write(self, people_ops.reopen(actor, again))
        op.on_success(lambda _r: self.accept()).on_failure(self._refused).start()

    def _refused(self, error: BaseException) -> None:
        if isinstance(error, people.InvalidDetails) and "effective_on" in error.errors:
            self.date_message.say(error.errors["effective_on"])
        else:
            self.ctx.show_error(self, error)
