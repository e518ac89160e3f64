"""OT9/A10: the service manager manages rooms, appointment types and clinic
sessions on screen, and the book's free slots follow the sessions."""

from __future__ import annotations

from datetime import date, time

import pytest
from PySide6.QtCore import Qt, QTime

from clinic.permissions import Role
from clinic.services.appointments import book
from clinic.services.appointments import sessions
from ui import ops
from ui.appointments.page import AppointmentBookPage
from ui.appointments.setup_dialog import (
    ClinicSetupDialog,
    RoomDialog,
    SessionDialog,
    TypeDialog,
)
from ui.context import AppContext

pytestmark = pytest.mark.gui


def _settle(qtbot, until) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: (ops.wait_for_all(), until())[1], timeout=10_000)


def _row(table, text: str) -> int:  # type: ignore[no-untyped-def]
    return next(r for r in range(table.rowCount()) if table.item(r, 0).text() == text)


def test_manager_adds_a_room_a_type_and_a_weekly_session(qtbot, clinic, actors) -> None:  # type: ignore[no-untyped-def]
    manager = actors[Role.MANAGER]
    ctx = AppContext(clinic, manager)
    page = AppointmentBookPage(ctx)
    qtbot.addWidget(page)
    assert not page.setup_button.isHidden()
    reception_page = AppointmentBookPage(AppContext(clinic, actors[Role.RECEPTION]))
    qtbot.addWidget(reception_page)
    assert reception_page.setup_button.isHidden()
    dialog = page.clinic_setup()
    assert isinstance(dialog, ClinicSetupDialog)
    _settle(qtbot, lambda: dialog.type_table.rowCount() == 6)
    # A room: empty name refused by the field, then added.
    dialog.tabs.setCurrentIndex(1)
    dialog.buttons["add_room"].click()
    room = dialog.child
    assert isinstance(room, RoomDialog)
    qtbot.keyClick(room.name, Qt.Key.Key_Return)
    _settle(qtbot, lambda: bool(room.errors["name"].message))
    assert room.errors["name"].message == "A room needs a name."
    qtbot.keyClicks(room.name, "Clinic room 1")
    qtbot.keyClick(room.name, Qt.Key.Key_Return)
    _settle(qtbot, lambda: dialog.room_table.rowCount() == 1)
    # A type for the needle exchange.
    dialog.tabs.setCurrentIndex(2)
    dialog.buttons["add_type"].click()
    kind = dialog.child
    assert isinstance(kind, TypeDialog)
    qtbot.keyClicks(kind.name, "Needle exchange")
    kind.minutes.setValue(10)
    qtbot.keyClick(kind.name, Qt.Key.Key_Return)
    _settle(qtbot, lambda: dialog.type_table.rowCount() == 7)
    # The DRR type cannot be retired.
    dialog.type_table.selectRow(_row(dialog.type_table, "DRR appointment"))
    dialog.buttons["retire_type"].click()
    _settle(qtbot, lambda: "cannot be retired" in dialog.status.text())
    # A Tuesday evening session, two weeks running.
    dialog.tabs.setCurrentIndex(0)
    dialog.week.setDate(dialog.week.date().addDays(7))  # week of 30 November
    dialog.buttons["new_session"].click()
    session = dialog.child
    assert isinstance(session, SessionDialog)
    session.clinician.setCurrentIndex(session.clinician.findData(actors[Role.NURSE].staff_id))
    session.day.setDate(session.day.date().addDays(1))  # Tuesday 1 December
    session.start.setTime(QTime(17, 0))
    session.end.setTime(QTime(16, 0))
    session.save_button.click()
    _settle(qtbot, lambda: bool(session.errors["end_time"].message))
    assert session.errors["end_time"].message == "A session must end after it starts."
    session.end.setTime(QTime(19, 0))
    session.label.setText("Evening clinic")
    session.weeks.setValue(2)
    session.grab().save("/tmp/shots/loops-session-dialog.png")
    session.save_button.click()
    _settle(qtbot, lambda: dialog.session_table.rowCount() == 1)
    assert "free slots follow" in dialog.status.text()
    dialog.resize(900, 420)
    dialog.grab().save("/tmp/shots/loops-clinic-setup.png")
    with clinic.unit_of_work() as uow:
        view = book.book_range(uow, manager, date(2026, 12, 1), date(2026, 12, 8))
    assert [s.day for s in view.sessions] == [date(2026, 12, 1), date(2026, 12, 8)]
    assert len(view.free_slots) == 8  # 17:00-19:00 in 30-minute slots, twice
    # A room in use by sessions from today on is not retired.
    dialog.tabs.setCurrentIndex(1)
    dialog.room_table.selectRow(0)
    dialog.buttons["retire_room"].click()
    _settle(qtbot, lambda: "move or cancel them" in dialog.status.text())
    # Cancel the first session: its slots go.
    dialog.tabs.setCurrentIndex(0)
    dialog.session_table.selectRow(0)
    dialog.buttons["cancel_session"].click()
    _settle(qtbot, lambda: dialog.session_table.rowCount() == 0)
    with clinic.unit_of_work() as uow:
        assert [r.name for r in sessions.list_rooms(uow, manager)] == ["Clinic room 1"]
        assert len(book.book_range(uow, manager, date(2026, 12, 1), date(2026, 12, 8)).free_slots) == 4


def test_a_refusal_lands_by_the_field_the_service_names(qtbot, clinic, actors) -> None:  # type: ignore[no-untyped-def]
    manager, nurse = actors[Role.MANAGER], actors[Role.NURSE]
    ctx = AppContext(clinic, manager)
    with clinic.unit_of_work(write=True) as uow:
        room_id = sessions.add_room(uow, manager, "Clinic room 1").id
        sessions.create_session(uow, manager, sessions.SessionSpec(
            nurse.staff_id, room_id, date(2026, 12, 1), time(9, 0), time(12, 0), 30))
        choices = (sessions.list_clinicians(uow, manager), sessions.list_rooms(uow, manager),
                   sessions.list_types(uow, manager))
    room = RoomDialog(ctx, None)
    qtbot.addWidget(room)
    room.show()
    qtbot.keyClicks(room.name, "Clinic room 1")
    qtbot.keyClick(room.name, Qt.Key.Key_Return)
    _settle(qtbot, lambda: "already a room called" in room.errors["name"].message)
    session = SessionDialog(ctx, choices, None, date(2026, 12, 1))
    qtbot.addWidget(session)
    session.show()
    session.clinician.setCurrentIndex(session.clinician.findData(nurse.staff_id))
    session.start.setTime(QTime(11, 0))
    session.end.setTime(QTime(13, 0))
    session.save_button.click()
    _settle(qtbot, lambda: "overlaps this one" in session.errors["start_time"].message)
    assert session.isVisible() and session.error.message == ""


def test_the_admin_manages_clinic_set_up_without_the_book(qtbot, clinic, actors) -> None:  # type: ignore[no-untyped-def]
    """The admin manages configuration: clinic set-up is a page of theirs, read
    with the set-up permission, while the appointment book stays closed to them."""
    from clinic.errors import PermissionDenied
    from ui.appointments.setup_page import ClinicSetupPage
    from ui.shell.pages import PAGES

    admin = actors[Role.ADMIN]
    ctx = AppContext(clinic, admin)
    shown = [p.title for p in PAGES if p.visible(ctx)]
    assert "Clinic set-up" in shown and "Appointments" not in shown
    with pytest.raises(PermissionDenied), clinic.unit_of_work() as uow:
        book.book_range(uow, admin, date(2026, 11, 23), date(2026, 11, 23))
    page = ClinicSetupPage(ctx)
    qtbot.addWidget(page)
    page.show()
    _settle(qtbot, lambda: page.panel.type_table.rowCount() == 6)
    page.panel.tabs.setCurrentIndex(1)
    page.panel.buttons["add_room"].click()
    room = page.panel.child
    assert isinstance(room, RoomDialog)
    qtbot.keyClicks(room.name, "Room 9")
    qtbot.keyClick(room.name, Qt.Key.Key_Return)
    table = page.panel.room_table
    _settle(qtbot, lambda: "Room 9" in [table.item(r, 0).text() for r in range(table.rowCount())])
    assert page.panel.status.text() == "Room added."
