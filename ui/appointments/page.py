"""The appointment book page: day or week, by clinician or by room.

Keyboard: Alt+Left / Alt+Right previous / next day (or week), Ctrl+T today,
Ctrl+B book (in the selected free slot, if any), Ctrl+R repeating booking,
Ctrl+P the day sheet, and on a selected booking: Alt+A arrived, Alt+I in
progress, Alt+S seen, Alt+N did not attend, Alt+U left unseen, Ctrl+K cancel,
Alt+O / Alt+L change / cancel this and following (a repeating booking); the
Menu key (or a right click) lists the selected booking's actions.
(Ctrl+digits move between pages and Ctrl+L locks the screen: the window's.)

Only the visible range is fetched, on a worker thread; the page refreshes
when another screen changes appointments and drops what it shows on lock.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QDate, QPoint, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic.changes import Changes
from clinic.permissions import Permission
from clinic.services.appointments import booking as appts
from clinic.services.appointments import book
from clinic.services.appointments import sessions
from clinic.services.appointments.book import AppointmentRow, BookView, FreeSlot
from clinic.uow import UnitOfWork
from clinic.dates import uk_day
from ui.widgets.booking_dialog import BookingDialog
from ui.appointments.day_sheet_dialog import DaySheetDialog
from ui.appointments.following_dialog import CancelFollowingDialog, ChangeFollowingDialog
from ui.appointments.grid import BookGrid, Column, legend
from ui.appointments.series_dialog import SeriesDialog
from ui.appointments.setup_dialog import ClinicSetupDialog
from ui.widgets.status_confirm import StatusMarker
from ui.context import AppContext
from ui.shell import theme
from ui.widgets.date_edit import DateEdit

STATUS_ACTIONS = (
    ("Arrived", "arrived", "Alt+A"), ("In progress", "in_progress", "Alt+I"), ("Seen", "seen", "Alt+S"),
    ("DNA", "dna", "Alt+N"), ("Left unseen", "left_unseen", "Alt+U"),
)


class AppointmentBookPage(QWidget):
    """``AppointmentBookPage(ctx, parent=None)``: the navigation page."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view: BookView | None = None
        self.resources: tuple[list[sessions.ClinicianInfo], list[sessions.RoomInfo]] = ([], [])
        self.dialog: QWidget | None = None
        self._generation = 0
        self.marker = StatusMarker(ctx, self, self._marked)

        self.date = DateEdit(ctx.clinic.clock.today())  # typed like every date field (UI-2)
        self.date.setAccessibleName("Day shown")
        self.span = QComboBox()
        self.span.addItems(["Day", "Week"])
        self.by = QComboBox()
        self.by.addItems(["By clinician", "By room"])
        self.who = QComboBox()  # which clinician/room in the week view
        self.who.setMinimumWidth(180)
        prev_button, next_button, today_button = QPushButton("◀"), QPushButton("▶"), QPushButton("&Today")
        prev_button.setToolTip("Previous (Alt+Left)")
        next_button.setToolTip("Next (Alt+Right)")
        self.book_button = QPushButton("&Book…")
        self.series_button = QPushButton("&Repeating…")
        self.sheet_button = QPushButton("Day s&heet…")
        self.sheet_button.setToolTip("Preview, print or save the day sheet (Ctrl+P)")
        self.sheet_button.clicked.connect(self.day_sheet)
        self.setup_button = QPushButton("Clinic set-u&p…")
        self.setup_button.setToolTip("Clinic sessions, rooms and appointment types")
        self.setup_button.clicked.connect(self.clinic_setup)
        self.setup_button.setVisible(ctx.can(Permission.SESSION_ADMIN))
        self.book_button.setIcon(theme.icon("calendar-days"))
        self.sheet_button.setIcon(theme.icon("printer"))
        top = QHBoxLayout()
        for w in (prev_button, self.date, next_button, today_button, self.span, self.by, self.who):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.book_button)
        top.addWidget(self.series_button)
        top.addWidget(self.sheet_button)
        top.addWidget(self.setup_button)

        self.grid = BookGrid()
        self.status_buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        for label, status, keys in STATUS_ACTIONS:
            button = QPushButton(label)
            button.setToolTip(f"Mark the selected booking {label.lower()} ({keys})")
            button.clicked.connect(lambda _=False, s=status: self.set_status(s))
            QShortcut(QKeySequence(keys), self, lambda s=status: self.set_status(s))
            self.status_buttons[status] = button
            actions.addWidget(button)
        self.cancel_client = QPushButton("Cancel (client)")
        self.cancel_service = QPushButton("Cancel (service)")
        self.cancel_client.clicked.connect(lambda: self.set_status("cancelled_client"))
        self.cancel_service.clicked.connect(lambda: self.set_status("cancelled_service"))
        actions.addWidget(self.cancel_client)
        actions.addWidget(self.cancel_service)
        self.change_following_button = QPushButton("Change this and f&ollowing…")
        self.cancel_following_button = QPushButton("Cancel this and fo&llowing…")
        for button, fn in ((self.change_following_button, self.change_following),
                           (self.cancel_following_button, self.cancel_following)):
            button.setToolTip("For the selected booking of a repeating series and every later one still booked")
            button.clicked.connect(fn)
            actions.addWidget(button)
        actions.addStretch(1)
        self.summary = QLabel()  # below the actions: their row and the legend's are full at 1366 pixels wide
        self.notice = QLabel()  # what the last marking recorded for Probation
        self.notice.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.grid, 1)
        layout.addWidget(legend())
        layout.addLayout(actions)
        below = QHBoxLayout()
        below.addWidget(self.notice, 1)
        below.addWidget(self.summary)
        layout.addLayout(below)

        prev_button.clicked.connect(lambda: self.step(-1))
        next_button.clicked.connect(lambda: self.step(1))
        today_button.clicked.connect(self.go_today)
        QShortcut(QKeySequence("Alt+Left"), self, lambda: self.step(-1))
        QShortcut(QKeySequence("Alt+Right"), self, lambda: self.step(1))
        QShortcut(QKeySequence("Ctrl+T"), self, self.go_today)
        QShortcut(QKeySequence("Ctrl+P"), self, self.day_sheet)
        QShortcut(QKeySequence("Ctrl+B"), self, self.book_selected)
        QShortcut(QKeySequence("Ctrl+R"), self, self.book_series)
        QShortcut(QKeySequence("Ctrl+K"), self, lambda: self.set_status("cancelled_client"))
        self.book_button.clicked.connect(self.book_selected)
        self.series_button.clicked.connect(self.book_series)
        self.grid.activated.connect(lambda thing: self.book_selected() if isinstance(thing, FreeSlot) else None)
        self.grid.current_changed.connect(lambda *_: self._update_buttons())
        self.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)  # right click or the Menu key
        self.grid.customContextMenuRequested.connect(self.booking_menu)
        self.menu: QMenu | None = None
        self._typed_day = QTimer(self)  # a day typed digit by digit is read once the typing pauses
        self._typed_day.setSingleShot(True)
        self._typed_day.setInterval(400)
        self._typed_day.timeout.connect(self.refresh)
        self.date.dateChanged.connect(lambda *_: self._typed_day.start())
        for signal in (self.span.currentIndexChanged, self.by.currentIndexChanged, self.who.currentIndexChanged):
            signal.connect(lambda *_: self.refresh())
        can_write = ctx.can(Permission.APPOINTMENT_WRITE)
        for button in (self.book_button, self.series_button, self.cancel_client, self.cancel_service,
                       self.change_following_button, self.cancel_following_button, *self.status_buttons.values()):
            button.setVisible(can_write)
        ctx.changes_applied.connect(self._changes_applied)
        ctx.locked.connect(self.clear)
        self.date.blockSignals(True)
        today = ctx.clinic.clock.today()
        self.date.setDate(QDate(today.year, today.month, today.day))
        self.date.blockSignals(False)
        self._load_resources()

    # -- data ---------------------------------------------------------------
    def _load_resources(self) -> None:
        actor = self.ctx.actor

        def fn(uow: UnitOfWork) -> tuple[list[sessions.ClinicianInfo], list[sessions.RoomInfo]]:
            return sessions.list_clinicians(uow, actor), [r for r in sessions.list_rooms(uow, actor) if r.active]

        self.ctx.query(self, fn).on_success(self._resources_loaded).start()

    def _resources_loaded(self, resources: tuple[list[sessions.ClinicianInfo], list[sessions.RoomInfo]]) -> None:
        self.resources = resources
        self._fill_who()
        self.refresh()

    def _fill_who(self) -> None:
        self.who.blockSignals(True)
        current = self.who.currentData()
        self.who.clear()
        clinicians, rooms = self.resources
        items = [(c.full_name, c.id) for c in clinicians] if self.by.currentIndex() == 0 else \
            [(r.name, r.id) for r in rooms]
        for name, key in items:
            self.who.addItem(name, key)
        index = self.who.findData(current)
        self.who.setCurrentIndex(max(0, index))
        self.who.blockSignals(False)
        self.who.setVisible(self.span.currentIndex() == 1)

    def day(self) -> date:
        d = self.date.date()
        return date(d.year(), d.month(), d.day()) if d.isValid() else self.ctx.clinic.clock.today()

    def range(self) -> tuple[date, date]:
        day = self.day()
        if self.span.currentIndex() == 0:
            return day, day
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)

    def refresh(self) -> None:
        if not self.resources[0] and not self.resources[1]:
            return
        self._fill_who()
        first, last = self.range()
        actor, by_room, week = self.ctx.actor, self.by.currentIndex() == 1, self.span.currentIndex() == 1
        who = self.who.currentData()
        self._generation += 1
        generation = self._generation

        def fn(uow: UnitOfWork) -> BookView:
            if week and who is not None:
                ids = [who]
                return book.book_range(uow, actor, first, last, room_ids=ids if by_room else None,
                                       clinician_ids=None if by_room else ids)
            return book.book_range(uow, actor, first, last)

        self.ctx.query(self, fn).on_success(lambda v: self._show(v, generation)).start()

    def _show(self, view: BookView, generation: int) -> None:
        if generation != self._generation:
            return  # an older request finished after a newer one
        self.view = view
        clinicians, rooms = self.resources
        if self.span.currentIndex() == 1:
            columns = [Column(view.first + timedelta(days=i), uk_day(view.first + timedelta(days=i)))
                       for i in range((view.last - view.first).days + 1)]
            if not any(a.start.weekday() >= 5 for a in view.appointments):
                columns = [c for c in columns if c.key.weekday() < 5]  # type: ignore[union-attr]
            self.grid.show_view(view, columns, "day")
        elif self.by.currentIndex() == 0:
            self.grid.show_view(view, [Column(c.id, c.full_name) for c in clinicians], "clinician")
        else:
            self.grid.show_view(view, [Column(r.id, r.name) for r in rooms], "room")
        live = [a for a in view.appointments if a.status not in ("cancelled_client", "cancelled_service")]
        self.summary.setText(f"{len(live)} booked · {len(view.free_slots)} free slots")
        self._update_buttons()

    def clear(self) -> None:
        self.view = None
        self.grid.clear_view()
        self.summary.clear()
        self.notice.clear()

    def _changes_applied(self, changes: Changes, initiator: object) -> None:
        if changes.touches("appointments"):
            self.refresh()

    # -- navigation ----------------------------------------------------------
    def step(self, direction: int) -> None:
        days = 1 if self.span.currentIndex() == 0 else 7
        self.date.setDate(self.date.date().addDays(direction * days))

    def day_sheet(self) -> None:
        self.dialog = DaySheetDialog(self.ctx, self.day(), self)
        self.dialog.open()

    def clinic_setup(self) -> ClinicSetupDialog:
        dialog = ClinicSetupDialog(self.ctx, self.day(), self)
        dialog.finished.connect(lambda *_: self._load_resources())  # rooms may have changed
        self.dialog = dialog
        dialog.open()
        return dialog

    def go_today(self) -> None:
        today = self.ctx.clinic.clock.today()
        self.date.setDate(QDate(today.year, today.month, today.day))

    def _update_buttons(self) -> None:
        thing = self.grid.current_thing()
        is_booking = isinstance(thing, AppointmentRow)
        not_later = is_booking and thing.start.date() <= self.ctx.clinic.clock.today()  # type: ignore[union-attr]
        for status, button in self.status_buttons.items():
            button.setEnabled(not_later and status in appts.TRANSITIONS[thing.status])  # type: ignore[union-attr]
        for button in (self.cancel_client, self.cancel_service):
            button.setEnabled(is_booking and thing.status == "booked")  # type: ignore[union-attr]
        in_series = self._series_booking() is not None
        for button in (self.change_following_button, self.cancel_following_button):
            button.setEnabled(in_series)

    def _series_booking(self) -> AppointmentRow | None:
        """The selected booking, when it is a still-booked occurrence of a series."""
        thing = self.grid.current_thing()
        if isinstance(thing, AppointmentRow) and thing.series_id is not None and thing.status == "booked":
            return thing
        return None

    def booking_menu(self, at: QPoint) -> QMenu | None:
        """The selected booking's actions, as on the action bar."""
        thing = self.grid.current_thing()
        if not isinstance(thing, AppointmentRow) or not self.ctx.can(Permission.APPOINTMENT_WRITE):
            return None
        menu = QMenu(self)
        buttons = [*self.status_buttons.values(), self.cancel_client, self.cancel_service,
                   self.change_following_button, self.cancel_following_button]
        for button in buttons:
            action = menu.addAction(button.text(), button.click)
            action.setEnabled(button.isEnabled())
        self.menu = menu
        menu.popup(self.grid.mapToGlobal(at))
        return menu

    # -- actions ------------------------------------------------------------
    def book_selected(self, person_id: int | None = None, person_name: str = "") -> BookingDialog:
        """Open the booking dialog, on the selected free slot if there is one."""
        kwargs = self._selected_place()
        thing = self.grid.current_thing()
        if isinstance(thing, FreeSlot):
            session = next((s for s in (self.view.sessions if self.view else ()) if s.id == thing.session_id), None)
            kwargs |= {"minutes": session.slot_minutes if session else None, "session_id": thing.session_id,
                       "type_id": session.appointment_type_id if session else None}
        dialog = BookingDialog(self.ctx, person_id=person_id, person_name=person_name, parent=self, **kwargs)  # type: ignore[arg-type]
        self.dialog = dialog
        dialog.open()
        return dialog

    def _selected_place(self) -> dict[str, object]:
        """Where a new booking goes, from what is selected (UI-7): a free
        slot's own time, just after a selected booking, else the day on screen."""
        thing = self.grid.current_thing()
        if isinstance(thing, AppointmentRow):  # next to the booking selected, not 09:00 today
            return {"start": thing.end, "clinician_id": thing.clinician_id, "room_id": thing.room_id}
        if isinstance(thing, FreeSlot):
            return {"start": thing.start, "clinician_id": thing.clinician_id, "room_id": thing.room_id}
        return self._on_screen()

    def _on_screen(self) -> dict[str, object]:
        """With nothing selected: the day on screen, and the clinician signed in if they are booked."""
        start = datetime.combine(self.day(), time(9, 0))
        ids = [c.id for c in self.resources[0]]
        mine = self.ctx.actor.staff_id if self.ctx.actor.staff_id in ids else None
        return {"start": start, "clinician_id": mine}

    def book_series(self, person_id: int | None = None) -> SeriesDialog:
        """Open the repeating booking on the selection, as *Book…* does (UI-7)."""
        place = self._selected_place() if self.grid.current_thing() is not None else {}
        dialog = SeriesDialog(self.ctx, person_id=person_id, parent=self, **place)  # type: ignore[arg-type]
        self.dialog = dialog
        dialog.open()
        return dialog

    def change_following(self) -> ChangeFollowingDialog | None:
        return self._open_following(ChangeFollowingDialog)

    def cancel_following(self) -> CancelFollowingDialog | None:
        return self._open_following(CancelFollowingDialog)

    def _open_following(self, kind: type[ChangeFollowingDialog] | type[CancelFollowingDialog]) -> Any:
        booking = self._series_booking()
        if booking is None:
            return None
        dialog = kind(self.ctx, booking, self)
        dialog.accepted.connect(self.refresh)
        self.dialog = dialog
        dialog.open()
        return dialog

    def set_status(self, status: str) -> None:
        """Mark the selected booking; a DNA or a seen DRR booking asks first,
        saying what it records for Probation (``status_confirm``)."""
        thing = self.grid.current_thing()
        if not isinstance(thing, AppointmentRow):
            return
        self.marker.mark(thing.id, thing.version, thing.person_name, thing.start, status)

    def _marked(self, error: BaseException | None) -> None:
        if error is not None:
            self.refresh()
        else:
            self.notice.setText(self.marker.message)
