"""Journey forms: referral, first contact, episode, key worker, modality,
recovery plan and review, discharge. Each refusal is shown by its field; no
clinical answer starts chosen (every choice list opens on a blank line)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from clinic import journey as rules
from clinic.dates import uk_date
from clinic.permissions import Permission
from clinic.services.journey import episodes as svc
from clinic.services.journey import plans
from clinic.services.journey.record import EpisodeView, ReferralRow
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import journey as journey_ops
from ui.widgets.form_dialog import FormDialog
from ui.widgets.write_dialog import date_edit, date_of

Command = Callable[[UnitOfWork], Any] | None
YES_NO = (("", None), ("Yes", True), ("No", False))


def choice(options: tuple[tuple[str, Any], ...] | list[tuple[str, Any]], *, blank: str = "") -> QComboBox:
    """A choice list that opens on a blank line: nothing is assumed."""
    box = QComboBox()
    box.addItem(blank, None)
    for label, value in options:
        if label or value is not None:
            box.addItem(label, value)
    return box


def yes_no() -> QComboBox:
    return choice([(label, value) for label, value in YES_NO if value is not None])


def said_by(dialog: FormDialog, name: str, *aliases: str) -> None:
    """Refusals naming a command field in ``aliases``, which has no field of
    its own here, are said by field ``name`` and put the cursor there."""
    for alias in aliases:
        dialog.errors[alias] = dialog.errors[name]
        dialog.editors[alias] = dialog.editors[name]


class ReferralDialog(FormDialog):
    def __init__(self, ctx: AppContext, person_id: int, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "New referral", parent)
        self.person_id = person_id
        self.referred_on = date_edit(today, maximum=today)
        self.source = choice([(s.label, s.value) for s in rules.Source])
        self.referrer = QLineEdit()
        self.requested = choice([(m.label, m.value) for m in rules.Modality], blank="Not said")
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(70)
        self.field("referred_on", "Referral &date", self.referred_on)
        self.field("source", "&Source", self.source)
        self.field("referrer", "&Referred by", self.referrer, hint="Name and service, e.g. Dr Shah, Park Surgery")
        self.field("requested", "&Asks for", self.requested)
        if ctx.can(Permission.JOURNEY_WRITE):  # the reason is clinical: key workers write it
            self.field("reason", "Reaso&n", self.reason)
        self.referred_on.setFocus()

    def command(self) -> Command:
        cmd = svc.RecordReferral(self.person_id, date_of(self.referred_on), self.source.currentData() or "",
                                 self.referrer.text(), self.reason.toPlainText(), self.requested.currentData() or "")
        actor = self.ctx.actor
        return journey_ops.record_referral(actor, cmd)


class FirstContactDialog(FormDialog):
    def __init__(self, ctx: AppContext, referral: ReferralRow, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "First contact", parent)
        self.referral = referral
        self.form.addRow(QLabel(f"Referred {uk_date(referral.referred_on)}; first contact due "
                                f"{uk_date(referral.first_contact_due)}."))
        self.contacted_on = date_edit(today, maximum=today)
        self.field("contacted_on", "&Contacted on", self.contacted_on, hint="By telephone or in person")
        self.contacted_on.setFocus()

    def command(self) -> Command:
        actor, r, on = self.ctx.actor, self.referral, date_of(self.contacted_on)
        return journey_ops.record_first_contact(actor, r.id, on, version=r.version)


class CloseReferralDialog(FormDialog):
    """A referral that will not become an episode: its clocks stop."""

    def __init__(self, ctx: AppContext, referral: ReferralRow, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Withdraw referral", parent)
        self.referral = referral
        self.form.addRow(QLabel(f"Referred {uk_date(referral.referred_on)}."))
        self.closed_on = date_edit(today, maximum=today)
        self.reason = QLineEdit()
        self.field("closed_on", "&Closed on", self.closed_on)
        self.field("reason", "&Why", self.reason, hint="Declined, not suitable, referred elsewhere, no contact")
        self.closed_on.setFocus()

    def command(self) -> Command:
        actor, r, on, why = self.ctx.actor, self.referral, date_of(self.closed_on), self.reason.text()
        return journey_ops.close_referral(actor, r.id, on, why, version=r.version)


class EpisodeDialog(FormDialog):
    """Open an episode at assessment, with its modalities and key worker."""

    def __init__(self, ctx: AppContext, person_id: int, today: date, referral: ReferralRow | None,
                 key_workers: list[svc.KeyWorker], parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Open episode (assessment)", parent)
        self.person_id, self.referral = person_id, referral
        if referral is not None:
            self.form.addRow(QLabel(f"From the referral of {uk_date(referral.referred_on)}."))
        self.started_on = date_edit(today, maximum=today)
        self.key_worker = choice([(k.name, k.id) for k in key_workers])
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.modalities: dict[str, tuple[QCheckBox, QCheckBox]] = {}
        for row, m in enumerate(rules.Modality):
            chosen, started = QCheckBox(m.label), QCheckBox("started at assessment")
            grid.addWidget(chosen, row, 0)
            grid.addWidget(started, row, 1)
            self.modalities[m.value] = (chosen, started)
        self.field("started_on", "&Assessed on", self.started_on)
        self.field("key_worker_id", "&Key worker", self.key_worker)
        self.field("modality", "&Modalities", box, hint="Referred to on the assessment day")
        said_by(self, "modality", "referred_on", "modality_started_on")  # a modality's dates: by the modalities
        self.started_on.setFocus()

    def command(self) -> Command:
        start = date_of(self.started_on)
        mods = tuple(svc.NewModality(key, start, start if started.isChecked() else None)
                     for key, (chosen, started) in self.modalities.items() if chosen.isChecked())
        cmd = svc.OpenEpisode(self.person_id, start, self.referral.id if self.referral else None,
                              self.key_worker.currentData(), mods)
        actor = self.ctx.actor
        return journey_ops.open_episode(actor, cmd)


class KeyWorkerDialog(FormDialog):
    def __init__(self, ctx: AppContext, episode: EpisodeView, key_workers: list[svc.KeyWorker],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Key worker", parent)
        self.episode = episode
        self.key_worker = choice([(k.name, k.id) for k in key_workers])
        if episode.key_worker_id is not None:  # the current one, not a guess
            self.key_worker.setCurrentIndex(max(0, self.key_worker.findData(episode.key_worker_id)))
        self.field("key_worker_id", "&Key worker", self.key_worker)
        self.key_worker.setFocus()

    def command(self) -> Command:
        actor, e, staff = self.ctx.actor, self.episode, self.key_worker.currentData()
        return journey_ops.set_key_worker(actor, e.id, staff, version=e.version)


class AddModalityDialog(FormDialog):
    def __init__(self, ctx: AppContext, episode: EpisodeView, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Refer to a modality", parent)
        self.episode = episode
        self.modality = choice([(m.label, m.value) for m in rules.Modality])
        self.referred_on = date_edit(today, maximum=today)
        self.field("modality", "&Modality", self.modality)
        self.field("referred_on", "&Referred on", self.referred_on,
                   hint="For OST prescribing this starts the 10-working-day clock")
        self.modality.setFocus()

    def command(self) -> Command:
        cmd = svc.NewModality(self.modality.currentData() or "", date_of(self.referred_on))
        actor, eid = self.ctx.actor, self.episode.id
        return journey_ops.add_modality(actor, eid, cmd)


class ModalityDateDialog(FormDialog):
    """A modality started or ended."""

    def __init__(self, ctx: AppContext, episode: EpisodeView, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Modality started or ended", parent)
        self.which = choice([(f"{rules.Modality(m.modality).label} (referred {uk_date(m.referred_on)})"
                              + (" — started" if m.started_on else ""), m.id)
                             for m in episode.modalities if m.ended_on is None])
        self.what = choice([("Started", "start"), ("Ended", "end")])
        self.on = date_edit(today, maximum=today)
        self.field("modality", "&Modality", self.which)
        self.field("what", "&What happened", self.what)
        self.field("started_on", "&Date", self.on)
        said_by(self, "started_on", "ended_on")
        self.which.setFocus()

    def command(self) -> Command:
        mid, what = self.which.currentData(), self.what.currentData()
        if mid is None:
            self.show_field_error("modality", "Choose the modality.")
            return None
        if what is None:
            self.show_field_error("what", "Say whether it started or ended.")
            return None
        actor, on = self.ctx.actor, date_of(self.on)
        if what == "start":
            return journey_ops.start_modality(actor, mid, on)
        return journey_ops.end_modality(actor, mid, on)


class PlanDialog(FormDialog):
    """The recovery plan: goals with target dates, agreed with the person."""

    ROWS = 5

    def __init__(self, ctx: AppContext, episode: EpisodeView, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Recovery plan", parent)
        self.episode = episode
        plan = episode.plan
        self.agreed_on = date_edit(plan.agreed_on if plan else today, maximum=today)
        self.agreed = yes_no()
        if plan is not None:
            self.agreed.setCurrentIndex(self.agreed.findData(plan.agreed_with_person))
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel("Goal"), 0, 0)
        grid.addWidget(QLabel("Target date"), 0, 1)
        self.goals: list[tuple[QLineEdit, Any]] = []
        existing = list(plan.goals) if plan else []
        for row in range(max(self.ROWS, len(existing))):
            text = QLineEdit(existing[row].goal if row < len(existing) else "")
            target = date_edit(existing[row].target_on if row < len(existing) else today)
            grid.addWidget(text, row + 1, 0)
            grid.addWidget(target, row + 1, 1)
            self.goals.append((text, target))
        grid.setColumnStretch(0, 1)
        self.field("agreed_on", "&Agreed on", self.agreed_on,
                   hint=f"Due by {uk_date(rules.plan_due(episode.started_on))} (3 weeks from the episode start)")
        self.field("agreed_with_person", "Agreed &with the person", self.agreed)
        self.field("goals", "&Goals", box, hint="One goal a line; empty lines are left out")
        self.agreed_on.setFocus()

    def command(self) -> Command:
        goals = tuple(plans.Goal(t.text(), date_of(d)) for t, d in self.goals if t.text().strip())
        plan = self.episode.plan
        cmd = plans.SavePlan(self.episode.id, date_of(self.agreed_on), self.agreed.currentData(), goals,
                             plan.version if plan else None)
        actor = self.ctx.actor
        return journey_ops.save_plan(actor, cmd)


class ReviewDialog(FormDialog):
    def __init__(self, ctx: AppContext, episode: EpisodeView, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Recovery plan review", parent)
        self.episode = episode
        self.reviewed_on = date_edit(today, maximum=today)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(80)
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.achieved: list[tuple[QCheckBox, int]] = []
        for row, g in enumerate(episode.plan.goals if episode.plan else ()):
            check = QCheckBox(f"{g.goal} (by {uk_date(g.target_on)})")
            check.setChecked(False)
            check.setEnabled(g.achieved_on is None)
            grid.addWidget(check, row, 0)
            self.achieved.append((check, g.id))
        self.field("reviewed_on", "&Reviewed on", self.reviewed_on)
        self.field("notes", "&Notes", self.notes)
        self.field("achieved", "Goals &met", box)
        self.reviewed_on.setFocus()

    def command(self) -> Command:
        cmd = plans.ReviewPlan(self.episode.id, date_of(self.reviewed_on), self.notes.toPlainText(),
                               tuple(gid for c, gid in self.achieved if c.isChecked()))
        actor = self.ctx.actor
        return journey_ops.review_plan(actor, cmd)


class DischargeDialog(FormDialog):
    """Close the episode: exit reason, exit TOP (or why not), and for people
    leaving OST the overdose-risk conversation and naloxone offer."""

    def __init__(self, ctx: AppContext, episode: EpisodeView, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Discharge", parent)
        self.episode = episode
        self.ended_on = date_edit(today, maximum=today)
        self.reason = choice([(r.label, r.code) for r in rules.exit_choices(episode.client_type)])
        self.no_top = QLineEdit()
        self.overdose = yes_no()
        self.offered = yes_no()
        self.naloxone_accepted = yes_no()  # not ``accepted``: QDialog's signal
        self.field("ended_on", "&Discharged on", self.ended_on)
        self.field("exit_reason", "E&xit reason", self.reason)
        if episode.has_exit_top:
            self.form.addRow(QLabel("The exit TOP is recorded."))
        else:
            self.field("no_exit_top_reason", "&No exit TOP because", self.no_top,
                       hint="Record the exit TOP first (TOP form), or say why it could not be done")
        if episode.leaving_ost:
            self.field("overdose_risk_discussed", "&Overdose risk discussed", self.overdose,
                       hint="Leaving OST: tolerance falls quickly")
            self.field("naloxone_offered", "Naloxone o&ffered", self.offered)
            self.field("naloxone_accepted", "Naloxone &accepted", self.naloxone_accepted)
        self.ended_on.setFocus()

    def command(self) -> Command:
        e = self.episode
        cmd = svc.Discharge(e.id, date_of(self.ended_on), self.reason.currentData() or "",
                            self.overdose.currentData(), self.offered.currentData(),
                            self.naloxone_accepted.currentData(), self.no_top.text(), e.version)
        actor = self.ctx.actor
        return journey_ops.discharge(actor, cmd)
