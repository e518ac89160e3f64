"""AUDIT-C, leading to the full AUDIT when positive; brief interventions.

No answer is pre-filled: each question starts empty. The AUDIT-C score is
shown as the three answers are chosen; at 5 or more the remaining seven
questions appear and must be answered before the screen saves.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from clinic import alcohol
from clinic.services.harm_reduction import alcohol as svc
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import counter as counter_ops
from ui.widgets.form_dialog import FormDialog
from ui.widgets.write_dialog import date_edit, date_of


class AuditDialog(FormDialog):
    def __init__(self, ctx: AppContext, person_id: int, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Alcohol screen (AUDIT-C / AUDIT)", parent)
        self.person_id = person_id
        self.on = date_edit(today, maximum=today)
        self.field("screened_on", "&Date", self.on)
        self.questions: list[QComboBox] = []
        self.question_rows: list[int] = []
        for number, (text, options) in enumerate(alcohol.QUESTIONS, start=1):
            combo = QComboBox()
            combo.addItem("", None)
            for score, answer in options:
                combo.addItem(f"{answer} ({score})", score)
            combo.setAccessibleName(f"Question {number}")
            self.questions.append(combo)
            self.field(f"q{number}", f"&{number % 10}. {text}", combo)
            row = self.form.rowCount() - 1
            self.question_rows.append(row)
            item = self.form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            if isinstance(label, QLabel):
                label.setWordWrap(True)
                label.setMaximumWidth(420)
        self.score = QLabel()
        self.score.setAccessibleName("score")
        self.form.addRow("", self.score)
        for combo in self.questions:
            combo.currentIndexChanged.connect(lambda _: self._update())
        self._update()
        self.questions[0].setFocus()

    @property
    def full_audit_shown(self) -> bool:
        return self.form.isRowVisible(self.question_rows[3])

    def _update(self) -> None:
        first = [c.currentData() for c in self.questions[:3]]
        positive = None not in first and alcohol.audit_c_positive(alcohol.audit_c_score(first))
        for row in self.question_rows[3:]:
            self.form.setRowVisible(row, positive)
        if None in first:
            self.score.setText("Answer questions 1 to 3 (AUDIT-C).")
            return
        c_score = alcohol.audit_c_score(first)
        text = f"AUDIT-C {c_score}: " + ("positive — complete the full AUDIT below." if positive else "negative.")
        rest = [c.currentData() for c in self.questions[3:]]
        if positive and None not in rest:
            score = alcohol.audit_score(first + rest)
            zone = alcohol.audit_zone(score)
            text += f"  AUDIT {score}: zone {zone} ({alcohol.ZONE_LABELS[zone]})."
        self.score.setText(text)

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        answers = [c.currentData() for c in self.questions]
        rest = tuple(answers[3:]) if self.full_audit_shown or any(a is not None for a in answers[3:]) else ()
        cmd = svc.RecordScreen(self.person_id, date_of(self.on), tuple(answers[:3]), rest)
        actor = self.ctx.actor
        return counter_ops.record_screen(actor, cmd)


class InterventionDialog(FormDialog):
    """``kind``: "alcohol" or "drug"."""

    def __init__(self, ctx: AppContext, person_id: int, kind: str, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"{kind.capitalize()} brief intervention", parent)
        self.person_id, self.kind = person_id, kind
        components = svc.ALCOHOL_COMPONENTS if kind == "alcohol" else svc.DRUG_COMPONENTS
        self.on = date_edit(today, maximum=today)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        self.components = {key: QCheckBox(label) for key, label in components.items()}
        for check in self.components.values():
            column.addWidget(check)
        self.minutes = QSpinBox()
        self.minutes.setRange(0, svc.MAX_MINUTES)
        self.minutes.setSpecialValueText("not recorded")
        self.minutes.setSuffix(" min")
        self.referral = QLineEdit()
        self.note = QLineEdit()
        self.field("given_on", "&Date", self.on)
        self.field("components", "C&overed", box)
        self.field("duration", "D&uration", self.minutes)
        self.field("referral_to", "&Referred to", self.referral)
        self.field("note", "&Note", self.note)
        next(iter(self.components.values())).setFocus()

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        cmd = svc.RecordIntervention(self.person_id, date_of(self.on),
                                     tuple(k for k, c in self.components.items() if c.isChecked()),
                                     self.minutes.value() or None, self.referral.text(), self.note.text())
        actor, fn = self.ctx.actor, (counter_ops.record_alcohol_intervention if self.kind == "alcohol"
                                     else counter_ops.record_drug_intervention)
        return fn(actor, cmd)
