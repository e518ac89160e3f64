"""The probation officers letters go to: list, add, correct. An officer
with neither a postal address nor a secure email cannot be sent letters, so
the list says so beside their name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from clinic.changes import Changes
from clinic.permissions import Actor, Permission
from clinic.services.probation import orders
from clinic.services.probation.common import AREA
from clinic.uow import UnitOfWork
from ui.operations import probation as probation_ops, then
from ui.context import AppContext
from ui.widgets.list_editor import ListEditor, set_text, text_of

FIELDS = ("name", "office", "address", "phone", "secure_email")


@dataclass(frozen=True)
class _Saved:
    contact: orders.ContactSummary
    message: str
    #: Orders and letters show the officer, so the probation screens reload.
    changes: Changes = field(default_factory=lambda: Changes.of(AREA))


class ContactsDialog(ListEditor):
    """``ContactsDialog(ctx, parent)``; editing needs ``PROBATION_WRITE``."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Probation officers", noun="officer",
                         writable=ctx.can(Permission.PROBATION_WRITE), parent=parent)
        for key, label, editor, hint in (
                ("name", "&Name", QLineEdit(), ""),
                ("office", "&Office", QLineEdit(), "e.g. Exampletown Probation Delivery Unit"),
                ("address", "&Address", QPlainTextEdit(), "One line per line of the address"),
                ("phone", "&Phone", QLineEdit(), ""),
                ("secure_email", "Secure &email", QLineEdit(), "Letters need an address or a secure email")):
            self.field(key, label, editor, hint=hint)
        self.start()

    def read(self, uow: UnitOfWork, actor: Actor) -> list[orders.ContactSummary]:
        return orders.list_contacts(uow, actor)

    def label_of(self, row: orders.ContactSummary) -> str:
        return row.label + ("" if row.reachable else "  — no address or email")

    def show_row(self, row: orders.ContactSummary | None) -> None:
        for key in FIELDS:
            set_text(self.editors[key], getattr(row, key) if row else "")

    def _values(self) -> dict[str, str]:
        return {key: text_of(self.editors[key]).strip() for key in FIELDS}

    def validate(self) -> dict[str, str]:
        values, problems = self._values(), {}
        if not values["name"]:
            problems["name"] = "Enter the probation officer's name."
        if values["secure_email"] and "@" not in values["secure_email"]:
            problems["secure_email"] = "The secure email address does not look right."
        return problems

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        actor, values, was = self.ctx.actor, self._values(), self.current
        cmd = orders.ContactInput(**values)
        if was is None:
            return then(probation_ops.save_contact(actor, cmd), lambda contact: _Saved(contact, "Added."))
        if all(getattr(was, k) == v for k, v in values.items()):
            return None
        return then(probation_ops.save_contact(actor, cmd, contact_id=was.id, version=was.version),
                    lambda contact: _Saved(contact, "Saved."))

    def saved_id(self, result: _Saved) -> int:
        return result.contact.id
