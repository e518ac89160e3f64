"""Clinic set-up for the service manager: clinic sessions, rooms and
appointment types. Add, change, retire (or bring back); nothing is deleted,
because bookings use them. The book's free slots follow the sessions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any, TypeVar

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from clinic.services.appointments import book
from clinic.services.appointments import sessions
from clinic.uow import UnitOfWork
from clinic.dates import uk_day
from ui.context import AppContext
from ui.operations import appointments as appointments_ops
from ui.widgets.form_dialog import FormDialog
from ui.widgets.write_dialog import date_edit, date_of

T = TypeVar("T")


def _time(t: QTime) -> time:
    return time(t.hour(), t.minute())


def _table(headers: tuple[str, ...]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    t.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    t.verticalHeader().hide()
    t.horizontalHeader().setStretchLastSection(True)
    t.setTabKeyNavigation(False)
    return t


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()
    if rows and table.currentRow() < 0:
        table.selectRow(0)


class RoomDialog(FormDialog):
    def __init__(self, ctx: AppContext, room: sessions.RoomInfo | None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Rename room" if room else "Add a room", parent)
        self.room = room
        self.name = QLineEdit(room.name if room else "", self)
        self.field("name", "&Name", self.name)
        self.name.setFocus()

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        actor, name, room = self.ctx.actor, self.name.text(), self.room
        if room is None:
            return appointments_ops.add_room(actor, name)
        return appointments_ops.rename_room(actor, room.id, name)


class TypeDialog(FormDialog):
    def __init__(self, ctx: AppContext, kind: sessions.TypeInfo | None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Change appointment type" if kind else "Add an appointment type", parent)
        self.kind = kind
        self.name = QLineEdit(kind.name if kind else "", self)
        self.minutes = QSpinBox(self)
        self.minutes.setRange(0, 480)
        self.minutes.setSingleStep(5)
        self.minutes.setSuffix(" min")
        self.minutes.setValue(kind.default_minutes if kind else 30)
        self.field("name", "&Name", self.name)
        self.field("minutes", "Usual &length", self.minutes)
        self.name.setFocus()

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        actor, name, minutes, kind = self.ctx.actor, self.name.text(), self.minutes.value(), self.kind
        if kind is None:
            return appointments_ops.add_type(actor, name, minutes)
        return appointments_ops.update_type(actor, kind.id, name, minutes)


class SessionDialog(FormDialog):
    """A clinic session: who, where, when, slot length; a new one can repeat weekly."""

    def __init__(self, ctx: AppContext, choices: tuple[list, list, list], session: book.SessionRow | None,
                 day: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Change clinic session" if session else "New clinic session", parent)
        self.setMinimumWidth(480)
        clinicians, rooms, types = choices
        self.session = session
        self.clinician, self.room, self.kind = QComboBox(self), QComboBox(self), QComboBox(self)
        for c in clinicians:
            self.clinician.addItem(c.full_name, c.id)
        for r in rooms:
            if r.active:
                self.room.addItem(r.name, r.id)
        self.kind.addItem("(any type)", None)
        for t in types:
            self.kind.addItem(t.name, t.id)
        self.day = date_edit(session.day if session else day)
        self.start = QTimeEdit(QTime(9, 30), self)
        self.end = QTimeEdit(QTime(12, 30), self)
        for e in (self.start, self.end):
            e.setDisplayFormat("HH:mm")
        self.slot = QSpinBox(self)
        self.slot.setRange(0, 240)
        self.slot.setSingleStep(5)
        self.slot.setSuffix(" min")
        self.slot.setValue(30)
        self.label = QLineEdit(self)
        self.label.setPlaceholderText("e.g. Evening clinic")
        self.weeks = QSpinBox(self)
        self.weeks.setRange(1, 52)
        self.weeks.setSuffix(" week(s)")
        self.field("clinician_id", "&Clinician", self.clinician)
        self.field("room_id", "&Room", self.room)
        self.field("day", "&Day", self.day)
        self.field("start_time", "&Starts", self.start)
        self.field("end_time", "&Ends", self.end)
        self.field("slot_minutes", "Slot &length", self.slot)
        self.field("appointment_type_id", "&Type", self.kind)
        self.field("label", "La&bel", self.label)
        if session is None:
            self.field("weeks", "Re&peat for", self.weeks, hint="The same day and time each week")
        else:
            for combo, value in ((self.clinician, session.clinician_id), (self.room, session.room_id),
                                 (self.kind, session.appointment_type_id)):
                combo.setCurrentIndex(max(0, combo.findData(value)))
            self.start.setTime(QTime(session.start.hour, session.start.minute))
            self.end.setTime(QTime(session.end.hour, session.end.minute))
            self.slot.setValue(session.slot_minutes)
            self.label.setText(session.label)
        self.clinician.setFocus()

    def spec(self, day: date) -> sessions.SessionSpec:
        return sessions.SessionSpec(self.clinician.currentData() or 0, self.room.currentData() or 0, day,
                                    _time(self.start.time()), _time(self.end.time()), self.slot.value(),
                                    self.label.text().strip(), self.kind.currentData())

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        if self.room.currentData() is None:
            self.show_field_error("room_id", "Add a room first (Rooms tab).")
            return None
        actor, first, session = self.ctx.actor, date_of(self.day), self.session
        if session is not None:
            spec = self.spec(first)
            return appointments_ops.update_session(actor, session.id, session.version, spec)
        specs = [self.spec(first + timedelta(weeks=w)) for w in range(self.weeks.value())]

        def work(uow: UnitOfWork) -> sessions.Saved:
            saved = [sessions.create_session(uow, actor, s) for s in specs]
            return saved[0]
        return work


class ClinicSetupPanel(QWidget):
    """``ClinicSetupPanel(ctx, day, parent)``: sessions for the week of
    ``day``, rooms, types; the body of the dialog on the book and of the
    admin's Clinic set-up page."""

    def __init__(self, ctx: AppContext, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.monday = day - timedelta(days=day.weekday())
        self.rooms: list[sessions.RoomInfo] = []
        self.types: list[sessions.TypeInfo] = []
        self.clinicians: list[sessions.ClinicianInfo] = []
        self.sessions_list: list[book.SessionRow] = []
        self.child: QDialog | None = None
        self.tabs = QTabWidget(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.week = date_edit(self.monday)
        self.session_table = _table(("Day", "Time", "Clinician", "Room", "Slots", "Type", "Label"))
        self.room_table = _table(("Room", "In use"))
        self.type_table = _table(("Appointment type", "Usual length", "In use"))
        self.buttons: dict[str, QPushButton] = {}
        self.tabs.addTab(self._page(self.session_table, (("new_session", "&New session…"),
                                                         ("change_session", "C&hange…"),
                                                         ("cancel_session", "Cancel sess&ion")), self.week),
                         "&Sessions")
        self.tabs.addTab(self._page(self.room_table, (("add_room", "&Add room…"), ("rename_room", "Rena&me…"),
                                                      ("retire_room", "Re&tire or bring back"))), "&Rooms")
        self.tabs.addTab(self._page(self.type_table, (("add_type", "A&dd type…"), ("change_type", "Chan&ge…"),
                                                      ("retire_type", "Retire or bring bac&k"))),
                         "Appointment t&ypes")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        for name, fn in (("new_session", lambda: self._session(None)),
                         ("change_session", lambda: self._session(self._selected(self.session_table,
                                                                                 self.sessions_list))),
                         ("cancel_session", self._cancel_session),
                         ("add_room", lambda: self._open(RoomDialog(ctx, None, self), "Room added.")),
                         ("rename_room", self._rename_room), ("retire_room", self._retire_room),
                         ("add_type", lambda: self._open(TypeDialog(ctx, None, self), "Appointment type added.")),
                         ("change_type", self._change_type), ("retire_type", self._retire_type)):
            self.buttons[name].clicked.connect(fn)
        self.week.dateChanged.connect(lambda *_: self.refresh())
        self.refresh()

    def _page(self, table: QTableWidget, buttons: tuple[tuple[str, str], ...], week: QWidget | None = None) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        if week is not None:
            top = QHBoxLayout()
            caption = QLabel("W&eek of")
            caption.setBuddy(week)
            top.addWidget(caption)
            top.addWidget(week)
            top.addStretch(1)
            column.addLayout(top)
        column.addWidget(table, 1)
        row = QHBoxLayout()
        for name, text in buttons:
            self.buttons[name] = QPushButton(text)
            row.addWidget(self.buttons[name])
        row.addStretch(1)
        column.addLayout(row)
        return page

    # ---- data ----------------------------------------------------------------
    def refresh(self) -> None:
        actor, monday = self.ctx.actor, date_of(self.week)
        monday -= timedelta(days=monday.weekday())

        self.ctx.query(self, lambda uow: sessions.setup_lists(uow, actor, monday)).on_success(self._show).start()

    def _show(self, found: sessions.SetupLists) -> None:
        self.clinicians, self.rooms, self.types = found.clinicians, found.rooms, found.types
        self.sessions_list = list(found.sessions)
        names: dict[int | None, str] = {t.id: t.name for t in self.types}
        _fill(self.session_table, [(f"{uk_day(s.day)}", f"{s.start:%H:%M}–{s.end:%H:%M}", s.clinician_name,
                                    s.room_name, f"{s.slot_minutes} min",
                                    names.get(s.appointment_type_id, "any"), s.label) for s in self.sessions_list])
        _fill(self.room_table, [(r.name, "Yes" if r.active else "Retired") for r in self.rooms])
        _fill(self.type_table, [(t.name, f"{t.default_minutes} min", "Yes" if t.active else "Retired")
                                for t in self.types])

    @staticmethod
    def _selected(table: QTableWidget, rows: list[T]) -> T | None:
        r = table.currentRow()
        return rows[r] if table.selectedItems() and 0 <= r < len(rows) else None

    # ---- actions -------------------------------------------------------------
    def _open(self, dialog: FormDialog, done: str) -> None:
        self.status.clear()
        dialog.accepted.connect(lambda: self._done(done))
        self.child = dialog
        dialog.open()

    def _session(self, session: book.SessionRow | None) -> None:
        if session is None and self.sender() is self.buttons["change_session"]:
            return
        choices = (self.clinicians, self.rooms, [t for t in self.types if t.active])
        self._open(SessionDialog(self.ctx, choices, session, date_of(self.week), self),
                   "Session saved: the book's free slots follow it." if session else
                   "Session added: the book's free slots follow it.")

    def _done(self, text: str) -> None:
        self.status.setText(text)
        self.refresh()

    def _write(self, fn: Callable[[UnitOfWork], object], done: str) -> None:
        self.status.clear()
        self.ctx.write(self, fn).on_success(lambda _: self._done(done)).on_failure(
            lambda e: self.status.setText(str(e)) if isinstance(e, ValueError) else self.ctx.show_error(self, e)
        ).start()

    def _cancel_session(self) -> None:
        s, actor = self._selected(self.session_table, self.sessions_list), self.ctx.actor
        if s is not None:
            self._write(appointments_ops.cancel_session(actor, s.id),
                        "Session cancelled. Its bookings stay in the book: move or cancel each with the person.")

    def _rename_room(self) -> None:
        room = self._selected(self.room_table, self.rooms)
        if room is not None:
            self._open(RoomDialog(self.ctx, room, self), "Room renamed.")

    def _retire_room(self) -> None:
        room, actor = self._selected(self.room_table, self.rooms), self.ctx.actor
        if room is not None:
            self._write(appointments_ops.set_room_active(actor, room.id, not room.active),
                        f"{room.name} {'retired' if room.active else 'brought back'}.")

    def _change_type(self) -> None:
        kind = self._selected(self.type_table, self.types)
        if kind is not None:
            self._open(TypeDialog(self.ctx, kind, self), "Appointment type changed.")

    def _retire_type(self) -> None:
        kind, actor = self._selected(self.type_table, self.types), self.ctx.actor
        if kind is not None:
            self._write(appointments_ops.set_type_active(actor, kind.id, not kind.active),
                        f"{kind.name} {'retired' if kind.active else 'brought back'}.")


class ClinicSetupDialog(QDialog):
    """``ClinicSetupDialog(ctx, day, parent)``: the set-up panel in a window
    of its own, opened from the appointment book (its parts are the panel's)."""

    def __init__(self, ctx: AppContext, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Clinic set-up: sessions, rooms and appointment types")
        self.resize(820, 480)
        self.panel = ClinicSetupPanel(ctx, day, self)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel, 1)
        layout.addWidget(close)
        ctx.locked.connect(self.reject)

    def __getattr__(self, name: str) -> Any:
        """The panel's parts (``tabs``, ``buttons``, the tables) read as the dialog's."""
        panel = self.__dict__.get("panel")
        if panel is None:
            raise AttributeError(name)
        return getattr(panel, name)


__all__ = ["ClinicSetupDialog", "ClinicSetupPanel", "RoomDialog", "SessionDialog", "TypeDialog"]
