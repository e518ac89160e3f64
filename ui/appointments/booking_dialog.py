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

from PySide6.QtCore import QDate, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QTimeEdit,
    QVBoxLayout, QWidget,
)

from clinic.permissions import Actor
from clinic.services import appointments as appts
from clinic.services import appointments_sessions as sessions
from clinic.services.appointments_common import ClashError, NeedsConfirmation
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.widgets.form_row import FieldError, HintLabel


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
    """The person being booked: fixed when given, else the people search
    (``ui.people.search.PersonSearch``) or, failing that, a client ID box."""

    def __init__(self, ctx: AppContext, person_id: int | None, person_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.person_id = person_id
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(person_name or (f"Client {person_id}" if person_id else "No one chosen yet"))
        layout.addWidget(self.label)
        self.search: QWidget | None = None
        self.id_box: QSpinBox | None = None
        if person_id is None:
            try:
                from ui.people.search import PersonSearch
            except ImportError:  # the people search is another module's; degrade to an id box
                self.id_box = QSpinBox()
                self.id_box.setRange(0, 2_000_000_000)
                self.id_box.setSpecialValueText("Client number")
                self.id_box.valueChanged.connect(self._typed)
                layout.addWidget(self.id_box)
            else:
                search = PersonSearch(ctx, self)
                search.person_chosen.connect(self.choose)
                search.setMinimumHeight(160)
                self.search = search
                layout.addWidget(search)

    def _typed(self, value: int) -> None:
        self.person_id = value or None
        self.label.setText(f"Client {value}" if value else "No one chosen yet")

    def choose(self, person_id: int, name: str = "") -> None:
        self.person_id = person_id
        self.label.setText(name or f"Client {person_id}")

    def focus_widget(self) -> QWidget:
        return self.search or self.id_box or self.label


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
        self.ctx = ctx
        self.session_id = session_id
        self._wanted = (clinician_id, room_id, type_id)
        self._confirm = False
        self._minutes_given = minutes is not None
        self.person = PersonField(ctx, person_id, person_name)
        self.clinician = QComboBox()
        self.room = QComboBox()
        self.kind = QComboBox()
        when = start or datetime.combine(datetime.now().date(), datetime.min.time()).replace(hour=9)
        self.date = QDateEdit(QDate(when.year, when.month, when.day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("ddd dd/MM/yyyy")
        self.time = QTimeEdit(QTime(when.hour, when.minute))
        self.time.setDisplayFormat("HH:mm")
        self.minutes = QSpinBox()
        self.minutes.setRange(5, 480)
        self.minutes.setSingleStep(5)
        self.minutes.setSuffix(" min")
        self.minutes.setValue(minutes or 30)
        self.note = QLineEdit()
        self.note.setPlaceholderText("For reception only — no clinical details")
        self.past_reason = QLineEdit()
        self.past_reason.setPlaceholderText("Only for a time that has passed")
        self.message = FieldError()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Book")
        self.ok.setDefault(True)
        self.ok.setEnabled(False)  # until the lists have loaded

        form = QFormLayout()
        for label, widget in (("Person", self.person), ("&Clinician", self.clinician), ("&Room", self.room),
                              ("&Type", self.kind), ("&Date", self.date), ("T&ime", self.time),
                              ("&Length", self.minutes), ("Reception &note", self.note),
                              ("&Past booking reason", self.past_reason)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            form.addRow(caption, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(HintLabel("Enter books; Esc closes. Clashes and bank holidays are checked when you book."))
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.kind.currentIndexChanged.connect(self._type_changed)
        for signal in (self.clinician.currentIndexChanged, self.room.currentIndexChanged,
                       self.kind.currentIndexChanged, self.date.dateChanged, self.time.timeChanged,
                       self.minutes.valueChanged):
            signal.connect(self._edited)
        chain = [self.person.focus_widget(), self.clinician, self.room, self.kind, self.date, self.time,
                 self.minutes, self.note, self.past_reason]
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
        self.ok.setEnabled(True)
        self.person.focus_widget().setFocus() if self.person.person_id is None else self.clinician.setFocus()

    def _type_changed(self) -> None:
        data = self.kind.currentData()
        if data and not self._minutes_given:
            self.minutes.setValue(data[1])

    def _edited(self) -> None:
        if self._confirm:
            self._confirm = False
            self.ok.setText("&Book")
            self.message.hide()

    def command(self) -> appts.BookAppointment:
        d, t = self.date.date(), self.time.time()
        start = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())
        from datetime import timedelta
        kind = self.kind.currentData()
        return appts.BookAppointment(
            person_id=self.person.person_id or 0, clinician_id=self.clinician.currentData() or 0,
            type_id=kind[0] if kind else 0, start=start, end=start + timedelta(minutes=self.minutes.value()),
            room_id=self.room.currentData(), session_id=self.session_id, reception_note=self.note.text(),
            past_reason=self.past_reason.text(), confirm=self._confirm)

    def submit(self) -> None:
        if not self.person.person_id:
            self.show_message("Choose the person to book.")
            return
        cmd = self.command()
        actor = self.ctx.actor
        self.ok.setEnabled(False)
        self.ctx.write(self, lambda uow: appts.book(uow, actor, cmd)).on_success(self._done) \
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
        elif isinstance(error, (ClashError, ValueError)):
            self.show_message(str(error))
            if "passed" in str(error):
                self.past_reason.setFocus()
        else:
            self.ctx.show_error(self, error)

    def show_message(self, text: str) -> None:
        self.message.show_message(text)
        self.ctx.error_shown.emit(text)
