"""Reception's morning with the keyboard only (issue 17): find a person,
book them into a free slot, add a walk-in by name, call them in, take a
callback message, and open the day sheet. Every step is a key press in a
real main window on a real site; nothing is clicked."""

from __future__ import annotations

from datetime import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from clinic.permissions import Actor, Role
from clinic.services.appointments import book
from clinic.services.appointments import sessions
from clinic.uow import Clinic
from tests.conftest import add_person
from tests.ui.test_navigation import settle
from ui.widgets.booking_dialog import BookingDialog
from ui.appointments.day_sheet_dialog import DaySheetDialog
from ui.context import AppContext
from ui.shell.main_window import MainWindow

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]
CTRL = Qt.KeyboardModifier.ControlModifier


_windows: list[QWidget] = []


def _focus() -> QWidget:
    """What has the focus. The offscreen platform sometimes drops window
    activation after a repaint (no window manager); re-activating the window
    on top gives it back its own focus widget, as a real desktop keeps it."""
    widget = QApplication.focusWidget()
    if widget is None:
        top = next((w for w in reversed(QApplication.topLevelWidgets()) if w.isVisible() and w.isModal()),
                   _windows[-1])
        top.activateWindow()
        QApplication.processEvents()
        widget = QApplication.focusWidget() or top.focusWidget()
    assert widget is not None
    return widget


def key(qtbot: QtBot, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press to whatever has the focus, as a person at the keyboard makes it."""
    qtbot.keyClick(_focus(), k, modifier)


def type_text(qtbot: QtBot, text: str) -> None:
    qtbot.keyClicks(_focus(), text)


def tab_to(qtbot: QtBot, widget: QWidget, limit: int = 60) -> None:
    """Press Tab until ``widget`` has the focus (fails if it never does: a keyboard trap or an unreachable field)."""
    for _ in range(limit):
        if _focus() is widget:
            return
        key(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {widget.accessibleName() or type(widget).__name__}")


def test_receptions_morning_by_keyboard(qtbot: QtBot, clinic: Clinic, actors: dict[Role, Actor]) -> None:
    today = clinic.clock.today()
    admin = actors[Role.ADMIN]
    with clinic.unit_of_work(write=True) as uow:
        room = sessions.add_room(uow, admin, "Room 1").id
        sessions.create_session(uow, admin, sessions.SessionSpec(
            actors[Role.NURSE].staff_id, room, today, time(13), time(15), 20, "Afternoon clinic"))
    person = add_person(clinic, "Davies", "Isla")
    walk_in = add_person(clinic, "Nowak", "Gemma")
    ctx = AppContext(clinic, actors[Role.RECEPTION])
    window = MainWindow(ctx, site_name="Test site", idle_minutes=60)
    qtbot.addWidget(window)
    _windows[:] = [window]
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    settle(qtbot)

    # 1. find a person: Ctrl+F, type, Enter opens the record
    key(qtbot, Qt.Key.Key_F, CTRL)
    people = window.page("People")
    assert _focus() is people.search.box  # type: ignore[attr-defined]
    with qtbot.waitSignal(people.search.results_shown, timeout=5000):  # type: ignore[attr-defined]
        type_text(qtbot, "davies")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: people.records.count() == 1, timeout=5000)  # type: ignore[attr-defined]

    # 2. book them: Appointments (Ctrl+4, after Today, People and the Counter),
    #    into the grid, F for the first free slot, Enter, name, Enter
    key(qtbot, Qt.Key.Key_4, CTRL)
    page = window.page("Appointments")
    qtbot.waitUntil(lambda: page.view is not None and page.grid.blocks != [], timeout=5000)  # type: ignore[attr-defined]
    tab_to(qtbot, page.grid)  # type: ignore[attr-defined]
    key(qtbot, Qt.Key.Key_F)
    assert isinstance(page.grid.current_thing(), book.FreeSlot)  # type: ignore[attr-defined]
    key(qtbot, Qt.Key.Key_Return)
    dialog = page.dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, BookingDialog)
    qtbot.waitUntil(dialog.ok.isEnabled, timeout=5000)
    qtbot.waitUntil(lambda: _focus() is dialog.person.picker.box, timeout=3000)
    with qtbot.waitSignal(dialog.person.picker.results_shown, timeout=5000):
        type_text(qtbot, "davies")
    key(qtbot, Qt.Key.Key_Return)  # chooses her; the dialog names her
    assert dialog.person.label.text().startswith("DAVIES, Isla · 03/07/1985 · H")
    with qtbot.waitSignal(dialog.booked, timeout=5000):
        key(qtbot, Qt.Key.Key_Return)  # books
    qtbot.waitUntil(lambda: page.grid.find_block(  # type: ignore[attr-defined]
        lambda t: isinstance(t, book.AppointmentRow) and t.person_id == person) is not None, timeout=5000)

    # 3. a walk-in by name, then call them in (F5)
    key(qtbot, Qt.Key.Key_1, CTRL)
    today_page = window.page("Today")
    queue = today_page.queue  # type: ignore[attr-defined]
    tab_to(qtbot, queue.person.box)
    with qtbot.waitSignal(queue.person.results_shown, timeout=5000):
        type_text(qtbot, "nowak")
    key(qtbot, Qt.Key.Key_Return)
    assert queue.person.person_id == walk_in and _focus() is queue.reason
    type_text(qtbot, "Needle exchange")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: queue.table.rowCount() == 1, timeout=5000)
    assert queue.table.item(0, 1).text() == "Gemma Nowak"
    key(qtbot, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: queue.table.item(0, 3).text().startswith("With clinician"), timeout=5000)

    # 4. a callback message: to the Caller field, type, Tab, type, Tab, type, Enter
    callbacks = today_page.callbacks  # type: ignore[attr-defined]
    tab_to(qtbot, callbacks.caller)
    type_text(qtbot, "Housing officer")
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "07700 900123")
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Please call back about Tuesday")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: callbacks.table.rowCount() == 1, timeout=5000)

    # 5. the day sheet: Appointments, Ctrl+P, the preview shows, Esc closes
    key(qtbot, Qt.Key.Key_4, CTRL)
    tab_to(qtbot, page.grid)  # type: ignore[attr-defined]
    key(qtbot, Qt.Key.Key_P, CTRL)
    sheet = page.dialog  # type: ignore[attr-defined]
    assert isinstance(sheet, DaySheetDialog)
    qtbot.waitUntil(sheet.print_button.isEnabled, timeout=10_000)
    assert sheet.isVisible()
    key(qtbot, Qt.Key.Key_Escape)
    assert not sheet.isVisible()
