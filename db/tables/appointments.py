"""Rooms, appointment types, clinic sessions, appointments, the drop-in queue
and callback messages.

Two kinds of time, stored two ways, never mixed:

* **Planned clinic times** — appointment start/end, session day and times,
  a callback's ``due_at`` — are *naive local clinic wall-clock* datetimes
  (Europe/London, no tzinfo). A 10:00 booking is 10:00 in winter and summer,
  the day view is a plain index range ``start >= day 00:00 AND start < day+1
  00:00``, and the clinic is closed in the night hour that DST skips/repeats.
* **Instants something happened** — created_at, arrived_at, called_at,
  taken_at, done_at, cancelled_at — are UTC-aware, like the audit trail, and
  come from ``uow.clock.now()``.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Time, text
from sqlalchemy.orm import Mapped, mapped_column

from db.tables.base import EVENT, MULTILINE, Base, utcnow


class Room(Base):
    __tablename__ = "rooms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AppointmentType(Base):
    __tablename__ = "appointment_types"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Stable machine name ("drr", "bbv_test") other modules can rely on.
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    default_minutes: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ClinicSession(Base):
    """A clinician in a room for a stretch of one day, cut into slots."""

    __tablename__ = "clinic_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"))
    day: Mapped[date] = mapped_column(Date)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    slot_minutes: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(100), default="")
    appointment_type_id: Mapped[int | None] = mapped_column(ForeignKey("appointment_types.id"))
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_clinic_sessions_day_clinician", "day", "clinician_id"),
        Index("ix_clinic_sessions_room_day", "room_id", "day"),
    )


class AppointmentSeries(Base):
    """A repeating booking: the rule it was made from, kept for "this and following"."""

    __tablename__ = "appointment_series"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    #: e.g. "FREQ=WEEKLY;INTERVAL=1;COUNT=12" (dateutil rrule text, DTSTART in first_start).
    rrule: Mapped[str] = mapped_column(String(200))
    first_start: Mapped[datetime] = mapped_column(DateTime)  # local wall clock
    on_closure: Mapped[str] = mapped_column(String(10), default="move")  # move | skip
    created_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


#: The statuses of a booking still waiting for an outcome
#: (clinic.appointment_status.NO_OUTCOME; a test holds the two equal).
AWAITING_OUTCOME = ("booked", "arrived", "in_progress")
_AWAITING = text(f"status IN ({', '.join(repr(s) for s in AWAITING_OUTCOME)})")


class Appointment(Base):
    __tablename__ = "appointments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    clinician_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("clinic_sessions.id"))
    type_id: Mapped[int] = mapped_column(ForeignKey("appointment_types.id"))
    start: Mapped[datetime] = mapped_column(DateTime, info=EVENT)  # local wall clock
    end: Mapped[datetime] = mapped_column(DateTime)  # local wall clock
    #: A clinic.appointment_status.AppointmentStatus value.
    status: Mapped[str] = mapped_column(String(20), default="booked")
    late_cancellation: Mapped[bool] = mapped_column(Boolean, default=False)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    arrived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    outcome_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: For reception only: never clinical content.
    reception_note: Mapped[str] = mapped_column(String(2000), default="", info=MULTILINE)
    #: Why a booking was entered for a time already past.
    past_reason: Mapped[str] = mapped_column(String(500), default="")
    series_id: Mapped[int | None] = mapped_column(ForeignKey("appointment_series.id"))
    created_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_appointments_clinician_start", "clinician_id", "start"),
        Index("ix_appointments_room_start", "room_id", "start"),
        Index("ix_appointments_person_start", "person_id", "start"),
        # Covers the quarterly report's reads (migration 0020).
        Index("ix_appointments_status_start", "status", "start", "person_id", "created_at", "past_reason"),
        Index("ix_appointments_start", "start"),
        Index("ix_appointments_series_start", "series_id", "start"),
        Index("ix_appointments_session_id", "session_id"),
        # Only the bookings awaiting an outcome (migration 0019): "outcomes to record".
        Index("ix_appointments_awaiting_start", "start", sqlite_where=_AWAITING, postgresql_where=_AWAITING),
    )


class QueueEntry(Base):
    """A walk-in waiting for the drop-in."""

    __tablename__ = "queue_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    #: A name for someone not (yet) on the register, e.g. needle exchange only.
    walk_in_name: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(String(200), default="")
    arrived_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: A clinic.drop_in.QueueStatus value.
    status: Mapped[str] = mapped_column(String(20), default="waiting")
    added_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    called_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    called_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_queue_entries_arrived_at", "arrived_at"),
        Index("ix_queue_entries_status_arrived", "status", "arrived_at"),
    )


class Callback(Base):
    """An answerphone or telephone message to be returned."""

    __tablename__ = "callbacks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    caller_name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40), default="")
    message: Mapped[str] = mapped_column(String(2000), default="", info=MULTILINE)
    taken_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[datetime] = mapped_column(DateTime)  # local wall clock
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    done_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    outcome: Mapped[str] = mapped_column(String(2000), default="", info=MULTILINE)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_callbacks_done_due", "done_at", "due_at"),)
