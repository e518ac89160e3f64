"""The dispensing pharmacies: list, add, correct, retire. A pharmacy is
never deleted; a retired one stays on the prescriptions, reviews and
letters that name it and is no longer offered for new prescriptions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QPushButton, QWidget

from clinic.permissions import Actor, Permission
from clinic.services.ost import prescriptions as svc
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import ost as ost_ops
from ui.widgets.list_editor import ListEditor, set_text, text_of

FIELDS = ("name", "address", "phone", "fax", "secure_email")


class PharmaciesDialog(ListEditor):
    """``PharmaciesDialog(ctx, parent)``; editing needs ``OST_WRITE``."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Dispensing pharmacies", noun="pharmacy",
                         writable=ctx.can(Permission.OST_WRITE), parent=parent)
        for key, label, editor, hint in (
                ("name", "&Name", QLineEdit(), ""),
                ("address", "&Address", QPlainTextEdit(), "One line per line of the address"),
                ("phone", "&Phone", QLineEdit(), ""),
                ("fax", "&Fax", QLineEdit(), ""),
                ("secure_email", "Secure &email", QLineEdit(), "nhs.net or another secure address")):
            self.field(key, label, editor, hint=hint)
        self.retire_button = QPushButton("Re&tire…")
        self.retire_button.setVisible(self.writable)
        self.retire_button.clicked.connect(self.retire)
        self.button_row.insertWidget(1, self.retire_button)
        self._confirming: int | None = None
        self.start()

    def read(self, uow: UnitOfWork, actor: Actor) -> list[svc.PharmacyRow]:
        return svc.pharmacies(uow, actor, include_retired=True)

    def label_of(self, row: svc.PharmacyRow) -> str:
        return row.name + ("" if row.active else "  (retired)")

    def show_row(self, row: svc.PharmacyRow | None) -> None:
        for key in FIELDS:
            set_text(self.editors[key], getattr(row, key) if row else "")
        self._confirming = None
        self.retire_button.setText("Re&tire…")

    def _enable(self) -> None:
        self.retire_button.setEnabled(self.current is not None and self.current.active)

    def _values(self) -> dict[str, str]:
        return {key: text_of(self.editors[key]).strip() for key in FIELDS}

    def validate(self) -> dict[str, str]:
        values, problems = self._values(), {}
        if not values["name"]:
            problems["name"] = "Enter the pharmacy's name."
        if values["secure_email"] and "@" not in values["secure_email"]:
            problems["secure_email"] = "The secure email address does not look right."
        return problems

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        actor, values, was = self.ctx.actor, self._values(), self.current
        if was is None:
            add = svc.AddPharmacy(**values)
            return ost_ops.add_pharmacy(actor, add)
        if all(getattr(was, k) == v for k, v in values.items()):
            return None
        update = svc.UpdatePharmacy(was.id, **values, was=was)
        return ost_ops.update_pharmacy(actor, update)

    def saved_id(self, result: svc.PharmacySaved) -> int:
        return result.pharmacy.id

    def retire(self) -> None:
        """First press says what retiring means (and who is dispensed
        there); the second, on the same pharmacy, retires it."""
        if self.current is None or not self.current.active:
            return
        self._clear_errors()
        cmd = svc.RetirePharmacy(self.current.id, confirm=self._confirming == self.current.id)
        actor, pharmacy_id = self.ctx.actor, self.current.id

        def asked(error: BaseException) -> None:
            if isinstance(error, svc.RetireNeedsConfirmation):
                self._confirming = pharmacy_id
                self.retire_button.setText("Confirm re&tire")
                self.retire_button.setEnabled(True)
                self.status.setText(str(error))
                self.retire_button.setFocus()
            else:
                self._enable()
                self.refused(error)

        self.retire_button.setEnabled(False)
        self.ctx.write(self, ost_ops.retire_pharmacy(actor, cmd)).on_success(
            self._saved).on_failure(asked).start()
