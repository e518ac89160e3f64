"""BBV forms: offer or decline, test taken, result, result given, referral,
and correcting an entry. Each field says what is wrong next to it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from clinic import bbv
from clinic.bbv import Result, SampleType, TestKind, Virus
from clinic.services import bbv as svc
from clinic.uow import UnitOfWork
from clinic.dates import uk_date
from ui.context import AppContext
from ui.operations import bbv as bbv_ops
from ui.widgets.choice import choice_box, chosen
from ui.widgets.write_dialog import date_edit, date_of
from ui.widgets.form_dialog import FormDialog

TESTS = tuple(t for t in TestKind if t is not TestKind.ANTI_HBS)  # anti-HBs: the vaccination tab
REFERRAL_PLACES = ("Hepatology, General Hospital", "HIV clinic, General Hospital", "Sexual health clinic")


def _checks(labels: list[tuple[str, object]]) -> tuple[QWidget, list[tuple[QCheckBox, object]]]:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    checks = []
    for label, value in labels:
        check = QCheckBox(label)
        row.addWidget(check)
        checks.append((check, value))
    row.addStretch(1)
    return box, checks


class OfferDialog(FormDialog):
    """``declined=False``: tests offered; ``True``: offer declined (reason optional)."""

    def __init__(self, ctx: AppContext, person_id: int, today: date, *, declined: bool,
                 preselect: tuple[Virus, ...] = (), parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Testing declined" if declined else "Testing offered", parent)
        self.person_id, self.declined = person_id, declined
        box, self.viruses = _checks([(v.label, v) for v in Virus])
        for check, value in self.viruses:
            check.setChecked(value in preselect)
        self.on = date_edit(today, maximum=today)
        self.reason = QLineEdit()
        self.field("viruses", "&Tests for", box)
        self.viruses[0][0].setFocus()
        self.field("on", "&Date", self.on)
        if declined:
            self.field("reason", "&Reason (optional)", self.reason)

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        chosen = tuple(v for c, v in self.viruses if c.isChecked())
        if not chosen:
            self.show_field_error("viruses", "Choose at least one virus.")
            return None
        actor, on = self.ctx.actor, date_of(self.on)
        if self.declined:
            dec = svc.RecordDecline(self.person_id, chosen, on, self.reason.text())  # type: ignore[arg-type]
            return bbv_ops.record_decline(actor, dec)
        off = svc.RecordOffer(self.person_id, chosen, on)  # type: ignore[arg-type]
        return bbv_ops.record_offer(actor, off)


class TestDialog(FormDialog):
    """One sample, one or more tests on it."""

    __test__ = False  # not a pytest class

    def __init__(self, ctx: AppContext, person_id: int, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Sample taken for testing", parent)
        self.person_id = person_id
        first, self.tests = _checks([(t.label, t) for t in TESTS[:3]])
        second, more = _checks([(t.label, t) for t in TESTS[3:]])
        self.tests += more
        self.sample = QComboBox()
        for s in SampleType:
            self.sample.addItem(s.label, s.value)  # Qt hands enums back as str
        self.taken_on = date_edit(today, maximum=today)
        self.field("tests", "&Tests", first)
        self.form.addRow("", second)
        self.field("sample", "&Sample", self.sample)
        self.field("taken_on", "Taken &on", self.taken_on)

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        chosen = tuple(t for c, t in self.tests if c.isChecked())
        if not chosen:
            self.show_field_error("tests", "Choose at least one test.")
            return None
        cmd = svc.RecordTest(self.person_id, chosen, SampleType(self.sample.currentData()), date_of(self.taken_on))  # type: ignore[arg-type]
        actor = self.ctx.actor
        return bbv_ops.record_test(actor, cmd)


class ResultDialog(FormDialog):
    """The result of one test, with what to do next shown as it is chosen."""

    def __init__(self, ctx: AppContext, test: svc.OpenTest, today: date, retest_months: int = 12,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"Result: {test.test.label}", parent)
        self.test, self.months = test, retest_months
        self.result_choice = choice_box((r.value.capitalize(), r.value) for r in Result)  # never pre-filled (UI-19)
        self.result_on = date_edit(today, maximum=today)
        self.next = QLabel()
        self.next.setWordWrap(True)
        self.form.addRow("Sample taken", QLabel(uk_date(test.taken_on)))
        self.field("result", "&Result", self.result_choice)
        self.field("result_on", "Date recei&ved", self.result_on)
        self.form.addRow("Next step", self.next)
        self.result_choice.currentIndexChanged.connect(self._next)
        self._next()

    def _next(self) -> None:
        value = chosen(self.result_choice)
        self.next.setText("" if value is None else bbv.next_step(self.test.test, Result(value),
                                                                 retest_months=self.months))

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        if chosen(self.result_choice) is None:
            self.show_field_error("result", "Choose the result.")
            return None
        on = date_of(self.result_on)
        if on < self.test.taken_on:
            self.show_field_error("result_on", "The result date is before the sample was taken.")
            return None
        cmd, actor = svc.RecordResult(self.test.id, Result(self.result_choice.currentData()), on), self.ctx.actor
        return bbv_ops.record_result(actor, cmd)


class GivenDialog(FormDialog):
    def __init__(self, ctx: AppContext, test: svc.OpenTest, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"Result given: {test.test.label}", parent)
        self.test = test
        self.given_on = date_edit(today, maximum=today)
        self.field("given_on", "Result &given to the person on", self.given_on)

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        cmd, actor = svc.RecordResultGiven(self.test.id, date_of(self.given_on)), self.ctx.actor
        return bbv_ops.record_result_given(actor, cmd)


class ReferralDialog(FormDialog):
    def __init__(self, ctx: AppContext, person_id: int, today: date, virus: Virus | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Referral", parent)
        self.person_id = person_id
        self.virus = QComboBox()
        for v in Virus:
            self.virus.addItem(v.label, v.value)
        if virus is not None:
            self.virus.setCurrentIndex(list(Virus).index(virus))
        self.to = QComboBox()
        self.to.setEditable(True)
        self.to.addItems(list(REFERRAL_PLACES))
        self.on = date_edit(today, maximum=today)
        self.consent = QComboBox()  # starts unanswered: consent is never assumed
        for label, value in (("— choose —", ""), ("Given", "given"), ("Refused", "refused")):
            self.consent.addItem(label, value)
        self.field("virus", "&For", self.virus)
        self.field("referred_to", "Referred &to", self.to)
        self.field("on", "&Date", self.on)
        self.field("consent", "&Consent to the referral", self.consent)

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        if not self.to.currentText().strip():
            self.show_field_error("referred_to", "Say who the person was referred to.")
            return None
        cmd = svc.RecordReferral(self.person_id, Virus(self.virus.currentData()), self.to.currentText(),
                                 date_of(self.on), consent=self.consent.currentData())
        actor = self.ctx.actor
        return bbv_ops.record_referral(actor, cmd)
