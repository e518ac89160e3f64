"""Book an order's required appointments as one series from the Probation
tab: every occurrence at the order's frequency up to its expected end, each
linked to the order so its outcome is reported (``book_required``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QSpinBox, QWidget

from clinic.dates import uk_date
from clinic.services.appointments import sessions
from clinic.services.probation import orders
from clinic.services.probation import attendance
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import probation as probation_ops
from ui.widgets.form_dialog import FormDialog
from ui.widgets.form_row import HintLabel


def booked_message(result: attendance.RequiredBooked) -> str:
    n = len(result.appointment_ids)
    text = f"{n} required appointment{'s' if n != 1 else ''} booked and linked to the order."
    if result.moved:
        text += f" {result.moved} moved off a bank holiday, weekend or closure day."
    if result.skipped:
        text += f" {result.skipped} skipped (not a working day)."
    return text


class BookRequiredDialog(FormDialog):
    """``result_value`` is the ``RequiredBooked``."""

    def __init__(self, ctx: AppContext, order: orders.OrderSummary, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Book the order's required appointments", parent)
        self.setMinimumWidth(560)
        self.order = order
        start = max(ctx.clinic.clock.today() + timedelta(days=1), order.start_on)
        self.clinician = QComboBox(self)
        self.room = QComboBox(self)
        self.room.addItem("(no room)", None)
        self.first = QDateTimeEdit(QDateTime(QDate(start.year, start.month, start.day), QTime(10, 0)), self)
        self.first.setDisplayFormat("ddd dd/MM/yyyy HH:mm")
        self.first.setCalendarPopup(True)
        self.minutes = QSpinBox(self)
        self.minutes.setRange(5, 240)
        self.minutes.setSingleStep(5)
        self.minutes.setValue(30)
        self.minutes.setSuffix(" min")
        self.form.addRow(HintLabel(
            f"{orders.FREQUENCIES[order.frequency]} DRR appointments from the first below until the order ends on "
            f"{uk_date(order.expected_end)}. A bank holiday, weekend or closure day moves to the next working day. "
            "Any clash refuses the whole series.", self))
        self.field("clinician_id", "&Clinician", self.clinician)
        self.field("first_start", "&First appointment", self.first)
        self.field("room_id", "&Room", self.room)
        self.field("minutes", "&Length", self.minutes)
        self.save_button.setText("&Book series")
        self.save_button.setEnabled(False)  # until the lists have loaded
        actor = ctx.actor
        ctx.query(self, lambda uow: (sessions.list_clinicians(uow, actor), sessions.list_rooms(uow, actor))) \
            .on_success(self._loaded).start()
        self.clinician.setFocus()

    def _loaded(self, found: tuple[list[sessions.ClinicianInfo], list[sessions.RoomInfo]]) -> None:
        clinicians, rooms = found
        for c in clinicians:
            self.clinician.addItem(c.full_name, c.id)
        for r in rooms:
            if r.active:
                self.room.addItem(r.name, r.id)
        self.save_button.setEnabled(True)

    def command(self) -> Callable[[UnitOfWork], attendance.RequiredBooked] | None:
        if self.clinician.currentData() is None:
            self.show_field_error("clinician_id", "Choose who the appointments are with.")
            return None
        d, t = self.first.date(), self.first.time()
        first = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())
        cmd = attendance.BookRequired(self.order.id, self.clinician.currentData(), first, self.room.currentData(),
                                      self.minutes.value())
        return probation_ops.book_required(self.ctx.actor, cmd)
