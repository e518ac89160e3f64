"""Dialogs for safeguarding flags: raise, review, close (with a reason)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from clinic.safeguarding import FlagKind
from clinic.services.safeguarding import flags as svc
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import safeguarding as safeguarding_ops
from ui.safeguarding.fields import enum_box
from ui.widgets.date_range import OptionalDateEdit
from ui.widgets.form_dialog import FormDialog
from ui.widgets.write_dialog import date_edit, date_of


class RaiseFlagDialog(FormDialog):
    def __init__(self, ctx: AppContext, person_id: int, today: date, review_months: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Raise a safeguarding flag", parent)
        self.person_id = person_id
        self.kind = enum_box(FlagKind)
        self.raised_on = date_edit(today, maximum=today)
        self.review_on = date_edit(today + relativedelta(months=review_months))
        self.marac_on = OptionalDateEdit("none")
        self.detail = QPlainTextEdit()
        self.detail.setTabChangesFocus(True)
        self.detail.setMaximumHeight(90)
        self.field("kind", "&Kind", self.kind)
        self.field("raised_on", "&Raised on", self.raised_on)
        self.field("review_on", "Re&view on", self.review_on)
        self.field("marac_on", "&MARAC referral", self.marac_on, hint="Domestic abuse only")
        self.field("detail", "&Detail", self.detail, hint="Seen only by nurses, prescribers and safeguarding leads")

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        cmd = svc.RaiseFlag(self.person_id, self.kind.currentData(), date_of(self.raised_on),
                            date_of(self.review_on), self.detail.toPlainText(), self.marac_on.value())
        actor = self.ctx.actor
        return safeguarding_ops.raise_flag(actor, cmd)


class ReviewFlagDialog(FormDialog):
    def __init__(self, ctx: AppContext, flag: svc.FlagRow, today: date, review_months: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"Review: {flag.label}", parent)
        self.flag = flag
        self.next_review_on = date_edit(today + relativedelta(months=review_months))
        self.field("next_review_on", "Still in force: &next review on", self.next_review_on)

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        cmd = svc.ReviewFlag(self.flag.id, self.flag.version, date_of(self.next_review_on))
        actor = self.ctx.actor
        return safeguarding_ops.review_flag(actor, cmd)


class CloseFlagDialog(FormDialog):
    def __init__(self, ctx: AppContext, flag: svc.FlagRow, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"Close: {flag.label}", parent)
        self.flag = flag
        self.closed_on = date_edit(today, maximum=today)
        self.reason = QLineEdit()
        self.reason.setMaxLength(500)
        self.field("closed_on", "&Closed on", self.closed_on)
        self.field("reason", "&Reason", self.reason, hint="Why the flag no longer applies")

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        cmd = svc.CloseFlag(self.flag.id, self.flag.version, date_of(self.closed_on), self.reason.text())
        actor = self.ctx.actor
        return safeguarding_ops.close_flag(actor, cmd)
