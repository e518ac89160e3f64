"""A person's Probation tab: their orders, outcomes, drug tests and the
letters owed or sent for the selected order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic.changes import Changes
from clinic.dates import uk_date, uk_date_time
from clinic.permissions import Permission
from clinic.safeguarding import RecipientKind
from clinic.services.probation import orders
from clinic.services.probation import attendance
from clinic.services.probation import letters as probation_letters
from clinic.services.probation.attendance import DrugTestRow
from clinic.services.safeguarding import consent
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import probation as probation_ops
from ui.probation.book_required import BookRequiredDialog, booked_message
from ui.probation.dialogs import (
    AmendOutcomeDialog,
    DrugTestDialog,
    OrderDialog,
    OutcomeDialog,
)
from ui.probation.order_end import EndOrderDialog, SummaryDialog, WithdrawConsentDialog
from ui.widgets.consent_dialog import ConsentDialog

def sharing_text(sharing: consent.ProbationConsent) -> str:
    """The consent record's answer for Probation, and what it means for letters."""
    if sharing.decision == "refused":
        return (f"Consent to share with Probation: refused on {uk_date(sharing.decided_on or date.min)}"
                " — no letter can go to Probation.")
    if sharing.decision == "given":
        return f"Consent to share with Probation: given on {uk_date(sharing.decided_on or date.min)}."
    return "Consent to share with Probation: no decision on the consent record (the order's signed consent applies)."


LETTER_STATUSES = {"due": "Due", "filed": "Printed, not sent", "sent": "Sent", "superseded": "Superseded",
                   "cancelled": "Cancelled"}


@dataclass(frozen=True)
class _OrderView:
    order: orders.OrderSummary
    attendance: tuple[attendance.AttendanceRow, ...]
    tests: tuple[DrugTestRow, ...]  # (``attendance`` above is the field here, not the module)
    letters: tuple[probation_letters.NotificationRow, ...]
    sharing: consent.ProbationConsent  # the person's consent record, for Probation
    review_months: int  # how long a consent stands before it is asked again


class ProbationTab(QWidget):
    """``ProbationTab(ctx, person_id, parent=None)`` for the person record."""

    def __init__(self, ctx: AppContext, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.person_id = ctx, person_id
        self.orders: list[orders.OrderSummary] = []
        self.view: _OrderView | None = None
        self.picker = QComboBox(self)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.warnings = QLabel(self)
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #b00020; font-weight: bold;")
        self.attendance = self._table(("Appointment", "Outcome", "Reason"))
        self.tests = self._table(("Date", "Substance", "Result"))
        self.letters = self._table(("Due", "Letter", "Status", "Sent"))
        self.buttons = {name: QPushButton(text, self) for name, text in (
            ("add", "&Add order…"), ("edit", "&Edit order…"), ("activate", "Acti&vate"),
            ("book", "Boo&k appointments…"), ("outcome", "Record o&utcome…"), ("amend", "A&mend outcome…"),
            ("test", "&Drug test…"), ("end", "E&nd order…"), ("consent", "Wi&thdraw consent…"),
            ("summary", "Progress &summary…"), ("share", "Consent to s&hare…"))}
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.dialog: QDialog | None = None
        row = QHBoxLayout()
        row.addWidget(QLabel("&Order:", self, buddy=self.picker))  # type: ignore[call-overload]
        row.addWidget(self.picker, 1)
        records = QHBoxLayout()
        for name, b in self.buttons.items():
            (records if name in ("outcome", "amend", "test", "summary", "share") else row).addWidget(b)
        records.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addLayout(records)
        layout.addWidget(self.warnings)
        layout.addWidget(self.details)
        layout.addWidget(self.status)
        self.lists = QTabWidget(self)  # one list at a time, at full height: three stacked did not fit 768 px
        for title, table in (("Attendance", self.attendance), ("Drug tests", self.tests),
                             ("Letters to Probation", self.letters)):
            self.lists.addTab(table, title)
        layout.addWidget(self.lists, 1)
        self.picker.currentIndexChanged.connect(self._load_order)
        self.buttons["add"].clicked.connect(lambda: self._edit(None))
        self.buttons["edit"].clicked.connect(lambda: self._edit(self.current()))
        self.buttons["activate"].clicked.connect(self._activate)
        self.buttons["outcome"].clicked.connect(self._outcome)
        self.buttons["book"].clicked.connect(self._book_required)
        self.buttons["end"].clicked.connect(self._end)
        self.buttons["consent"].clicked.connect(self._withdraw)
        self.buttons["summary"].clicked.connect(self.edit_summary)
        self.buttons["share"].setToolTip("Record the person's consent to share with Probation, or its refusal")
        self.buttons["share"].clicked.connect(self.record_consent)
        self.letters.itemActivated.connect(lambda _item: self.edit_summary())
        self.letters.itemSelectionChanged.connect(self._enable_summary)
        self.picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.buttons["test"].clicked.connect(self._test)
        self.buttons["amend"].clicked.connect(self.amend)
        amend = QAction("A&mend outcome…", self.attendance)
        amend.triggered.connect(self.amend)
        self.attendance.addAction(amend)
        self.attendance.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.attendance.itemActivated.connect(lambda _item: self.amend())
        self.attendance.itemSelectionChanged.connect(self._enable_amend)
        writable = ctx.can(Permission.PROBATION_WRITE)
        for b in self.buttons.values():
            b.setEnabled(writable)
        ctx.changes_applied.connect(self._changed)
        ctx.locked.connect(self._drop)
        for name in ("edit", "activate", "book", "outcome", "test", "end", "consent", "share"):
            self.buttons[name].setEnabled(False)  # until an order is shown: with none, pressing did nothing
        self._enable_amend()
        self._enable_summary()
        self.refresh()

    def _table(self, headers: tuple[str, ...]) -> QTableWidget:
        t = QTableWidget(0, len(headers), self)
        t.setHorizontalHeaderLabels(headers)
        t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        t.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        t.verticalHeader().hide()
        t.horizontalHeader().setStretchLastSection(True)
        return t

    def current(self) -> orders.OrderSummary | None:
        i = self.picker.currentIndex()
        return self.orders[i] if 0 <= i < len(self.orders) else None

    # ---- loading -----------------------------------------------------------------
    def refresh(self) -> None:
        if not self.ctx.can(Permission.PROBATION_READ):
            self.details.setText("Your role does not include probation records.")
            return
        actor, pid = self.ctx.actor, self.person_id
        self.ctx.query(self, lambda uow: orders.orders_for_person(uow, actor, pid)).on_success(self._show).start()

    def _show(self, found: list[orders.OrderSummary]) -> None:
        current = self.current()
        keep = current.id if current else None
        self.orders = found
        self.picker.blockSignals(True)
        self.picker.clear()
        for o in found:
            self.picker.addItem(o.title, o.id)
        index = next((i for i, o in enumerate(found) if o.id == keep), 0)
        self.picker.setCurrentIndex(index if found else -1)
        self.picker.blockSignals(False)
        if not found:
            self.details.setText("No DRR or ATR order is recorded. Add one with Alt+A.")
        self._load_order()

    def _load_order(self) -> None:
        order = self.current()
        if order is None:
            return
        actor, pid = self.ctx.actor, self.person_id

        def read(uow: UnitOfWork) -> _OrderView:
            return _OrderView(orders.get_order(uow, actor, order.id),
                              tuple(attendance.attendance_for_order(uow, actor, order.id)),
                              tuple(attendance.drug_tests_for_order(uow, actor, order.id)),
                              tuple(probation_letters.notifications_for_order(uow, actor, order.id)),
                              consent.probation_consent(uow, actor, pid),
                              uow.settings["consent.review_months"])

        self.ctx.query(self, read).on_success(self._show_order).start()

    def _show_order(self, view: _OrderView) -> None:
        self.view = view
        o = view.order
        officer = o.officer.label if o.officer else "none recorded"
        hearings = ", ".join(uk_date(d) for d in o.hearings) or "none"
        signed = uk_date(o.consent_signed_on) if o.consent_signed_on else "not signed"
        ended = f", ended {uk_date(o.ended_on)}" if o.ended_on else ""
        self.details.setText(
            f"{o.order_type}, {orders.STATUSES[o.status].lower()}{ended} — {o.court}, made {uk_date(o.order_date)}\n"
            f"{o.length_months} months from {uk_date(o.start_on)} to {uk_date(o.expected_end)}; appointments "
            f"{orders.FREQUENCIES[o.frequency].lower()};"
            f" drug testing {'required' if o.testing_required else 'not required'}\n"
            f"Officer: {officer}\nConsent to share: {signed}\n{sharing_text(view.sharing)}\n"
            f"Review hearings: {hearings}")
        self.warnings.setText("\n".join(o.warnings))
        writable = self.ctx.can(Permission.PROBATION_WRITE)
        for name in ("edit", "outcome", "test"):
            self.buttons[name].setEnabled(writable)
        self.buttons["activate"].setEnabled(writable and o.status == "pending")
        self.buttons["book"].setEnabled(writable and o.status in ("pending", "active"))
        self.buttons["end"].setEnabled(writable and o.status == "active")
        self.buttons["share"].setEnabled(writable)
        self.buttons["consent"].setEnabled(writable and o.status not in orders.CLOSING
                                           and o.consent_withdrawn_on is None)
        self._fill(self.attendance, [(f"{uk_date_time(a.occurred_at)}", a.label,
                                      a.absence_reason) for a in view.attendance])
        self._fill(self.tests, [(uk_date(t.tested_on), t.substance, t.result) for t in view.tests])
        self._fill(self.letters, [(uk_date(n.due_on), ("Corrected: " if n.is_correction else "") + n.label,
                                   LETTER_STATUSES.get(n.status, n.status),
                                   uk_date(n.sent_on) + f" ({probation_letters.METHODS.get(n.method or '', n.method)})"
                                   if n.sent_on else "")
                                  for n in view.letters])
        self._enable_amend()
        self._enable_summary()

    @staticmethod
    def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
        table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                table.setItem(r, c, QTableWidgetItem(text))
        table.resizeColumnsToContents()

    def _changed(self, changes: Changes, initiator: object) -> None:
        if changes.touches("probation") and (not changes.person_ids or self.person_id in changes.person_ids):
            self.refresh()

    def _drop(self) -> None:
        self.orders, self.view = [], None
        self.picker.clear()
        self.details.clear()
        self.warnings.clear()
        self.status.clear()
        if self.dialog is not None:
            self.dialog.reject()
        for t in (self.attendance, self.tests, self.letters):
            t.setRowCount(0)

    # ---- actions -----------------------------------------------------------------
    def _edit(self, order: orders.OrderSummary | None) -> None:
        actor = self.ctx.actor
        self.ctx.query(self, lambda uow: orders.list_contacts(uow, actor)).on_success(
            lambda contacts: self._open_order_dialog(order, contacts)).start()

    def _open_order_dialog(self, order: orders.OrderSummary | None, contacts: list[orders.ContactSummary]) -> None:
        self.status.clear()
        dialog = OrderDialog(self.ctx, self.person_id, contacts, order, self)
        dialog.accepted.connect(lambda: self.status.setText(" ".join(("Order saved.", *dialog.result_value.warnings))))
        self.dialog = dialog
        dialog.open()

    def _activate(self) -> None:
        order, actor = self.current(), self.ctx.actor
        if order is not None:
            self.ctx.write(self, probation_ops.activate_order(actor, order.id)).start()

    def _outcome(self) -> None:
        order = self.current()
        if order is None:
            return
        self.status.clear()
        dialog = OutcomeDialog(self.ctx, order.id, self)
        dialog.accepted.connect(lambda: self.status.setText(dialog.result_value.message))
        self.dialog = dialog
        dialog.open()

    def _book_required(self) -> None:
        order = self.current()
        if order is None:
            return
        self.status.clear()
        dialog = BookRequiredDialog(self.ctx, order, self)
        dialog.accepted.connect(lambda: self.status.setText(booked_message(dialog.result_value)))
        self.dialog = dialog
        dialog.open()

    def _end(self) -> None:
        self._open_order_form(EndOrderDialog, lambda result: " ".join(result.warnings))

    def _withdraw(self) -> None:
        self._open_order_form(WithdrawConsentDialog, lambda result: " ".join(result.warnings[:1]))

    def _open_order_form(self, kind: type[EndOrderDialog | WithdrawConsentDialog],
                         message: Callable[[orders.OrderSaved], str]) -> None:
        order = self.current()
        if order is None:
            return
        self.status.clear()
        dialog = kind(self.ctx, order, self)
        dialog.accepted.connect(lambda: self.status.setText(message(dialog.result_value)))
        self.dialog = dialog
        dialog.open()

    def selected_letter(self) -> probation_letters.NotificationRow | None:
        row = self.letters.currentRow()
        if self.view is None or not self.letters.selectedItems() or not 0 <= row < len(self.view.letters):
            return None
        return self.view.letters[row]

    def _enable_summary(self) -> None:
        note = self.selected_letter()
        self.buttons["summary"].setEnabled(self.ctx.can(Permission.PROBATION_WRITE) and note is not None
                                           and note.kind == "progress_report" and note.status == "due")

    def edit_summary(self) -> None:
        """Write the engagement summary of the selected progress report (Enter on the row)."""
        note = self.selected_letter()
        if note is None or note.kind != "progress_report" or note.status != "due" \
                or not self.ctx.can(Permission.PROBATION_WRITE):
            return
        self.status.clear()
        dialog = SummaryDialog(self.ctx, note, self)
        dialog.accepted.connect(lambda: self.status.setText("Engagement summary saved: it prints in the report."))
        self.dialog = dialog
        dialog.open()

    def record_consent(self) -> None:
        """Consent to share with Probation, in the consent dialog (that kind only)."""
        if self.view is None or not self.ctx.can(Permission.PROBATION_WRITE):
            return
        self.status.clear()
        dialog = ConsentDialog(self.ctx, self.person_id, self.ctx.clinic.clock.today(), self.view.review_months,
                               self, only=RecipientKind.PROBATION)
        dialog.accepted.connect(lambda: self.status.setText("Consent to share with Probation recorded."))
        self.dialog = dialog
        dialog.open()

    def _test(self) -> None:
        if self.current() is not None:
            self.dialog = DrugTestDialog(self.ctx, self.current().id, self)  # type: ignore[union-attr]
            self.dialog.open()

    def selected_attendance(self) -> attendance.AttendanceRow | None:
        row = self.attendance.currentRow()
        if self.view is None or not self.attendance.selectedItems() or not 0 <= row < len(self.view.attendance):
            return None
        return self.view.attendance[row]

    def _enable_amend(self) -> None:
        self.buttons["amend"].setEnabled(self.ctx.can(Permission.PROBATION_WRITE)
                                         and self.selected_attendance() is not None)

    def amend(self) -> None:
        """Correct the selected outcome (Enter or double-click on the row)."""
        row = self.selected_attendance()
        if row is None or not self.ctx.can(Permission.PROBATION_WRITE):
            return
        self.status.clear()
        self.dialog = AmendOutcomeDialog(self.ctx, row, self)
        self.dialog.amended.connect(lambda result: self.status.setText(result.message))
        self.dialog.open()
