"""The lock covers everything (UI-44, UI-45, UI-46): open dialogs, previews
and message boxes are hidden and unusable, periodic reads stop, the File
and Go menus are disabled, and the same user gets their typing back."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from clinic.permissions import Actor, Role
from clinic.uow import Clinic
from tests.conftest import STAFF_PASSWORD, add_person
from ui import ops
from ui.bbv.dialogs import OfferDialog
from ui.context import AppContext
from ui.output.preview import PdfPreview
from ui.ost.missed_dialog import MissedDoseDialog
from ui.people.register import RegisterDialog
from ui.shell.main_window import MainWindow

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]
NAME = "Zebedee"


@pytest.fixture
def window(qtbot: QtBot, clinic: Clinic, actors: dict[Role, Actor]) -> MainWindow:
    ctx = AppContext(clinic, actors[Role.NURSE])
    main = MainWindow(ctx, site_name="Test site", idle_minutes=60)
    qtbot.addWidget(main)
    main.show()
    return main


def _visible_text(widget: QWidget) -> str:
    texts = [w.text() for w in widget.findChildren(QLabel) + widget.findChildren(QLineEdit) if w.isVisible()]
    return " ".join([*texts, widget.windowTitle()])


def _open_one_of_each(qtbot: QtBot, main: MainWindow, person: int) -> list[QWidget]:
    ctx = main.ctx
    register = RegisterDialog(ctx, main)
    register.open()
    qtbot.keyClicks(register.findChildren(QLineEdit)[0], NAME)
    form = OfferDialog(ctx, person, date(2026, 11, 23), declined=False, parent=main)  # a FormDialog
    form.open()
    write = MissedDoseDialog(ctx, person, date(2026, 11, 23), main)  # a WriteDialog
    write.open()
    preview = PdfPreview(main)
    preview.setWindowFlag(Qt.WindowType.Window)
    preview.page_label.setText(f"Letter to {NAME}")
    preview.show()
    box = QMessageBox(QMessageBox.Icon.Warning, "Harbour", f"{NAME} is already booked", QMessageBox.StandardButton.Ok,
                      main)
    box.open()
    opened = [register, form, write, preview, box]
    for w in opened:
        qtbot.waitExposed(w)
    return opened


def test_lock_hides_every_window_and_nothing_can_be_used(qtbot: QtBot, window: MainWindow, clinic: Clinic) -> None:
    person = add_person(clinic, surname=NAME)
    opened = _open_one_of_each(qtbot, window, person)
    assert any(NAME in _visible_text(w) for w in opened)
    window.lock()
    for top in QApplication.topLevelWidgets():
        if top is window:
            assert NAME not in _visible_text(top)
            continue
        assert not top.isVisible(), type(top).__name__
        assert not top.isEnabled() or top not in opened
    for w in opened:  # hidden and disabled: a stray key or click does nothing
        assert not w.isEnabled()
        assert not any(b.isEnabled() and b.isVisible() for b in w.findChildren(QAbstractButton))
    assert not window.file_menu.menuAction().isEnabled() and not window.go_menu.menuAction().isEnabled()
    assert window.lock_screen.password.isVisible()

    qtbot.keyClicks(window.lock_screen.password, STAFF_PASSWORD)
    qtbot.keyClick(window.lock_screen.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.is_locked, timeout=5000)
    for w in opened:  # the same user gets every window back, typing intact
        assert w.isVisible() and w.isEnabled()
    assert NAME in _visible_text(opened[0])
    assert window.file_menu.menuAction().isEnabled()


def test_periodic_reads_stop_while_locked(qtbot: QtBot, window: MainWindow) -> None:
    today = window.page("Today")
    queue = today.queue  # type: ignore[attr-defined]
    assert queue.timer.isActive()
    window.lock()
    assert not queue.timer.isActive()
    ran: list[int] = []
    window.ctx.query(window, lambda uow: ran.append(1)).start()
    ops.wait_for_all()
    assert ran == []  # no read starts while locked
    window.unlock()
    assert queue.timer.isActive()


def test_signing_out_keeps_the_typing_for_that_user_only(qtbot: QtBot, window: MainWindow, clinic: Clinic,
                                                         actors: dict[Role, Actor]) -> None:
    register = RegisterDialog(window.ctx, window)
    register.open()
    qtbot.waitExposed(register)
    qtbot.keyClicks(register.findChildren(QLineEdit)[0], NAME)
    window.lock()
    window.sign_out()  # "switch user" from the lock screen
    drafts = window.ctx.drafts
    other = MainWindow(AppContext(clinic, actors[Role.RECEPTION], drafts=drafts), site_name="Test", idle_minutes=60)
    qtbot.addWidget(other)
    theirs = RegisterDialog(other.ctx, other)
    theirs.open()
    qtbot.waitExposed(theirs)
    assert NAME not in _visible_text(theirs)  # never another user's draft
    theirs.reject()
    other.close()
    again = MainWindow(AppContext(clinic, actors[Role.NURSE], drafts=drafts), site_name="Test", idle_minutes=60)
    qtbot.addWidget(again)
    mine = RegisterDialog(again.ctx, again)
    mine.open()
    qtbot.waitExposed(mine)
    assert mine.findChildren(QLineEdit)[0].text() == NAME
    assert "unsaved typing" in _visible_text(mine)


def _try_unlock(qtbot: QtBot, window: MainWindow, password: str) -> str:
    screen = window.lock_screen
    qtbot.keyClicks(screen.password, password)
    qtbot.keyClick(screen.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.unlock_button.isEnabled(), timeout=5000)
    return screen.message.text()


def test_the_lock_screen_says_why_it_refused(qtbot: QtBot, window: MainWindow) -> None:
    """Reliability M5: wrong passwords count toward the lockout, and once the
    account is locked the right password is refused with the reason shown."""
    window.lock()
    assert _try_unlock(qtbot, window, "not my password") == "That username and password do not match."
    for attempt in range(3):
        _try_unlock(qtbot, window, f"wrong {attempt}")
    assert "locked for 15 minutes" in _try_unlock(qtbot, window, "wrong again")
    message = _try_unlock(qtbot, window, STAFF_PASSWORD)
    assert window.is_locked
    assert "locked" in message and "do not match" not in message
