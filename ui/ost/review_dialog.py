"""Record an OST review: the structured form (issue 10)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QPlainTextEdit, QWidget

from clinic.services.ost import reviews as svc
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import ost as ost_ops
from ui.widgets.form_dialog import FormDialog
from ui.widgets.write_dialog import date_edit, date_of


def _combo(choices: dict[str, str]) -> QComboBox:
    box = QComboBox()
    box.addItem("(choose)", None)
    for key, label in choices.items():
        box.addItem(label, key)
    return box


class ReviewDialog(FormDialog):
    def __init__(self, ctx: AppContext, person_id: int, today: date, *, review_months: int = 3,
                 children_in_household: bool = False, box_held: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Record OST review", parent)
        self.person_id = person_id
        self.reviewed_on = date_edit(today, maximum=today)
        self.attendance = _combo(svc.ATTENDANCE)
        self.dose_adequacy = _combo(svc.DOSE_ADEQUACY)
        self.on_top_use = QCheckBox("Using on top")
        self.on_top_substances = QLineEdit()
        self.on_top_substances.setPlaceholderText("Substances, e.g. heroin, crack, benzodiazepines, alcohol")
        self.on_top_substances.setEnabled(False)
        self.on_top_use.toggled.connect(self.on_top_substances.setEnabled)
        self.injecting = QCheckBox("Injecting")
        self.supervision = _combo(svc.SUPERVISION)
        self.supervision_reason = QLineEdit()
        self.supervision_reason.setPlaceholderText("Reason (needed unless continuing as now)")
        self.children_check = QCheckBox("Children in household")
        self.children_check.setChecked(children_in_household)
        self.box_issued = QCheckBox("Box issued")
        self.box_issued.setChecked(box_held)
        self.box_seen = QCheckBox("Box seen")
        self.overdose_risk = _combo(svc.OVERDOSE_RISK)
        self.naloxone = QCheckBox("Naloxone held")
        self.plan = QPlainTextEdit()
        self.plan.setTabChangesFocus(True)
        self.plan.setFixedHeight(70)
        self.next_review = date_edit(today + relativedelta(months=review_months))
        self._review_months = review_months
        self.reviewed_on.dateChanged.connect(self._default_next)
        storage = QWidget()
        row = QHBoxLayout(storage)
        row.setContentsMargins(0, 0, 0, 0)
        for w in (self.children_check, self.box_issued, self.box_seen):
            row.addWidget(w)
        use = QWidget()
        use_row = QHBoxLayout(use)
        use_row.setContentsMargins(0, 0, 0, 0)
        use_row.addWidget(self.on_top_use)
        use_row.addWidget(self.on_top_substances, 1)
        use.setFocusProxy(self.on_top_substances)  # its refusal puts the cursor in the substances
        self.field("reviewed_on", "Review &date", self.reviewed_on)
        self.field("attendance", "&Attendance since last review", self.attendance)
        self.field("dose_adequacy", "Dose ade&quacy", self.dose_adequacy)
        self.field("on_top_substances", "On-top use", use)
        self.form.addRow("", self.injecting)
        self.field("supervision_decision", "&Supervised consumption", self.supervision)
        self.field("supervision_reason", "&Reason", self.supervision_reason)
        self.form.addRow("Safe storage check", storage)
        self.field("overdose_risk", "&Overdose risk", self.overdose_risk)
        self.form.addRow("", self.naloxone)
        self.field("agreed_plan", "Agreed &plan", self.plan)
        self.field("next_review_on", "Ne&xt review", self.next_review)
        self.setMinimumWidth(560)

    def _default_next(self) -> None:
        d = date_of(self.reviewed_on) + relativedelta(months=self._review_months)
        self.next_review.setDate(date_edit(d).date())

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        answers = {"attendance": self.attendance, "dose_adequacy": self.dose_adequacy,
                   "supervision_decision": self.supervision, "overdose_risk": self.overdose_risk}
        missing = [name for name, box in answers.items() if box.currentData() is None]
        for name in missing:  # every answer still to choose, each by its list
            self.show_field_error(name, svc.choose_message(name))
        if missing:
            self.editors[missing[0]].setFocus()
            return None
        cmd = svc.RecordReview(
            person_id=self.person_id, reviewed_on=date_of(self.reviewed_on), attendance=self.attendance.currentData(),
            dose_adequacy=self.dose_adequacy.currentData(), on_top_use=self.on_top_use.isChecked(),
            on_top_substances=self.on_top_substances.text(), injecting=self.injecting.isChecked(),
            supervision_decision=self.supervision.currentData(), supervision_reason=self.supervision_reason.text(),
            children_in_household=self.children_check.isChecked(), box_issued=self.box_issued.isChecked(),
            box_seen=self.box_seen.isChecked(), overdose_risk=self.overdose_risk.currentData(),
            naloxone_held=self.naloxone.isChecked(), agreed_plan=self.plan.toPlainText(),
            next_review_on=date_of(self.next_review))
        actor = self.ctx.actor
        return ost_ops.record_review(actor, cmd)
