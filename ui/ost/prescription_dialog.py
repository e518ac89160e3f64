"""Start, change or stop an OST prescription (prescribers only)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox, QWidget

from clinic.errors import Refused
from clinic.services.ost import prescriptions as svc
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import ost as ost_ops
from ui.widgets.choice import choice_box, chosen
from ui.widgets.form_dialog import FormDialog
from ui.widgets.write_dialog import date_edit, date_of


class PrescriptionDialog(FormDialog):
    """``current`` given: change it (a new dose row with a reason); else start one."""

    def __init__(self, ctx: AppContext, person_id: int, pharmacies: tuple[svc.PharmacyRow, ...], today: date,
                 current: svc.PrescriptionRow | None = None, parent: QWidget | None = None, *,
                 new_dose: bool = False) -> None:
        """``new_dose``: opened to act on a decision to change the dose (UI-30):
        the dose starts empty, never a guess at the new one, and is required."""
        super().__init__(ctx, "Change prescription" if current else "Start prescription", parent)
        self.person_id, self.current = person_id, current
        self._confirmed: tuple[object, ...] | None = None  # the values the prescriber said "Save anyway" to
        self.new_dose = new_dose
        # A new prescription starts with no medicine and no days chosen (UI-19): one
        # hurried Save must not prescribe the first medicine, supervised every day.
        self.medicine = choice_box((m.capitalize(), m) for m in svc.MEDICINES)
        self.formulation = QComboBox()
        self.formulation.setEditable(True)
        self.dose = QDoubleSpinBox()
        self.dose.setRange(0, 1000)
        self.dose.setDecimals(1)
        self.dose.setSuffix(" mg")
        self.supervised = QSpinBox()
        self.supervised.setRange(0, 7)
        self.take_home = QSpinBox()
        self.take_home.setRange(0, 7)
        self.pharmacy = QComboBox()
        self.pharmacy.addItem("(not yet chosen)", None)
        for p in pharmacies:
            self.pharmacy.addItem(p.name, p.id)
        self.start = date_edit(today)
        self.reason = QLineEdit()
        self.medicine.currentIndexChanged.connect(self._formulations)
        self.field("medicine", "&Medicine", self.medicine)
        self.field("formulation", "&Formulation", self.formulation)
        self.field("daily_dose_mg", "Daily &dose", self.dose)
        self.field("supervised_days", "&Supervised days a week", self.supervised)
        self.field("take_home_days", "&Take-home days a week", self.take_home)
        self.field("pharmacy_id", "&Pharmacy", self.pharmacy)
        if current:
            self.field("change_on", "Change fr&om", self.start, hint="The first day at the new dose")
        else:
            self.field("start_on", "Start dat&e", self.start)
        self.field("reason", "&Reason", self.reason)
        if current:
            self.medicine.setCurrentIndex(max(0, self.medicine.findData(current.medicine)))
            self.medicine.setEnabled(False)
            self.formulation.setCurrentText(current.formulation)
            self.dose.setValue(current.daily_dose_mg)
            self.supervised.setValue(current.supervised_days)
            self.take_home.setValue(current.take_home_days)
            if current.pharmacy_id is not None and self.pharmacy.findData(current.pharmacy_id) < 0:
                # retired since: keep it rather than quietly dropping it from the prescription
                self.pharmacy.addItem(f"{current.pharmacy_name} (retired)", current.pharmacy_id)
            self.pharmacy.setCurrentIndex(max(0, self.pharmacy.findData(current.pharmacy_id)))
            self.reason.setPlaceholderText("Why the dose or supervision changes (required)")
            if new_dose:
                self.dose.setSpecialValueText("(enter the new dose)")
                self.dose.setValue(0)
        else:
            self.reason.setText("New prescription")
        self._save_text = self.save_button.text()
        for changed in (self.dose.valueChanged, self.supervised.valueChanged, self.take_home.valueChanged,
                        self.formulation.currentTextChanged, self.medicine.currentIndexChanged):
            changed.connect(self._take_back_confirmation)

    def _warned_values(self) -> tuple[object, ...]:
        return (chosen(self.medicine), self.formulation.currentText(), self.dose.value(),
                self.supervised.value(), self.take_home.value())

    def _take_back_confirmation(self) -> None:
        """A confirmation holds for the dose it was given to: a changed dose is checked afresh."""
        if self._confirmed is not None and self._confirmed != self._warned_values():
            self._confirmed = None
            self.save_button.setText(self._save_text)

    def _formulations(self) -> None:
        self.formulation.clear()
        self.formulation.addItems(svc.FORMULATIONS.get(chosen(self.medicine) or "", ()))

    def failed(self, error: BaseException) -> None:
        super().failed(error)
        if isinstance(error, svc.DoseNeedsConfirmation):
            self._confirmed = self._warned_values()
            self.save_button.setText("Save &anyway")

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        if self.new_dose and self.dose.value() == 0:
            raise Refused("Enter the new daily dose.", field="daily_dose_mg")
        actor, confirm = self.ctx.actor, self._confirmed == self._warned_values()
        pharmacy = self.pharmacy.currentData()
        if self.current is not None:
            c = self.current
            change = svc.ChangePrescription(
                c.id, c.version, date_of(self.start), self.reason.text(), self.dose.value(), self.supervised.value(),
                self.take_home.value(), pharmacy, self.formulation.currentText(), confirm_warnings=confirm)
            return ost_ops.change_prescription(actor, change)
        start = svc.StartPrescription(
            self.person_id, chosen(self.medicine) or "", self.formulation.currentText(), self.dose.value(),
            self.supervised.value(), self.take_home.value(), pharmacy, date_of(self.start),
            reason=self.reason.text() or "New prescription", confirm_warnings=confirm)
        return ost_ops.start_prescription(actor, start)


class StopDialog(FormDialog):
    def __init__(self, ctx: AppContext, current: svc.PrescriptionRow, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Stop prescription", parent)
        self.current = current
        self.person_id = current.person_id  # the dialog names whom it stops (name_the_person)
        self.end = date_edit(today)
        self.reason = QLineEdit()
        self.field("end_on", "&Last day dispensed", self.end)
        self.field("reason", "&Reason", self.reason, hint="Why the prescription stops (required)")

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        cmd = svc.StopPrescription(self.current.id, self.current.version, date_of(self.end), self.reason.text())
        actor = self.ctx.actor
        return ost_ops.stop_prescription(actor, cmd)
