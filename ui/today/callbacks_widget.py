"""Callback messages: take a message, see what is due or overdue, mark done.

Due by the end of the next working day (seed 000); overdue rows are red.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic.changes import Changes
from clinic.services import callbacks
from clinic.services.callbacks import CallbackRow
from clinic.dates import uk_date_time
from ui.context import AppContext
from ui.operations import callbacks as callbacks_ops
from ui.widgets.form_row import ERROR_STYLE, FieldError
from ui.widgets.table import table

COLUMNS = ("Due", "Caller", "Number", "Message", "Taken by")
OVERDUE = "#f8d7da"


class CallbacksWidget(QWidget):
    """``CallbacksWidget(ctx, parent=None)``."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[CallbackRow] = []
        self.caller = QLineEdit()
        self.phone = QLineEdit()
        self.message = QLineEdit()
        self.take_button = QPushButton("&Take message")
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        # one compact row, so the list of callbacks keeps the height (UI-6, laptop screens)
        for field, hint in ((self.caller, "Caller"), (self.phone, "Number"), (self.message, "Message")):
            field.setPlaceholderText(hint)
            field.setAccessibleName(hint)
        box = QWidget()
        form = QHBoxLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        form.addWidget(self.caller, 2)
        form.addWidget(self.phone, 1)
        form.addWidget(self.message, 3)
        form.addWidget(self.take_button)
        # the text columns share the width, so the table fits its pane at 1366 px
        self.table = table(COLUMNS, stretch=tuple(COLUMNS.index(c) for c in ("Caller", "Message", "Taken by")))
        self.outcome = QLineEdit()
        self.outcome.setPlaceholderText("Outcome (e.g. spoke to caller, left voicemail)")
        self.done_button = QPushButton("Mark &done")
        self.summary = QLabel()
        done_row = QHBoxLayout()
        done_row.addWidget(self.outcome, 1)
        done_row.addWidget(self.done_button)
        done_row.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addLayout(done_row)
        self.done_error = FieldError()  # by the Outcome field it is about (UI-13)
        layout.addWidget(self.done_error)
        self.take_button.clicked.connect(self.take)
        self.message.returnPressed.connect(self.take)
        self.done_button.clicked.connect(self.mark_done)
        self.outcome.returnPressed.connect(self.mark_done)
        ctx.changes_applied.connect(self._changes_applied)
        ctx.locked.connect(self.clear)
        self.refresh()

    def refresh(self) -> None:
        actor = self.ctx.actor
        self.ctx.query(self, lambda uow: callbacks.callbacks_open(uow, actor)).on_success(self._show).start()

    def _show(self, rows: list[CallbackRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            who = row.caller_name + (f" (re {row.person_name})" if row.person_name else "")
            for c, text in enumerate((f"{uk_date_time(row.due_at)}", who, row.phone, row.message,
                                      f"{row.taken_by_name} {uk_date_time(row.taken_at)}")):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.id)
                if row.overdue:
                    item.setBackground(QBrush(QColor(OVERDUE)))
                    item.setToolTip("Overdue")
                self.table.setItem(r, c, item)
        overdue = sum(r.overdue for r in rows)
        self.summary.setText(f"{len(rows)} to return" + (f" · {overdue} overdue" if overdue else ""))

    def clear(self) -> None:
        self.rows = []
        self.table.setRowCount(0)
        self.summary.clear()

    def _changes_applied(self, changes: Changes, initiator: object) -> None:
        if changes.touches("callbacks"):
            self.refresh()

    def take(self) -> None:
        cmd = callbacks.TakeMessage(self.caller.text(), self.phone.text(), self.message.text())
        actor = self.ctx.actor
        self.ctx.write(self, callbacks_ops.take_message(actor, cmd)) \
            .on_success(self._taken).on_failure(self._failed).start()

    def _taken(self, result: callbacks.CallbackSaved) -> None:
        self.error.hide()
        self.done_error.clear_message()
        for w in (self.caller, self.phone, self.message):
            w.clear()
        self.summary.setText(f"Due by {uk_date_time(result.due_at)}")
        self.caller.setFocus()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ValueError):
            self.error.setText(str(error))
            self.error.show()
            self.ctx.error_shown.emit(str(error))
        else:
            self.ctx.show_error(self, error)

    def mark_done(self) -> None:
        r = self.table.currentRow()
        if not 0 <= r < len(self.rows):
            return
        row, actor, outcome = self.rows[r], self.ctx.actor, self.outcome.text()
        self.done_error.clear_message()
        self.ctx.write(self, callbacks_ops.mark_done(actor, row.id, outcome, row.version)) \
            .on_success(lambda _: self._marked()).on_failure(self._done_failed).start()

    def _marked(self) -> None:
        """Nothing is selected afterwards: the next Enter cannot mark another caller done (UI-13)."""
        self.outcome.clear()
        self.table.clearSelection()
        self.table.setCurrentCell(-1, -1)

    def _done_failed(self, error: BaseException) -> None:
        if isinstance(error, ValueError):
            self.done_error.show_message(str(error))
            self.outcome.setFocus()
        else:
            self.ctx.show_error(self, error)
