"""A person's OST tab: alerts, current prescription, dose chart, history,
reviews, missed doses and decisions; the actions that go with them."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget,
)

from clinic.changes import Changes
from clinic.dates import uk_date
from clinic.permissions import Permission
from clinic.services.harm_reduction.record import person_harm_reduction
from clinic.services.ost import missed as ost_missed
from clinic.services.ost import reviews as ost_reviews
from clinic.services.ost.record import OstRecord, ost_record
from clinic.services.ost.worklists import MISSED_ALERT, STORAGE_ALERT
from ui.context import AppContext
from ui.operations import ost as ost_ops
from ui.output.write_dialog import WriteLetterDialog
from ui.shell.person_actions import open_person_action
from ui.widgets.alert_banner import AlertBanner
from ui.ost.dose_chart import DoseChart, Step
from ui.ost.missed_dialog import DecisionDialog, MissedDoseDialog
from ui.ost.prescription_dialog import PrescriptionDialog, StopDialog
from ui.ost.review_dialog import ReviewDialog
from ui.widgets.table import fill, table

AREAS = ("ost", "safe_storage", "people")
#: Missed-dose decisions and review findings that change the dose, and the letter that tells the pharmacy.
DOSE_CHANGING_DECISIONS = ("reduce", "retitrate")
DOSE_CHANGE_FINDINGS = ("too_low", "too_high")
PHARMACY_LETTER = "pharmacy_missed_doses"


class OstTab(QWidget):
    #: Emitted after each (re)load has been shown.
    loaded = Signal()

    def __init__(self, ctx: AppContext, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.person_id = ctx, person_id
        self.record: OstRecord | None = None
        self.dialog: QDialog | None = None
        self.missed_banner = AlertBanner()
        self.storage_banner = AlertBanner()
        self.fields = {k: QLabel() for k in ("medicine", "dose", "supervision", "pharmacy", "prescriber",
                                              "started", "next_review")}
        box = QGroupBox("Current prescription")
        form = QFormLayout(box)
        for label, key in (("Medicine", "medicine"), ("Daily dose", "dose"), ("Supervision", "supervision"),
                           ("Pharmacy", "pharmacy"), ("Prescriber", "prescriber"), ("Started", "started"),
                           ("Next review due", "next_review")):
            form.addRow(label, self.fields[key])
        self.chart = DoseChart()
        self.buttons = {
            "review": QPushButton("&Record review…"), "missed": QPushButton("&Missed doses…"),
            "decision": QPushButton("Prescriber &decision…"), "sign_off": QPushButton("Sig&n off review"),
            "start": QPushButton("&Start prescription…"), "change": QPushButton("&Change dose…"),
            "stop": QPushButton("S&top…"),
        }
        self.buttons["review"].clicked.connect(self.record_review)
        self.buttons["missed"].clicked.connect(self.record_missed)
        self.buttons["decision"].clicked.connect(self.record_decision)
        self.buttons["sign_off"].clicked.connect(self.sign_off)
        self.buttons["start"].clicked.connect(lambda: self._prescribe(change=False))
        self.buttons["change"].clicked.connect(lambda: self._prescribe(change=True))
        self.buttons["stop"].clicked.connect(self._stop)
        actions = QHBoxLayout()
        for b in self.buttons.values():
            actions.addWidget(b)
        actions.addStretch(1)
        # What a decision leads to (UI-30), shown after a review or a decision that calls for it.
        self.next_label = QLabel()
        self.next_label.setWordWrap(True)
        self.next_buttons = {"change": QPushButton("Chan&ge dose…"), "pharmacy": QPushButton("Write to &pharmacy…"),
                             "naloxone": QPushButton("Offer nal&oxone…")}
        self.next_buttons["change"].clicked.connect(self.change_after_decision)
        self.next_buttons["pharmacy"].clicked.connect(self.write_to_pharmacy)
        self.next_buttons["naloxone"].clicked.connect(self.offer_naloxone)
        next_row = QHBoxLayout()
        next_row.addWidget(self.next_label, 1)
        for b in self.next_buttons.values():
            next_row.addWidget(b)
        self._offer((), "")
        self.changes_table = table(("From", "To", "Dose", "Supervision", "Reason", "Prescriber"))
        self.reviews_table = table(("Date", "Attendance", "Dose", "On top", "Supervision", "Overdose risk",
                                    "Naloxone", "Next review", "Recorded by", "Signed off"))
        self.missed_table = table(("Date", "What", "Reported / decided by", "Note"))
        self.history = QTabWidget()
        self.history.addTab(self.changes_table, "Prescription changes")
        self.history.addTab(self.reviews_table, "Reviews")
        self.history.addTab(self.missed_table, "Missed doses and decisions")
        top = QHBoxLayout()
        top.addWidget(box, 1)
        chart_box = QGroupBox("Dose over time")
        QVBoxLayout(chart_box).addWidget(self.chart)
        top.addWidget(chart_box, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.missed_banner)
        layout.addWidget(self.storage_banner)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addLayout(next_row)
        layout.addWidget(self.history, 1)
        self._stale = True
        self._apply_permissions()
        ctx.changes_applied.connect(self._changes_applied)
        ctx.locked.connect(self.drop)

    # --- loading ----------------------------------------------------------------

    def refresh(self) -> None:
        actor, pid = self.ctx.actor, self.person_id
        self._stale = False
        self.ctx.query(self, lambda uow: ost_record(uow, actor, pid)).on_success(self._show).start()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _changes_applied(self, changes: Changes, initiator: object) -> None:
        if initiator is self:
            return  # it refreshes itself
        if any(changes.touches(a) for a in AREAS) and (not changes.person_ids or self.person_id in changes.person_ids):
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    def drop(self) -> None:
        """The screen locked: forget everything about this person."""
        self.record = None
        self._stale = True
        self.missed_banner.show_alert("")
        self.storage_banner.show_alert("")
        for label in self.fields.values():
            label.clear()
        for t in (self.changes_table, self.reviews_table, self.missed_table):
            t.setRowCount(0)
        self.chart.set_steps([], self.chart._today)
        self._offer((), "")
        if self.dialog is not None:
            self.dialog.reject()

    def _apply_permissions(self) -> None:
        prescriber = self.ctx.can(Permission.OST_PRESCRIBE)
        writer = self.ctx.can(Permission.OST_WRITE)
        for key in ("decision", "sign_off", "start", "change", "stop"):
            self.buttons[key].setVisible(prescriber)
        for key in ("review", "missed"):
            self.buttons[key].setVisible(writer)

    # --- showing ----------------------------------------------------------------

    def _show(self, record: OstRecord) -> None:
        self.record = record
        a = record.alerts
        self.missed_banner.show_alert(
            f"⚠ {MISSED_ALERT}: doses missed up to {uk_date(a.missed_alert_on)}. "
            "Only a prescriber's decision clears this." if a.missed_alert_on else "")
        self.storage_banner.show_alert(f"⚠ {STORAGE_ALERT}." if a.storage_alert else "")
        current = record.current[-1] if record.current else None
        f = self.fields
        if current is None:
            f["medicine"].setText("Not on OST")
            for key in ("dose", "supervision", "pharmacy", "prescriber", "started", "next_review"):
                f[key].setText("—")
        else:
            f["medicine"].setText(f"{current.medicine.capitalize()} — {current.formulation}")
            f["dose"].setText(", ".join(f"{c.daily_dose_mg:g} mg {c.medicine}" for c in record.current))
            f["supervision"].setText(current.supervision_text)
            f["pharmacy"].setText(current.pharmacy_name or "(not recorded)")
            f["prescriber"].setText(current.prescriber_name)
            f["started"].setText(uk_date(current.start_on))
            due = a.next_review_due
            f["next_review"].setText(
                "—" if due is None else uk_date(due) + (" (overdue)" if due < record.today else ""))
            f["next_review"].setStyleSheet("color: #b00020; font-weight: bold;"
                                           if due and due < record.today else "")
        self.chart.set_steps([Step(p.medicine, p.start_on, p.end_on, p.daily_dose_mg)
                              for p in record.prescriptions], record.today)
        followed = {p.id for p, q in zip(record.prescriptions, record.prescriptions[1:], strict=False)
                    if p.end_on and q.start_on == p.end_on + timedelta(days=1) and q.medicine == p.medicine}
        fill(self.changes_table, [
            (uk_date(p.start_on), uk_date(p.end_on) if p.end_on else "", p.dose_text, p.supervision_text,
             p.change_reason + (f" — stopped: {p.end_reason}" if p.end_reason and p.id not in followed else ""),
             p.prescriber_name)
            for p in reversed(record.prescriptions)])
        fill(self.reviews_table, [
            (uk_date(r.reviewed_on), ost_reviews.ATTENDANCE[r.attendance], ost_reviews.DOSE_ADEQUACY[r.dose_adequacy],
             r.on_top_substances if r.on_top_use else "No", ost_reviews.SUPERVISION[r.supervision_decision],
             ost_reviews.OVERDOSE_RISK[r.overdose_risk], "Yes" if r.naloxone_held else "No",
             uk_date(r.next_review_on), r.recorded_by, r.signed_off_by or "Awaiting sign-off")
            for r in record.reviews])
        events = [(m.missed_on, 0, (uk_date(m.missed_on), "Missed dose",
                                    ost_missed.REPORTERS[m.reported_by] + (f" ({m.reporter_name})" if m.reporter_name
                                                                           else ""), ""))
                  for m in record.missed]
        events += [(d.decided_on, 1, (uk_date(d.decided_on), "Decision: " + ost_missed.DECISIONS[d.decision],
                                      d.prescriber, d.note)) for d in record.decisions]
        fill(self.missed_table, [row for _, _, row in sorted(events, key=lambda e: (e[0], e[1]), reverse=True)])
        on_ost = bool(record.current)
        self.buttons["start"].setEnabled(not on_ost)  # a second one would run beside it (UI-30)
        self.buttons["change"].setEnabled(on_ost)
        self.buttons["stop"].setEnabled(on_ost)
        self.buttons["review"].setEnabled(bool(record.prescriptions))
        self.buttons["missed"].setEnabled(on_ost)
        self.buttons["decision"].setEnabled(on_ost)
        self.buttons["sign_off"].setEnabled(any(r.signed_off_at is None for r in record.reviews))
        self.loaded.emit()

    # --- actions ----------------------------------------------------------------

    def _open(self, dialog: QDialog) -> QDialog:
        self.dialog = dialog
        dialog.open()
        return dialog

    def record_review(self) -> None:
        if self.record is None:
            return
        r = self.record
        dialog = ReviewDialog(self.ctx, self.person_id, r.today, review_months=r.review_months,
                              children_in_household=r.children_in_household, box_held=bool(r.boxes_held),
                              parent=self)
        dialog.accepted.connect(lambda: self._after_review(dialog))
        self._open(dialog)

    def record_missed(self) -> None:
        if self.record is not None:
            self._open(MissedDoseDialog(self.ctx, self.person_id, self.record.today, parent=self))

    def record_decision(self) -> None:
        if self.record is not None:
            dialog = DecisionDialog(self.ctx, self.person_id, self.record.today, parent=self)
            dialog.accepted.connect(lambda: self._after_decision(dialog.decision.currentData()))
            self._open(dialog)

    # --- what a decision leads to (UI-30) -----------------------------------------

    def _offer(self, steps: tuple[str, ...], text: str) -> None:
        allowed = {"change": self.ctx.can(Permission.OST_PRESCRIBE),
                   "pharmacy": self.ctx.can(Permission.LETTER_CLINICAL),
                   "naloxone": self.ctx.can(Permission.HARM_REDUCTION_WRITE)}
        shown = [k for k in steps if allowed[k]]
        for key, button in self.next_buttons.items():
            button.setVisible(key in shown)
        self.next_label.setText(text if shown else "")
        self.next_label.setVisible(bool(shown))

    def _after_decision(self, decision: str | None) -> None:
        if decision in DOSE_CHANGING_DECISIONS:
            self._offer(("change", "pharmacy"), "The decision changes the dose: change the prescription "
                                                "and tell the pharmacy.")

    def _after_review(self, dialog: ReviewDialog) -> None:
        steps: tuple[str, ...] = ()
        text = ""
        if dialog.dose_adequacy.currentData() in DOSE_CHANGE_FINDINGS:
            steps, text = ("change", "pharmacy"), "The review found the dose needs to change. "
        if dialog.overdose_risk.currentData() != "high" or dialog.naloxone.isChecked() \
                or not self.ctx.can(Permission.HARM_REDUCTION_READ):
            self._offer(steps, text.strip())
            return
        actor, pid = self.ctx.actor, self.person_id

        def no_kit(held: bool) -> None:
            if held:
                self._offer(steps, text.strip())
            else:
                self._offer((*steps, "naloxone"), text + "Overdose risk is high and no naloxone kit is on record.")

        self.ctx.query(self, lambda uow: bool(person_harm_reduction(uow, actor, pid).held_kits)) \
            .on_success(no_kit).start()

    def change_after_decision(self) -> None:
        """The prescription change dialog on the current prescription; the new dose starts empty."""
        if self.record is None or not self.record.current:
            return
        self._open(PrescriptionDialog(self.ctx, self.person_id, self.record.pharmacies, self.record.today,
                                      self.record.current[-1], parent=self, new_dose=True))

    def write_to_pharmacy(self) -> None:
        self._open(WriteLetterDialog(self.ctx, self.person_id, self, letter_type=PHARMACY_LETTER))

    def offer_naloxone(self) -> None:
        open_person_action("naloxone_supply", self.ctx, self.person_id, self, opened=self._opened)

    def _opened(self, dialog: QDialog) -> None:
        self.dialog = dialog

    def sign_off(self) -> None:
        """Sign off the oldest review waiting for it."""
        if self.record is None:
            return
        waiting = [r for r in self.record.reviews if r.signed_off_at is None]
        if waiting:
            cmd = ost_reviews.SignOffReview(waiting[-1].id, waiting[-1].version)
            actor = self.ctx.actor
            self.ctx.write(self, ost_ops.sign_off_review(actor, cmd)).on_success(
                lambda _: self.refresh()).start()

    def _prescribe(self, *, change: bool) -> None:
        if self.record is None:
            return
        current = self.record.current[-1] if change and self.record.current else None
        self._open(PrescriptionDialog(self.ctx, self.person_id, self.record.pharmacies, self.record.today,
                                      current, parent=self))

    def _stop(self) -> None:
        if self.record is not None and self.record.current:
            self._open(StopDialog(self.ctx, self.record.current[-1], self.record.today, parent=self))
