"""Book one appointment: from a free slot, or from a person's record.

Keyboard first: the fields are in reading order, Enter books, Esc closes.
A clash is refused and shown under the form; a bank holiday or closure
shows the warning and turns the button into "Book anyway"; a past time
asks for a reason. All checks are the service's, run on the write thread.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from clinic.errors import Refused
from clinic.permissions import Actor
from clinic.services.appointments import booking as appts
from clinic.services.appointments import sessions
from clinic.services.appointments.common import ClashError, NeedsConfirmation
from clinic.uow import UnitOfWork
from ui.operations import appointments as appointments_ops
from ui.widgets.order_field import OrderField
from ui.context import AppContext
from ui.widgets.form_row import FieldError, HintLabel
from ui.widgets.person_picker import PersonLine, PersonPicker
from ui.widgets.write_dialog import date_edit, date_of


@dataclass(frozen=True)
class Choices:
    clinicians: list[sessions.ClinicianInfo]
    rooms: list[sessions.RoomInfo]
    types: list[sessions.TypeInfo]


def load_choices(actor: Actor) -> Callable[[UnitOfWork], Choices]:
    def fn(uow: UnitOfWork) -> Choices:
        return Choices(sessions.list_clinicians(uow, actor), sessions.list_rooms(uow, actor),
                       sessions.list_types(uow, actor))
    return fn


class PersonField(QWidget):
    """The person being booked, always named with their date of birth and
    client number (UI-4): fixed when given, else found as the People search
    finds them (``ui.widgets.person_picker``)."""

    def __init__(self, ctx: AppContext, person_id: int | None, person_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.person_id = person_id
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.picker: PersonPicker | None = None
        if person_id is None:
            self.picker = PersonPicker(ctx, self)
            self.picker.chosen.connect(lambda hit: setattr(self, "person_id", hit.id if hit else None))
            self.label: PersonLine = self.picker.line
            layout.addWidget(self.picker)
        else:
            self.label = PersonLine(ctx, self)
            self.label.setText(person_name or "…")
            self.label.show_person(person_id)
            layout.addWidget(self.label)

    def focus_widget(self) -> QWidget:
        return self.picker.box if self.picker is not None else self.label


class BookingDialog(QDialog):
    """``BookingDialog(ctx, person_id=…, start=…, clinician_id=…, room_id=…,
    session_id=…, parent=…)``; emits ``booked(appts.Booked)`` and closes."""

    booked = Signal(object)

    def __init__(self, ctx: AppContext, *, person_id: int | None = None, person_name: str = "",
                 start: datetime | None = None, minutes: int | None = None, clinician_id: int | None = None,
                 room_id: int | None = None, session_id: int | None = None, type_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Book an appointment")
        self.setMinimumWidth(560)  # names of clinicians and types are not cut off (UI-7)
        self.ctx = ctx
        self.session_id = session_id
        self._wanted = (clinician_id, room_id, type_id)
        self._confirm = False
        self._minutes_given = minutes is not None
        self.person = PersonField(ctx, person_id, person_name)
        self.clinician = QComboBox()
        self.room = QComboBox()
        self.kind = QComboBox()
        when = start or datetime.combine(ctx.clinic.clock.today(), datetime.min.time()).replace(hour=9)
        self.date = date_edit(when.date())  # typed as dd/mm/yyyy, the weekday beside it (UI-2)
        self.time = QTimeEdit(QTime(when.hour, when.minute))
        self.time.setDisplayFormat("HH:mm")
        self.minutes = QSpinBox()
        self.minutes.setRange(5, 480)
        self.minutes.setSingleStep(5)
        self.minutes.setSuffix(" min")
        self.minutes.setValue(minutes or 30)
        self.length_note = HintLabel("")
        self.length_note.hide()
        self.note = QLineEdit()
        self.note.setPlaceholderText("For reception only — no clinical details")
        self.past_reason = QLineEdit()
        self.past_reason.setPlaceholderText("Only for a time that has passed")
        self.order = OrderField(ctx)
        self.message = FieldError()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Book")
        self.ok.setDefault(True)
        self.ok.setEnabled(False)  # until the lists have loaded

        form = QFormLayout()
        self.form = form
        for label, widget in (("&Who", self.person), ("&Clinician", self.clinician), ("&Room", self.room),
                              ("&Type", self.kind), ("&Order", self.order), ("&Date", self.date),
                              ("T&ime", self.time), ("&Length", self.minutes), ("Reception &note", self.note),
                              ("&Past booking reason", self.past_reason)):
            caption = QLabel(label)
            caption.setBuddy(self.order.combo if widget is self.order else widget)
            form.addRow(caption, widget)
        form.addRow("", self.length_note)
        form.setRowVisible(self.order, False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(HintLabel("Enter books; Esc closes. Clashes and bank holidays are checked when you book."))
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.kind.currentIndexChanged.connect(self._type_changed)
        self.kind.currentIndexChanged.connect(self._load_orders)
        if self.person.picker is not None:  # connected after PersonField's own, so person_id is already set
            self.person.picker.chosen.connect(lambda *_: self._load_orders())
        for signal in (self.clinician.currentIndexChanged, self.room.currentIndexChanged,
                       self.kind.currentIndexChanged, self.date.dateChanged, self.time.timeChanged,
                       self.minutes.valueChanged):
            signal.connect(lambda *_: self._edited())
        chain = [self.person.focus_widget(), self.clinician, self.room, self.kind, self.order.combo, self.date,
                 self.time, self.minutes, self.note, self.past_reason]
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)
        ctx.query(self, load_choices(ctx.actor)).on_success(self._loaded).start()

    def _loaded(self, choices: Choices) -> None:
        clinician_id, room_id, type_id = self._wanted
        self.clinician.clear()
        for c in choices.clinicians:
            self.clinician.addItem(c.full_name, c.id)
        self.room.clear()
        self.room.addItem("(no room)", None)
        for r in choices.rooms:
            if r.active:
                self.room.addItem(r.name, r.id)
        self.kind.blockSignals(True)
        self.kind.clear()
        for t in choices.types:
            self.kind.addItem(f"{t.name} ({t.default_minutes} min)", (t.id, t.default_minutes))
        self.kind.blockSignals(False)
        for combo, wanted in ((self.clinician, clinician_id), (self.room, room_id)):
            index = combo.findData(wanted)
            if index >= 0:
                combo.setCurrentIndex(index)
        for i in range(self.kind.count()):
            if self.kind.itemData(i)[0] == type_id:
                self.kind.setCurrentIndex(i)
        if not self._minutes_given:
            self._type_changed()
        self._load_orders()
        self.ok.setEnabled(True)
        self.person.focus_widget().setFocus() if self.person.person_id is None else self.clinician.setFocus()

    def _load_orders(self) -> None:
        kind = self.kind.currentData()
        self.order.load(self.person.person_id, kind[0] if kind else None, self._show_order_row)

    def _show_order_row(self, shown: bool) -> None:
        self.form.setRowVisible(self.order, shown)
        self.adjustSize()

    def _type_changed(self) -> None:
        """Length follows the type, except in a slot, where a longer type is said, not hidden (UI-8)."""
        data = self.kind.currentData()
        if data and not self._minutes_given:
            self.minutes.setValue(data[1])
        elif data and data[1] > self.minutes.value():
            self.length_note.setText(f"This type usually takes {data[1]} min; the slot is {self.minutes.value()} min. "
                                     "Change the length if it needs longer.")
        self.length_note.setVisible(bool(data) and self._minutes_given and data[1] > self.minutes.value())

    def _edited(self) -> None:
        if self._confirm:
            self._confirm = False
            self.ok.setText("&Book")
            self.message.hide()

    def command(self) -> appts.BookAppointment:
        d, t = date_of(self.date), self.time.time()
        start = datetime(d.year, d.month, d.day, t.hour(), t.minute())
        from datetime import timedelta
        kind = self.kind.currentData()
        return appts.BookAppointment(
            person_id=self.person.person_id or 0, clinician_id=self.clinician.currentData() or 0,
            type_id=kind[0] if kind else 0, start=start, end=start + timedelta(minutes=self.minutes.value()),
            room_id=self.room.currentData(), session_id=self.session_id, reception_note=self.note.text(),
            past_reason=self.past_reason.text(), confirm=self._confirm, order_id=self.order.order_id())

    def submit(self) -> None:
        if not self.person.person_id:
            self.show_message("Choose the person to book.")
            return
        try:
            cmd = self.command()
        except ValueError as error:  # the date cannot be read
            self.show_message(str(error))
            self.date.setFocus()
            return
        actor = self.ctx.actor
        self.ok.setEnabled(False)
        self.ctx.write(self, appointments_ops.book(actor, cmd)).on_success(self._done) \
            .on_failure(self._failed).start()

    def _done(self, result: appts.Booked) -> None:
        self.booked.emit(result)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.ok.setEnabled(True)
        if isinstance(error, NeedsConfirmation):
            self._confirm = True
            self.ok.setText("&Book anyway")
            self.show_message("\n".join(error.warnings) + "\nPress Book anyway to go ahead.")
        elif isinstance(error, Refused) and error.field == "order_id":
            self.order.error.show_message(str(error))
            self.order.combo.setFocus()
        elif isinstance(error, (ClashError, ValueError)):
            self.show_message(str(error))
            if isinstance(error, Refused) and error.field == "past_reason":
                self.past_reason.setFocus()
        else:
            self.ctx.show_error(self, error)

    def show_message(self, text: str) -> None:
        self.message.show_message(text)
        self.ctx.error_shown.emit(text)
