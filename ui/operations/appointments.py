"""Appointments: booking, a booking's status, series, and the clinic set-up
(rooms, appointment types, clinic sessions)."""

from __future__ import annotations

from clinic.services.appointments import booking, series, sessions, setup
from ui.operations import action

book = action(booking.book)
set_status = action(booking.set_status)
book_series = action(series.book_series)
change_following = action(series.change_following)
cancel_following = action(series.cancel_following)
add_room = action(sessions.add_room)
rename_room = action(setup.rename_room)
set_room_active = action(setup.set_room_active)
add_type = action(setup.add_type)
update_type = action(setup.update_type)
set_type_active = action(setup.set_type_active)
update_session = action(sessions.update_session)
cancel_session = action(sessions.cancel_session)
