"""A person's Safeguarding tab: household and children, flags, consent to
share, information requests and referrals out, one page each.

Access keys are unique across the tab (and avoid the record's own tab
keys), so every action works from the keyboard whichever page shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic.dates import uk_date, uk_date_time
from clinic.permissions import Actor, Permission
from clinic.services.safeguarding import consent as consent_svc
from clinic.services.ost import worklists as ost_worklists
from clinic.services.safeguarding import referrals as referrals_svc
from clinic.services.safeguarding import household as household_svc
from clinic.services.safeguarding import flags as flags_svc
from clinic.services.safeguarding import requests as requests_svc
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.safeguarding import (
    flag_dialogs,
    household_dialogs,
    referral_dialogs,
    sharing_dialogs,
)
from ui.widgets.alert_banner import AlertBanner
from ui.widgets.consent_dialog import ConsentDialog
from ui.widgets.record_tab import RecordTab
from ui.widgets.table import fill, table

T = TypeVar("T")

AREAS = ("safeguarding", "consent", "referrals", "bbv", "ost", "safe_storage", "people")


@dataclass(frozen=True)
class _View:
    household: household_svc.Household
    flags: tuple[flags_svc.FlagRow, ...]
    consents: consent_svc.Consents
    requests: tuple[requests_svc.RequestRow, ...]
    referrals: tuple[referrals_svc.ReferralRow, ...]
    storage_alert: bool
    today: date
    now: datetime
    flag_review_months: int
    consent_review_months: int


def _read(uow: UnitOfWork, actor: Actor, person_id: int) -> _View:
    alert = actor.can(Permission.OST_READ) and ost_worklists.alerts(uow, actor, person_id).storage_alert
    s = uow.settings
    return _View(household_svc.household(uow, actor, person_id), flags_svc.person_flags(uow, actor, person_id),
                 consent_svc.person_consents(uow, actor, person_id),
                 requests_svc.person_requests(uow, actor, person_id),
                 referrals_svc.person_referrals(uow, actor, person_id), alert, uow.clock.today(), uow.clock.now(),
                 s["safeguarding.flag_review_months"], s["consent.review_months"])


def _when(at: datetime | None) -> str:
    return uk_date_time(at) if at else ""


class SafeguardingTab(RecordTab):
    view: _View | None

    def __init__(self, ctx: AppContext, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, person_id, _read, AREAS, parent)
        self.banner = AlertBanner()
        self.banner.setWordWrap(False)  # one alert a line; wrapping squeezed the lines together
        self.pages = QTabWidget()
        self.buttons: dict[str, QPushButton] = {}
        self.household_facts = QLabel()
        self.household_facts.setWordWrap(True)
        self.children_table = table(("Child", "Age", "Lives", "Child protection", "Social worker", "Recorded"),
                                    stretch=0)  # the name takes the spare width, not the date
        self.flags = table(("Flag", "Raised", "By", "Review", "Status", "Detail"))
        self.limits = QLabel()
        self.consents = table(("Sharing with", "Consent", "Date", "How recorded", "Review", "Recorded by"))
        self.disclosures = table(("Shared without consent with", "Date", "Why", "By"))
        self.requests = table(("From", "Who asked", "Received", "Urgency", "Due", "Status", "Shared", "Legal basis",
                               "By"))
        self.referrals = table(("Date", "Kind", "To", "Reason", "Consent", "Letter", "Outcome"))
        write = ctx.can(Permission.SAFEGUARDING_WRITE)
        self._page("Household", [
            ("add_child", "Add &child…", self.add_child), ("remove_child", "Chi&ld gone…", self.remove_child),
            ("pregnancy", "Pregnanc&y…", self.pregnancy), ("hidden_harm", "&Hidden-harm review…", self.hidden_harm),
            ("early_help", "&Early help…", self.early_help)], [self.household_facts, self.children_table], write)
        self._page("Flags", [
            ("raise_flag", "Raise fl&ag…", self.raise_flag), ("review_flag", "Rev&iew flag…", self.review_flag),
            ("close_flag", "&Mark flag closed…", self.close_flag)], [self.flags], write)
        self._page("Consent", [
            ("consent", "Co&nsent to share…", self.record_consent),
            ("limits", "Limits of confidentiality e&xplained…", self.limits_explained),
            ("disclosure", "&Disclosure without consent…", self.disclosure)],
            [self.limits, self.consents, self.disclosures], ctx.can(Permission.CONSENT_WRITE))
        self._page("Requests", [
            ("log_request", "Log MASH / police re&quest…", self.log_request),
            ("answer", "Ans&wer request…", self.answer_request)], [self.requests], write)
        self._page("Referrals", [
            ("refer", "Ma&ke a referral…", self.refer), ("letter", "Referral &letter…", self.referral_letter),
            ("outcome", "O&utcome…", self.outcome)], [self.referrals], ctx.can(Permission.REFERRAL_WRITE))
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.pages, 1)
        for t in (self.children_table, self.flags, self.requests, self.referrals):
            t.itemSelectionChanged.connect(self._enable_row_actions)
        self._enable_row_actions()

    def _page(self, title: str, actions: list[tuple[str, str, Callable[[], None]]], widgets: list[QWidget],
              writable: bool) -> None:
        page = QWidget()
        column = QVBoxLayout(page)
        row = QHBoxLayout()
        for key, text, slot in actions:
            button = QPushButton(text)
            button.clicked.connect(slot)
            button.setVisible(writable)
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        column.addLayout(row)
        for widget in widgets:
            column.addWidget(widget, 1 if isinstance(widget, QTableWidget) else 0)
        self.pages.addTab(page, title)

    # -- showing ------------------------------------------------------------------

    def _clear(self) -> None:
        self.banner.show_alert("")
        for label in (self.household_facts, self.limits):
            label.clear()
        for t in (self.children_table, self.flags, self.consents, self.disclosures, self.requests, self.referrals):
            t.setRowCount(0)

    def _show(self, view: _View) -> None:
        self.view = view
        h = view.household
        alerts = list(h.prompts)
        if view.storage_alert:
            alerts.insert(0, f"{ost_worklists.STORAGE_ALERT}.")
        alerts += [f"{r.source.label} request overdue (due {_when(r.due_at)})" for r in view.requests if r.overdue]
        self.banner.show_alert("\n".join(f"⚠ {a}" for a in alerts))
        facts = [f"Pregnant, expected {uk_date(h.expected_on)}" if h.pregnant and h.expected_on
                 else "Pregnant" if h.pregnant else "Not recorded as pregnant"]
        if h.pregnant and h.antenatal:
            facts.append(f"antenatal: {h.antenatal}")
        if h.hidden_harm_review_due:
            facts.append(f"hidden-harm review due {uk_date(h.hidden_harm_review_due)}")
        if h.early_help_offered_on:
            facts.append(f"early help offered {uk_date(h.early_help_offered_on)}: "
                         f"{household_svc.EARLY_HELP_OUTCOMES.get(h.early_help_outcome, '')}")
        self.household_facts.setText(" · ".join(facts))
        fill(self.children_table, [(c.name, c.age, c.lives.label, c.protection.label, c.social_worker,
                              uk_date(c.recorded_on)) for c in h.children])
        fill(self.flags, [(f.label, uk_date(f.raised_on), f.raised_by, uk_date(f.review_on),
                           f"Closed {uk_date(f.closed_on)}: {f.closed_reason}" if f.closed_on else
                           ("Review overdue" if f.review_on < view.today else "Open"), f.detail) for f in view.flags])
        c = view.consents
        self.limits.setText(f"Limits of confidentiality explained on {uk_date(c.limits_explained_on)}."
                            if c.limits_explained_on else "Limits of confidentiality: not yet recorded as explained.")
        fill(self.consents, [(r.recipient_kind.label, r.decision.label, uk_date(r.decided_on),
                              consent_svc.HOW_RECORDED.get(r.how_recorded, r.how_recorded),
                              uk_date(r.review_on) if r.review_on else "", r.recorded_by) for r in c.current])
        fill(self.disclosures, [(f"{d.recipient} ({d.recipient_kind.label})", uk_date(d.disclosed_on), d.reason,
                                 d.by) for d in c.disclosures])
        fill(self.requests, [(r.source.label, r.requester, _when(r.received_at), r.urgency.label, _when(r.due_at),
                              "Answered " + _when(r.answered_at) if r.answered_at else
                              ("OVERDUE" if r.overdue else "Open"), r.shared, r.legal_basis, r.shared_by)
                             for r in view.requests])
        fill(self.referrals, [(uk_date(r.referred_on), r.kind.label, r.destination, r.reason, r.consent.capitalize(),
                               "Filed" if r.letter_id else "", r.outcome.label + f" ({uk_date(r.outcome_on)})"
                               if r.outcome and r.outcome_on else ("No outcome yet: chase" if r.waiting else ""))
                              for r in view.referrals])
        self._enable_row_actions()
        self.loaded.emit()

    def _enable_row_actions(self) -> None:
        """An action on a row works once a row it applies to is selected (with none it did nothing)."""
        view = self.view
        request = self._selected(self.requests, view.requests) if view else None
        for key, ready in (
                ("remove_child", bool(view and self._selected(self.children_table, view.household.children))),
                ("review_flag", self._open_flag() is not None), ("close_flag", self._open_flag() is not None),
                ("answer", isinstance(request, requests_svc.RequestRow) and request.answered_at is None),
                ("letter", self._referral() is not None), ("outcome", self._referral() is not None)):
            self.buttons[key].setEnabled(ready)

    # -- actions ------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()

    @staticmethod
    def _selected(t: QTableWidget, rows: Sequence[T]) -> T | None:
        i = t.currentRow()
        return rows[i] if 0 <= i < len(rows) else None

    def add_child(self) -> None:
        if self.view:
            self._open(household_dialogs.ChildDialog(self.ctx, self.person_id, self.view.today, self))

    def remove_child(self) -> None:
        if self.view and (child := self._selected(self.children_table, self.view.household.children)):
            self._open(household_dialogs.RemoveChildDialog(self.ctx, child, self.view.today, self))

    def pregnancy(self) -> None:
        self._open(household_dialogs.PregnancyDialog(self.ctx, self.person_id, self))

    def hidden_harm(self) -> None:
        if self.view:
            self._open(household_dialogs.HiddenHarmDialog(self.ctx, self.person_id, self.view.today, self))

    def early_help(self) -> None:
        if self.view:
            self._open(household_dialogs.EarlyHelpDialog(self.ctx, self.person_id, self.view.today, self))

    def raise_flag(self) -> None:
        if self.view:
            self._open(flag_dialogs.RaiseFlagDialog(self.ctx, self.person_id, self.view.today,
                                                    self.view.flag_review_months, self))

    def _open_flag(self) -> flags_svc.FlagRow | None:
        flag = self._selected(self.flags, self.view.flags) if self.view else None
        return flag if isinstance(flag, flags_svc.FlagRow) and flag.closed_on is None else None

    def review_flag(self) -> None:
        if self.view and (flag := self._open_flag()):
            self._open(flag_dialogs.ReviewFlagDialog(self.ctx, flag, self.view.today, self.view.flag_review_months,
                                                     self))

    def close_flag(self) -> None:
        if self.view and (flag := self._open_flag()):
            self._open(flag_dialogs.CloseFlagDialog(self.ctx, flag, self.view.today, self))

    def record_consent(self) -> None:
        if self.view:
            self._open(ConsentDialog(self.ctx, self.person_id, self.view.today, self.view.consent_review_months,
                                     self))

    def limits_explained(self) -> None:
        if self.view:
            self._open(sharing_dialogs.LimitsDialog(self.ctx, self.person_id, self.view.today, self))

    def disclosure(self) -> None:
        if self.view:
            self._open(sharing_dialogs.DisclosureDialog(self.ctx, self.person_id, self.view.today, self))

    def log_request(self) -> None:
        if self.view:
            self._open(sharing_dialogs.RequestDialog(self.ctx, self.person_id, self.view.now, self))

    def answer_request(self) -> None:
        request = self._selected(self.requests, self.view.requests) if self.view else None
        if self.view and isinstance(request, requests_svc.RequestRow) and request.answered_at is None:
            self._open(sharing_dialogs.AnswerDialog(self.ctx, request, self.view.now, self))

    def refer(self) -> None:
        if self.view:
            self._open(referral_dialogs.ReferDialog(self.ctx, self.person_id, self.view.today, self))

    def _referral(self) -> referrals_svc.ReferralRow | None:
        row = self._selected(self.referrals, self.view.referrals) if self.view else None
        return row if isinstance(row, referrals_svc.ReferralRow) else None

    def referral_letter(self) -> None:
        if referral := self._referral():
            self._open(referral_dialogs.ReferralLetterDialog(self.ctx, referral, self))

    def outcome(self) -> None:
        if self.view and (referral := self._referral()):
            self._open(referral_dialogs.OutcomeDialog(self.ctx, referral, self.view.today, self))
