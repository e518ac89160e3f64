"""Vaccination forms: start a course, record or correct a dose, remove a
dose recorded in error, stop a course, enter an anti-HBs result."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QWidget,
)

from clinic import vaccines
from clinic.dates import age_on, uk_date
from clinic.services.vaccination import courses as svc
from clinic.services.vaccination.stock import BatchStock
from clinic.uow import UnitOfWork
from clinic.workdays import is_bank_holiday
from ui.context import AppContext
from ui.operations import vaccination as vaccination_ops
from ui.widgets.form_dialog import FormDialog
from ui.widgets.write_dialog import date_edit, date_of

# The label already says "exp dd/mm/yyyy": "Expires …" again would say it twice (UI-26);
# "Expired … do not use" and "None left" are said.


def _not_working(d: date) -> str:
    """Flag a planned day the clinic is shut, before the booking finds it (UI-27)."""
    if is_bank_holiday(d):
        return " (⚠ bank holiday: book the next working day)"
    return " (⚠ weekend)" if d.weekday() >= 5 else ""


class StartCourseDialog(FormDialog):
    """Choose the schedule; every dose is planned, nothing is booked."""

    def __init__(self, ctx: AppContext, person_id: int, today: date, date_of_birth: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Start a vaccination course", parent)
        self.person_id, self.today = person_id, today
        self.schedule = QComboBox()
        adult = age_on(date_of_birth, today) >= vaccines.ADULT_AGE
        for s in vaccines.SCHEDULES.values():
            if adult or not s.adults_only:
                self.schedule.addItem(s.label, s.id)
        self.first = date_edit(today)
        self.plan = QLabel()
        self.plan.setWordWrap(True)
        self.field("schedule_id", "&Schedule", self.schedule)
        self.field("first_dose_on", "&First dose on", self.first, hint="Planned day of dose 1; nothing is booked.")
        self.form.addRow("Plan", self.plan)
        self.schedule.currentIndexChanged.connect(self._preview)
        self.first.dateChanged.connect(self._preview)
        self._dob = date_of_birth
        self._preview()

    def _preview(self) -> None:
        try:
            plan = vaccines.plan_course(self.schedule.currentData(), date_of(self.first),
                                        date_of_birth=self._dob)
        except ValueError as exc:
            self.plan.setText(str(exc))
            return
        self.plan.setText(", ".join(f"dose {d.number}: {uk_date(d.due)}{_not_working(d.due)}" for d in plan))

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        cmd = svc.StartCourse(self.person_id, self.schedule.currentData(), date_of(self.first))
        actor = self.ctx.actor
        return vaccination_ops.start_course(actor, cmd)


def _combo(items: Sequence[str], current: str = "") -> QComboBox:
    box = QComboBox()
    box.setEditable(True)
    box.addItems(list(items))
    if current:
        box.setCurrentText(current)
    return box


class DoseDialog(FormDialog):
    """Record a dose (of a course, or a single vaccine), or correct one.

    ``batches`` are the in-date batches for the vaccine, from stock; the
    service refuses an expired batch for the date given whatever is picked.
    """

    def __init__(self, ctx: AppContext, person_id: int, today: date, batches: Sequence[BatchStock], *,
                 course_id: int | None = None, vaccine: str | None = None, title: str = "Record a dose",
                 single: bool = False,
                 editing: svc.DoseView | svc.SingleDoseView | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, title, parent)
        self.person_id, self.course_id, self.editing = person_id, course_id, editing
        self._vaccine = vaccine
        self.vaccine = QComboBox()
        for v in vaccines.SINGLE_VACCINES:
            self.vaccine.addItem(v.label, v.id)
        if single and editing is None:
            self.field("vaccine", "&Vaccine", self.vaccine)
        self.batch = QComboBox()
        self._all_batches = list(batches)
        self.given_on = date_edit(editing.given if editing and editing.given else today, maximum=today)
        self.site = _combo(svc.SITES, editing.site if editing else "")
        self.route = _combo(svc.ROUTES, editing.route if editing else "Intramuscular")
        self.consent = QCheckBox("The person has given &consent for this vaccination")
        self.field("batch_id", "&Batch", self.batch, hint="From stock; soonest expiry first.")
        self.field("given_on", "&Given on", self.given_on)
        self.field("site", "S&ite", self.site)
        self.field("route", "&Route", self.route)
        if editing is None:
            self.field("consent", "", self.consent)
        self.vaccine.currentIndexChanged.connect(self._fill_batches)
        self._fill_batches()
        if editing is not None:
            for n in range(self.batch.count()):
                if f"batch {editing.batch_number}," in self.batch.itemText(n):
                    self.batch.setCurrentIndex(n)

    def _fill_batches(self) -> None:
        vaccine = self.vaccine.currentData() if self.field_shown("vaccine") else self._vaccine
        self.batch.clear()
        for b in self._all_batches:
            # Expired batches are offered only when correcting a past dose.
            if b.vaccine == vaccine and (self.editing is not None or not (b.expired or b.written_off)):
                warning = b.warning if b.warning and not b.warning.startswith("Expires") else ""
                self.batch.addItem(b.picker_label + (f" — {warning}" if warning else ""), b.batch_id)

    def field_shown(self, name: str) -> bool:
        return name in self.errors

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        ok = True
        if self.batch.currentData() is None:
            self.show_field_error("batch_id", "No batch of this vaccine is in stock. Receive a batch first.")
            ok = False
        if not self.site.currentText().strip():
            self.show_field_error("site", "Choose the injection site.")
            ok = False
        if self.editing is None and not self.consent.isChecked():
            self.show_field_error("consent", "Record the person's consent before recording the dose.")
            ok = False
        if not ok:
            return None
        actor, on = self.ctx.actor, date_of(self.given_on)
        site, route, batch = self.site.currentText().strip(), self.route.currentText().strip(), self.batch.currentData()
        if self.editing is not None:
            dose_id = self.editing.dose_id
            assert dose_id is not None
            edit = svc.EditDose(dose_id, on, batch, site, route)
            return vaccination_ops.edit_dose(actor, edit)
        cmd = svc.RecordDose(self.person_id, batch, on, site, route, True, course_id=self.course_id,
                             vaccine=self.vaccine.currentData() if self.field_shown("vaccine") else None)
        return vaccination_ops.record_dose(actor, cmd)


class AntiHbsDialog(FormDialog):
    def __init__(self, ctx: AppContext, person_id: int, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Anti-HBs result", parent)
        self.person_id = person_id
        self.taken_on = date_edit(today, maximum=today)
        self.level = QDoubleSpinBox()
        self.level.setRange(-0.1, 100_000)  # the minimum is "not entered": a result is never pre-filled (UI-19)
        self.level.setDecimals(1)
        self.level.setSuffix(" mIU/mL")
        self.level.setSpecialValueText("(enter the level)")
        self.level.setValue(-0.1)
        self.meaning = QLabel()
        self.field("taken_on", "&Sample taken", self.taken_on)
        self.field("miu_per_ml", "&Level", self.level, hint="10 mIU/mL or more counts as responding.")
        self.form.addRow("", self.meaning)
        self.level.valueChanged.connect(self._meaning)
        self._meaning()

    def _meaning(self) -> None:
        level = self.level.value()
        self.meaning.setText("" if level < 0 else "Responder" if vaccines.is_responder(level) else svc.NON_RESPONDER)

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        if self.level.value() < 0:
            self.show_field_error("miu_per_ml", "Enter the level from the laboratory report.")
            return None
        cmd = svc.RecordAntiHbs(self.person_id, date_of(self.taken_on), self.level.value())
        actor = self.ctx.actor
        return vaccination_ops.record_anti_hbs(actor, cmd)
