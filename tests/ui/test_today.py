"""Tests for ui.today: the drop-in queue with waiting times, callbacks, the Today page."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from clinic.clock import FixedClock
from clinic.permissions import Actor, Role
from clinic.services import appointments as appts
from clinic.services import appointments_sessions as sessions
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
    widget.person.setValue(person)
    qtbot.keyClicks(widget.reason, "Needle exchange")
    qtbot.keyClick(widget.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: widget.table.rowCount() == 1)
    qtbot.keyClicks(widget.name, "Jo")
    qtbot.keyClicks(widget.reason, "Advice")
    qtbot.keyClick(widget.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: widget.table.rowCount() == 2)
    clock.advance(timedelta(minutes=31))
    widget.timer.timeout.emit()  # the 30-second tick
    qtbot.waitUntil(lambda: widget.table.item(0, 4).text() == "31 min")
    assert widget.table.item(0, 1).text() == "Sam Example"
    assert widget.table.item(0, 4).background().color().name() == OVER
    assert widget.summary.text() == "2 waiting · longest 31 min"
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / "appt-queue.png"))
    qtbot.keyClick(widget, Qt.Key.Key_F5)  # call next: the longest wait
    qtbot.waitUntil(lambda: widget.table.item(0, 3).text() == "With clinician")
    widget.table.selectRow(0)
    widget.seen_button.click()
    qtbot.waitUntil(lambda: widget.table.item(0, 3).text() == "Seen")
    widget.table.selectRow(1)
    widget.left_button.click()
    qtbot.waitUntil(lambda: widget.table.item(1, 3).text() == "Left")
    assert widget.summary.text() == "0 waiting"


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
    assert widget.table.item(0, 0).text() == "Tue 29 Dec 17:00"  # past Christmas, Boxing Day (Mon 28)
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
