"""Dialogs for referrals out: make one, record its outcome, and the
referral letter (preview, print or save as PDF, then filed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic.bbv import Virus
from clinic.safeguarding import ConsentDecision, ReferralKind, ReferralOutcome
from clinic.services.letters import writing as letter_writing
from clinic.services.safeguarding import referrals as svc
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import safeguarding as safeguarding_ops
from ui.output import export, printing
from ui.output.preview import PdfPreview
from ui.safeguarding.fields import choice_box, enum_box
from ui.widgets.form_dialog import FormDialog
from ui.widgets.write_dialog import date_edit, date_of


class ReferDialog(FormDialog):
    def __init__(self, ctx: AppContext, person_id: int, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Refer out", parent)
        self.person_id = person_id
        self.kind = enum_box(ReferralKind)
        self.destination = QLineEdit()
        self.destination.setMaxLength(200)
        self.destination_address = QPlainTextEdit()
        self.destination_address.setTabChangesFocus(True)
        self.destination_address.setMaximumHeight(70)
        self.referred_on = date_edit(today, maximum=today)
        self.reason = QLineEdit()
        self.virus = choice_box((v.label, v.value) for v in Virus)
        self.virus.setItemText(0, "— none —")
        self.consent = enum_box(ConsentDecision)
        self.field("kind", "&Kind", self.kind)
        self.field("destination", "&To (service)", self.destination, hint="For example: Hepatology, General Hospital")
        self.field("destination_address", "&Address", self.destination_address)
        self.field("referred_on", "&Date", self.referred_on)
        self.field("reason", "&Reason", self.reason)
        self.field("virus", "After a positive &BBV result", self.virus)
        self.field("consent", "&Consent to the referral", self.consent)

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        cmd = svc.Refer(self.person_id, self.kind.currentData(), self.destination.text(), date_of(self.referred_on),
                        self.reason.text(), self.consent.currentData(), self.destination_address.toPlainText(),
                        self.virus.currentData())
        actor = self.ctx.actor
        return safeguarding_ops.refer(actor, cmd)


class OutcomeDialog(FormDialog):
    def __init__(self, ctx: AppContext, referral: svc.ReferralRow, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"Outcome: {referral.destination}", parent)
        self.referral = referral
        self.outcome = enum_box(ReferralOutcome)
        self.outcome_on = date_edit(today, maximum=today)
        self.field("outcome", "&Outcome", self.outcome)
        self.field("outcome_on", "&Date", self.outcome_on)

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        cmd = svc.RecordOutcome(self.referral.id, self.referral.version, self.outcome.currentData(),
                                date_of(self.outcome_on))
        actor = self.ctx.actor
        return safeguarding_ops.record_outcome(actor, cmd)


class ReferralLetterDialog(QDialog):
    """Type the letter, preview it (F5), then print or save it; only a
    letter that went out is filed, and linked to the referral."""

    previewed = Signal(int)
    filed = Signal(object)

    def __init__(self, ctx: AppContext, referral: svc.ReferralRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.referral = ctx, referral
        self.setWindowTitle("Referral letter")
        self.resize(1000, 720)
        self.print_fn = printing.print_pdf  # replaceable: tests have no printer
        self.save_fn = export.save_pdf
        self.data: Any = None
        self.pdf = b""
        self.address = QPlainTextEdit(referral.destination_address)
        self.address.setTabChangesFocus(True)
        self.address.setMaximumHeight(80)
        self.address.setAccessibleName("Address")
        self.address.textChanged.connect(lambda: self._ready(False))
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setAccessibleName("Letter text")
        self.text.textChanged.connect(lambda: self._ready(False))
        self.text.setPlaceholderText("What the service needs to know, one paragraph a line…")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.preview = PdfPreview(self)
        self.preview_button = QPushButton("Pre&view")
        self.preview_button.setShortcut(QKeySequence("F5"))
        self.print_button = QPushButton("&Print…")
        self.save_button = QPushButton("&Save as PDF…")
        close = QPushButton("Close")
        self.preview_button.setDefault(True)
        self.preview_button.clicked.connect(self.make_preview)
        self.print_button.clicked.connect(self.print_letter)
        self.save_button.clicked.connect(self.save_letter)
        close.clicked.connect(self.reject)
        left = QVBoxLayout()
        to = QLabel(f"To {referral.destination}, at this &address:")
        to.setBuddy(self.address)
        left.addWidget(to)
        left.addWidget(self.address)
        body = QLabel("Letter &text:")
        body.setBuddy(self.text)
        left.addWidget(body)
        left.addWidget(self.text, 1)
        left.addWidget(self.status)
        buttons = QHBoxLayout()
        for b in (self.preview_button, self.print_button, self.save_button, close):
            buttons.addWidget(b)
        left.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addWidget(self.preview, 3)
        self._ready(False)

    def _ready(self, ready: bool) -> None:
        if not ready:
            self.data, self.pdf = None, b""
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)

    def make_preview(self) -> None:
        rid, actor, address = self.referral.id, self.ctx.actor, self.address.toPlainText()
        paragraphs = tuple(line for line in self.text.toPlainText().splitlines() if line.strip())

        def draft(uow: UnitOfWork) -> tuple[Any, bytes]:
            data = svc.draft_letter(uow, actor, rid, paragraphs, address)
            return data, letter_writing.render(data)

        self.status.setText("Making the preview…")
        self.ctx.query(self, draft).on_success(self._previewed).on_failure(self._failed).start()

    def _previewed(self, result: tuple[Any, bytes]) -> None:
        self.data, self.pdf = result
        pages = self.preview.set_pdf(self.pdf)
        self._ready(True)
        self.status.setText(f"Preview ready: {pages} page{'s' if pages != 1 else ''}.")
        self.previewed.emit(pages)

    def _failed(self, error: BaseException) -> None:
        self._ready(False)
        self.status.setText(str(error) if isinstance(error, ValueError) else "The letter could not be made.")
        if not isinstance(error, ValueError):
            self.ctx.show_error(self, error)

    def print_letter(self) -> None:
        if self.pdf and self.print_fn(self.pdf, self):
            self._file("printed")
        else:
            self.status.setText("Not printed, so nothing was filed.")

    def save_letter(self) -> None:
        if not self.pdf or self.data is None:
            return
        try:
            path = self.save_fn(self.pdf, self, suggested_name=f"{self.data.reference.replace('/', '-')} referral.pdf")
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        if path is None:
            self.status.setText("Not saved, so nothing was filed.")
            return
        self._file("saved")

    def _file(self, disposition: str) -> None:
        rid, actor, pdf, ref = self.referral.id, self.ctx.actor, self.pdf, self.data.reference
        self.ctx.write(self, safeguarding_ops.file_letter(actor, rid, pdf, disposition, ref)) \
            .on_success(self._filed).on_failure(self._failed).start()

    def _filed(self, result: svc.LetterFiled) -> None:
        self.status.setText(f"Letter {result.letter.reference} filed.")
        self.filed.emit(result.letter)
        self.accept()
