"""Record a hepatitis B vaccination offer and the person's answer, dated.
What happened starts unchosen; a decline needs the person's reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from clinic.services.vaccination import offers
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import vaccination as vaccination_ops
from ui.widgets.form_dialog import FormDialog
from ui.widgets.write_dialog import date_edit, date_of


class OfferDialog(FormDialog):
    def __init__(self, ctx: AppContext, person_id: int, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Hepatitis B vaccination offer", parent)
        self.setMinimumWidth(520)
        self.person_id = person_id
        self.what_happened = QComboBox(self)
        self.what_happened.addItem("(choose)", None)
        for key, label in offers.EVENTS.items():
            self.what_happened.addItem(label, key)
        self.on = date_edit(today, maximum=today)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("In their words, e.g. \u201cscared of needles\u201d")
        self.field("event", "&What happened", self.what_happened)
        self.field("event_on", "&Date", self.on)
        self.field("reason", "&Reason for declining", self.reason, hint="Only when they declined")
        self.what_happened.currentIndexChanged.connect(
            lambda *_: self.reason.setEnabled(self.what_happened.currentData() not in ("accepted", "offered")))
        self.what_happened.setFocus()

    def command(self) -> Callable[[UnitOfWork], offers.OfferSaved] | None:
        event = self.what_happened.currentData()
        if event is None:
            self.show_field_error("event", "Choose what happened: offered, accepted or declined.")
            return None
        actor = self.ctx.actor
        cmd = offers.RecordOffer(self.person_id, event, date_of(self.on), self.reason.text())
        return vaccination_ops.record_offer(actor, cmd)
