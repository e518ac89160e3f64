"""Tests for ui.appointments: book by keyboard, clash refused, weekly series
skipping a bank holiday, status actions."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from pytestqt.qtbot import QtBot

from clinic.permissions import Actor, Role
from clinic.services.appointments import booking as appts
from clinic.services.appointments import book
from clinic.services.appointments import sessions
from clinic.uow import Clinic
from tests.conftest import add_person
from ui.appointments.page import AppointmentBookPage
from ui.appointments.series_dialog import SeriesDialog
from ui.widgets.booking_dialog import BookingDialog
from ui.appointments.grid import FREE_COLOUR
from ui.context import AppContext

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]
TUE = date(2026, 11, 24)
SHOTS = Path("/tmp/shots")


@pytest.fixture
def world(clinic: Clinic, actors: dict[Role, Actor]) -> dict[str, int]:
    admin = actors[Role.ADMIN]
    with clinic.unit_of_work(write=True) as uow:
        room = sessions.add_room(uow, admin, "Room 2").id
        sessions.add_room(uow, admin, "Room 1")
        session = sessions.create_session(uow, admin, sessions.SessionSpec(
            actors[Role.NURSE].staff_id, room, TUE, time(10), time(13), 20, "BBV nurse clinic")).id
        types = {t.code: t.id for t in sessions.list_types(uow, actors[Role.RECEPTION])}
    return {"room": room, "session": session, "person": add_person(clinic),
            "other": add_person(clinic, "Other", "Alex"),
            "nurse": actors[Role.NURSE].staff_id, **types}


def shoot(widget: object, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / f"appt-{name}.png"))  # type: ignore[attr-defined]


def appointments_of(clinic: Clinic, actor: Actor, person: int) -> list[book.AppointmentRow]:
    with clinic.unit_of_work() as uow:
        return book.person_appointments(uow, actor, person)


def test_book_by_keyboard(qtbot: QtBot, ctx: AppContext, clinic: Clinic, world: dict[str, int]) -> None:
    dialog = BookingDialog(ctx, person_id=world["person"], person_name="Sam Example",
                           start=datetime(2026, 11, 24, 11), clinician_id=world["nurse"], room_id=world["room"],
                           type_id=world["vaccination"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.ok.isEnabled)
    assert dialog.minutes.value() == 15  # the type's default length
    qtbot.keyClicks(dialog.note, "Prefers mornings")
    with qtbot.waitSignal(dialog.booked, timeout=5000):
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    [row] = appointments_of(clinic, ctx.actor, world["person"])
    assert (row.start, row.end, row.type_name, row.reception_note) == (
        datetime(2026, 11, 24, 11), datetime(2026, 11, 24, 11, 15), "Vaccination", "Prefers mornings")


def test_escape_closes_without_booking(qtbot: QtBot, ctx: AppContext, clinic: Clinic, world: dict[str, int]) -> None:
    dialog = BookingDialog(ctx, person_id=world["person"], start=datetime(2026, 11, 24, 11))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.ok.isEnabled)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and appointments_of(clinic, ctx.actor, world["person"]) == []


def test_clash_refused_and_shown(qtbot: QtBot, ctx: AppContext, clinic: Clinic, world: dict[str, int]) -> None:
    with clinic.unit_of_work(write=True) as uow:
        appts.book(uow, ctx.actor, appts.BookAppointment(world["other"], world["nurse"], world["bbv_test"],
                                                          datetime(2026, 11, 24, 11)))
    dialog = BookingDialog(ctx, person_id=world["person"], start=datetime(2026, 11, 24, 11, 10),
                           clinician_id=world["nurse"], type_id=world["bbv_test"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.ok.isEnabled)
    with qtbot.waitSignal(ctx.error_shown, timeout=5000) as shown:
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    assert "already taken" in shown.args[0] and "Alex Other with Nadia Nurse" in shown.args[0]
    assert dialog.isVisible() and "Alex Other" in dialog.message.text()
    shoot(dialog, "clash")


def test_bank_holiday_needs_book_anyway(qtbot: QtBot, ctx: AppContext, clinic: Clinic, world: dict[str, int]) -> None:
    dialog = BookingDialog(ctx, person_id=world["person"], start=datetime(2026, 12, 28, 10),
                           clinician_id=world["nurse"], type_id=world["bbv_test"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.ok.isEnabled)
    with qtbot.waitSignal(ctx.error_shown, timeout=5000):
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    assert dialog.ok.text() == "&Book anyway" and "bank holiday" in dialog.message.text()
    with qtbot.waitSignal(dialog.booked, timeout=5000):
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)


def test_changing_the_time_takes_back_book_anyway(qtbot: QtBot, ctx: AppContext, world: dict[str, int]) -> None:
    dialog = BookingDialog(ctx, person_id=world["person"], start=datetime(2026, 12, 28, 10),
                           clinician_id=world["nurse"], type_id=world["bbv_test"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.ok.isEnabled)
    with qtbot.waitSignal(ctx.error_shown, timeout=5000):
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    assert dialog.ok.text() == "&Book anyway"
    dialog.time.setFocus()
    qtbot.keyClick(dialog.time, Qt.Key.Key_Up)  # the warning was about the old time
    assert dialog.time.time() != QTime(10, 0)
    assert dialog.ok.text() == "&Book" and not dialog.message.isVisible()


def test_weekly_series_skips_bank_holiday(qtbot: QtBot, ctx: AppContext, clinic: Clinic,
                                          world: dict[str, int]) -> None:
    dialog = SeriesDialog(ctx, person_id=world["person"], person_name="Sam Example")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.preview.count() > 0)
    dialog.clinician.setCurrentIndex(dialog.clinician.findData(world["nurse"]))
    dialog.first.setDate(QDate(2026, 12, 18))
    dialog.time.setTime(QTime(10, 0))
    dialog.count.setValue(4)
    dialog.skip.setChecked(True)
    qtbot.waitUntil(lambda: any("skipped" in dialog.preview.item(i).text() for i in range(dialog.preview.count())),
                    timeout=5000)
    texts = [dialog.preview.item(i).text() for i in range(dialog.preview.count())]
    assert texts[:4] == ["Fri 18/12/2026 10:00", "Fri 08/01/2027 10:00", "Fri 15/01/2027 10:00",
                         "Fri 22/01/2027 10:00"]
    assert "Fri 25/12/2026 skipped" in texts[4]
    shoot(dialog, "series")
    with qtbot.waitSignal(dialog.booked, timeout=5000):
        dialog.ok.click()
    rows = appointments_of(clinic, ctx.actor, world["person"])
    assert sorted(r.start.date() for r in rows) == [date(2026, 12, 18), date(2027, 1, 8), date(2027, 1, 15),
                                                    date(2027, 1, 22)]


def test_book_page_free_slot_and_status(qtbot: QtBot, ctx: AppContext, clinic: Clinic,
                                        world: dict[str, int]) -> None:
    with clinic.unit_of_work(write=True) as uow:
        appts.book(uow, ctx.actor, appts.BookAppointment(world["other"], world["nurse"], world["bbv_test"],
                                                          datetime(2026, 11, 24, 10, 20), session_id=world["session"]))
    page = AppointmentBookPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    qtbot.waitUntil(lambda: page.view is not None)
    qtbot.keyClick(page, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.view is not None and page.view.first == TUE)
    assert page.summary.text() == "1 booked · 8 free slots"
    free = page.grid.find_block(lambda t: isinstance(t, book.FreeSlot) and t.start.hour == 10 and t.start.minute == 0)
    assert free is not None and free.fill == FREE_COLOUR and free.text == "10:00 free"
    shoot(page, "day")
    page.grid.select(free)
    dialog = page.book_selected(person_id=world["person"], person_name="Sam Example")
    qtbot.waitUntil(dialog.ok.isEnabled)
    assert (dialog.time.time(), dialog.minutes.value()) == (QTime(10, 0), 20)
    dialog.ok.click()
    qtbot.waitUntil(lambda: not dialog.isVisible() or dialog.message.isVisible(), timeout=5000)
    assert dialog.message.text() == ""
    qtbot.waitUntil(lambda: page.summary.text() == "2 booked · 7 free slots")
    booked = page.grid.find_block(lambda t: isinstance(t, book.AppointmentRow) and t.person_id == world["person"])
    assert booked is not None
    page.grid.select(booked)
    assert not page.status_buttons["arrived"].isEnabled()  # tomorrow's: cancel or move only
    with qtbot.waitSignal(ctx.changes_applied, timeout=5000):
        page.cancel_client.click()
    qtbot.waitUntil(lambda: page.summary.text() == "1 booked · 8 free slots")
    page.span.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.view is not None and page.view.first == date(2026, 11, 23))
    shoot(page, "week")


def _row(i: int, start: datetime, minutes: int, status: str, name: str) -> book.AppointmentRow:
    return book.AppointmentRow(i, i, name, date(1990, 1, 1), 7, "Nadia Nurse", None, "", 1, "BBV test", start,
                               start + timedelta(minutes=minutes), status, False, "", None, None, 1)


def test_overlapping_bookings_sit_side_by_side_at_their_true_length(qtbot: QtBot) -> None:
    """UI-3: the walkthrough's 11:35 booking inside an 11:30 'Seen' block, and 09:00/09:15 back to back."""
    from ui.appointments.grid import BookGrid, Column

    day = datetime(2026, 11, 24)
    rows = (_row(1, day.replace(hour=11, minute=30), 30, "seen", "Kirsty Hussain"),
            _row(2, day.replace(hour=11, minute=35), 20, "booked", "Jo Davies"),
            _row(3, day.replace(hour=9), 15, "booked", "Craig Holmes"),
            _row(4, day.replace(hour=9, minute=15), 20, "booked", "Gemma Nowak"))
    grid = BookGrid()
    qtbot.addWidget(grid)
    grid.resize(900, 600)
    grid.show()
    grid.show_view(book.BookView(day.date(), day.date(), (), rows, ()), [Column(7, "Nadia Nurse")], "clinician")
    kirsty, jo = grid.find_block(lambda t: t.id == 1), grid.find_block(lambda t: t.id == 2)
    assert (kirsty.lane, kirsty.lanes, jo.lane, jo.lanes) == (0, 2, 1, 2)  # side by side
    assert kirsty.fill != jo.fill and "Seen" in kirsty.text and "Booked" in jo.text  # each its own status, in words
    a, b = grid.rect_of(kirsty), grid.rect_of(jo)
    assert a.right() <= b.left() and abs(a.height() - 30 * 1.6) <= 2  # no overlap; 30 minutes drawn as 30
    gemma = grid.find_block(lambda t: t.id == 4)
    assert gemma.lanes == 1 and abs(grid.rect_of(gemma).bottom() - grid.y_of_minutes(95)) <= 2  # ends at 09:35
    grid.select(kirsty)
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert grid.current_thing().id == 2  # Jo can be reached, and marked, on her own
    grid.select(None)
    qtbot.mouseClick(grid.canvas, Qt.MouseButton.LeftButton, pos=b.center().toPoint())
    assert grid.current_thing().id == 2


def test_the_day_opens_on_its_first_booking_whole_unless_the_first_free_slot_would_lie_below(qtbot: QtBot) -> None:
    """Seen at 1920×1080: the day opened 40 px above its first free slot, so the 09:00 bookings
    before it were cut through at the top edge. With room, the day's first block shows whole
    and the free slot below it; without, the free slot shows, and no block is cut at the top."""
    from ui.appointments.grid import BookGrid, Column

    day = datetime(2026, 11, 24)
    free = book.FreeSlot(1, 7, 1, day.replace(hour=10), day.replace(hour=10, minute=20))
    grid = BookGrid()
    qtbot.addWidget(grid)
    grid.resize(900, 700)
    grid.show()
    morning = tuple(_row(i, day.replace(hour=9, minute=20 * i), 20, "booked", f"Person {i}") for i in range(3))
    grid.show_view(book.BookView(day.date(), day.date(), (), morning, (free,)), [Column(7, "Nadia Nurse")],
                   "clinician")
    shown = grid.verticalScrollBar().value()
    first = grid.rect_of(grid.find_block(lambda t: t == morning[0]))
    slot = grid.rect_of(grid.find_block(lambda t: t == free))
    assert shown <= first.top() and slot.bottom() <= shown + grid.viewport().height()

    grid.resize(900, 260)
    busy = tuple(_row(i, day.replace(hour=8) + timedelta(minutes=20 * i), 20, "booked", f"Person {i}")
                 for i in range(9))
    free = book.FreeSlot(1, 7, 1, day.replace(hour=11), day.replace(hour=11, minute=20))
    grid.show_view(book.BookView(day.date(), day.date(), (), busy, (free,)), [Column(7, "Nadia Nurse")], "clinician")
    shown = grid.verticalScrollBar().value()
    slot = grid.rect_of(grid.find_block(lambda t: t == free))
    assert shown <= slot.top() and slot.bottom() <= shown + grid.viewport().height()
    assert not [b for b in grid.blocks if grid.rect_of(b).top() < shown < grid.rect_of(b).bottom()]


def test_a_time_that_has_passed_puts_the_cursor_in_the_reason(qtbot: QtBot, ctx: AppContext, clinic: Clinic,
                                                              world: dict[str, int]) -> None:
    """The service names the past booking reason (Refused.field); the dialog does not match its words."""
    dialog = BookingDialog(ctx, person_id=world["person"], start=datetime(2026, 11, 23, 8),
                           clinician_id=world["nurse"], type_id=world["bbv_test"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.ok.isEnabled)
    with qtbot.waitSignal(ctx.error_shown, timeout=5000) as shown:
        dialog.ok.click()
    assert "already passed" in shown.args[0] and dialog.isVisible()
    assert dialog.past_reason.hasFocus()


def test_repeating_booking_opens_on_the_selected_slot(qtbot: QtBot, ctx: AppContext, world: dict[str, int]) -> None:
    """UI-7: Ctrl+R, like Ctrl+B, starts from what is selected, not tomorrow at 10:00 with the first clinician."""
    page = AppointmentBookPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    qtbot.waitUntil(lambda: page.view is not None)
    qtbot.keyClick(page, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.view is not None and page.view.first == TUE)
    free = page.grid.find_block(lambda t: isinstance(t, book.FreeSlot) and t.start.hour == 11)
    assert free is not None
    page.grid.setFocus()
    page.grid.select(free)
    qtbot.keyClick(page.grid, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog = page.dialog
    assert isinstance(dialog, SeriesDialog)
    qtbot.waitUntil(lambda: dialog.clinician.count() > 0)
    assert (dialog.first.date(), dialog.time.time()) == (QDate(2026, 11, 24), QTime(11, 0))
    assert (dialog.clinician.currentData(), dialog.room.currentData()) == (world["nurse"], world["room"])
