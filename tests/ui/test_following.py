"""“This and following” on the appointment book (issue 14 follow-up): a
repeating booking is changed or cancelled from one occurrence on, by
keyboard, with the number of bookings it reaches shown before saving."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from clinic.permissions import Actor, Role
from clinic.services.appointments import book, series
from clinic.uow import Clinic
from tests.ui.test_appointments import TUE, appointments_of, world  # noqa: F401  (fixture)
from ui.appointments.following_dialog import CancelFollowingDialog, ChangeFollowingDialog
from ui.appointments.page import AppointmentBookPage
from ui.context import AppContext

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def weekly(clinic: Clinic, ctx: AppContext, world: dict[str, int]) -> tuple[int, ...]:  # noqa: F811
    """Four weekly key-work bookings from Tuesday 24 November at 14:00."""
    with clinic.unit_of_work(write=True) as uow:
        return series.book_series(uow, ctx.actor, series.BookSeries(
            world["person"], world["nurse"], world["key_work"], datetime.combine(TUE, time(14)),
            count=4)).appointment_ids


def _page_on_second(qtbot: QtBot, ctx: AppContext, world: dict[str, int]) -> AppointmentBookPage:  # noqa: F811
    """The book on 1 December, the series' second booking selected."""
    page = AppointmentBookPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitUntil(lambda: page.view is not None)
    page.date.setDate(page.date.date().addDays(8))  # Monday 23 -> Tuesday 1 December
    qtbot.waitUntil(lambda: page.view is not None and page.view.first.day == 1, timeout=5000)
    block = page.grid.find_block(lambda t: isinstance(t, book.AppointmentRow) and t.person_id == world["person"])
    assert block is not None
    page.grid.setFocus()
    page.grid.select(block)
    return page


def _dialog(qtbot: QtBot, page: AppointmentBookPage, key: Qt.Key) -> ChangeFollowingDialog | CancelFollowingDialog:
    qtbot.keyClick(page.grid, key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    dialog = page.dialog
    assert isinstance(dialog, ChangeFollowingDialog | CancelFollowingDialog)
    qtbot.waitUntil(dialog.save_button.isEnabled)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_change_this_and_following_by_keyboard(qtbot: QtBot, ctx: AppContext, clinic: Clinic,
                                               world: dict[str, int], weekly: tuple[int, ...]) -> None:  # noqa: F811
    page = _page_on_second(qtbot, ctx, world)
    assert len(weekly) == 4
    assert page.change_following_button.isEnabled() and page.cancel_following_button.isEnabled()
    dialog = _dialog(qtbot, page, Qt.Key.Key_O)
    assert dialog.reach.text() == "Changes 3 bookings: Tue 01/12/2026 to Tue 15/12/2026."
    dialog.resize(1366, 768)
    dialog.grab().save("/tmp/flows-change-following.png")
    qtbot.keyClick(dialog, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # T&ime
    dialog.time.setCurrentSectionIndex(0)
    dialog.time.lineEdit().setSelection(0, 2)  # the hours, as Tab leaves them
    qtbot.keyClicks(dialog.time, "1530")
    qtbot.keyClick(dialog.time, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    starts = sorted(r.start for r in appointments_of(clinic, ctx.actor, world["person"]))
    assert [s.strftime("%d %H:%M") for s in starts] == ["24 14:00", "01 15:30", "08 15:30", "15 15:30"]


def test_cancel_this_and_following_asks_who_cancelled(qtbot: QtBot, ctx: AppContext, clinic: Clinic,
                                                      world: dict[str, int],  # noqa: F811
                                                      weekly: tuple[int, ...]) -> None:
    page = _page_on_second(qtbot, ctx, world)
    dialog = _dialog(qtbot, page, Qt.Key.Key_L)
    assert dialog.reach.text() == "Cancels 3 bookings: Tue 01/12/2026 to Tue 15/12/2026."
    dialog.grab().save("/tmp/flows-cancel-following.png")
    assert not dialog.by_client.isChecked() and not dialog.by_service.isChecked()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.errors["by"].message != "", timeout=5000)
    assert dialog.errors["by"].message == "Say who cancelled: the client or the service."
    qtbot.keyClick(dialog, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)  # By the c&lient
    qtbot.waitUntil(dialog.by_client.isChecked)  # an access key clicks after a moment
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    rows = sorted(appointments_of(clinic, ctx.actor, world["person"]), key=lambda r: r.start)
    assert [r.status for r in rows] == ["booked", "cancelled_client", "cancelled_client", "cancelled_client"]
    assert [r.id for r in rows] == list(weekly)


@pytest.mark.qt_log_ignore("grabbing the keyboard", "raise")  # a popup menu, offscreen
def test_the_booking_menu_offers_this_and_following_only_in_a_series(
        qtbot: QtBot, ctx: AppContext, world: dict[str, int], weekly: tuple[int, ...]) -> None:  # noqa: F811
    page = _page_on_second(qtbot, ctx, world)
    assert page.grid.current_thing().id == weekly[1]  # type: ignore[union-attr]
    menu = page.booking_menu(page.grid.rect().center())
    assert menu is not None
    enabled = {a.text().replace("&", ""): a.isEnabled() for a in menu.actions()}
    menu.close()
    assert enabled["Change this and following…"] and enabled["Cancel this and following…"]
    assert not enabled["Arrived"]  # next week's booking: cancel or move only


def test_a_lone_booking_has_no_this_and_following(qtbot: QtBot, ctx: AppContext, actors: dict[Role, Actor],
                                                  clinic: Clinic, world: dict[str, int]) -> None:  # noqa: F811
    from clinic.services.appointments import booking as appts

    with clinic.unit_of_work(write=True) as uow:
        appts.book(uow, ctx.actor, appts.BookAppointment(world["person"], world["nurse"], world["key_work"],
                                                          datetime(2026, 12, 1, 14)))
    page = _page_on_second(qtbot, ctx, world)
    assert not page.change_following_button.isEnabled() and not page.cancel_following_button.isEnabled()
