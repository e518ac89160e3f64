"""Ending an order (closure letter due), withdrawing consent (letters stop,
the user is told whom to contact), the progress report's engagement summary,
worklist rows that open the person, and printed letters kept in view until
marked sent (UI-33, UI-34, UI-35, UI-36)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from clinic.permissions import Role
from clinic.probation import Outcome
from clinic.services.probation import letters as probation_letters
from clinic.services.probation import worklist as probation_worklist
from tests.clinic.services.probation_fixtures import active_order, outcome
from tests.conftest import add_person
from ui import ops
from ui.context import AppContext
from ui.probation import ProbationPage, ProbationTab
from ui.probation.order_end import EndOrderDialog, SummaryDialog, WithdrawConsentDialog
from ui.probation.sent_dialog import MarkSentDialog

pytestmark = pytest.mark.gui


def _settle(qtbot, until) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: (ops.wait_for_all(), until())[1], timeout=10_000)


def _tab(qtbot, clinic, actor, pid) -> ProbationTab:  # type: ignore[no-untyped-def]
    tab = ProbationTab(AppContext(clinic, actor), pid)
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    _settle(qtbot, lambda: tab.view is not None)
    return tab


def _letters(tab: ProbationTab) -> list[tuple[str, str]]:
    return [(tab.letters.item(r, 1).text(), tab.letters.item(r, 2).text()) for r in range(tab.letters.rowCount())]


def test_end_the_order_and_the_closure_letter_is_due(qtbot, clinic, actors) -> None:  # type: ignore[no-untyped-def]
    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    active_order(clinic, liaison, pid)
    tab = _tab(qtbot, clinic, liaison, pid)
    assert tab.buttons["end"].isEnabled()
    tab.buttons["end"].click()
    dialog = tab.dialog
    assert isinstance(dialog, EndOrderDialog) and dialog.how.currentData() is None
    qtbot.keyClick(dialog.on, Qt.Key.Key_Return)
    assert dialog.errors["status"].message == "Choose how the order ended." and dialog.isVisible()
    dialog.how.setCurrentIndex(dialog.how.findData("completed"))
    dialog.grab().save("/tmp/shots/loops-end-order.png")
    qtbot.keyClick(dialog.on, Qt.Key.Key_Return)
    _settle(qtbot, lambda: "closure letter" in tab.status.text())
    assert tab.status.text().startswith("Order ended (completed). A closure letter to Probation is due by ")
    _settle(qtbot, lambda: ("Closure letter", "Due") in _letters(tab))
    assert ("Progress report", "Cancelled") in _letters(tab)
    assert not tab.buttons["end"].isEnabled() and "completed, ended 23/11/2026" in tab.details.text()
    tab.grab().save("/tmp/shots/loops-probation-tab-ended.png")


def test_withdraw_consent_stops_letters_and_says_whom_to_contact(qtbot, clinic, actors) -> None:  # type: ignore[no-untyped-def]
    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    oid = active_order(clinic, liaison, pid)
    outcome(clinic, liaison, oid, datetime(2026, 11, 20, 10), Outcome.UNACCEPTABLE_ABSENCE)
    tab = _tab(qtbot, clinic, liaison, pid)
    tab.buttons["consent"].click()
    dialog = tab.dialog
    assert isinstance(dialog, WithdrawConsentDialog)
    assert any("contact Olive Officer yourself" in label.text() for label in dialog.findChildren(QLabel))
    dialog.on.setDate(dialog.on.date().addYears(-1))  # before consent was signed
    dialog.save_button.click()
    _settle(qtbot, lambda: bool(dialog.errors["on"].message))
    assert "cannot be withdrawn before that" in dialog.errors["on"].message
    dialog.on.setDate(dialog.on.date().addYears(1))
    dialog.save_button.click()
    _settle(qtbot, lambda: "No letters will be sent" in tab.status.text())
    assert "contact Olive Officer on 01234 111222" in tab.status.text()
    _settle(qtbot, lambda: "Consent to share was withdrawn" in tab.warnings.text())
    assert not tab.buttons["consent"].isEnabled()
    with clinic.unit_of_work() as uow:
        work = probation_worklist.worklist(uow, liaison)
    assert not work.printable_today and [n.blocked for n in work.due_today] == ["Consent withdrawn: contact Probation"]


def test_progress_report_summary_is_written_before_it_prints(qtbot, clinic, actors) -> None:  # type: ignore[no-untyped-def]
    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    oid = active_order(clinic, liaison, pid, hearings=(date(2026, 11, 27),))
    with clinic.unit_of_work() as uow:
        work = probation_worklist.worklist(uow, liaison)
    report = next(n for n in work.overdue + work.due_today + work.upcoming if n.kind == "progress_report")
    assert report.blocked == "Write the engagement summary first (Probation tab)"
    tab = _tab(qtbot, clinic, liaison, pid)
    row = next(r for r in range(tab.letters.rowCount()) if tab.letters.item(r, 1).text() == "Progress report")
    tab.letters.setFocus()
    tab.letters.selectRow(row)
    assert tab.buttons["summary"].isEnabled()
    qtbot.keyClick(tab.letters, Qt.Key.Key_Return)  # Enter on the report opens its summary
    dialog = tab.dialog
    assert isinstance(dialog, SummaryDialog)
    qtbot.keyClicks(dialog.text, "Attends well; methadone dose is stable.")
    dialog.save_button.click()
    _settle(qtbot, lambda: bool(dialog.errors["summary"].message))
    assert "Clinical details are never shared" in dialog.errors["summary"].message and dialog.isVisible()
    dialog.text.setPlainText("Sam has attended every appointment since September and takes part in group work.")
    dialog.grab().save("/tmp/shots/loops-summary.png")
    dialog.save_button.click()
    _settle(qtbot, lambda: tab.status.text() == "Engagement summary saved: it prints in the report.")
    with clinic.unit_of_work() as uow:
        letter = probation_letters.letter_data(uow, liaison, report.id)
        assert not probation_worklist.owed(uow, until=date(2026, 12, 31), ids=[report.id])[0].blocked
    assert letter.engagement_summary.startswith("Sam has attended every appointment")
    assert oid


def test_worklist_rows_open_the_person_and_printed_letters_stay_until_sent(qtbot, clinic, actors, tmp_path) -> None:  # type: ignore[no-untyped-def]
    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    oid = active_order(clinic, liaison, pid)
    active_order(clinic, liaison, add_person(clinic, "Other", "Alex"))
    outcome(clinic, liaison, oid, datetime(2026, 11, 19, 10), Outcome.UNACCEPTABLE_ABSENCE)
    outcome(clinic, liaison, oid, datetime(2026, 11, 20, 10), Outcome.UNACCEPTABLE_ABSENCE)
    page = ProbationPage(AppContext(clinic, liaison))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    _settle(qtbot, lambda: page.data is not None)
    assert page.print_button.text() == "&Print everything due (2, 1 overdue)…"
    assert not page.breach.isHidden() and "EXAMPLE, Sam (DRR)" in page.breach.text()  # two absences: the threshold
    opened: list[tuple[int, str]] = []
    page.open_person.connect(lambda person, tab: opened.append((person, tab)))
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened == [(pid, "Probation")]
    page.save = lambda pdf, parent: (tmp_path / "b.pdf").write_bytes(pdf) and tmp_path / "b.pdf"  # type: ignore[assignment]
    page.batch_save()
    box = page.dialog
    assert isinstance(box, QMessageBox)
    assert box.text().startswith("Save as one PDF 2 letters (1 overdue, 1 due today)?")
    box.button(QMessageBox.StandardButton.Yes).click()
    _settle(qtbot, lambda: page.printed_table.rowCount() == 2 and not page.data.printable_today)
    assert page.sent_button.text() == "&Mark printed letters sent (2)…"
    page.grab().save("/tmp/shots/loops-probation-page-printed.png")
    page.mark_sent()
    dialog = page.dialog
    assert isinstance(dialog, MarkSentDialog) and dialog.windowTitle() == "Mark 2 printed letters sent"
    assert dialog.method.currentData() == "secure_email"  # the batch was saved as a PDF
    dialog.list.item(1).setCheckState(Qt.CheckState.Unchecked)
    dialog.grab().save("/tmp/shots/loops-mark-sent.png")
    dialog.save_button.click()
    _settle(qtbot, lambda: page.status.text().startswith("Marked 1 letter sent"))
    assert page.status.text() == "Marked 1 letter sent (secure email (sent outside harbour), 23/11/2026)."
    _settle(qtbot, lambda: page.printed_table.rowCount() == 1)


def test_ending_an_order_can_cancel_its_later_required_appointments(qtbot, clinic, actors) -> None:  # type: ignore[no-untyped-def]
    from clinic.services.appointments import book as appointments_book
    from clinic.services.probation import attendance

    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    oid = active_order(clinic, liaison, pid, hearings=())
    with clinic.unit_of_work(write=True) as uow:
        booked = attendance.book_required(uow, liaison, attendance.BookRequired(
            oid, actors[Role.NURSE].staff_id, datetime(2026, 11, 24, 10)))
    tab = _tab(qtbot, clinic, liaison, pid)
    tab.buttons["end"].click()
    dialog = tab.dialog
    n = len(booked.appointment_ids)
    _settle(qtbot, lambda: not dialog.cancel_bookings.isHidden())
    assert dialog.cancel_bookings.text() == f"Cancel the {n} &required appointments booked after the end date"
    dialog.how.setCurrentIndex(dialog.how.findData("breached"))
    dialog.cancel_bookings.setChecked(True)
    dialog.save_button.click()
    _settle(qtbot, lambda: "cancelled" in tab.status.text())
    assert f"{n} required appointments after the end cancelled." in tab.status.text()
    with clinic.unit_of_work() as uow:
        rows = appointments_book.person_appointments(uow, liaison, pid)
    assert {r.status for r in rows} == {"cancelled_service"}
