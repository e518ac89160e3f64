"""The navigation's counts (UI-50) on a demo site: Today shows how many wait
in the drop-in queue and Probation how many letters are due, as a number
that is also in the entry's accessible name; a walk-in added updates it;
the periodic read stops while the screen is locked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem
from sqlalchemy import select

from clinic.clock import SITE_TZ, FixedClock
from clinic.permissions import Actor, Role
from clinic.services import queue
from clinic.services.probation import worklist
from clinic.services.staff import actor_of
from clinic.uow import Clinic
from db.tables.staff import Staff
from ui import ops
from ui.context import AppContext
from ui.shell.demo import build_demo_site
from ui.shell.main_window import MainWindow
from ui.shell.nav_badges import COUNT_ROLE

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clinic]:
    clinic = build_demo_site(tmp_path_factory.mktemp("demo") / "site",
                             FixedClock(datetime(2026, 12, 1, 11, 40, tzinfo=SITE_TZ)), people=40)
    yield clinic
    ops.wait_for_all()
    clinic.site.close()


def _actor(clinic: Clinic, role: Role) -> Actor:
    with clinic.unit_of_work() as uow:
        return next(a for a in map(actor_of, uow.session.execute(select(Staff)).scalars()) if role in a.roles)


def _entry(window: MainWindow, title: str) -> QListWidgetItem:
    return next(window.nav.item(r) for r in range(window.nav.count()) if window.nav.item(r).text() == title)


def _window(qtbot, ctx: AppContext) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(ctx, site_name="Demo", idle_minutes=60)
    qtbot.addWidget(window)
    window.show()
    return window


def test_today_counts_the_people_waiting(qtbot, demo: Clinic) -> None:  # type: ignore[no-untyped-def]
    reception = _actor(demo, Role.RECEPTION)
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
    liaison = _actor(demo, Role.PROBATION)
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
