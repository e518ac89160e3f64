"""Ending an order, withdrawing consent, and the engagement summary a
progress report carries: the three things the order's tab owes Probation
besides attendance. Each is a field-error form over one service call."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QComboBox, QPlainTextEdit, QWidget

from clinic.dates import uk_date
from clinic.services.probation import orders
from clinic.services.probation import letters as probation_letters
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import probation as probation_ops
from ui.widgets.form_dialog import FormDialog
from ui.widgets.form_row import HintLabel
from ui.widgets.write_dialog import date_edit, date_of


class EndOrderDialog(FormDialog):
    """Completed, revoked, breached or transferred; a closure letter falls
    due. ``result_value`` is the ``OrderSaved`` (its first warning says when)."""

    def __init__(self, ctx: AppContext, order: orders.OrderSummary, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "End the order", parent)
        self.setMinimumWidth(540)
        self.order = order
        today = ctx.clinic.clock.today()
        self.how = QComboBox(self)
        self.how.addItem("(choose)", None)
        for status in orders.CLOSING:
            self.how.addItem(orders.STATUSES[status], status)
        self.on = date_edit(min(today, order.expected_end), maximum=today)
        self.form.addRow(HintLabel(f"{order.order_type} from {uk_date(order.start_on)}, due to end "
                                   f"{uk_date(order.expected_end)}. Ending it makes a closure letter to Probation "
                                   "due, cancels any progress report not yet printed, and stops new outcomes after "
                                   "the end date.", self))
        self.field("status", "&How it ended", self.how)
        self.field("on", "&Ended on", self.on)
        self.cancel_bookings = QCheckBox(self)
        self.field("cancel_bookings", "", self.cancel_bookings)
        self.cancel_bookings.hide()
        self.on.dateChanged.connect(lambda *_: self._count_bookings())
        self.save_button.setText("E&nd order")
        self._count_bookings()
        self.how.setFocus()

    def _count_bookings(self) -> None:
        """Offer to cancel the required bookings after the end date, saying how many."""
        actor, order_id, on = self.ctx.actor, self.order.id, date_of(self.on)
        self.ctx.query(self, lambda uow: orders.required_after(uow, actor, order_id, on)).on_success(
            self._show_bookings).start()

    def _show_bookings(self, n: int) -> None:
        self.cancel_bookings.setText(f"Cancel the {n} &required appointment{'s' if n != 1 else ''} booked after "
                                     "the end date")
        self.cancel_bookings.setVisible(n > 0)
        if not n:
            self.cancel_bookings.setChecked(False)

    def command(self) -> Callable[[UnitOfWork], object] | None:
        status = self.how.currentData()
        if status is None:
            self.show_field_error("status", "Choose how the order ended.")
            return None
        actor, order_id, on = self.ctx.actor, self.order.id, date_of(self.on)
        cancel = self.cancel_bookings.isChecked()
        return probation_ops.end_order(actor, order_id, status, on, cancel_bookings=cancel)


class WithdrawConsentDialog(FormDialog):
    """Letters to Probation stop; the user is told to contact the officer."""

    def __init__(self, ctx: AppContext, order: orders.OrderSummary, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Consent to share withdrawn", parent)
        self.setMinimumWidth(540)
        self.order = order
        today = ctx.clinic.clock.today()
        self.on = date_edit(today, maximum=today)
        who = order.officer.name if order.officer else "the probation officer"
        self.form.addRow(HintLabel(f"From this date no letter about this order is printed or sent. Harbour cannot "
                                   f"tell Probation for you: contact {who} yourself.", self))
        self.field("on", "&Withdrawn on", self.on)
        self.save_button.setText("Record &withdrawal")
        self.on.setFocus()

    def command(self) -> Callable[[UnitOfWork], object] | None:
        actor, order_id, on = self.ctx.actor, self.order.id, date_of(self.on)
        return probation_ops.withdraw_consent(actor, order_id, on)


class SummaryDialog(FormDialog):
    """The engagement summary printed in a progress report (attendance and
    engagement only; the service refuses clinical words)."""

    def __init__(self, ctx: AppContext, note: probation_letters.NotificationRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Progress report: engagement summary", parent)
        self.note = note
        self.text = QPlainTextEdit(note.summary, self)
        self.text.setTabChangesFocus(True)
        self.text.setMinimumSize(480, 160)
        self.field("summary", "Engagement &summary", self.text,
                   hint=f"Printed in the progress report due {uk_date(note.due_on)}. Attendance and engagement "
                        "only: nothing about treatment, health or test results other than the order's drug tests.")
        self.text.setFocus()

    def command(self) -> Callable[[UnitOfWork], object] | None:
        if not self.text.toPlainText().strip():
            self.show_field_error("summary", "Write the engagement summary, or press Esc to leave it for now.")
            return None
        actor, nid, text = self.ctx.actor, self.note.id, self.text.toPlainText()
        return probation_ops.set_summary(actor, nid, text)
