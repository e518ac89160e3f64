"""A person's BBV testing: where they stand for each virus at a glance, the
tests still open (result awaited, or not yet given), and the history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog, QGridLayout, QHBoxLayout, QLabel, QPushButton, QTableWidgetItem, QVBoxLayout, QWidget,
)

from clinic.bbv import Result, Virus
from clinic.dates import uk_date
from clinic.permissions import Actor, Permission
from clinic.services import bbv as svc
from clinic.uow import UnitOfWork
from ui.bbv.dialogs import GivenDialog, OfferDialog, ReferralDialog, ResultDialog, TestDialog
from ui.context import AppContext
from ui.operations import bbv as bbv_ops
from ui.widgets.record_tab import RecordTab
from ui.widgets.reason_dialog import ReasonDialog
from ui.widgets.table import table

ALERT = QColor("#b00020")
STATE_TEXT = {"awaiting": "Result awaited", "to_give": "Result not yet given"}


@dataclass(frozen=True)
class _View:
    overview: svc.BbvOverview
    today: date
    retest_months: int


def _read(uow: UnitOfWork, actor: Actor, person_id: int) -> _View:
    return _View(svc.overview(uow, actor, person_id), uow.clock.today(), uow.settings["bbv.hcv_retest_months"])


class BbvTab(RecordTab):
    """``BbvTab(ctx, person_id, parent=None)``; loads when first shown."""

    view: _View | None

    def __init__(self, ctx: AppContext, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, person_id, _read, (svc.AREA, "people"), parent)
        self.status_grid = QGridLayout()
        self.status_labels: dict[str, QLabel] = {}
        for i, virus in enumerate(Virus):
            name = QLabel(f"<b>{virus.label}</b>")
            value = QLabel()
            value.setWordWrap(True)
            value.setAccessibleName(f"{virus.label} status")
            self.status_grid.addWidget(name, i, 0)
            self.status_grid.addWidget(value, i, 1)
            self.status_labels[virus.value] = value
        self.status_grid.setColumnStretch(1, 1)
        self.retest = QLabel()
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, text, slot in (
            ("offer", "&Offered…", lambda: self._open_offer(False)),
            ("decline", "&Declined…", lambda: self._open_offer(True)),
            ("test", "&Sample taken…", self._open_sample),
            ("result", "&Result…", self._open_result),
            ("given", "Result gi&ven…", self._open_given),
            ("refer", "Referra&l…", self._open_referral),
            ("void", "&Correct entry…", self._open_void),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            button.setVisible(ctx.can(Permission.BBV_WRITE))
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        self.open_tests = table(("Test", "Taken", "Where it stands", "Next step"))
        self.open_tests.setMaximumHeight(140)
        self.open_tests.currentCellChanged.connect(lambda *_: self._enable())
        self.open_tests.activated.connect(lambda _i: self._open_result_or_given())
        self.history = table(("Date", "Virus", "What", "Detail"))
        self.history.currentCellChanged.connect(lambda *_: self._enable())
        layout = QVBoxLayout(self)
        layout.addLayout(self.status_grid)
        layout.addWidget(self.retest)
        layout.addLayout(row)
        layout.addWidget(QLabel("Open tests"))
        layout.addWidget(self.open_tests)
        layout.addWidget(QLabel("History"))
        layout.addWidget(self.history, 1)
        self._enable()

    def _clear(self) -> None:
        for label in self.status_labels.values():
            label.clear()
        self.retest.clear()
        self.open_tests.setRowCount(0)
        self.history.setRowCount(0)
        self._enable()

    def _show(self, view: _View) -> None:
        self.view = view
        for status in view.overview.statuses:
            label = self.status_labels[status.virus.value]
            label.setText(status.summary)
            label.setStyleSheet("color: #b00020; font-weight: bold;" if status.referral_needed else "")
        due = view.overview.hcv_retest_due
        if due is not None:
            late = " — overdue" if due < view.today else ""
            self.retest.setText(f"Injects: hepatitis C re-test due {uk_date(due)}{late}.")
        elif view.overview.injects and self.status_labels[Virus.HEPATITIS_C.value].text().startswith(
                ("Never", "Offered", "Declined")):
            self.retest.setText("Injects: offer hepatitis C testing at least every "
                                f"{view.retest_months} months.")
        else:
            self.retest.clear()
        tests = view.overview.open_tests
        self.open_tests.setRowCount(len(tests))
        for i, t in enumerate(tests):
            cells = (t.test.label, uk_date(t.taken_on),
                     STATE_TEXT[t.state] + (f" ({t.result.value})" if t.result else ""), t.next_step)
            for c, text in enumerate(cells):
                self.open_tests.setItem(i, c, QTableWidgetItem(text))
        history = view.overview.history
        self.history.setRowCount(len(history))
        for i, e in enumerate(history):
            cells = (uk_date(e.on), e.virus.label, e.description, e.detail)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if e.voided:
                    font = item.font()
                    font.setStrikeOut(True)
                    item.setFont(font)
                elif e.result is Result.POSITIVE:
                    item.setForeground(QBrush(ALERT))
                self.history.setItem(i, c, item)
        self._enable()
        self.loaded.emit()

    # --- selection and actions ---------------------------------------------------

    def _current_test(self) -> svc.OpenTest | None:
        row = self.open_tests.currentRow()
        if self.view is None or not 0 <= row < len(self.view.overview.open_tests):
            return None
        return self.view.overview.open_tests[row]

    def _event(self) -> svc.EventRow | None:
        row = self.history.currentRow()
        if self.view is None or not 0 <= row < len(self.view.overview.history):
            return None
        event = self.view.overview.history[row]
        return None if event.voided else event

    def _enable(self) -> None:
        loaded, test = self.view is not None, self._current_test()
        for key in ("offer", "decline", "test", "refer"):
            self.buttons[key].setEnabled(loaded)
        self.buttons["result"].setEnabled(test is not None and test.state == "awaiting")
        self.buttons["given"].setEnabled(test is not None and test.state == "to_give")
        self.buttons["void"].setEnabled(self._event() is not None)

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()

    def _open_offer(self, declined: bool) -> None:
        if self.view is not None:
            self._open(OfferDialog(self.ctx, self.person_id, self.view.today, declined=declined, parent=self))

    def _open_sample(self) -> None:
        if self.view is not None:
            self._open(TestDialog(self.ctx, self.person_id, self.view.today, self))

    def _open_result(self) -> None:
        test = self._current_test()
        if self.view is not None and test is not None and test.state == "awaiting":
            self._open(ResultDialog(self.ctx, test, self.view.today, self.view.retest_months, self))

    def _open_given(self) -> None:
        test = self._current_test()
        if self.view is not None and test is not None and test.state == "to_give":
            self._open(GivenDialog(self.ctx, test, self.view.today, self))

    def _open_result_or_given(self) -> None:
        test = self._current_test()
        if test is not None:
            (self._open_result if test.state == "awaiting" else self._open_given)()

    def _open_referral(self) -> None:
        if self.view is None:
            return
        needing = next((s.virus for s in self.view.overview.statuses if s.referral_needed), None)
        self._open(ReferralDialog(self.ctx, self.person_id, self.view.today, needing, self))

    def _open_void(self) -> None:
        event = self._event()
        if event is None:
            return
        actor, event_id = self.ctx.actor, event.id
        self._open(ReasonDialog(
            self.ctx, f"Correct: {event.description}", "&Why is it wrong?",
            lambda reason: bbv_ops.void_event(actor, svc.VoidEvent(event_id, reason)), self))
