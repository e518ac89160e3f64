"""The probation liaison worker's day, from the screens (issue 14 acceptance):
a DRR appointment booked from the appointment book, marked did-not-attend
from Today, the notification on the Probation worklist with the right due
date, printed in a batch (to a PDF file) and marked sent; then the order
ended and its closure letter printed."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import QMessageBox

from clinic.clock import SITE_TZ
from clinic.permissions import Role
from clinic.services.probation import letters as probation_letters
from tests.clinic.services.probation_fixtures import active_order
from tests.conftest import add_person
from tests.ui.test_probation_links import _drr_type
from ui import ops
from ui.appointments.page import AppointmentBookPage
from ui.context import AppContext
from ui.probation import ProbationPage, ProbationTab
from ui.probation.order_end import EndOrderDialog
from ui.probation.sent_dialog import MarkSentDialog
from ui.today.page import TodayPage

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]
SHOTS = Path("/tmp/shots")


def _settle(qtbot, until) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: (ops.wait_for_all(), until())[1], timeout=10_000)


def _as_png(pdf: Path) -> None:
    """The letters as pictures, to look at (when poppler is installed)."""
    if shutil.which("pdftoppm") and SHOTS.is_dir():
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(SHOTS / pdf.stem)], check=False)


def _notes(clinic, liaison, oid) -> dict[str, tuple[str, date]]:  # type: ignore[no-untyped-def]
    with clinic.unit_of_work() as uow:
        return {n.kind: (n.status, n.due_on) for n in probation_letters.notifications_for_order(uow, liaison, oid)}


def test_the_liaison_workers_day(qtbot, clinic, actors, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    liaison = actors[Role.PROBATION]
    pid = add_person(clinic, "Ali", "David")
    oid = active_order(clinic, liaison, pid, hearings=())
    ctx = AppContext(clinic, liaison)

    # 1. Monday 23 November, 10:00: book the DRR appointment for 10:30 from the book.
    book = AppointmentBookPage(ctx)
    qtbot.addWidget(book)
    dialog = book.book_selected(person_id=pid, person_name="David Ali")
    _settle(qtbot, lambda: dialog.ok.isEnabled())
    drr = _drr_type(clinic, liaison)
    dialog.kind.setCurrentIndex(next(i for i in range(dialog.kind.count()) if dialog.kind.itemData(i)[0] == drr))
    dialog.clinician.setCurrentIndex(dialog.clinician.findData(liaison.staff_id))
    _settle(qtbot, lambda: dialog.order.loaded and dialog.form.isRowVisible(dialog.order))
    assert dialog.order.combo.currentData() == oid
    dialog.date.setDate(QDate(2026, 11, 23))
    dialog.time.setTime(QTime(10, 30))
    with qtbot.waitSignal(dialog.booked, timeout=10_000):
        dialog.ok.click()

    # 2. 12:00: he did not come. Marked DNA from Today, which says what it will do.
    clock.at = datetime(2026, 11, 23, 12, tzinfo=SITE_TZ)
    today = TodayPage(ctx)
    qtbot.addWidget(today)
    outcomes = today.outcomes
    assert outcomes is not None
    _settle(qtbot, lambda: len(outcomes.rows) == 1)
    outcomes.table.selectRow(0)
    outcomes.buttons["dna"].click()
    _settle(qtbot, lambda: outcomes.marker.box is not None and outcomes.marker.box.isVisible())
    assert "non-attendance letter to Probation due by 24 November 2026" in outcomes.marker.box.text()
    outcomes.marker.box.button(QMessageBox.StandardButton.Yes).click()
    _settle(qtbot, lambda: "Probation must be told by the end of 24 November 2026" in outcomes.notice.text())
    assert _notes(clinic, liaison, oid)["non_attendance"] == ("due", date(2026, 11, 24))

    # 3. Tuesday 24 November: on the worklist, due today; saved as one PDF, then marked sent.
    clock.at = datetime(2026, 11, 24, 9, tzinfo=SITE_TZ)
    page = ProbationPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    _settle(qtbot, lambda: page.data is not None)
    assert [(n.kind, n.due_on, n.person_name) for n in page.data.due_today] == [
        ("non_attendance", date(2026, 11, 24), "ALI, David")]
    assert page.table.item(0, 0).text() == "24/11/2026"
    page.grab().save(str(SHOTS / "loops-day-worklist.png"))
    batch_pdf = tmp_path / "loops-day-batch.pdf"
    page.save = lambda pdf, parent: (batch_pdf.write_bytes(pdf), batch_pdf)[1]  # the file chooser, answered
    page.batch_save()
    assert page.dialog.text().startswith("Save as one PDF 1 letter (0 overdue, 1 due today)?")
    page.dialog.button(QMessageBox.StandardButton.Yes).click()
    _settle(qtbot, lambda: page.printed_table.rowCount() == 1)
    assert batch_pdf.read_bytes().startswith(b"%PDF")
    page.sent_button.click()
    sent = page.dialog
    assert isinstance(sent, MarkSentDialog) and sent.method.currentData() == "secure_email"
    sent.save_button.click()
    _settle(qtbot, lambda: page.status.text() == "Marked 1 letter sent (secure email (sent outside harbour), "
                                                 "24/11/2026).")
    _settle(qtbot, lambda: page.printed_table.rowCount() == 0)
    assert _notes(clinic, liaison, oid)["non_attendance"] == ("sent", date(2026, 11, 24))

    # 4. The court ends the order: the closure letter is due, and printed on its day.
    tab = ProbationTab(ctx, pid)
    qtbot.addWidget(tab)
    _settle(qtbot, lambda: tab.view is not None and tab.buttons["end"].isEnabled())
    tab.buttons["end"].click()
    end = tab.dialog
    assert isinstance(end, EndOrderDialog)
    end.how.setCurrentIndex(end.how.findData("revoked"))
    end.save_button.click()
    _settle(qtbot, lambda: "closure letter" in tab.status.text())
    status, due = _notes(clinic, liaison, oid)["closure"]
    assert status == "due" and tab.status.text().endswith(f"due by {due.day} {due:%B %Y}.")
    clock.at = datetime(due.year, due.month, due.day, 9, tzinfo=SITE_TZ)
    page.refresh()
    _settle(qtbot, lambda: page.data is not None and [n.kind for n in page.data.printable_today] == ["closure"])
    closure_pdf = tmp_path / "loops-day-closure.pdf"
    page.print = lambda pdf, parent: (closure_pdf.write_bytes(pdf), True)[1]  # the printer took it
    page.batch_print()
    assert page.dialog.text().startswith("Print 1 letter (0 overdue, 1 due today)?")
    page.dialog.button(QMessageBox.StandardButton.Yes).click()
    _settle(qtbot, lambda: page.last_batch is not None and page.printed_table.rowCount() == 1)
    assert _notes(clinic, liaison, oid)["closure"][0] == "filed"
    for pdf in (batch_pdf, closure_pdf):
        _as_png(pdf)
