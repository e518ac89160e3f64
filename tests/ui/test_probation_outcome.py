"""UI-32: Probation "Record outcome…" opens, refuses without a choice, and saves."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime

from clinic.permissions import Role
from clinic.probation import Outcome
from clinic.services.probation import attendance
from clinic.services.probation import letters as probation_letters
from tests.clinic.services.probation_fixtures import active_order
from tests.conftest import add_person
from ui import ops
from ui.context import AppContext
from ui.probation import ProbationTab
from ui.probation.dialogs import OutcomeDialog

pytestmark = pytest.mark.gui


def _settle(qtbot, until) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: (ops.wait_for_all(), until())[1], timeout=10_000)


def test_record_outcome_opens_refuses_an_empty_choice_and_saves(qtbot, clinic, actors) -> None:  # type: ignore[no-untyped-def]
    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    oid = active_order(clinic, liaison, pid)
    tab = ProbationTab(AppContext(clinic, liaison), pid)
    qtbot.addWidget(tab)
    _settle(qtbot, lambda: tab.view is not None)
    tab.buttons["outcome"].click()
    dialog = tab.dialog
    assert isinstance(dialog, OutcomeDialog) and dialog.isVisible()
    assert dialog.outcome.currentData() is None  # no answer is pre-filled
    dialog.when.setDateTime(QDateTime(QDate(2026, 11, 20), QTime(10, 0)))
    qtbot.keyClick(dialog.evidence, Qt.Key.Key_Return)
    assert dialog.errors["outcome"].message == "Choose the outcome." and dialog.isVisible()
    dialog.outcome.setCurrentIndex(dialog.outcome.findData(Outcome.UNACCEPTABLE_ABSENCE.value))
    qtbot.keyClick(dialog.evidence, Qt.Key.Key_Return)
    _settle(qtbot, lambda: not dialog.isVisible())
    assert "Probation must be told by the end of" in tab.status.text()
    with clinic.unit_of_work() as uow:
        rows = attendance.attendance_for_order(uow, liaison, oid)
        notes = probation_letters.notifications_for_order(uow, liaison, oid)
    assert [(r.occurred_at, r.outcome) for r in rows] == [(datetime(2026, 11, 20, 10), Outcome.UNACCEPTABLE_ABSENCE)]
    assert "non_attendance" in [n.kind for n in notes]


def test_record_outcome_in_the_future_is_refused_by_the_field(qtbot, clinic, actors) -> None:  # type: ignore[no-untyped-def]
    liaison = actors[Role.PROBATION]
    oid = active_order(clinic, liaison, add_person(clinic))
    dialog = OutcomeDialog(AppContext(clinic, liaison), oid)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.when.setDateTime(QDateTime(QDate(2026, 11, 30), QTime(10, 0)))
    dialog.outcome.setCurrentIndex(dialog.outcome.findData(Outcome.ATTENDED.value))
    dialog.save_button.click()
    _settle(qtbot, lambda: bool(dialog.errors["occurred_at"].message))
    assert "has not happened yet" in dialog.errors["occurred_at"].message and dialog.isVisible()


def test_drug_test_result_starts_unchosen_and_is_required(qtbot, clinic, actors) -> None:  # type: ignore[no-untyped-def]
    """UI-19: the drug test result is not pre-filled "negative"."""
    from ui.probation.dialogs import DrugTestDialog
    from ui.widgets.choice import CHOOSE

    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    oid = active_order(clinic, liaison, pid)
    tab = ProbationTab(AppContext(clinic, liaison), pid)
    qtbot.addWidget(tab)
    _settle(qtbot, lambda: tab.view is not None)
    tab.buttons["test"].click()
    dialog = tab.dialog
    assert isinstance(dialog, DrugTestDialog) and dialog.isVisible()
    assert dialog.result_choice.currentText() == CHOOSE
    qtbot.keyClicks(dialog.substance, "Opiates")
    qtbot.keyClick(dialog.substance, Qt.Key.Key_Return)
    assert dialog.errors["result"].message == "Choose the result." and dialog.isVisible()
    dialog.result_choice.setFocus()
    qtbot.keyClicks(dialog.result_choice, "Pos")
    assert dialog.result_choice.currentData() == "positive"
    qtbot.keyClick(dialog.substance, Qt.Key.Key_Return)
    _settle(qtbot, lambda: not dialog.isVisible())
    with clinic.unit_of_work() as uow:
        tests = attendance.drug_tests_for_order(uow, liaison, oid)
    assert [(t.substance, t.result) for t in tests] == [("Opiates", "positive")]
    _settle(qtbot, lambda: tab.tests.rowCount() == 1)  # the tab shows it at once
    assert [tab.tests.item(0, c).text() for c in (1, 2)] == ["Opiates", "positive"]


def test_the_probation_tab_shows_and_records_consent_to_share(qtbot, clinic, actors) -> None:  # type: ignore[no-untyped-def]
    """The liaison sees the consent record's answer for Probation and records
    a refusal in the consent dialog, fixed to Probation, by keyboard."""
    from clinic.safeguarding import RecipientKind
    from ui.widgets.consent_dialog import ConsentDialog

    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    active_order(clinic, liaison, pid)
    tab = ProbationTab(AppContext(clinic, liaison), pid)
    qtbot.addWidget(tab)
    _settle(qtbot, lambda: tab.view is not None)
    assert "Consent to share with Probation: no decision on the consent record" in tab.details.text()
    assert tab.buttons["share"].isEnabled()
    tab.buttons["share"].click()
    dialog = tab.dialog
    assert isinstance(dialog, ConsentDialog) and dialog.recipient_kind.currentData() == RecipientKind.PROBATION.value
    assert not dialog.recipient_kind.isEnabled() and dialog.decision.currentData() is None
    dialog.decision.setFocus()
    qtbot.keyClicks(dialog.decision, "Ref")
    dialog.how_recorded.setFocus()
    qtbot.keyClicks(dialog.how_recorded, "Sig")
    dialog.grab().save("/tmp/flows-probation-consent.png")
    qtbot.keyClick(dialog.how_recorded, Qt.Key.Key_Return)
    _settle(qtbot, lambda: not dialog.isVisible())
    _settle(qtbot, lambda: "refused on 23/11/2026" in tab.details.text())
    assert "no letter can go to Probation" in tab.details.text()
    tab.resize(1366, 768)
    tab.grab().save("/tmp/flows-probation-tab.png")
