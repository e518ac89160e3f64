"""Tests for ui.today: the drop-in queue with waiting times, callbacks, the Today page."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from clinic.clock import FixedClock
from clinic.permissions import Actor, Role
from clinic.services.appointments import booking as appts
from clinic.services.appointments import sessions
from clinic.uow import Clinic
from tests.conftest import add_person
from ui import ops
from ui.context import AppContext
from ui.today import CallbacksWidget, DropInQueueWidget, TodayPage
from ui.today.queue_widget import OVER

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]
SHOTS = Path("/tmp/shots")


def test_drop_in_flow_with_waiting_time(qtbot: QtBot, ctx: AppContext, clinic: Clinic, clock: FixedClock) -> None:
    person = add_person(clinic)
    widget = DropInQueueWidget(ctx)
    qtbot.addWidget(widget)
    widget.resize(700, 300)
    widget.show()
    qtbot.waitUntil(lambda: widget.view is not None)
    with qtbot.waitSignal(widget.person.results_shown, timeout=5000):
        qtbot.keyClicks(widget.person.box, "exam")  # found by name, as the People search finds them
    qtbot.keyClick(widget.person.box, Qt.Key.Key_Return)
    assert widget.person.person_id == person
    assert widget.person.line.text() == f"EXAMPLE, Sam · 03/07/1985 · H{person:06d}"
    qtbot.keyClicks(widget.reason, "Needle exchange")
    qtbot.keyClick(widget.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: widget.table.rowCount() == 1)
    qtbot.keyClicks(widget.person.box, "Jo")
    qtbot.keyClicks(widget.reason, "Advice")
    qtbot.keyClick(widget.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: widget.table.rowCount() == 2)
    clock.advance(timedelta(minutes=31))
    widget.timer.timeout.emit()  # the 30-second tick
    qtbot.waitUntil(lambda: widget.table.item(0, 4).text() == "31 min — over")
    assert widget.table.item(0, 1).text() == "Sam Example"
    assert widget.table.item(0, 4).background().color().name() == OVER
    assert widget.summary.text() == "2 waiting · longest 31 min"
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / "appt-queue.png"))
    qtbot.keyClick(widget, Qt.Key.Key_F5)  # call next: the longest wait
    # the one still waiting moves to the top; the one called in below, with who called them
    qtbot.waitUntil(lambda: widget.table.item(1, 3).text().startswith("With clinician"))
    assert widget.table.item(0, 1).text() == "Jo" and widget.table.item(1, 1).text() == "Sam Example"
    widget.table.selectRow(0)
    widget.call_selected_button.click()  # call a specific walk-in (UI-14)
    qtbot.waitUntil(lambda: widget.table.item(0, 3).text().startswith("With clinician"))
    widget.table.selectRow(0)  # both with a clinician now: in order of arrival
    assert widget.table.item(0, 1).text() == "Sam Example"
    widget.seen_button.click()
    qtbot.waitUntil(lambda: widget.table.item(1, 3).text() == "Seen")
    assert widget.summary.text() == "0 waiting"


def test_waiting_people_come_first_and_long_waits_read_in_hours() -> None:
    from ui.today.queue_widget import in_queue_order, wait_text

    from clinic.services.queue import QueueRow

    def row(i: int, status: str, wait: int) -> QueueRow:
        return QueueRow(i, None, f"P{i}", "", datetime(2026, 11, 23, 9, i), status, "", wait, False, 1)

    rows = (row(1, "seen", 0), row(2, "waiting", 20), row(3, "with_clinician", 0), row(4, "waiting", 699),
            row(5, "left", 0))
    assert [r.id for r in in_queue_order(rows)] == [4, 2, 3, 1, 5]
    assert wait_text(699) == "11 h 39 min" and wait_text(45) == "45 min"


def test_walk_in_with_no_details_is_said_under_the_row(qtbot: QtBot, ctx: AppContext) -> None:
    widget = DropInQueueWidget(ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.keyClick(widget.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(widget.add_error.message), timeout=5000)
    assert "give a name" in widget.add_error.message


def test_callback_due_date(qtbot: QtBot, ctx: AppContext, clock: FixedClock) -> None:
    clock.at = datetime(2026, 12, 24, 15, tzinfo=clock.at.tzinfo)  # Christmas Eve 2026, a Thursday
    widget = CallbacksWidget(ctx)
    qtbot.addWidget(widget)
    widget.resize(800, 400)
    widget.show()
    qtbot.keyClicks(widget.caller, "Sam's mum")
    qtbot.keyClicks(widget.phone, "07700 900123")
    qtbot.keyClicks(widget.message, "Please call about Tuesday")
    qtbot.keyClick(widget.message, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: widget.table.rowCount() == 1)
    assert widget.table.item(0, 0).text() == "29/12/2026 17:00"  # past Christmas, Boxing Day (Mon 28)
    clock.at = datetime(2026, 12, 29, 18, tzinfo=clock.at.tzinfo)
    widget.refresh()
    qtbot.waitUntil(lambda: widget.summary.text() == "1 to return · 1 overdue")
    widget.grab().save(str(SHOTS / "appt-callbacks.png"))
    widget.table.selectRow(0)
    qtbot.keyClicks(widget.outcome, "Spoke to caller")
    qtbot.keyClick(widget.outcome, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: widget.table.rowCount() == 0)


def test_callback_refuses_missing_number(qtbot: QtBot, ctx: AppContext) -> None:
    widget = CallbacksWidget(ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.keyClicks(widget.caller, "GP surgery")
    with qtbot.waitSignal(ctx.error_shown, timeout=5000) as shown:
        widget.take_button.click()
    assert "number" in shown.args[0] and widget.error.isVisible()


def test_today_page(qtbot: QtBot, ctx: AppContext, clinic: Clinic, clock: FixedClock,
                    actors: dict[Role, Actor]) -> None:
    person = add_person(clinic)
    with clinic.unit_of_work(write=True) as uow:
        types = {t.code: t.id for t in sessions.list_types(uow, ctx.actor)}
        appts.book(uow, ctx.actor, appts.BookAppointment(person, actors[Role.NURSE].staff_id, types["bbv_test"],
                                                          datetime(2026, 11, 23, 9), past_reason="walked in"))
        appts.book(uow, ctx.actor, appts.BookAppointment(person, actors[Role.NURSE].staff_id, types["ost_review"],
                                                          datetime(2026, 11, 23, 14)))
    page = TodayPage(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    assert page.appointments and page.queue and page.callbacks and page.outcomes
    qtbot.waitUntil(lambda: page.appointments.table.rowCount() == 2)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: len(page.outcomes.rows) == 1)  # type: ignore[union-attr]
    page.grab().save(str(SHOTS / "appt-today.png"))
    with qtbot.waitSignal(ctx.changes_applied, timeout=5000):
        page.outcomes.buttons["seen"].click()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: page.outcomes.rows == [])  # type: ignore[union-attr]
    lock_target = page.appointments.table  # type: ignore[union-attr]
    ctx.locked.emit()
    assert lock_target.rowCount() == 0 and page.queue.table.rowCount() == 0  # type: ignore[union-attr]


def test_today_page_for_probation_has_no_queue(qtbot: QtBot, clinic: Clinic, actors: dict[Role, Actor]) -> None:
    context = AppContext(clinic, actors[Role.PROBATION])
    page = TodayPage(context)
    qtbot.addWidget(page)
    assert page.queue is None and page.callbacks is not None and page.appointments is not None
    ops.wait_for_all()


def test_a_copy_moved_to_the_server_says_so_and_keeps_what_was_typed(qtbot: QtBot, ctx: AppContext,
                                                                       clinic: Clinic) -> None:
    """Issue 16: a workstation still pointing at a moved copy is told where the
    site went, in words, and loses nothing it typed (it was "Something went wrong")."""
    clinic.site.moved_to = "harbour on db.example.nhs.uk"  # type: ignore[union-attr]
    widget = CallbacksWidget(ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.keyClicks(widget.caller, "GP surgery")
    qtbot.keyClicks(widget.phone, "0161 496 0000")
    qtbot.keyClicks(widget.message, "Please call back")
    with qtbot.waitSignal(ctx.error_shown, timeout=5000) as shown:
        widget.take_button.click()
    assert "moved to harbour on db.example.nhs.uk" in shown.args[0]
    assert widget.caller.text() == "GP surgery" and widget.phone.text() == "0161 496 0000"
