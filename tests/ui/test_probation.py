"""Tests for ui.probation: record an order and a DNA, see it on the worklist,
batch print to PDF, mark sent."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from clinic.permissions import Role
from clinic.probation import Outcome
from clinic.services.probation import letters as probation_letters
from tests.clinic.services.probation_fixtures import active_order, outcome
from tests.conftest import add_person
from ui import ops
from ui.context import AppContext
from ui.probation import ProbationPage, ProbationTab

pytestmark = pytest.mark.gui


def _settle(qtbot, until) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: (ops.wait_for_all(), until())[1], timeout=10_000)


def test_dna_on_the_worklist_batch_print_and_mark_sent(qtbot, clinic, actors, tmp_path: Path) -> None:
    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    oid = active_order(clinic, liaison, pid)
    ctx = AppContext(clinic, liaison)
    tab = ProbationTab(ctx, pid)
    qtbot.addWidget(tab)
    _settle(qtbot, lambda: tab.view is not None)
    assert tab.view.order.id == oid
    outcome(clinic, liaison, oid, datetime(2026, 11, 20, 10), Outcome.UNACCEPTABLE_ABSENCE)
    page = ProbationPage(ctx)
    qtbot.addWidget(page)
    _settle(qtbot, lambda: page.data is not None)
    assert [n.kind for n in page.data.due_today] == ["non_attendance"]
    assert page.table.item(0, 1).text() == "EXAMPLE, Sam"
    saved: list[bytes] = []

    def save(pdf: bytes, parent) -> Path:  # type: ignore[no-untyped-def]
        saved.append(pdf)
        target = tmp_path / "batch.pdf"
        target.write_bytes(pdf)
        return target

    page.print = lambda pdf, parent: False  # the print dialog was cancelled
    page.batch_print()
    assert page.dialog.text().startswith("Print 1 letter (0 overdue, 1 due today)?")
    page.dialog.button(QMessageBox.StandardButton.Yes).click()
    _settle(qtbot, lambda: "nothing was filed" in page.status.text())
    with clinic.unit_of_work() as uow:
        assert [n.status for n in probation_letters.notifications_for_order(uow, liaison, oid)
                if n.kind == "non_attendance"] == ["due"]
    page.save = save
    page.batch_save()
    page.dialog.button(QMessageBox.StandardButton.Yes).click()
    _settle(qtbot, lambda: page.last_batch is not None)
    assert saved and saved[0].startswith(b"%PDF") and "1 letter made and filed" in page.status.text()
    _settle(qtbot, lambda: page.printed_table.rowCount() == 1)  # printed, not sent: still in view
    page.mark_sent(on=date(2026, 11, 23), method="post")
    _settle(qtbot, lambda: page.status.text() == "Marked 1 letter sent (post, 23/11/2026).")
    with clinic.unit_of_work() as uow:
        notes = probation_letters.notifications_for_order(uow, liaison, oid)
    assert ("non_attendance", "sent", "post") in {(n.kind, n.status, n.method) for n in notes}
    _settle(qtbot, lambda: page.data is not None and not page.data.due_today)
    page.grab().save(str(tmp_path / "page.png"))
    tab.grab().save(str(tmp_path / "tab.png"))


def test_lock_drops_the_data(qtbot, clinic, actors) -> None:
    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    active_order(clinic, liaison, pid)
    ctx = AppContext(clinic, liaison)
    tab = ProbationTab(ctx, pid)
    qtbot.addWidget(tab)
    _settle(qtbot, lambda: tab.view is not None)
    ctx.locked.emit()
    assert tab.picker.count() == 0 and tab.details.text() == ""


def test_amend_outcome_after_the_letter_went_makes_a_corrected_letter(qtbot, clinic, actors) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from clinic.services.probation import attendance
    from ui.probation.dialogs import AmendOutcomeDialog

    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    oid = active_order(clinic, liaison, pid)
    rec = outcome(clinic, liaison, oid, datetime(2026, 11, 19, 10), Outcome.UNACCEPTABLE_ABSENCE)
    with clinic.unit_of_work(write=True) as uow:
        probation_letters.batch_print(uow, liaison, [rec.notification_id])
        probation_letters.mark_sent(uow, liaison, probation_letters.MarkSent((rec.notification_id,),
                                                                             date(2026, 11, 23), "post"))
    ctx = AppContext(clinic, liaison)
    tab = ProbationTab(ctx, pid)
    qtbot.addWidget(tab)
    tab.resize(1100, 640)
    _settle(qtbot, lambda: tab.view is not None and tab.attendance.rowCount() == 1)
    assert not tab.buttons["amend"].isEnabled()  # nothing chosen yet
    tab.attendance.selectRow(0)
    assert tab.buttons["amend"].isEnabled()
    tab.buttons["amend"].click()
    dialog = tab.dialog
    assert isinstance(dialog, AmendOutcomeDialog) and dialog.outcome.currentData() == "unacceptable_absence"
    dialog.outcome.setCurrentIndex(dialog.outcome.findData(Outcome.ACCEPTABLE_ABSENCE.value))
    qtbot.keyClick(dialog.evidence, Qt.Key.Key_Return)  # Enter saves: the reason is missing
    assert dialog.reason_error.message == "Give the reason the absence was accepted." and dialog.isVisible()
    qtbot.keyClicks(dialog.reason, "Hospital admission")
    qtbot.keyClicks(dialog.evidence, "Discharge letter")
    qtbot.wait(50)  # let the layout make room for the error line
    dialog.grab().save("/tmp/shots/gap-probation-amend-dialog.png")
    qtbot.keyClick(dialog.evidence, Qt.Key.Key_Return)
    _settle(qtbot, lambda: "corrected letter" in tab.status.text())
    _settle(qtbot, lambda: tab.view is not None and tab.attendance.item(0, 1).text() == "Acceptable absence")
    texts = [(tab.letters.item(r, 1).text(), tab.letters.item(r, 2).text()) for r in range(tab.letters.rowCount())]
    assert ("Corrected: Non-attendance notification", "Due") in texts
    assert ("Non-attendance notification", "Superseded") in texts  # the letter that went stays on file
    tab.grab().save("/tmp/shots/gap-probation-amended-tab.png")
    with clinic.unit_of_work() as uow:
        row = attendance.attendance_for_order(uow, liaison, oid)[0]
    assert (row.outcome, row.absence_reason, row.evidence_seen) == (
        Outcome.ACCEPTABLE_ABSENCE, "Hospital admission", "Discharge letter")


def test_amend_unchanged_says_so_and_other_roles_cannot_amend(qtbot, clinic, actors) -> None:  # type: ignore[no-untyped-def]
    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    oid = active_order(clinic, liaison, pid)
    outcome(clinic, liaison, oid, datetime(2026, 11, 19, 10), Outcome.ATTENDED)
    tab = ProbationTab(AppContext(clinic, liaison), pid)
    qtbot.addWidget(tab)
    _settle(qtbot, lambda: tab.view is not None and tab.attendance.rowCount() == 1)
    tab.attendance.selectRow(0)
    tab.amend()
    tab.dialog.save()
    assert tab.dialog.outcome_error.message.startswith("Nothing has changed")
    manager = ProbationTab(AppContext(clinic, actors[Role.MANAGER]), pid)
    qtbot.addWidget(manager)
    assert not manager.buttons["amend"].isEnabled()


def test_probation_officers_list_add_and_correct(qtbot, clinic, actors) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from clinic.services.probation import orders
    from ui.probation.contacts import ContactsDialog

    liaison = actors[Role.PROBATION]
    active_order(clinic, liaison, add_person(clinic))
    ctx = AppContext(clinic, liaison)
    page = ProbationPage(ctx)
    qtbot.addWidget(page)
    page.contacts_button.click()
    dialog = page.dialog
    assert isinstance(dialog, ContactsDialog)
    qtbot.waitSignal(dialog.loaded, timeout=5000).wait()
    assert dialog.list.item(0).text() == "Olive Officer (Exampletown Probation Delivery Unit)"
    qtbot.keyClicks(dialog.editors["office"], "Northtown PDU")
    qtbot.keyClick(dialog.editors["office"], Qt.Key.Key_Return)  # Enter saves: no name
    assert dialog.errors["name"].message == "Enter the probation officer's name."
    qtbot.keyClicks(dialog.editors["name"], "Nadia Newofficer")
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        qtbot.keyClick(dialog.editors["name"], Qt.Key.Key_Return)
    assert dialog.current.name == "Nadia Newofficer"
    assert dialog.list.currentItem().text() == "Nadia Newofficer (Northtown PDU)  — no address or email"
    qtbot.keyClicks(dialog.editors["secure_email"], "nadia.newofficer@justice.gov.uk")
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        dialog.save()
    assert dialog.list.currentItem().text() == "Nadia Newofficer (Northtown PDU)"
    assert dialog.status.text() == "Saved."
    dialog.grab().save("/tmp/shots/gap-probation-officers.png")
    dialog.save()
    assert dialog.status.text() == "Nothing has changed."
    dialog.list.setFocus()
    dialog.list.setCurrentRow(1)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)  # Enter on the list opens the entry, it does not save
    assert dialog.editors["name"].text() == "Olive Officer" and dialog.status.text() == ""
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    with clinic.unit_of_work() as uow:
        new = next(c for c in orders.list_contacts(uow, liaison) if c.name == "Nadia Newofficer")
    assert new.secure_email == "nadia.newofficer@justice.gov.uk" and new.version == 2


def test_a_worklist_row_opens_the_record_on_its_probation_tab(qtbot, clinic, actors) -> None:  # type: ignore[no-untyped-def]
    """UI-33: Enter (and double-click) on a worklist row opens that person's
    record in the main window, straight on the Probation tab."""
    from PySide6.QtCore import Qt

    from ui.people.record import PersonRecordView
    from ui.shell.main_window import MainWindow

    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    oid = active_order(clinic, liaison, pid)
    outcome(clinic, liaison, oid, datetime(2026, 11, 20, 10), Outcome.UNACCEPTABLE_ABSENCE)
    main = MainWindow(AppContext(clinic, liaison), site_name="Test site", idle_minutes=60)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    page = main.page("Probation")
    _settle(qtbot, lambda: page.table.rowCount() > 0)
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    people = main.page("People")
    view = people.records.currentWidget()
    assert isinstance(view, PersonRecordView) and view.person_id == pid
    assert view.tabs.tabText(view.tabs.currentIndex()) == "Probation"
    _settle(qtbot, lambda: view.record is not None)
    main.grab().save("/tmp/shots/uifix-probation-open.png")
