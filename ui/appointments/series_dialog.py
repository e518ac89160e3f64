"""A repeating booking: weekly DRR appointments, a vaccine course's doses.

The preview lists every date, and says which were moved off or skipped
for a bank holiday, weekend or closure; the user chooses move or skip.
Booking is all or nothing: a clash anywhere refuses the series and shows
every clash.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from PySide6.QtCore import QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QRadioButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from clinic.errors import Refused
from clinic.services.appointments import series
from clinic.services.appointments.common import ClashError
from clinic.dates import uk_day
from ui.operations import appointments as appointments_ops
from ui.widgets.booking_dialog import Choices, PersonField, load_choices
from ui.widgets.order_field import OrderField
from ui.context import AppContext
from ui.widgets.form_row import FieldError
from ui.widgets.write_dialog import date_edit, date_of

FREQS = (("Weekly", "weekly"), ("Daily", "daily"), ("Monthly", "monthly"))


class SeriesDialog(QDialog):
    """``SeriesDialog(ctx, person_id=None, start=None, clinician_id=None, room_id=None, parent=None)``;
    emits ``booked(SeriesBooked)``."""

    booked = Signal(object)

    def __init__(self, ctx: AppContext, *, person_id: int | None = None, person_name: str = "",
                 start: datetime | None = None, clinician_id: int | None = None, room_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Repeating booking")
        self.ctx = ctx
        self._wanted = (clinician_id, room_id)  # chosen once the lists have loaded
        self.plan: series.SeriesPlan | None = None
        self.person = PersonField(ctx, person_id, person_name)
        self.clinician, self.room, self.kind, self.freq = QComboBox(), QComboBox(), QComboBox(), QComboBox()
        for label, key in FREQS:
            self.freq.addItem(label, key)
        today = ctx.clinic.clock.today()
        first = start or datetime.combine(today + timedelta(days=1), datetime.min.time()).replace(hour=10)
        self.first = date_edit(first.date())  # typed dates, weekday beside (UI-2)
        self.time = QTimeEdit(QTime(first.hour, first.minute))
        self.time.setDisplayFormat("HH:mm")
        self.interval = QSpinBox()
        self.interval.setRange(1, 12)
        self.count = QSpinBox()
        self.count.setRange(1, 104)
        self.count.setValue(6)
        self.use_until = QCheckBox("or until")
        self.until = date_edit(today + relativedelta(months=3))
        self.until.setEnabled(False)
        ends = QHBoxLayout()
        ends.addWidget(self.count)
        ends.addWidget(self.use_until)
        ends.addWidget(self.until)
        self.move_on_closure = QRadioButton("&Move to the next working day")
        self.skip = QRadioButton("&Skip that date")
        self.move_on_closure.setChecked(True)
        self.note = QLineEdit()
        self.note.setPlaceholderText("For reception only — no clinical details")
        self.preview = QListWidget()
        self.preview.setMinimumHeight(140)
        self.order = OrderField(ctx)  # which DRR/ATR order a DRR series is for
        self.message = FieldError()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Book series")
        self.ok.setDefault(True)
        self.ok.setEnabled(False)

        form = QFormLayout()
        self.form = form
        for label, widget in (("Person", self.person), ("&Clinician", self.clinician), ("&Room", self.room),
                              ("&Type", self.kind), ("&Order", self.order), ("&First date", self.first),
                              ("T&ime", self.time),
                              ("Re&peat", self.freq), ("Every", self.interval), ("Appointments", ends),
                              ("On a holiday", self.move_on_closure), ("", self.skip), ("Reception &note", self.note)):
            if isinstance(widget, QHBoxLayout):
                form.addRow(label, widget)
            else:
                caption = QLabel(label)
                caption.setBuddy(self.order.combo if widget is self.order else widget)
                form.addRow(caption, widget)
        form.setRowVisible(self.order, False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Dates"))
        layout.addWidget(self.preview)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.use_until.toggled.connect(self.until.setEnabled)
        self.use_until.toggled.connect(lambda on: self.count.setEnabled(not on))
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.update_preview)
        for signal in (self.kind.currentIndexChanged, self.first.dateChanged, self.time.timeChanged,
                       self.freq.currentIndexChanged, self.interval.valueChanged, self.count.valueChanged,
                       self.use_until.toggled, self.until.dateChanged, self.move_on_closure.toggled):
            signal.connect(lambda *_: self._debounce.start())
        self.kind.currentIndexChanged.connect(lambda *_: self._load_orders())
        if self.person.picker is not None:  # connected after PersonField's own, so person_id is already set
            self.person.picker.chosen.connect(lambda *_: self._load_orders())
        ctx.query(self, load_choices(ctx.actor)).on_success(self._loaded).start()

    def _load_orders(self) -> None:
        self.order.load(self.person.person_id, self.kind.currentData(), self._show_order_row)

    def _show_order_row(self, shown: bool) -> None:
        self.form.setRowVisible(self.order, shown)
        self.adjustSize()

    def _loaded(self, choices: Choices) -> None:
        for c in choices.clinicians:
            self.clinician.addItem(c.full_name, c.id)
        self.room.addItem("(no room)", None)
        for r in choices.rooms:
            self.room.addItem(r.name, r.id)
        clinician_id, room_id = self._wanted
        self.clinician.setCurrentIndex(max(0, self.clinician.findData(clinician_id)))
        self.room.setCurrentIndex(max(0, self.room.findData(room_id)))
        self.kind.blockSignals(True)
        for t in choices.types:
            self.kind.addItem(f"{t.name} ({t.default_minutes} min)", t.id)
        index = next((i for i, t in enumerate(choices.types) if t.code == "drr"), 0)
        self.kind.setCurrentIndex(index)
        self.kind.blockSignals(False)
        self.ok.setEnabled(True)
        self._load_orders()
        self.update_preview()

    def command(self) -> series.BookSeries:
        d, t = date_of(self.first), self.time.time()
        until = date_of(self.until) if self.use_until.isChecked() else None
        return series.BookSeries(
            person_id=self.person.person_id or 0, clinician_id=self.clinician.currentData() or 0,
            type_id=self.kind.currentData() or 0, first_start=datetime(d.year, d.month, d.day, t.hour(), t.minute()),
            room_id=self.room.currentData(), freq=self.freq.currentData(), interval=self.interval.value(),
            count=None if until else self.count.value(), until=until,
            on_closure="move" if self.move_on_closure.isChecked() else "skip", reception_note=self.note.text(),
            order_id=self.order.order_id())

    def update_preview(self) -> None:
        if not self.kind.count():
            return
        try:
            actor, cmd = self.ctx.actor, self.command()
        except ValueError as error:  # a date that cannot be read
            self._plan_failed(error)
            return
        self.ctx.query(self, lambda uow: series.plan_series(uow, actor, cmd)) \
            .on_success(self._show_plan).on_failure(self._plan_failed).start()

    def _show_plan(self, plan: series.SeriesPlan) -> None:
        self.plan = plan
        self.preview.clear()
        moved = {b: a for a, b in plan.moved}
        for start in plan.starts:
            text = f"{uk_day(start)} {start:%H:%M}"
            if start in moved:
                text += f"   (moved from {uk_day(moved[start])}: not a working day)"
            self.preview.addItem(text)
        for skipped in plan.skipped:
            self.preview.addItem(f"— {uk_day(skipped)} skipped: not a working day")
        self.message.hide()

    def _plan_failed(self, error: BaseException) -> None:
        self.plan = None
        self.preview.clear()
        self.show_message(str(error)) if isinstance(error, ValueError) else self.ctx.show_error(self, error)

    def submit(self) -> None:
        if not self.person.person_id:
            self.show_message("Choose the person to book.")
            return
        try:
            actor, cmd = self.ctx.actor, self.command()
        except ValueError as error:
            self.show_message(str(error))
            return
        self.ok.setEnabled(False)
        self.ctx.write(self, appointments_ops.book_series(actor, cmd)).on_success(self._done) \
            .on_failure(self._failed).start()

    def _done(self, result: series.SeriesBooked) -> None:
        self.booked.emit(result)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.ok.setEnabled(True)
        if isinstance(error, Refused) and error.field == "order_id":
            self.order.error.show_message(str(error))
            self.order.combo.setFocus()
        elif isinstance(error, (ClashError, ValueError)):
            self.show_message(str(error))
        else:
            self.ctx.show_error(self, error)

    def show_message(self, text: str) -> None:
        self.message.show_message(text)
        self.ctx.error_shown.emit(text)
