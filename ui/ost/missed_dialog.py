"""Record missed doses reported by the pharmacy, and the prescriber's decision."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QWidget

from clinic.errors import Refused
from clinic.services.ost import missed as svc
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import ost as ost_ops
from ui.widgets.form_dialog import FormDialog
from ui.widgets.choice import choice_box, chosen
from ui.widgets.write_dialog import date_edit, date_of


class MissedDoseDialog(FormDialog):
    """Missed days as a run: the first day missed and how many days in a row.
    The first day is the ``days`` field: what the service says about a day
    missed is said there."""

    def __init__(self, ctx: AppContext, person_id: int, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Record missed doses", parent)
        self.person_id = person_id
        self.first_day = date_edit(today - timedelta(days=1), maximum=today)
        self.days = QSpinBox()
        self.days.setRange(1, 14)
        self.days.setSuffix(" day in a row")
        self.days.valueChanged.connect(lambda n: self.days.setSuffix(" day in a row" if n == 1 else " days in a row"))
        self.reported_by = QComboBox()
        for key, label in svc.REPORTERS.items():
            self.reported_by.addItem(label, key)
        self.reporter = QLineEdit()
        self.reporter.setPlaceholderText("Pharmacy or caller name")
        self.field("days", "&First day missed", self.first_day)
        self.field("days_in_a_row", "&Days missed", self.days)
        self.field("reported_by", "&Reported by", self.reported_by)
        self.field("reporter_name", "&Name", self.reporter)

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        first = date_of(self.first_day)
        cmd = svc.RecordMissedDoses(self.person_id, tuple(first + timedelta(days=i) for i in range(self.days.value())),
                                    self.reported_by.currentData(), self.reporter.text())
        actor = self.ctx.actor
        return ost_ops.record_missed_doses(actor, cmd)


class DecisionDialog(FormDialog):
    def __init__(self, ctx: AppContext, person_id: int, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Prescriber decision after missed doses", parent)
        self.person_id = person_id
        self.decided_on = date_edit(today, maximum=today)
        self.decision = choice_box((label, key) for key, label in svc.DECISIONS.items())  # never pre-filled (UI-19)
        self.note = QLineEdit()
        self.note.setPlaceholderText("What the pharmacy and the person are told")
        self.field("decided_on", "&Date", self.decided_on)
        self.field("decision", "D&ecision", self.decision)
        self.field("note", "&Note", self.note, hint="Needed unless continuing at the same dose")

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        if chosen(self.decision) is None:
            raise Refused(svc.CHOOSE_DECISION, field="decision")
        cmd = svc.RecordDecision(self.person_id, date_of(self.decided_on), self.decision.currentData(),
                                 self.note.text())
        actor = self.ctx.actor
        return ost_ops.record_decision(actor, cmd)
