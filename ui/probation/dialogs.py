"""Add/edit an order, record an outcome, record a drug test. Each validates
in the service and shows the refusal beside the form, keeping what was typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from clinic.dates import parse_date, uk_date, uk_date_time
from clinic.probation import Outcome
from clinic.services.probation import orders
from clinic.services.probation import attendance
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import probation as probation_ops
from ui.widgets.choice import choice_box, chosen
from ui.widgets.form_dialog import FormDialog
from ui.widgets.form_row import HintLabel, add_field
from ui.widgets.write_dialog import date_of


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _date_edit(parent: QWidget, d: date) -> QDateEdit:
    e = QDateEdit(_qdate(d), parent)
    e.setDisplayFormat("dd/MM/yyyy")
    e.setCalendarPopup(True)
    return e


class _Form(QDialog):
    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.form = QFormLayout(self)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self) -> None:
        self.form.addRow(self.error)
        self.form.addRow(self.buttons)

    def run(self, fn: Callable[[UnitOfWork], object]) -> None:
        self.error.clear()
        self.ctx.write(self, fn).on_success(lambda _: self.accept()).on_failure(
            lambda e: self.error.setText(str(e)) if isinstance(e, ValueError) else self.ctx.show_error(self, e)
        ).start()

    def save(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class OrderDialog(FormDialog):
    """Add or edit an order. A new probation officer is entered field by
    field (UI-37) and saved with the order, in one transaction."""

    def __init__(self, ctx: AppContext, person_id: int, contacts: list[orders.ContactSummary],
                 order: orders.OrderSummary | None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Edit order" if order else "Add DRR/ATR order", parent)
        today = ctx.clinic.clock.today()
        self.person_id, self.order = person_id, order
        self.kind = QComboBox(self)
        self.kind.addItems(orders.ORDER_TYPES)
        self.court = QLineEdit(self)
        self.made = _date_edit(self, today)
        self.start = _date_edit(self, today)
        self.months = QSpinBox(self)
        self.months.setRange(1, 36)
        self.months.setValue(6)
        self.frequency = QComboBox(self)
        for key, label in orders.FREQUENCIES.items():
            self.frequency.addItem(label, key)
        self.testing = QCheckBox("Drug testing required", self)
        self.officer = QComboBox(self)
        self.officer.addItem("(none yet)", None)
        for c in contacts:
            self.officer.addItem(c.label + ("" if c.reachable else " — no address or email"), c.id)
        self.add_officer = QCheckBox("Add a &new officer instead", self)
        self.officer_box = QWidget(self)
        officer_form = QFormLayout(self.officer_box)
        officer_form.setContentsMargins(0, 0, 0, 0)
        self.officer_fields = {name: QLineEdit(self.officer_box) for name in ("name", "office", "phone",
                                                                              "secure_email")}
        self.officer_address = QPlainTextEdit(self.officer_box)
        self.officer_address.setTabChangesFocus(True)
        self.officer_address.setFixedHeight(64)
        self.officer_errors = {}
        for name, label, editor in (("name", "Officer's name", self.officer_fields["name"]),
                                    ("office", "Office", self.officer_fields["office"]),
                                    ("address", "Address (one line each)", self.officer_address),
                                    ("phone", "Phone", self.officer_fields["phone"]),
                                    ("secure_email", "Secure email", self.officer_fields["secure_email"])):
            self.officer_errors[name] = add_field(officer_form, label, editor)
        self.officer_box.hide()
        self.add_officer.toggled.connect(self._toggle_officer)
        self.reference = QLineEdit(self)
        self.consent = QLineEdit(self)
        self.consent.setPlaceholderText("dd/mm/yyyy, blank if not signed yet")
        self.hearings = QLineEdit(self)
        self.hearings.setPlaceholderText("dd/mm/yyyy, dd/mm/yyyy")
        for name, label, w in (("order_type", "&Type", self.kind), ("court", "&Court", self.court),
                               ("order_date", "Order &made", self.made), ("start_on", "&Start", self.start),
                               ("length_months", "&Length (months)", self.months),
                               ("frequency", "Appointments &required", self.frequency),
                               ("testing_required", "", self.testing),
                               ("officer_id", "Probation &officer", self.officer),
                               ("add_officer", "", self.add_officer), ("new_officer", "", self.officer_box),
                               ("probation_reference", "Probation reference", self.reference),
                               ("consent_signed_on", "Consent to share si&gned", self.consent),
                               ("hearings", "Review &hearings", self.hearings)):
            self.field(name, label, w)
        if order is not None:
            self.kind.setCurrentText(order.order_type)
            self.court.setText(order.court)
            self.made.setDate(_qdate(order.order_date))
            self.start.setDate(_qdate(order.start_on))
            self.months.setValue(order.length_months)
            self.frequency.setCurrentIndex(list(orders.FREQUENCIES).index(order.frequency))
            self.testing.setChecked(order.testing_required)
            if order.officer:
                self.officer.setCurrentIndex(max(0, self.officer.findData(order.officer.id)))
            self.reference.setText(order.probation_reference)
            self.consent.setText(uk_date(order.consent_signed_on) if order.consent_signed_on else "")
            self.hearings.setText(", ".join(uk_date(d) for d in order.hearings))
        self.kind.setFocus()

    def _toggle_officer(self, on: bool) -> None:
        self.officer_box.setVisible(on)
        self.officer.setEnabled(not on)
        self.adjustSize()
        if on:
            self.officer_fields["name"].setFocus()

    def failed(self, error: BaseException) -> None:
        field = getattr(error, "field", None)
        if self.add_officer.isChecked() and field in self.officer_errors:
            self.officer_errors[field].show_message(str(error))
            self.save_button.setEnabled(True)
            return
        super().failed(error)

    def clear_errors(self) -> None:
        super().clear_errors()
        for e in self.officer_errors.values():
            e.clear_message()

    def command(self) -> Callable[[UnitOfWork], object] | None:
        try:
            consent = parse_date(self.consent.text()) if self.consent.text().strip() else None
        except ValueError as exc:
            self.show_field_error("consent_signed_on", str(exc))
            return None
        try:
            hearings = tuple(parse_date(t) for t in self.hearings.text().split(",") if t.strip())
        except ValueError as exc:
            self.show_field_error("hearings", str(exc))
            return None
        contact = None
        if self.add_officer.isChecked():
            f = {k: e.text() for k, e in self.officer_fields.items()}
            contact = orders.ContactInput(f["name"], f["office"], self.officer_address.toPlainText().strip(),
                                          f["phone"], f["secure_email"])
        actor, order, officer_id = self.ctx.actor, self.order, self.officer.currentData()
        fields = dict(person_id=self.person_id, order_type=self.kind.currentText(), court=self.court.text(),
                      order_date=self.made.date().toPython(), length_months=self.months.value(),
                      start_on=self.start.date().toPython(), frequency=self.frequency.currentData(),
                      testing_required=self.testing.isChecked(), probation_reference=self.reference.text(),
                      consent_signed_on=consent, hearings=hearings)

        def work(uow: UnitOfWork) -> orders.OrderSaved:
            oid = orders.save_contact(uow, actor, contact).id if contact else officer_id
            cmd = orders.OrderInput(officer_id=oid, **fields)
            if order is None:
                return orders.add_order(uow, actor, cmd)
            return orders.update_order(uow, actor, order.id, order.version, cmd)
        return work


class OutcomeDialog(FormDialog):
    """Record what happened at one appointment under the order. The outcome
    starts unchosen (nothing is pre-filled); the service's refusal goes by
    the field it is about. ``result_value`` is the ``OutcomeRecorded``."""

    def __init__(self, ctx: AppContext, order_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Record attendance outcome", parent)
        self.setMinimumWidth(500)
        self.order_id = order_id
        today = ctx.clinic.clock.today()
        self.when = QDateTimeEdit(QDateTime(_qdate(today), QTime(10, 0)), self)
        self.when.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.when.setCalendarPopup(True)
        self.outcome = QComboBox(self)
        self.outcome.addItem("(choose)", None)
        for o, label in attendance.OUTCOME_LABELS.items():
            self.outcome.addItem(label, o.value)
        self.reason = QLineEdit(self)
        self.evidence = QLineEdit(self)
        self.field("occurred_at", "&Appointment", self.when)
        self.field("outcome", "&Outcome", self.outcome)
        self.field("absence_reason", "&Reason accepted", self.reason, hint="Needed for an acceptable absence")
        self.field("evidence_seen", "&Evidence seen", self.evidence)
        self.when.setFocus()

    def command(self) -> Callable[[UnitOfWork], object] | None:
        if self.outcome.currentData() is None:
            self.show_field_error("outcome", "Choose the outcome.")
            self.outcome.setFocus()
            return None
        actor = self.ctx.actor
        d, t = self.when.date(), self.when.time()
        cmd = attendance.RecordOutcome(self.order_id, datetime(d.year(), d.month(), d.day(), t.hour(), t.minute()),
                                       Outcome(self.outcome.currentData()), None, self.reason.text(),
                                       self.evidence.text())
        return probation_ops.record_outcome(actor, cmd)


class DrugTestDialog(FormDialog):
    """Record a drug test under the order. The result starts at "(choose)"
    and saving is refused until one is chosen (UI-19)."""

    def __init__(self, ctx: AppContext, order_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Record drug test", parent)
        self.order_id = order_id
        self.on = _date_edit(self, ctx.clinic.clock.today())
        self.substance = QLineEdit(self)
        self.result_choice = choice_box(((r.capitalize(), r) for r in attendance.TEST_RESULTS), self)
        self.field("tested_on", "&Date", self.on)
        self.field("substance", "&Substance", self.substance)
        self.field("result", "&Result", self.result_choice)
        self.on.setFocus()

    def command(self) -> Callable[[UnitOfWork], object] | None:
        result = chosen(self.result_choice)
        if result is None:
            self.show_field_error("result", "Choose the result.")
            self.result_choice.setFocus()
            return None
        actor = self.ctx.actor
        cmd = attendance.RecordDrugTest(self.order_id, date_of(self.on), self.substance.text(), result)
        return probation_ops.record_drug_test(actor, cmd)


class AmendOutcomeDialog(_Form):
    """Correct a recorded outcome. If the letter about it has gone, the
    service makes a corrected letter due that supersedes it (both stay
    filed); ``amended`` carries its ``OutcomeRecorded`` message."""

    amended = Signal(object)

    def __init__(self, ctx: AppContext, row: attendance.AttendanceRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Amend attendance outcome", parent)
        self.row = row
        self.when = QLabel(f"{uk_date_time(row.occurred_at)}, recorded as {row.label}",
                           self)
        self.outcome = QComboBox(self)
        for o, label in attendance.OUTCOME_LABELS.items():
            self.outcome.addItem(label, o.value)
        self.outcome.setCurrentIndex(self.outcome.findData(row.outcome.value))
        self.reason = QLineEdit(row.absence_reason, self)
        self.evidence = QLineEdit(row.evidence_seen, self)
        self.form.addRow("Appointment", self.when)
        self.outcome_error = add_field(self.form, "&Outcome", self.outcome)
        self.reason_error = add_field(self.form, "&Reason accepted", self.reason,
                                      hint="Needed for an acceptable absence")
        self.evidence_error = add_field(self.form, "&Evidence seen", self.evidence)
        self.form.addRow(HintLabel("If a letter about this appointment has already gone to Probation, saving "
                                   "makes a corrected letter due that supersedes it; both stay filed.", self))
        self.finish_layout()
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setDefault(True)
        QWidget.setTabOrder(self.outcome, self.reason)
        QWidget.setTabOrder(self.reason, self.evidence)
        self.outcome.setFocus()

    def save(self) -> None:
        for e in (self.outcome_error, self.reason_error, self.evidence_error):
            e.clear_message()
        self.error.clear()
        row, outcome = self.row, Outcome(self.outcome.currentData())
        reason, evidence = self.reason.text().strip(), self.evidence.text().strip()
        if outcome is Outcome.ACCEPTABLE_ABSENCE and not reason:
            self.reason_error.show_message("Give the reason the absence was accepted.")
            self.reason.setFocus()
            self.adjustSize()  # make room for the message
            return
        if (outcome, reason, evidence) == (row.outcome, row.absence_reason, row.evidence_seen):
            self.outcome_error.show_message("Nothing has changed: choose the corrected outcome.")
            self.outcome.setFocus()
            self.adjustSize()
            return
        actor = self.ctx.actor
        cmd = attendance.AmendOutcome(row.id, row.version, outcome, reason, evidence)
        self.ctx.write(self, probation_ops.amend_outcome(actor, cmd)).on_success(
            self._done).on_failure(
            lambda e: self.error.setText(str(e)) if isinstance(e, ValueError) else self.ctx.show_error(self, e)
        ).start()

    def _done(self, result: attendance.OutcomeRecorded) -> None:
        self.amended.emit(result)
        self.accept()


__all__ = ["AmendOutcomeDialog", "DrugTestDialog", "OrderDialog", "OutcomeDialog"]
