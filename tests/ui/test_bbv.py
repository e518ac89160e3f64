"""Tests for ui.bbv: the person's BBV tab and its dialogs."""

from __future__ import annotations

import os
from datetime import date

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from clinic.bbv import Result, SampleType, TestKind, Virus
from clinic.permissions import Actor, Role
from clinic.uow import Clinic
from tests.conftest import add_person
from ui import ops
from clinic.services import bbv as svc
from ui.bbv.dialogs import GivenDialog, OfferDialog, ReferralDialog, ResultDialog, TestDialog
from ui.widgets.form_dialog import FormDialog
from ui.bbv.tab import BbvTab
from ui.context import AppContext

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]
SHOTS = os.environ.get("HARBOUR_SHOTS")
TODAY = date(2026, 11, 23)


@pytest.fixture
def ctx_role() -> Role:
    return Role.NURSE


def open_tab(qtbot: QtBot, ctx: AppContext, person: int) -> BbvTab:
    tab = BbvTab(ctx, person)
    qtbot.addWidget(tab)
    tab.resize(1000, 620)
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        tab.show()
    return tab


def test_record_offer_test_result_given_and_referral(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    person = add_person(clinic, injects=True)
    tab = open_tab(qtbot, ctx, person)
    assert tab.status_labels[Virus.HEPATITIS_C.value].text() == "Never tested"

    tab.buttons["offer"].click()
    offer = tab.dialog
    assert isinstance(offer, OfferDialog)
    offer.save_button.click()  # nothing chosen: said next to the field
    assert offer.errors["viruses"].message == "Choose at least one virus."
    offer.viruses[1][0].setChecked(True)  # hepatitis C
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        offer.save_button.click()
    assert "Offered on 23 November 2026" in tab.status_labels[Virus.HEPATITIS_C.value].text()

    tab.buttons["test"].click()
    sample = tab.dialog
    assert isinstance(sample, TestDialog)
    next(c for c, t in sample.tests if t is TestKind.HCV_RNA).setChecked(True)
    sample.taken_on.setDate(QDate(2026, 11, 9))
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        sample.save_button.click()
    assert tab.open_tests.rowCount() == 1
    assert tab.open_tests.item(0, 2).text() == "Result awaited"

    tab.open_tests.setCurrentCell(0, 0)
    tab.buttons["result"].click()
    result = tab.dialog
    assert isinstance(result, ResultDialog)
    assert result.result_choice.currentText() == "(choose)" and result.next.text() == ""  # never pre-filled (UI-19)
    result.save_button.click()
    assert result.errors["result"].message == "Choose the result."
    result.result_choice.setCurrentIndex(result.result_choice.findData(Result.NEGATIVE.value))
    result.result_on.setDate(QDate(2026, 11, 8))
    result.save_button.click()  # before the sample: refused next to the date
    assert "before the sample was taken" in result.errors["result_on"].message
    result.result_choice.setCurrentIndex(result.result_choice.findData(Result.POSITIVE.value))
    assert "refer to hepatology" in result.next.text()
    result.result_on.setDate(QDate(2026, 11, 16))
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        result.save_button.click()
    hcv = tab.status_labels[Virus.HEPATITIS_C.value]
    assert hcv.text() == "Positive (tested 9 November 2026) — referral needed"
    assert "b00020" in hcv.styleSheet()
    assert tab.open_tests.item(0, 2).text() == "Result not yet given (positive)"
    if SHOTS:
        tab.grab().save(os.path.join(SHOTS, "bbv-tab.png"))

    tab.buttons["refer"].click()
    referral = tab.dialog
    assert isinstance(referral, ReferralDialog)
    assert referral.virus.currentData() == Virus.HEPATITIS_C.value
    referral.save_button.click()  # consent is never assumed: refused next to it
    qtbot.waitUntil(lambda: "consents" in referral.errors["consent"].message, timeout=5000)
    referral.consent.setCurrentIndex(referral.consent.findData("given"))
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        referral.save_button.click()
    assert hcv.text() == "Positive (tested 9 November 2026) — referred on 23 November 2026"


def test_probation_is_refused_and_sees_nothing(qtbot: QtBot, clinic: Clinic, actors: dict[Role, Actor]) -> None:
    ctx = AppContext(clinic, actors[Role.PROBATION])
    tab = BbvTab(ctx, add_person(clinic))
    qtbot.addWidget(tab)
    with qtbot.waitSignal(ctx.error_shown, timeout=5000) as shown:
        tab.show()
    assert "does not allow" in shown.args[0]
    assert all(label.text() == "" for label in tab.status_labels.values())
    assert not tab.buttons["offer"].isVisible()
    ops.wait_for_all()


def test_lock_drops_client_data(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    tab = open_tab(qtbot, ctx, add_person(clinic))
    assert tab.status_labels[Virus.HIV.value].text() == "Never tested"
    ctx.locked.emit()
    assert tab.status_labels[Virus.HIV.value].text() == "" and tab.view is None


def _refused_at(qtbot: QtBot, dialog: FormDialog, field: str, words: str) -> None:
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.save_button.click()
    qtbot.waitUntil(lambda: words in dialog.errors[field].message, timeout=5000)
    assert dialog.isVisible() and dialog.error.message == ""


def test_each_dialog_puts_the_services_refusal_by_the_field_it_names(qtbot: QtBot, ctx: AppContext,
                                                                     clinic: Clinic) -> None:
    """The service says which field it refuses (clinic.errors.Refused.field); no words are matched."""
    person = add_person(clinic)
    tomorrow = date(2026, 11, 24)  # a dialog still open from a later day than the service's clock
    offer = OfferDialog(ctx, person, tomorrow, declined=True)
    offer.viruses[0][0].setChecked(True)
    _refused_at(qtbot, offer, "on", "in the future")
    sample = TestDialog(ctx, person, tomorrow)
    sample.tests[0][0].setChecked(True)
    _refused_at(qtbot, sample, "taken_on", "in the future")
    _refused_at(qtbot, ReferralDialog(ctx, person, tomorrow), "on", "in the future")

    with clinic.unit_of_work(write=True) as uow:
        svc.record_test(uow, ctx.actor, svc.RecordTest(person, (TestKind.HIV,), SampleType.VENOUS,
                                                       date(2026, 11, 2)))
    with clinic.unit_of_work() as uow:
        test = svc.overview(uow, ctx.actor, person).open_tests[0]
    _refused_at(qtbot, GivenDialog(ctx, test, TODAY), "given_on", "Enter the result before")
    with clinic.unit_of_work(write=True) as uow:
        svc.record_result(uow, ctx.actor, svc.RecordResult(test.id, Result.NEGATIVE, date(2026, 11, 9)))
    again = ResultDialog(ctx, test, TODAY)  # opened before someone else recorded the result
    again.result_choice.setCurrentIndex(again.result_choice.findData(Result.NEGATIVE.value))
    _refused_at(qtbot, again, "result", "already has a result")
