"""Dialogs for the household: a child, a child no longer there, pregnancy,
the hidden-harm review and the early-help offer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from clinic.safeguarding import AgeBand, ChildProtection, Lives
from clinic.services.safeguarding import household as svc
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import safeguarding as safeguarding_ops
from ui.safeguarding.fields import choice_box, enum_box
from ui.widgets.date_range import OptionalDateEdit
from ui.widgets.form_dialog import FormDialog
from ui.widgets.write_dialog import date_edit, date_of


class ChildDialog(FormDialog):
    """A child who lives with the person or visits: first name or initials only."""

    def __init__(self, ctx: AppContext, person_id: int, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Child in the household", parent)
        self.person_id = person_id
        self.name = QLineEdit()
        self.name.setMaxLength(40)
        self.lives = enum_box(Lives)
        self.age_band = enum_box(AgeBand)
        self.date_of_birth = OptionalDateEdit("not known")
        self.date_of_birth.setMaximumDate(QDate(today.year, today.month, today.day))
        self.protection = enum_box(ChildProtection)
        self.social_worker = QLineEdit()
        self.social_worker.setMaxLength(200)
        self.recorded_on = date_edit(today, maximum=today)
        self.field("name", "First name or &initials", self.name, hint="Never the full name")
        self.field("lives", "&Lives with them or visits", self.lives)
        self.field("age_band", "&Age band", self.age_band, hint="Or give the date of birth")
        self.field("date_of_birth", "Date of &birth", self.date_of_birth)
        self.field("protection", "Child-&protection status", self.protection)
        self.field("social_worker", "&Social worker", self.social_worker, hint="Name and phone, if any")
        self.field("recorded_on", "&Recorded on", self.recorded_on)

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        cmd = svc.RecordChild(self.person_id, self.name.text(), self.lives.currentData(),
                              self.protection.currentData(), date_of(self.recorded_on),
                              self.date_of_birth.value(), self.age_band.currentData(), self.social_worker.text())
        actor = self.ctx.actor
        return safeguarding_ops.add_child(actor, cmd)


class RemoveChildDialog(FormDialog):
    def __init__(self, ctx: AppContext, child: svc.ChildRow, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"{child.name} no longer lives there or visits", parent)
        self.child = child
        self.removed_on = date_edit(today, maximum=today)
        self.reason = QLineEdit()
        self.reason.setMaxLength(200)
        self.field("removed_on", "&Date", self.removed_on)
        self.field("reason", "&Reason", self.reason, hint="For example: moved with the other parent")

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        cmd = svc.RemoveChild(self.child.id, self.child.version, date_of(self.removed_on), self.reason.text())
        actor = self.ctx.actor
        return safeguarding_ops.remove_child(actor, cmd)


class PregnancyDialog(FormDialog):
    def __init__(self, ctx: AppContext, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Pregnancy", parent)
        self.person_id = person_id
        self.pregnant = choice_box((("Pregnant", "yes"), ("Not pregnant", "no")))
        self.expected_on = OptionalDateEdit("not known")
        self.antenatal = QLineEdit()
        self.antenatal.setMaxLength(200)
        self.field("pregnant", "&Pregnant", self.pregnant)
        self.field("expected_on", "&Expected date of delivery", self.expected_on)
        self.field("antenatal", "&Antenatal link", self.antenatal, hint="Midwife or antenatal clinic, and phone")

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        if not self.pregnant.currentData():
            self.show_field_error("pregnant", "Choose whether she is pregnant.")
            return None
        cmd = svc.RecordPregnancy(self.person_id, self.pregnant.currentData() == "yes", self.expected_on.value(),
                                  self.antenatal.text())
        actor = self.ctx.actor
        return safeguarding_ops.record_pregnancy(actor, cmd)


class HiddenHarmDialog(FormDialog):
    def __init__(self, ctx: AppContext, person_id: int, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Hidden-harm review", parent)
        self.person_id = person_id
        self.reviewed_on = date_edit(today, maximum=today)
        self.field("reviewed_on", "The children's situation &reviewed on", self.reviewed_on)

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        cmd, actor = svc.RecordHiddenHarmReview(self.person_id, date_of(self.reviewed_on)), self.ctx.actor
        return safeguarding_ops.record_hidden_harm_review(actor, cmd)


class EarlyHelpDialog(FormDialog):
    def __init__(self, ctx: AppContext, person_id: int, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Children's Centre / early-help offer", parent)
        self.person_id = person_id
        self.offered_on = date_edit(today, maximum=today)
        self.outcome: QComboBox = choice_box((label, key) for key, label in svc.EARLY_HELP_OUTCOMES.items())
        self.field("offered_on", "&Offered on", self.offered_on)
        self.field("outcome", "&Answer", self.outcome)

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        cmd = svc.RecordEarlyHelp(self.person_id, date_of(self.offered_on), self.outcome.currentData())
        actor = self.ctx.actor
        return safeguarding_ops.record_early_help(actor, cmd)
