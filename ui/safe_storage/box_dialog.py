"""Issue, return, lose or replace a safe-storage box."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from clinic.services import safe_storage as svc
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import safe_storage as safe_storage_ops
from ui.widgets.choice import choice_box, chosen
from ui.widgets.form_dialog import FormDialog
from ui.widgets.write_dialog import date_edit, date_of

TITLES = {"issue": "Issue a safe-storage box", "return": "Box returned", "lost": "Box lost",
          "replace": "Replace a box"}
#: The command field the date fills, for each kind (so a refusal of the date is said by it).
DATE_FIELDS = {"issue": "issued_on", "return": "returned_on", "lost": "lost_on", "replace": "replaced_on"}


class BoxDialog(FormDialog):
    """``kind`` is issue, return, lost or replace. ``in_stock`` fills the box
    choices for issuing; ``held`` the person's boxes for the others."""

    def __init__(self, ctx: AppContext, kind: str, person_id: int, today: date, *, in_stock: tuple[str, ...] = (),
                 held: tuple[str, ...] = (), parent: QWidget | None = None) -> None:
        super().__init__(ctx, TITLES[kind], parent)
        self.setMinimumWidth(460)
        self.kind, self.person_id = kind, person_id
        self.box = QComboBox()
        self.box.setEditable(True)
        self.box.addItems(list(in_stock if kind == "issue" else held))
        self.on = date_edit(today, maximum=today)
        self.field("box_number", "&Box number", self.box)
        self.field(DATE_FIELDS[kind], "&Date", self.on)
        self.reason = choice_box((label, key) for key, label in svc.REASONS.items())  # never pre-filled (UI-19)
        self.note = QLineEdit()
        self.advice = QCheckBox("Verbal and written &advice on safe storage and disposal given")
        self.new_box = QComboBox()
        self.old_returned = QCheckBox("Old box &handed back")
        if kind == "issue":
            self.field("reason", "&Reason", self.reason)
            self.field("reason_note", "&Note", self.note, hint="Needed when the reason is Other")
            self.field("advice_given", "", self.advice)
        elif kind == "replace":
            self.new_box.setEditable(True)
            self.new_box.addItems(list(in_stock))
            self.field("new_box_number", "&New box", self.new_box)
            self.field("old_box_returned", "", self.old_returned)
            self.field("advice_given", "", self.advice)
            self.field("note", "N&ote", self.note)
        elif kind == "lost":
            self.field("note", "&Note", self.note)

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        number, on, actor = self.box.currentText(), date_of(self.on), self.ctx.actor
        if self.kind == "issue":
            issue = svc.IssueBox(self.person_id, number, on, chosen(self.reason) or "", self.advice.isChecked(),
                                 self.note.text())
            return safe_storage_ops.issue_box(actor, issue)
        if self.kind == "return":
            ret = svc.ReturnBox(number, on)
            return safe_storage_ops.return_box(actor, ret)
        if self.kind == "lost":
            lost = svc.LoseBox(number, on, self.note.text())
            return safe_storage_ops.lose_box(actor, lost)
        rep = svc.ReplaceBox(number, self.new_box.currentText(), on, self.old_returned.isChecked(),
                             self.advice.isChecked(), self.note.text())
        return safe_storage_ops.replace_box(actor, rep)
