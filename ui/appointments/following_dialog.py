"""“This and following”: change or cancel one occurrence of a repeating
booking and every later one still booked (``appointments.series``).

Both dialogs say, before saving, how many bookings the change reaches and
over which dates, read from the same query the service acts on, so nobody
moves ten weeks of DRR appointments thinking they moved one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QHBoxLayout, QLabel, QRadioButton, QTimeEdit, QVBoxLayout,
                               QWidget)

from clinic.dates import uk_day
from clinic.services.appointments import series
from clinic.services.appointments.book import AppointmentRow
from clinic.uow import UnitOfWork
from ui.operations import appointments as appointments_ops
from ui.context import AppContext
from ui.widgets.booking_dialog import Choices, load_choices
from ui.widgets.form_dialog import FormDialog
from ui.widgets.write_dialog import date_edit, date_of


def reach_text(starts: tuple[datetime, ...]) -> str:
    """“4 bookings: Tue 24 Nov 2026 to Tue 15 Dec 2026”."""
    if not starts:
        return "No booking of this series is still booked from here on."
    if len(starts) == 1:
        return f"1 booking: {uk_day(starts[0])} {starts[0]:%H:%M} (no later one is still booked)."
    return f"{len(starts)} bookings: {uk_day(starts[0])} to {uk_day(starts[-1])}."


class _FollowingDialog(FormDialog):
    def __init__(self, ctx: AppContext, title: str, booking: AppointmentRow, parent: QWidget | None) -> None:
        super().__init__(ctx, title, parent)
        self.booking = booking
        self.starts: tuple[datetime, ...] | None = None
        self.reach = QLabel("Counting the bookings…")
        self.reach.setWordWrap(True)
        self.setMinimumWidth(460)
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        outer.insertWidget(0, QLabel(f"{booking.person_name}: {booking.type_name}, from {uk_day(booking.start)} "
                                     f"{booking.start:%H:%M}"))
        outer.insertWidget(2, self.reach)
        self.save_button.setEnabled(False)
        actor, aid = ctx.actor, booking.id
        ctx.query(self, lambda uow: series.following_starts(uow, actor, aid)).on_success(self._counted).start()

    def _counted(self, starts: tuple[datetime, ...]) -> None:
        self.starts = starts
        self.reach.setText(self.reach_prefix() + reach_text(starts))
        self.save_button.setEnabled(bool(starts))
        self.adjustSize()

    def reach_prefix(self) -> str:
        raise NotImplementedError


class ChangeFollowingDialog(_FollowingDialog):
    """``ChangeFollowingDialog(ctx, booking, parent)``: a new time (and date)
    for this occurrence moves every later one by the same amount; a new
    clinician or room applies to them all."""

    def __init__(self, ctx: AppContext, booking: AppointmentRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Change this and following", booking, parent)
        self.date = date_edit(booking.start.date())
        self.time = QTimeEdit(QTime(booking.start.hour, booking.start.minute))
        self.time.setDisplayFormat("HH:mm")
        self.clinician, self.room = QComboBox(), QComboBox()
        self.field("start", "&Date of this one", self.date, hint="Later ones move by the same amount")
        self.field("time", "T&ime", self.time)
        self.field("clinician_id", "&Clinician", self.clinician)
        self.field("room_id", "&Room", self.room)
        self.save_button.setText("&Save changes")
        ctx.query(self, load_choices(ctx.actor)).on_success(self._loaded).start()

    def _loaded(self, choices: Choices) -> None:
        for c in choices.clinicians:
            self.clinician.addItem(c.full_name, c.id)
        self.clinician.setCurrentIndex(max(0, self.clinician.findData(self.booking.clinician_id)))
        if self.booking.room_id is None:
            self.room.addItem("(no room)", None)
        for r in choices.rooms:
            self.room.addItem(r.name, r.id)
        self.room.setCurrentIndex(max(0, self.room.findData(self.booking.room_id)))

    def reach_prefix(self) -> str:
        return "Changes "

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        day, t = date_of(self.date), self.time.time()
        start = datetime(day.year, day.month, day.day, t.hour(), t.minute())
        cmd = series.ChangeFollowing(self.booking.id, self.booking.version, start - self.booking.start,
                                     clinician_id=self.clinician.currentData(), room_id=self.room.currentData())
        actor = self.ctx.actor
        return appointments_ops.change_following(actor, cmd)


class CancelFollowingDialog(_FollowingDialog):
    """``CancelFollowingDialog(ctx, booking, parent)``: who cancelled starts
    unchosen, and saving is refused until it is."""

    def __init__(self, ctx: AppContext, booking: AppointmentRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Cancel this and following", booking, parent)
        self.by_client = QRadioButton("By the c&lient")
        self.by_service = QRadioButton("By the ser&vice")
        self.by = QButtonGroup(self)
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        for button in (self.by_client, self.by_service):
            self.by.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        self.field("by", "Who cancelled", box)
        self.save_button.setText("Cancel &bookings")
        self.buttons.button(self.buttons.StandardButton.Cancel).setText("&Keep them")

    def reach_prefix(self) -> str:
        return "Cancels "

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        by = ("cancelled_client" if self.by_client.isChecked() else
              "cancelled_service" if self.by_service.isChecked() else "")
        actor, aid, version = self.ctx.actor, self.booking.id, self.booking.version
        return appointments_ops.cancel_following(actor, aid, version, by=by)
