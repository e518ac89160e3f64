"""The probation liaison worker's home: letters owed, hearings, orders ending,
breach flags; batch print of everything due today, then mark sent."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic.changes import Changes
from clinic.dates import uk_date
from clinic.permissions import Permission
from clinic.services.probation import letters as probation_letters
from clinic.services.probation import worklist as probation_worklist
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import probation as probation_ops
from ui.output.export import save_pdf
from ui.output.printing import print_pdf
from ui.probation.contacts import ContactsDialog
from ui.probation.sent_dialog import MarkSentDialog, sent_message
from ui.widgets.page_title import title_label  # one page-title style (UI-48)

OVERDUE = QColor("#b00020")
HEADERS = ("Due", "Person", "Order", "Letter", "Officer", "Note")


class _Progress(QObject):
    step = Signal(int, int)


def print_question(data: probation_worklist.Worklist, disposition: str) -> str:
    """What batch print will do, counted, before it does it (UI-34)."""
    ready = data.printable_today
    overdue = sum(1 for n in ready if n.due_on < data.today)
    blocked = sum(1 for n in data.overdue + data.due_today if n.blocked)
    verb = "Print" if disposition == "printed" else "Save as one PDF"
    text = (f"{verb} {len(ready)} letter{'s' if len(ready) != 1 else ''}"
            f" ({overdue} overdue, {len(ready) - overdue} due today)?")
    if blocked:
        text += f" {blocked} cannot go and are left out (see the Note column)."
    return text + " Each is filed once it has printed or been saved; mark them sent when they have gone."


class ProbationPage(QWidget):
    """``ProbationPage(ctx, parent=None)``: the worklist (navigation page).
    Enter or double-click on a row opens the person's record on its Probation
    tab (``open_person(person_id, tab)``, UI-33)."""

    open_person = Signal(int, str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("probationPage")
        self.data: probation_worklist.Worklist | None = None
        self.last_batch: probation_letters.BatchResult | None = None
        #: Where a batch PDF goes: asks the user; tests replace it.
        self.save: Callable[[bytes, QWidget], Path | None] = lambda pdf, parent: save_pdf(
            pdf, parent, suggested_name="probation-letters.pdf")
        #: Sends a batch to a printer (True only if every page went): tests replace it.
        self.print: Callable[[bytes, QWidget], bool] = lambda pdf, parent: print_pdf(
            pdf, parent, copies_title="Harbour letters")
        self._cancel = threading.Event()
        self._progress = _Progress(self)
        self.printed: list[tuple[int, str, str, date]] = []
        self._last_disposition = self._last_disposition_pending = "printed"
        self.title = title_label("Probation: letters owed", self)
        self.breach = QLabel(self)  # prominent, at the top (UI-35)
        self.breach.setWordWrap(True)
        self.breach.setTextFormat(Qt.TextFormat.PlainText)
        self.breach.setStyleSheet("color: #ffffff; background: #b00020; font-weight: bold; padding: 6px;")
        self.breach.hide()
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemActivated.connect(self._open_row)  # Enter and double-click
        self.person_ids: list[int] = []
        self.printed_title = QLabel("<b>Printed, not yet marked sent</b>", self)
        self.printed_table = QTableWidget(0, 3, self)
        self.printed_table.setHorizontalHeaderLabels(("Due", "Person", "Letter"))
        self.printed_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.printed_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.printed_table.verticalHeader().hide()
        self.printed_table.horizontalHeader().setStretchLastSection(True)
        self.printed_table.setMaximumHeight(140)
        self.orders = QLabel(self)
        self.orders.setWordWrap(True)
        self.orders.setTextFormat(Qt.TextFormat.PlainText)
        self.print_button = QPushButton("&Print everything due today…", self)
        self.save_button = QPushButton("&Save them as one PDF…", self)
        self.save_button.setToolTip("For letters sent by secure email: the file is outside the encrypted store")
        self.sent_button = QPushButton("&Mark printed letters sent…", self)
        self.cancel_button = QPushButton("Cancel", self)
        self.contacts_button = QPushButton("Probation &officers…", self)
        self.contacts_button.setToolTip("The officers letters go to: add or correct their details")
        self.dialog: QDialog | None = None
        self.cancel_button.hide()
        self.bar = QProgressBar(self)
        self.bar.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for w in (self.print_button, self.save_button, self.sent_button, self.bar, self.cancel_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        buttons.addWidget(self.contacts_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.breach)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.printed_title)
        layout.addWidget(self.printed_table)
        layout.addWidget(self.orders)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.print_button.clicked.connect(self.batch_print)
        self.save_button.clicked.connect(self.batch_save)
        self.sent_button.clicked.connect(self.mark_sent)
        self.cancel_button.clicked.connect(self._cancel.set)
        self.contacts_button.clicked.connect(self.edit_contacts)
        self.contacts_button.setEnabled(ctx.can(Permission.PROBATION_READ))
        self._progress.step.connect(self._on_step)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh)
        allowed = ctx.can(Permission.LETTER_PROBATION)
        self.print_button.setEnabled(allowed)
        self.save_button.setEnabled(allowed)
        self.sent_button.setEnabled(allowed)
        ctx.changes_applied.connect(self._changed)
        ctx.locked.connect(self._drop)
        self.refresh()

    # ---- data --------------------------------------------------------------
    def refresh(self) -> None:
        if not self.ctx.can(Permission.PROBATION_READ):
            self.status.setText("Your role does not include probation work.")
            return
        actor, letters = self.ctx.actor, self.ctx.can(Permission.LETTER_PROBATION)

        def read(uow: UnitOfWork) -> tuple[probation_worklist.Worklist, list[tuple[int, str, str, date]]]:
            return (probation_worklist.worklist(uow, actor),
                    probation_letters.printed_not_sent(uow, actor) if letters else [])

        self.ctx.query(self, read).on_success(lambda found: self._show(*found)).start()

    def _show(self, data: probation_worklist.Worklist, printed: list[tuple[int, str, str, date]]) -> None:
        self.data, self.printed = data, printed
        rows = list(data.overdue) + list(data.due_today) + list(data.upcoming)
        self.person_ids = [n.person_id for n in rows]
        self.table.setRowCount(len(rows))
        for r, n in enumerate(rows):
            note = n.blocked or (f"Hearing {uk_date(n.hearing_on)}" if n.hearing_on else "")
            cells = (uk_date(n.due_on), n.person_name, n.order_type, n.label, n.officer_name, note)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, n.id)
                if n.due_on < data.today:
                    item.setForeground(QBrush(OVERDUE))
                    item.setToolTip("Overdue")
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.printed_table.setRowCount(len(printed))
        for r, (_nid, person, label, due) in enumerate(printed):
            for c, text in enumerate((uk_date(due), person, label)):
                self.printed_table.setItem(r, c, QTableWidgetItem(text))
        self.printed_table.resizeColumnsToContents()
        self.printed_title.setVisible(bool(printed))
        self.printed_table.setVisible(bool(printed))
        ready = data.printable_today
        overdue = sum(1 for n in ready if n.due_on < data.today)
        self.print_button.setText(f"&Print everything due ({len(ready)}, {overdue} overdue)…")
        self.sent_button.setText(f"&Mark printed letters sent ({len(printed)})…")
        self.sent_button.setEnabled(self.ctx.can(Permission.LETTER_PROBATION) and bool(printed))
        self.breach.setText("At the breach threshold — Probation's attention is needed: " + "; ".join(
            f"{o.person_name} ({o.order_type})" for o in data.breach_flagged))
        self.breach.setVisible(bool(data.breach_flagged))
        lines = [f"Overdue: {len(data.overdue)}   Due today: {len(data.due_today)}   "
                 f"Coming up: {len(data.upcoming)}"]
        if data.ending_soon:
            lines.append("Orders ending soon: " + "; ".join(
                f"{o.person_name} ({o.order_type}) ends {uk_date(o.expected_end)}" for o in data.ending_soon))
        self.orders.setText("\n".join(lines))

    def _changed(self, changes: Changes, initiator: object) -> None:
        if changes.touches("probation") or changes.touches("letters"):
            self.refresh()

    def _open_row(self, item: QTableWidgetItem) -> None:
        if 0 <= item.row() < len(self.person_ids):
            self.open_person.emit(self.person_ids[item.row()], "Probation")

    def _drop(self) -> None:
        self.data, self.printed, self.person_ids = None, [], []
        self.breach.clear()
        self.breach.hide()
        self.printed_table.setRowCount(0)
        if self.dialog is not None:
            self.dialog.reject()
        self.table.setRowCount(0)
        self.orders.clear()
        self.status.clear()

    def edit_contacts(self) -> None:
        self.dialog = ContactsDialog(self.ctx, self)
        self.dialog.open()

    # ---- batch print ---------------------------------------------------------
    def batch_print(self) -> None:
        """Print everything due; letters are filed only once it has printed."""
        self._batch("printed")

    def batch_save(self) -> None:
        """The same batch as one PDF saved outside the store (e.g. to send by
        secure email); filed as saved once the file is written."""
        self._batch("saved")

    def _batch(self, disposition: str) -> None:
        if self.data is None:
            return
        ids = [n.id for n in self.data.printable_today]
        if not ids:
            self.status.setText("Nothing printable is due today.")
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Letters to Probation", print_question(self.data, disposition),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.button(QMessageBox.StandardButton.Yes).setText("&Print" if disposition == "printed" else "&Save")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.button(QMessageBox.StandardButton.Yes).clicked.connect(lambda: self._run_batch(ids, disposition))
        self.dialog = box
        box.open()

    def _run_batch(self, ids: list[int], disposition: str) -> None:
        actor, progress, cancel = self.ctx.actor, self._progress, self._cancel
        cancel.clear()
        self._busy(True, len(ids))

        def work(uow: UnitOfWork) -> probation_letters.PreparedBatch:
            return probation_letters.prepare_batch(uow, actor, ids, progress=progress.step.emit,
                                                   cancelled=cancel.is_set)

        self.ctx.query(self, work).on_success(lambda batch: self._prepared(batch, disposition)) \
            .on_failure(self._failed).start()

    def _prepared(self, batch: probation_letters.PreparedBatch, disposition: str) -> None:
        self._busy(False)
        failures = "; ".join(f"{who} ({why})" for who, why in batch.failures)
        if batch.pdf is None:
            self.status.setText("No letter could be made. " + failures)
            return
        if not self._output(batch.pdf, disposition):
            self.status.setText(("Not printed" if disposition == "printed" else "Not saved")
                                + ": nothing was filed, and the letters are still due.")
            return
        actor = self.ctx.actor
        self._last_disposition_pending = disposition
        self.ctx.write(self, probation_ops.file_batch(actor, batch, disposition)) \
            .on_success(self._printed).start()

    def _output(self, pdf: bytes, disposition: str) -> bool:
        if disposition == "printed":
            return self.print(pdf, self)
        try:
            return self.save(pdf, self) is not None
        except ValueError as exc:
            self.ctx.show_error(self, exc)
            return False

    def _printed(self, result: probation_letters.BatchResult) -> None:
        self.last_batch = result
        self._last_disposition = self._last_disposition_pending
        self.status.setText(result.summary + " Mark them sent once they have gone.")

    def _on_step(self, done: int, total: int) -> None:
        self.bar.setMaximum(total)
        self.bar.setValue(done)

    def _busy(self, busy: bool, total: int = 0) -> None:
        self.bar.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.print_button.setEnabled(not busy)
        self.save_button.setEnabled(not busy)
        if busy:
            self.bar.setRange(0, total * 2)
            self.bar.setValue(0)
            self.status.setText("Making letters…")

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        if isinstance(error, probation_letters.Cancelled):
            self.status.setText("Cancelled: nothing was printed or filed.")
            return
        self.ctx.show_error(self, error)

    # ---- mark sent -------------------------------------------------------------
    def mark_sent(self, *, on: date | None = None, method: str | None = None) -> None:
        """Mark printed, unsent probation letters sent: the dialog lists them
        (all ticked); given ``on`` and ``method`` it marks them all."""
        if not self.printed:
            self.status.setText("There are no printed letters waiting to be marked sent.")
            return
        if on is None or method is None:
            suggested = "secure_email" if self._last_disposition == "saved" else "post"
            dialog = MarkSentDialog(self.ctx, self.printed, suggested, self)
            dialog.accepted.connect(lambda: self.status.setText(dialog.result_value.message))
            self.dialog = dialog
            dialog.open()
            return
        actor, ids, sent_on, how = self.ctx.actor, tuple(r[0] for r in self.printed), on, method
        self.ctx.write(self, probation_ops.mark_sent(
            actor, probation_letters.MarkSent(ids, sent_on, how))).on_success(
            lambda _: self.status.setText(sent_message(len(ids), how, sent_on))).on_failure(
            lambda e: self.ctx.show_error(self, e)).start()
