"""Consent to share: the one dialog that records a decision, opened from
the Safeguarding tab (any recipient) and from the Probation tab (Probation
only, through the liaison's own service, ``record_probation_consent``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from PySide6.QtWidgets import QWidget

from clinic.safeguarding import ConsentDecision, RecipientKind
from clinic.services.safeguarding import consent as consent_svc
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import safeguarding as safeguarding_ops
from ui.widgets.choice import choice_box
from ui.widgets.date_range import OptionalDateEdit
from ui.widgets.form_dialog import FormDialog
from ui.widgets.write_dialog import date_edit, date_of


class ConsentDialog(FormDialog):
    """``ConsentDialog(ctx, person_id, today, review_months, parent, only=None)``:
    with ``only`` the recipient is fixed to that kind; the decision always
    starts at "(choose)"."""

    def __init__(self, ctx: AppContext, person_id: int, today: date, review_months: int,
                 parent: QWidget | None = None, *, only: RecipientKind | None = None) -> None:
        super().__init__(ctx, "Consent to share", parent)
        self.person_id, self.only = person_id, only
        kinds = [only] if only is not None else list(RecipientKind)
        self.recipient_kind = choice_box((k.label, k.value) for k in kinds)
        if only is not None:
            self.recipient_kind.setCurrentIndex(1)
            self.recipient_kind.setEnabled(False)
        self.decision = choice_box((d.label, d.value) for d in ConsentDecision)
        self.decided_on = date_edit(today, maximum=today)
        self.how_recorded = choice_box((label, key) for key, label in consent_svc.HOW_RECORDED.items())
        self.review_on = OptionalDateEdit("no review")
        self.review_on.set_value(today + relativedelta(months=review_months))
        self.field("recipient_kind", "Sharing &with", self.recipient_kind)
        self.field("decision", "&Consent", self.decision)
        self.field("decided_on", "&Date", self.decided_on)
        self.field("how_recorded", "&How recorded", self.how_recorded)
        self.field("review_on", "&Review on", self.review_on)

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        cmd = consent_svc.RecordConsent(self.person_id, self.recipient_kind.currentData(),
                                        self.decision.currentData(), date_of(self.decided_on),
                                        self.how_recorded.currentData(), self.review_on.value())
        actor = self.ctx.actor
        record = safeguarding_ops.record_probation_consent if self.only is RecipientKind.PROBATION \
            else safeguarding_ops.record_consent
        return record(actor, cmd)
