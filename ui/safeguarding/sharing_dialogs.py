"""Dialogs for sharing: the limits of confidentiality, a disclosure without
consent, and MASH / police information requests (consent to share itself is
``ui.widgets.consent_dialog``, shared with the Probation tab)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from clinic.safeguarding import RecipientKind, RequestSource, Urgency
from clinic.services.safeguarding import consent as consent_svc
from clinic.services.safeguarding import requests as requests_svc
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.safeguarding.fields import datetime_edit, datetime_of, enum_box
from ui.widgets.form_dialog import FormDialog
from ui.widgets.write_dialog import date_edit, date_of


def _text(height: int = 80) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setMaximumHeight(height)
    return edit


class LimitsDialog(FormDialog):
    def __init__(self, ctx: AppContext, person_id: int, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Limits of confidentiality explained", parent)
        self.person_id = person_id
        self.explained_on = date_edit(today, maximum=today)
        self.field("explained_on", "&Explained on", self.explained_on,
                   hint="What is shared, with whom, and when it may be shared without consent")

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        cmd = consent_svc.RecordLimitsExplained(self.person_id, date_of(self.explained_on))
        actor = self.ctx.actor
        return lambda uow: consent_svc.record_limits_explained(uow, actor, cmd)


class DisclosureDialog(FormDialog):
    def __init__(self, ctx: AppContext, person_id: int, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Shared without consent", parent)
        self.person_id = person_id
        self.recipient_kind = enum_box(RecipientKind)
        self.recipient = QLineEdit()
        self.recipient.setMaxLength(200)
        self.disclosed_on = date_edit(today, maximum=today)
        self.reason = _text()
        self.field("recipient_kind", "&Kind of recipient", self.recipient_kind)
        self.field("recipient", "Shared &with", self.recipient)
        self.field("disclosed_on", "&Date", self.disclosed_on)
        self.field("reason", "Why consent was &overridden", self.reason)

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        cmd = consent_svc.RecordDisclosure(self.person_id, self.recipient_kind.currentData(), self.recipient.text(),
                                           date_of(self.disclosed_on), self.reason.toPlainText())
        actor = self.ctx.actor
        return lambda uow: consent_svc.record_disclosure(uow, actor, cmd)


class RequestDialog(FormDialog):
    """Log a MASH or police request: its due time is worked out on saving."""

    def __init__(self, ctx: AppContext, person_id: int, now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Information request", parent)
        self.person_id = person_id
        self.source = enum_box(RequestSource)
        self.requester = QLineEdit()
        self.requester.setMaxLength(200)
        self.received_at = datetime_edit(now)
        self.urgency = enum_box(Urgency)
        self.field("source", "&From", self.source)
        self.field("requester", "&Who asked", self.requester, hint="Name, team and phone")
        self.field("received_at", "&Received", self.received_at)
        self.field("urgency", "&Urgency", self.urgency, hint="Urgent: answer within 2 hours")

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        cmd = requests_svc.LogRequest(self.person_id, self.source.currentData(), self.requester.text(),
                                      datetime_of(self.received_at), self.urgency.currentData())
        actor = self.ctx.actor
        return lambda uow: requests_svc.log_request(uow, actor, cmd)


class AnswerDialog(FormDialog):
    def __init__(self, ctx: AppContext, request: requests_svc.RequestRow, now: datetime,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"Answer the {request.source.label} request", parent)
        self.request = request
        self.answered_at = datetime_edit(now)
        self.shared = _text()
        self.legal_basis = QLineEdit()
        self.legal_basis.setMaxLength(200)
        self.override_reason = _text(60)
        self.field("answered_at", "&Answered", self.answered_at)
        self.field("shared", "What was &shared", self.shared)
        self.field("legal_basis", "&Legal basis", self.legal_basis, hint="For example: Children Act 1989 s47")
        self.field("override_reason", "Why &without consent", self.override_reason,
                   hint="Needed when the person has not consented to this recipient")

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        cmd = requests_svc.AnswerRequest(self.request.id, self.request.version, datetime_of(self.answered_at),
                                         self.shared.toPlainText(), self.legal_basis.text(),
                                         self.override_reason.toPlainText())
        actor = self.ctx.actor
        return lambda uow: requests_svc.answer_request(uow, actor, cmd)
