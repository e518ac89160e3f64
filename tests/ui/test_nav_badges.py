"""The navigation's counts (UI-50) on a demo site: Today shows how many wait
in the drop-in queue and Probation how many letters are due, as a number
that is also in the entry's accessible name; a walk-in added updates it;
the periodic read stops while the screen is locked."""

from __future__ import annotations


import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem

from clinic.permissions import Role
from clinic.services import queue
from clinic.services.probation import worklist
from clinic.uow import Clinic
from ui import ops
from tests.ui.conftest import demo_actor
from ui.context import AppContext
from ui.shell.main_window import MainWindow
from ui.shell.nav_badges import COUNT_ROLE

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def _entry(window: MainWindow, title: str) -> QListWidgetItem:
    return next(window.nav.item(r) for r in range(window.nav.count()) if window.nav.item(r).text() == title)


def _window(qtbot, ctx: AppContext) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(ctx, site_name="Demo", idle_minutes=60)
    qtbot.addWidget(window)
    window.show()
    return window


def test_today_counts_the_people_waiting(qtbot, demo: Clinic) -> None:  # type: ignore[no-untyped-def]
    reception = demo_actor(demo, Role.RECEPTION)
    with demo.unit_of_work() as uow:
        waiting = queue.waiting_count(uow, reception)
    assert waiting > 0, "the demo queue has people waiting"
    window = _window(qtbot, AppContext(demo, reception, demo=True))
    today = _entry(window, "Today")
    qtbot.waitUntil(lambda: today.data(COUNT_ROLE) == waiting, timeout=5000)
    assert today.data(Qt.ItemDataRole.AccessibleTextRole) == f"Today, {waiting} waiting in the drop-in queue"
    assert today.text() == "Today"  # the title stays the title; Ctrl+F and the tests find pages by it
    assert _entry(window, "People").data(COUNT_ROLE) is None

    ops.write(window.ctx, window, lambda uow: queue.add_walk_in(uow, reception, queue.AddWalkIn(
        None, "Needle exchange", walk_in_name="A Visitor"))).start()
    qtbot.waitUntil(lambda: today.data(COUNT_ROLE) == waiting + 1, timeout=5000)

    window.lock()
    assert not window.badges.timer.isActive()
    window.unlock()
    assert window.badges.timer.isActive()
    window.close()


def test_probation_counts_the_letters_due(qtbot, demo: Clinic) -> None:  # type: ignore[no-untyped-def]
    liaison = demo_actor(demo, Role.PROBATION)
    with demo.unit_of_work() as uow:
        due = worklist.owed_now_count(uow, liaison)
    window = _window(qtbot, AppContext(demo, liaison, demo=True))
    probation = _entry(window, "Probation")
    qtbot.waitUntil(lambda: probation.data(COUNT_ROLE) == (due or None), timeout=5000)
    assert probation.data(Qt.ItemDataRole.AccessibleTextRole) == (
        f"Probation, {due} letters to Probation due or overdue" if due else "Probation")
    assert due > 0, "the demo has letters to Probation due"
    window.grab().save("/tmp/ui17-nav-badges.png")
    window.close()
