"""Naloxone: kits received into stock, a kit supplied, a kit reported used, training given.

Every choice that is a fact about the person (who took the kit, why, was an
ambulance called, did they survive) starts empty and saving is refused
until it is chosen (``clinic.services.harm_reduction.naloxone`` names the field).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit, QSpinBox, QWidget

from clinic import naloxone as rules
from clinic.services.harm_reduction import record as harm_reduction
from clinic.services.harm_reduction import naloxone as svc
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.counter.widgets import choice
from ui.operations import counter as counter_ops
from ui.widgets.form_dialog import FormDialog
from ui.widgets.write_dialog import date_edit, date_of


class ReceiveKitsDialog(FormDialog):
    def __init__(self, ctx: AppContext, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Naloxone kits received", parent)
        self.setMinimumWidth(420)
        self.product = QLineEdit("Prenoxad 1mg/ml")
        self.batch = QLineEdit()
        self.expires = date_edit(today + timedelta(days=730))
        self.quantity = QSpinBox()
        self.quantity.setRange(0, 10_000)
        self.received = date_edit(today, maximum=today)
        self.field("product", "&Product", self.product)
        self.field("batch_number", "&Batch number", self.batch)
        self.field("expires_on", "&Expires", self.expires)
        self.field("quantity", "&Kits received", self.quantity)
        self.field("received_on", "&Received on", self.received)
        self.batch.setFocus()

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        cmd = svc.ReceiveKits(self.product.text(), self.batch.text(), date_of(self.expires), self.quantity.value(),
                              date_of(self.received))
        actor = self.ctx.actor
        return counter_ops.receive_kits(actor, cmd)


class SupplyKitDialog(FormDialog):
    """``batches``: the stock to choose from (expired ones are listed, and refused)."""

    def __init__(self, ctx: AppContext, person_id: int, batches: Sequence[svc.Batch], today: date, *,
                 reason: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Supply a naloxone kit", parent)
        self.setMinimumWidth(640)
        self.person_id = person_id
        self.batch = QComboBox()
        self.batch.addItem("", None)
        for b in batches:
            self.batch.addItem(("EXPIRED — " if b.expired else "") + b.picker_label, b.id)
        self.recipient = choice(rules.RECIPIENTS)
        self.carer = QLineEdit()
        self.reason = choice(rules.REASONS, preset=reason)
        self.on = date_edit(today, maximum=today)
        self.field("batch", "&Batch", self.batch, hint="" if batches else "No kits in stock: receive some first.")
        self.field("recipient", "Given &to", self.recipient)
        self.field("carer_name", "&Carer's name", self.carer, hint="When a carer or family member takes it")
        self.field("reason", "&Reason", self.reason)
        self.field("supplied_on", "&Date", self.on)
        self.batch.setFocus()

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        cmd = svc.SupplyKit(self.person_id, self.batch.currentData(), date_of(self.on), self.recipient.currentData(),
                            self.reason.currentData(), self.carer.text())
        actor = self.ctx.actor
        return counter_ops.supply_kit(actor, cmd)


def open_supply(ctx: AppContext, person_id: int, parent: QWidget, opened: Callable[[QDialog], None]) -> None:
    """Open the supply dialog for a person from another screen (the OST tab
    after a high overdose risk, through ``ui.shell.person_actions``)."""
    actor = ctx.actor

    def show(batches: list[svc.Batch]) -> None:
        dialog = SupplyKitDialog(ctx, person_id, batches, ctx.clinic.clock.today(), parent=parent)
        dialog.open()
        opened(dialog)

    ctx.query(parent, lambda uow: svc.kit_stock(uow, actor)).on_success(show).start()


class ReportUsedDialog(FormDialog):
    def __init__(self, ctx: AppContext, kits: Sequence[harm_reduction.HeldKit], today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Naloxone kit used", parent)
        self.setMinimumWidth(560)
        self.kit = QComboBox()
        if len(kits) != 1:
            self.kit.addItem("", None)
        for k in kits:
            self.kit.addItem(k.label, k.supply_id)
        self.on = date_edit(today, maximum=today)
        self.ambulance = QComboBox()
        for label, value in (("", None), ("Yes", True), ("No", False)):
            self.ambulance.addItem(label, value)
        self.outcome = choice(rules.OUTCOMES)
        self.note = QLineEdit()
        self.field("kit", "&Kit", self.kit)
        self.field("used_on", "&Used on", self.on)
        self.field("ambulance", "&Ambulance called", self.ambulance)
        self.field("outcome", "&Outcome", self.outcome, hint="Did the person it was used on survive?")
        self.field("note", "&Note", self.note)
        self.kit.setFocus()

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        cmd = svc.ReportUsed(self.kit.currentData(), date_of(self.on), self.ambulance.currentData(),
                             self.outcome.currentData(), self.note.text())
        actor = self.ctx.actor
        return counter_ops.report_used(actor, cmd)


class TrainingDialog(FormDialog):
    def __init__(self, ctx: AppContext, person_id: int, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Overdose-awareness training", parent)
        self.person_id = person_id
        self.trainee = choice(rules.TRAINED)
        self.carer = QLineEdit()
        self.on = date_edit(today, maximum=today)
        self.field("trainee", "&Trained", self.trainee)
        self.field("carer_name", "&Carer's name", self.carer)
        self.field("trained_on", "&Date", self.on)
        self.trainee.setFocus()

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        cmd = svc.RecordTraining(self.person_id, date_of(self.on), self.trainee.currentData(), self.carer.text())
        actor = self.ctx.actor
        return counter_ops.record_training(actor, cmd)
