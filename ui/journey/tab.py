"""A person's treatment journey: referral → episode → plan → TOP → discharge.

The tab reads ``journey_record`` (plus key workers and the national-return
details for the roles that may see them) and opens one dialog at a time.
Reception sees the referrals and the "New referral" button only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from clinic import journey as rules
from clinic import ndtms
from clinic import top as top_rules
from clinic.dates import uk_date
from clinic.permissions import Actor, Permission
from clinic.services.journey import episodes as svc
from clinic.services.journey import top as journey_top
from clinic.services.journey.record import (
    EpisodeView,
    JourneyRecord,
    ReferralRow,
    journey_record,
)
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.journey import dialogs
from ui.journey.top_dialog import ProfileDialog, TopDialog, TopViewDialog
from ui.operations import journey as journey_ops
from ui.widgets.alert_banner import AlertBanner
from ui.widgets.form_dialog import FormDialog
from ui.widgets.record_tab import RecordTab
from ui.widgets.table import fill, table

#: key, caption, permission: the tab's buttons. Access keys are clear of the record's tabs and of
#: the People page around it ("Include &closed records", "&GP practices", "&Register").
BUTTONS = (
    ("referral", "New referr&al", Permission.JOURNEY_REFERRAL),
    ("contact", "First co&ntact", Permission.JOURNEY_WRITE),
    ("episode", "Open &episode", Permission.JOURNEY_WRITE),
    ("withdraw", "Wi&thdraw referral", Permission.JOURNEY_WRITE),
    ("key_worker", "&Key worker", Permission.JOURNEY_WRITE),
    ("modality", "Add &modality", Permission.JOURNEY_WRITE),
    ("modality_date", "Modalit&y start/end", Permission.JOURNEY_WRITE),
    ("plan", "Set &up plan", Permission.JOURNEY_CLINICAL),
    ("review", "Plan rev&iew", Permission.JOURNEY_CLINICAL),
    ("top", "TO&P form", Permission.JOURNEY_CLINICAL),
    ("discharge", "Disc&harge", Permission.JOURNEY_WRITE),
    ("profile", "National &data", Permission.JOURNEY_CLINICAL),
)


@dataclass(frozen=True)
class _View:
    record: JourneyRecord
    key_workers: list[svc.KeyWorker]
    profile: journey_top.Profile | None


def _read(uow: UnitOfWork, actor: Actor, person_id: int) -> _View:
    record = journey_record(uow, actor, person_id)
    workers = svc.key_workers(uow, actor) if actor.can(Permission.JOURNEY_READ) else []
    profile = journey_top.profile(uow, actor, person_id) if actor.can(Permission.JOURNEY_CLINICAL) else None
    return _View(record, workers, profile)


def _due(d: date | None, today: date) -> str:
    if d is None:
        return ""
    return f"<span style='color:#b00020'>overdue since {uk_date(d)}</span>" if d < today else f"due {uk_date(d)}"


class JourneyTab(RecordTab):
    view: _View | None

    def __init__(self, ctx: AppContext, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, person_id, _read, (svc.AREA, "people"), parent)
        self.banner = AlertBanner()
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        shown = 0
        for key, caption, permission in BUTTONS:
            button = QPushButton(caption)
            button.clicked.connect(lambda _=False, k=key: self.open_dialog(k))
            self.buttons[key] = button
            if ctx.can(permission):  # a courtesy: the services refuse the rest
                grid.addWidget(button, shown // 6, shown % 6)
                shown += 1
            else:
                button.hide()
        self.referrals = table(("Referred", "Source", "Referred by", "Asks for", "First contact",
                                "First intervention"))
        self.episode = QLabel()
        self.episode.setWordWrap(True)
        self.modalities = table(("Modality", "Referred", "Started", "Ended", "Prescribing due"))
        self.plan = QLabel()
        self.plan.setWordWrap(True)
        self.tops = table(("TOP stage", "Interview date"))
        self.tops.setToolTip("Enter or double-click opens the TOP")
        self.tops.doubleClicked.connect(lambda index: self.open_top(index.row()))
        self.tops.installEventFilter(self)
        self.history = table(("Episode from", "To", "Exit reason", "Re-presentation"))
        self.profile = QLabel()
        self.profile.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(grid)
        layout.addWidget(QLabel("<b>Referrals</b>"))
        layout.addWidget(self.referrals, 1)
        for w in (self.episode, self.modalities, self.plan, self.tops, self.history, self.profile):
            layout.addWidget(w, 1 if w in (self.modalities, self.tops, self.history) else 0)
        clinical = ctx.can(Permission.JOURNEY_READ)
        for w in (self.episode, self.modalities, self.plan, self.history):
            w.setVisible(clinical)
        for w in (self.tops, self.profile):
            w.setVisible(ctx.can(Permission.JOURNEY_CLINICAL))

    # ---- showing --------------------------------------------------------------

    def _clear(self) -> None:
        self.banner.show_alert("")
        for t in (self.referrals, self.modalities, self.tops, self.history):
            t.setRowCount(0)
        for label in (self.episode, self.plan, self.profile):
            label.clear()

    def _show(self, view: _View) -> None:
        self.view = view
        r, today = view.record, view.record.today
        fill(self.referrals, [self._referral_row(x, today) for x in r.referrals])
        ep = r.open_episode
        self._show_episode(ep, today)
        fill(self.history, [(uk_date(e.started_on), uk_date(e.ended_on) if e.ended_on else "",
                             rules.EXIT_BY_CODE[e.exit_reason].label if e.exit_reason in rules.EXIT_BY_CODE else "",
                             "Yes" if e.re_presentation else "") for e in r.episodes if not e.open])
        self.history.setVisible(self.ctx.can(Permission.JOURNEY_READ) and self.history.rowCount() > 0)
        self.profile.setText(self._profile_text(view.profile))
        overdue = [label for label, d in self._due_items(ep) if d is not None and d < today]
        overdue += [f"first contact (referred {uk_date(x.referred_on)})" for x in r.referrals
                    if x.waiting and x.first_contact_on is None and x.first_contact_due < today]
        self.banner.show_alert("⚠ Overdue: " + ", ".join(overdue) + "." if overdue else "")
        waiting = self._waiting_referral()
        self.buttons["contact"].setEnabled(any(x.waiting and x.first_contact_on is None for x in r.referrals))
        self.buttons["episode"].setEnabled(ep is None)
        self.buttons["withdraw"].setEnabled(waiting is not None)
        self.buttons["withdraw"].setToolTip("Close a referral that will not become an episode: its clocks stop")
        for key in ("key_worker", "modality", "modality_date", "plan", "top", "discharge"):
            self.buttons[key].setEnabled(ep is not None)
        self.buttons["review"].setEnabled(ep is not None and ep.plan is not None)
        self.buttons["episode"].setToolTip("From the waiting referral" if waiting else "Without a referral")
        self.loaded.emit()

    @staticmethod
    def _referral_row(x: ReferralRow, today: date) -> tuple[str, ...]:
        source = rules.Source(x.source).label
        asks = rules.Modality(x.requested).label if x.requested else ""
        contact = uk_date(x.first_contact_on) if x.first_contact_on else (
            "" if not x.waiting
            else ("OVERDUE " if x.first_contact_due < today else "due ") + uk_date(x.first_contact_due))
        if x.intervention_on:
            wait = rules.wait_days(x.referred_on, x.intervention_on)
            intervention = f"{uk_date(x.intervention_on)} ({wait} days)"
        elif x.closed_on:
            intervention = f"Closed {uk_date(x.closed_on)}"
        else:
            intervention = ("OVERDUE " if x.intervention_due < today else "due ") + uk_date(x.intervention_due)
        return (uk_date(x.referred_on), source, x.referrer, asks, contact, intervention)

    @staticmethod
    def _due_items(ep: EpisodeView | None) -> list[tuple[str, date | None]]:
        if ep is None:
            return []
        plan_label = "plan review" if ep.plan else "recovery plan"
        items = [(plan_label, ep.next_plan_due), ("TOP", ep.next_top_due)]
        items += [("prescribing start", m.prescribing_due) for m in ep.modalities if m.prescribing_due]
        return items

    def _show_episode(self, ep: EpisodeView | None, today: date) -> None:
        self.modalities.setVisible(ep is not None and self.ctx.can(Permission.JOURNEY_READ))
        self.tops.setVisible(ep is not None and self.ctx.can(Permission.JOURNEY_CLINICAL))
        if ep is None:
            self.episode.setText("<b>No open episode.</b> An episode opens at assessment.")
            fill(self.modalities, [])
            fill(self.tops, [])
            self.plan.clear()
            return
        parts = [f"<b>Episode from {uk_date(ep.started_on)}</b>",
                 f"key worker {ep.key_worker_name}" if ep.key_worker_name
                 else "<span style='color:#b00020'>no key worker</span>",
                 f"{'alcohol' if ep.client_type == 'alcohol' else 'drug'} client"]
        if ep.reconstructed:
            parts.append("reconstructed from earlier records")
        if ep.re_presentation:
            parts.append("<b>re-presentation</b> within 6 months of a successful completion")
        dues = [f"{label} {_due(d, today)}" for label, d in self._due_items(ep) if d]
        self.episode.setText(" · ".join(parts) + ("<br>" + "; ".join(dues) if dues else ""))
        fill(self.modalities, [(rules.Modality(m.modality).label, uk_date(m.referred_on),
                                uk_date(m.started_on) if m.started_on else "",
                                uk_date(m.ended_on) if m.ended_on else "",
                                uk_date(m.prescribing_due) if m.prescribing_due else "") for m in ep.modalities])
        fill(self.tops, [(top_rules.Stage(t.stage).label, uk_date(t.interview_on)) for t in ep.tops])
        if ep.plan is None:
            self.plan.setText("<b>Recovery plan:</b> not yet agreed.")
        else:
            goals = "".join(f"<li>{g.goal} — by {uk_date(g.target_on)}"
                            + (f" (met {uk_date(g.achieved_on)})" if g.achieved_on else "") + "</li>"
                            for g in ep.plan.goals)
            reviewed = f"; last reviewed {uk_date(ep.plan.reviews[-1].reviewed_on)}" if ep.plan.reviews else ""
            self.plan.setText(f"<b>Recovery plan</b> agreed {uk_date(ep.plan.agreed_on)}"
                              f"{'' if ep.plan.agreed_with_person else ' (not agreed with the person)'}{reviewed}"
                              f"<ul>{goals}</ul>")

    @staticmethod
    def _profile_text(p: journey_top.Profile | None) -> str:
        if p is None:
            return ""
        shown = [ndtms.PROFILE_CODES[k].get(getattr(p, k), "") for k in
                 ("ethnicity", "primary_substance", "primary_route", "injecting_status")]
        return "<b>National return:</b> " + (" · ".join(s for s in shown if s) or "nothing recorded yet")

    def _waiting_referral(self) -> ReferralRow | None:
        assert self.view is not None
        return next((x for x in self.view.record.referrals if x.waiting and x.episode_id is None), None)

    # ---- dialogs ----------------------------------------------------------------

    def open_top(self, row: int) -> None:
        """Read one TOP (audited) and show its answers."""
        ep = self.view.record.open_episode if self.view else None
        if ep is None or not 0 <= row < len(ep.tops):
            return
        actor, top_id = self.ctx.actor, ep.tops[row].id
        self.ctx.write(self, journey_ops.top_form(actor, top_id)).on_success(self._show_top).start()

    def _show_top(self, view: journey_top.TopView) -> None:
        self.dialog = TopViewDialog(view, self)
        self.dialog.open()

    def eventFilter(self, watched: object, event: object) -> bool:  # noqa: N802 - Qt name
        if (watched is self.tops and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.open_top(self.tops.currentRow())
            return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    def open_dialog(self, key: str) -> None:
        if self.view is None:
            return
        r, today, ep = self.view.record, self.view.record.today, self.view.record.open_episode
        d: FormDialog | None = None
        if key == "referral":
            d = dialogs.ReferralDialog(self.ctx, self.person_id, today, self)
        elif key == "contact":
            referral = next((x for x in r.referrals if x.waiting and x.first_contact_on is None), None)
            d = dialogs.FirstContactDialog(self.ctx, referral, today, self) if referral else None
        elif key == "withdraw":
            waiting = self._waiting_referral()
            d = dialogs.CloseReferralDialog(self.ctx, waiting, today, self) if waiting else None
        elif key == "episode":
            d = dialogs.EpisodeDialog(self.ctx, self.person_id, today, self._waiting_referral(),
                                      self.view.key_workers, self)
        elif key == "profile" and self.view.profile is not None:
            d = ProfileDialog(self.ctx, self.view.profile, self)
        elif ep is not None:
            workers = self.view.key_workers
            d = {"key_worker": lambda: dialogs.KeyWorkerDialog(self.ctx, ep, workers, self),
                 "modality": lambda: dialogs.AddModalityDialog(self.ctx, ep, today, self),
                 "modality_date": lambda: dialogs.ModalityDateDialog(self.ctx, ep, today, self),
                 "plan": lambda: dialogs.PlanDialog(self.ctx, ep, today, self),
                 "review": lambda: dialogs.ReviewDialog(self.ctx, ep, today, self),
                 "top": lambda: TopDialog(self.ctx, ep, today, parent=self),
                 "discharge": lambda: dialogs.DischargeDialog(self.ctx, ep, today, self)}[key]()
        if d is not None:
            self.dialog = d
            d.open()
