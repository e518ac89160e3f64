"""Tests for clinic.services.appointments.booking and its companions (sessions,
book views, series), against a real SQLCipher site."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy import select

from clinic.clock import SITE_TZ, FixedClock
from clinic.outstanding import Severity
from clinic.permissions import Actor, PermissionDenied, Role
from clinic.services.appointments import booking as appts
from clinic.services.appointments import book as book_view
from clinic.services.appointments import series
from clinic.services.appointments import sessions
from clinic.services import site_settings
from clinic.services.appointments.common import ClashError, NeedsConfirmation, StaleAppointment
from clinic.uow import Clinic
from db.tables.audit import AuditRow as AuditLog
from tests.conftest import add_person

Actors = dict[Role, Actor]


@pytest.fixture
def setup(clinic: Clinic, actors: Actors) -> dict[str, int]:
    """Two rooms, the seeded types, a person; nurse Nadia is the clinician."""
    admin = actors[Role.ADMIN]
    with clinic.unit_of_work(write=True) as uow:
        room1 = sessions.add_room(uow, admin, "Room 1").id
        room2 = sessions.add_room(uow, admin, "Room 2").id
        types = {t.code: t.id for t in sessions.list_types(uow, actors[Role.RECEPTION])}
    return {"room1": room1, "room2": room2, "person": add_person(clinic), "other": add_person(clinic, "Other", "Alex"),
            "nurse": actors[Role.NURSE].staff_id, "prescriber": actors[Role.PRESCRIBER].staff_id, **types}


def at(d: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(d, time(hh, mm))


TUE = date(2026, 11, 24)


def book(clinic: Clinic, actor: Actor, **kw: object) -> appts.Booked:
    with clinic.unit_of_work(write=True) as uow:
        return appts.book(uow, actor, appts.BookAppointment(**kw))  # type: ignore[arg-type]


def set_closures(clinic: Clinic, actors: Actors, days: list[str]) -> None:
    with clinic.unit_of_work(write=True) as uow:
        site_settings.change(uow, actors[Role.ADMIN], {"workdays.closures": days})


def test_seeded_types(clinic: Clinic, actors: Actors) -> None:
    with clinic.unit_of_work() as uow:
        types = {t.name: t.default_minutes for t in sessions.list_types(uow, actors[Role.RECEPTION])}
    assert types == {"BBV test": 20, "Vaccination": 15, "OST review": 30, "DRR appointment": 30,
                     "Key-work": 45, "Prescriber review": 30}


def test_book_uses_type_length_and_is_audited(clinic: Clinic, actors: Actors, setup: dict[str, int]) -> None:
    rec = actors[Role.RECEPTION]
    booked = book(clinic, rec, person_id=setup["person"], clinician_id=setup["nurse"], type_id=setup["bbv_test"],
                  start=at(TUE, 10), room_id=setup["room1"], reception_note="Needs ground floor")
    assert booked.end == at(TUE, 10, 20) and booked.warnings == ()
    with clinic.unit_of_work() as uow:
        audit = uow.session.execute(select(AuditLog).where(AuditLog.action == "appointment.booked")).scalars().one()
        assert audit.person_id == setup["person"] and "Needs ground floor" in audit.changes


@pytest.mark.parametrize("dimension", ["person", "clinician", "room"])
def test_clash_is_refused_and_shown(clinic: Clinic, actors: Actors, setup: dict[str, int], dimension: str) -> None:
    rec = actors[Role.RECEPTION]
    book(clinic, rec, person_id=setup["person"], clinician_id=setup["nurse"], type_id=setup["ost_review"],
         start=at(TUE, 10), room_id=setup["room1"])
    other = {"person_id": setup["other"], "clinician_id": setup["prescriber"], "room_id": setup["room2"]}
    key = {"person": "person_id", "clinician": "clinician_id", "room": "room_id"}[dimension]
    other[key] = {"person_id": setup["person"], "clinician_id": setup["nurse"], "room_id": setup["room1"]}[key]
    with pytest.raises(ClashError) as caught:
        book(clinic, rec, type_id=setup["bbv_test"], start=at(TUE, 10, 15), **other)
    assert [d.value for d in caught.value.clashes[0].dimensions] == [dimension]
    assert "10:00–10:30 Sam Example with Nadia Nurse in Room 1" in str(caught.value)
    # back to back is fine, and a cancelled booking frees its slot
    book(clinic, rec, type_id=setup["bbv_test"], start=at(TUE, 10, 30), **other)


def test_cancelled_booking_frees_the_slot(clinic: Clinic, actors: Actors, setup: dict[str, int]) -> None:
    rec = actors[Role.RECEPTION]
    first = book(clinic, rec, person_id=setup["person"], clinician_id=setup["nurse"], type_id=setup["bbv_test"],
                 start=at(TUE, 11))
    with clinic.unit_of_work(write=True) as uow:
        done = appts.set_status(uow, rec, appts.SetStatus(first.id, "cancelled_client"))
    assert done.late_cancellation is False  # 25 hours' notice
    book(clinic, rec, person_id=setup["other"], clinician_id=setup["nurse"], type_id=setup["bbv_test"],
         start=at(TUE, 11))


def test_late_cancellation_uses_the_setting(clinic: Clinic, actors: Actors, setup: dict[str, int]) -> None:
    rec = actors[Role.RECEPTION]
    soon = book(clinic, rec, person_id=setup["person"], clinician_id=setup["nurse"], type_id=setup["bbv_test"],
                start=at(TUE, 9))  # 23 hours away
    with clinic.unit_of_work(write=True) as uow:
        assert appts.set_status(uow, rec, appts.SetStatus(soon.id, "cancelled_service")).late_cancellation


@pytest.mark.parametrize(("kw", "message"), [
    ({"start": at(TUE, 10), "end": at(TUE, 9)}, "end after it starts"),
    ({"start": at(TUE, 10), "end": at(TUE, 10)}, "end after it starts"),
    ({"start": at(date(2026, 11, 20), 10)}, "already passed"),
    ({"start": at(TUE, 10), "person_id": 99999}, "not on the register"),
    ({"start": at(TUE, 10), "clinician_id": 99999}, "not an active member"),
])
def test_bad_bookings(clinic: Clinic, actors: Actors, setup: dict[str, int], kw: dict[str, object],
                      message: str) -> None:
    values = {"person_id": setup["person"], "clinician_id": setup["nurse"], "type_id": setup["bbv_test"]} | kw
    with pytest.raises(ValueError, match=message):
        book(clinic, actors[Role.RECEPTION], **values)


def test_past_booking_with_a_reason(clinic: Clinic, actors: Actors, setup: dict[str, int]) -> None:
    booked = book(clinic, actors[Role.RECEPTION], person_id=setup["person"], clinician_id=setup["nurse"],
                  type_id=setup["bbv_test"], start=at(date(2026, 11, 20), 10), past_reason="Entered after power cut")
    assert booked.id


def test_sessions_refuse_bad_input(clinic: Clinic, actors: Actors, setup: dict[str, int]) -> None:
    admin = actors[Role.ADMIN]
    spec = sessions.SessionSpec(setup["nurse"], setup["room2"], TUE, time(10), time(13), 20, "BBV nurse clinic")
    with clinic.unit_of_work(write=True) as uow:
        sessions.create_session(uow, admin, spec)
    bad = [
        (spec.__class__(**(spec.__dict__ | {"slot_minutes": 0})), "at least one minute"),
        (spec.__class__(**(spec.__dict__ | {"end_time": time(9)})), "end after it starts"),
        (spec.__class__(**(spec.__dict__ | {"start_time": time(12), "end_time": time(14),
                                            "clinician_id": setup["prescriber"]})), "Room 2 already has a session"),
        (spec.__class__(**(spec.__dict__ | {"room_id": setup["room1"], "start_time": time(9)})), "Nadia Nurse"),
    ]
    for candidate, message in bad:
        with pytest.raises(ValueError, match=message), clinic.unit_of_work(write=True) as uow:
            sessions.create_session(uow, admin, candidate)
    with pytest.raises(PermissionDenied), clinic.unit_of_work(write=True) as uow:
        sessions.create_session(uow, actors[Role.RECEPTION], spec)


def test_booking_in_a_session_and_free_slots(clinic: Clinic, actors: Actors, setup: dict[str, int]) -> None:
    admin, rec = actors[Role.ADMIN], actors[Role.RECEPTION]
    with clinic.unit_of_work(write=True) as uow:
        sid = sessions.create_session(uow, admin, sessions.SessionSpec(
            setup["nurse"], setup["room2"], TUE, time(10), time(13), 20, "BBV nurse clinic")).id
    booked = book(clinic, rec, person_id=setup["person"], clinician_id=setup["nurse"], type_id=setup["bbv_test"],
                  start=at(TUE, 10, 20), session_id=sid)
    with clinic.unit_of_work() as uow:
        view = book_view.book_range(uow, rec, TUE, TUE)
    assert [a.id for a in view.appointments] == [booked.id] and view.appointments[0].room_name == "Room 2"
    assert len(view.free_slots) == 8 and at(TUE, 10, 20) not in [s.start for s in view.free_slots]
    with pytest.raises(ValueError, match="outside the session"):
        book(clinic, rec, person_id=setup["other"], clinician_id=setup["nurse"], type_id=setup["bbv_test"],
             start=at(TUE, 12, 50), session_id=sid)


def test_two_receptionists_same_slot_one_wins(clinic: Clinic, actors: Actors, setup: dict[str, int]) -> None:
    rec = actors[Role.RECEPTION]
    first_inside = threading.Event()
    release = threading.Event()
    results: dict[str, object] = {}

    def first() -> None:
        with clinic.unit_of_work(write=True) as uow:
            results["a"] = appts.book(uow, rec, appts.BookAppointment(
                setup["person"], setup["nurse"], setup["bbv_test"], at(TUE, 14)))
            first_inside.set()
            release.wait(5)

    def second() -> None:
        first_inside.wait(5)
        try:
            with clinic.unit_of_work(write=True) as uow:  # waits at BEGIN IMMEDIATE
                appts.book(uow, rec, appts.BookAppointment(
                    setup["other"], setup["nurse"], setup["bbv_test"], at(TUE, 14, 10)))
        except ClashError as exc:
            results["b"] = exc

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    first_inside.wait(5)
    release.set()
    for t in threads:
        t.join(10)
    assert isinstance(results["a"], appts.Booked)
    assert isinstance(results["b"], ClashError) and "Sam Example" in str(results["b"])


def test_bank_holiday_and_closure_need_confirmation(clinic: Clinic, actors: Actors, setup: dict[str, int]) -> None:
    rec = actors[Role.RECEPTION]
    base = {"person_id": setup["person"], "clinician_id": setup["nurse"], "type_id": setup["bbv_test"]}
    with pytest.raises(NeedsConfirmation, match="Friday 25 December 2026 is a bank holiday"):
        book(clinic, rec, start=at(date(2026, 12, 25), 10), **base)
    with pytest.raises(NeedsConfirmation, match="Monday 28 December 2026 is a bank holiday"):  # Boxing Day moved
        book(clinic, rec, start=at(date(2026, 12, 28), 10), **base)
    set_closures(clinic, actors, ["2026-12-02"])
    with pytest.raises(NeedsConfirmation, match="site closure"):
        book(clinic, rec, start=at(date(2026, 12, 2), 10), **base)
    booked = book(clinic, rec, start=at(date(2026, 12, 2), 10), confirm=True, **base)
    assert booked.warnings == ("Wednesday 02 December 2026 is a site closure day.",)


def test_easter_and_august_bank_holidays_warn(clinic: Clinic, clock: FixedClock, actors: Actors,
                                              setup: dict[str, int]) -> None:
    clock.at = datetime(2026, 3, 2, 9, tzinfo=SITE_TZ)
    base = {"person_id": setup["person"], "clinician_id": setup["nurse"], "type_id": setup["bbv_test"]}
    for day in (date(2026, 4, 3), date(2026, 4, 6), date(2026, 8, 31)):
        with pytest.raises(NeedsConfirmation, match="bank holiday"):
            book(clinic, actors[Role.RECEPTION], start=at(day, 10), **base)
    book(clinic, actors[Role.RECEPTION], start=at(date(2026, 4, 7), 10), **base)


def test_status_flow_and_outcomes_worklist(clinic: Clinic, clock: FixedClock, actors: Actors,
                                           setup: dict[str, int]) -> None:
    rec, nurse = actors[Role.RECEPTION], actors[Role.NURSE]
    a = book(clinic, rec, person_id=setup["person"], clinician_id=setup["nurse"], type_id=setup["bbv_test"],
             start=at(TUE, 10))
    b = book(clinic, rec, person_id=setup["other"], clinician_id=setup["nurse"], type_id=setup["bbv_test"],
             start=at(TUE, 11))
    with pytest.raises(ValueError, match="later day"), clinic.unit_of_work(write=True) as uow:
        appts.set_status(uow, rec, appts.SetStatus(a.id, "dna"))
    clock.at = datetime(2026, 11, 24, 10, 5, tzinfo=SITE_TZ)
    with (pytest.raises(ValueError, match="once the appointment time has passed"),
          clinic.unit_of_work(write=True) as uow):
        appts.set_status(uow, rec, appts.SetStatus(b.id, "dna"))
    for status in ("arrived", "in_progress", "seen"):
        with clinic.unit_of_work(write=True) as uow:
            appts.set_status(uow, nurse, appts.SetStatus(a.id, status))
    with pytest.raises(ValueError, match="cannot be marked"), clinic.unit_of_work(write=True) as uow:
        appts.set_status(uow, rec, appts.SetStatus(a.id, "dna"))
    clock.advance(timedelta(hours=3))
    with clinic.unit_of_work() as uow:
        todo = book_view.outcomes_to_record(uow, rec)
    assert [r.id for r in todo] == [b.id]  # nothing marked DNA automatically


def test_dna_on_a_plain_appointment_tells_nobody(clinic: Clinic, clock: FixedClock, actors: Actors,
                                                 setup: dict[str, int]) -> None:
    """Only appointments tied to a DRR/ATR order make a probation notification
    (the probation attendance tests cover those)."""
    rec = actors[Role.RECEPTION]
    a = book(clinic, rec, person_id=setup["person"], clinician_id=setup["nurse"], type_id=setup["drr"],
             start=at(TUE, 10))
    clock.at = datetime(2026, 11, 24, 12, tzinfo=SITE_TZ)
    with clinic.unit_of_work(write=True) as uow:
        result = appts.set_status(uow, rec, appts.SetStatus(a.id, "dna", version=1))
        assert uow.session.execute(text("SELECT count(*) FROM drr_notifications")).scalar() == 0
    assert result.status == "dna" and not result.changes.touches("probation")  # no order: nothing recorded


def test_stale_version_is_refused(clinic: Clinic, clock: FixedClock, actors: Actors, setup: dict[str, int]) -> None:
    rec = actors[Role.RECEPTION]
    a = book(clinic, rec, person_id=setup["person"], clinician_id=setup["nurse"], type_id=setup["bbv_test"],
             start=at(TUE, 10))
    with clinic.unit_of_work(write=True) as uow:
        appts.set_status(uow, rec, appts.SetStatus(a.id, "cancelled_client", version=1))
    with pytest.raises(StaleAppointment), clinic.unit_of_work(write=True) as uow:
        appts.set_status(uow, rec, appts.SetStatus(a.id, "cancelled_service", version=1))


def test_weekly_series_around_christmas(clinic: Clinic, actors: Actors, setup: dict[str, int]) -> None:
    rec = actors[Role.RECEPTION]
    cmd = series.BookSeries(setup["person"], setup["nurse"], setup["drr"], at(date(2026, 12, 18), 10), count=3,
                            on_closure="skip")
    with clinic.unit_of_work() as uow:
        skip = series.plan_series(uow, rec, cmd)
        move = series.plan_series(uow, rec, series.BookSeries(**(cmd.__dict__ | {"on_closure": "move"})))
    assert [s.date() for s in skip.starts] == [date(2026, 12, 18), date(2027, 1, 8), date(2027, 1, 15)]
    assert [s.date() for s in skip.skipped] == [date(2026, 12, 25), date(2027, 1, 1)]
    assert [s.date() for s in move.starts] == [date(2026, 12, 18), date(2026, 12, 29), date(2027, 1, 4)]
    with clinic.unit_of_work(write=True) as uow:
        made = series.book_series(uow, rec, cmd)
    with clinic.unit_of_work() as uow:
        rows = book_view.person_appointments(uow, rec, setup["person"], upcoming_only=True)
    assert [r.id for r in rows] == list(made.appointment_ids) and {r.series_id for r in rows} == {made.series_id}


def test_series_without_end_and_clashing_series(clinic: Clinic, actors: Actors, setup: dict[str, int]) -> None:
    rec = actors[Role.RECEPTION]
    with pytest.raises(ValueError, match="end date or a number"), clinic.unit_of_work() as uow:
        series.plan_series(uow, rec, series.BookSeries(setup["person"], setup["nurse"], setup["drr"], at(TUE, 10)))
    book(clinic, rec, person_id=setup["other"], clinician_id=setup["nurse"], type_id=setup["drr"],
         start=at(TUE + timedelta(days=14), 10))
    with pytest.raises(ClashError, match="Alex Other"), clinic.unit_of_work(write=True) as uow:
        series.book_series(uow, rec, series.BookSeries(setup["person"], setup["nurse"], setup["drr"],
                                                       at(TUE, 10), count=4))
    with clinic.unit_of_work() as uow:  # nothing of the refused series was kept
        assert book_view.person_appointments(uow, rec, setup["person"]) == []


def test_series_skips_site_closure_and_this_and_following(clinic: Clinic, actors: Actors,
                                                          setup: dict[str, int]) -> None:
    rec = actors[Role.RECEPTION]
    set_closures(clinic, actors, ["2026-12-01"])
    with clinic.unit_of_work(write=True) as uow:
        made = series.book_series(uow, rec, series.BookSeries(
            setup["person"], setup["nurse"], setup["drr"], at(TUE, 10), count=4, on_closure="move"))
    assert [d.date() for _, d in made.plan.moved] == [date(2026, 12, 2)]
    third = made.appointment_ids[2]
    with clinic.unit_of_work(write=True) as uow:
        changed = series.change_following(uow, rec, series.ChangeFollowing(third, None, timedelta(hours=1)))
    assert changed.appointment_ids == made.appointment_ids[2:]
    with clinic.unit_of_work(write=True) as uow:
        series.cancel_following(uow, rec, made.appointment_ids[3], None, by="cancelled_client")
    with clinic.unit_of_work() as uow:
        rows = book_view.person_appointments(uow, rec, setup["person"])
    by_id = {r.id: r for r in rows}
    assert by_id[third].start.hour == 11 and by_id[made.appointment_ids[1]].start.hour == 10
    assert by_id[made.appointment_ids[3]].status == "cancelled_client"


def test_this_and_following_moved_a_whole_week_later(clinic: Clinic, actors: Actors,
                                                     setup: dict[str, int]) -> None:
    """Each occurrence lands where the next one was: not a clash with itself."""
    rec = actors[Role.RECEPTION]
    with clinic.unit_of_work(write=True) as uow:
        made = series.book_series(uow, rec, series.BookSeries(
            setup["person"], setup["nurse"], setup["drr"], at(TUE, 10), count=3))
    with clinic.unit_of_work(write=True) as uow:
        series.change_following(uow, rec, series.ChangeFollowing(made.appointment_ids[0], None, timedelta(days=7)))
    with clinic.unit_of_work() as uow:
        starts = sorted(r.start for r in book_view.person_appointments(uow, rec, setup["person"]))
    assert starts == [at(TUE + timedelta(days=7 * k), 10) for k in (1, 2, 3)]


def test_permissions(clinic: Clinic, actors: Actors, setup: dict[str, int]) -> None:
    cmd = appts.BookAppointment(setup["person"], setup["nurse"], setup["drr"], at(TUE, 10))
    for role in (Role.MANAGER, Role.ADMIN):
        with pytest.raises(PermissionDenied), clinic.unit_of_work(write=True) as uow:
            appts.book(uow, actors[role], cmd)
    with clinic.unit_of_work(write=True) as uow:  # probation liaison books DRR appointments
        appts.book(uow, actors[Role.PROBATION], cmd)
    with pytest.raises(PermissionDenied), clinic.unit_of_work() as uow:
        book_view.book_range(uow, actors[Role.ADMIN], TUE, TUE)


def test_outstanding_provider(clinic: Clinic, actors: Actors, setup: dict[str, int]) -> None:
    rec = actors[Role.RECEPTION]
    book(clinic, rec, person_id=setup["person"], clinician_id=setup["nurse"], type_id=setup["ost_review"],
         start=at(date(2026, 11, 23), 15))
    with clinic.unit_of_work() as uow:
        items = book_view.outstanding(uow, rec, setup["person"])
    assert [(i.label, i.severity) for i in items] == [
        ("OST review Mon 23/11/2026 15:00 with Nadia Nurse", Severity.DUE)]




def test_free_slots_are_taken_by_the_clinicians_or_the_rooms_live_bookings_that_day_only() -> None:
    """A slot is taken by a live booking of the session's clinician (in any
    room) or in its room (with anyone), on the session's own day; a
    cancelled booking, or one on another day, leaves it free."""
    def session(sid: int, clinician: int, room: int) -> book_view.SessionRow:
        return book_view.SessionRow(sid, clinician, "", room, "", TUE, at(TUE, 9), at(TUE, 10), 20, "", None, 1)

    def booking(clinician: int, room: int | None, start: datetime, status: str = "booked") -> book_view.AppointmentRow:
        return book_view.AppointmentRow(0, 1, "", date(1980, 1, 1), clinician, "", room, "", 1, "", start,
                                        start + timedelta(minutes=20), status, False, "", None, None, 1)

    def long(clinician: int, start: datetime, minutes: int) -> book_view.AppointmentRow:
        return replace(booking(clinician, None, start), end=start + timedelta(minutes=minutes))

    sessions_ = [session(1, clinician=10, room=100), session(2, clinician=11, room=101),
                 session(3, clinician=13, room=103), session(4, clinician=14, room=104)]
    bookings = [booking(10, 102, at(TUE, 9)),  # clinician 10 elsewhere at 9:00
                booking(12, 101, at(TUE, 9, 20)),  # someone else in room 101 at 9:20
                booking(11, 101, at(TUE, 9, 40), status="cancelled_client"),
                booking(10, 100, at(TUE + timedelta(days=1), 9, 40)),  # another day
                long(13, at(TUE, 8, 40), 20),  # ends as the session starts: back to back
                long(13, at(TUE, 9, 25), 5),  # a short one inside the 9:20 slot
                long(14, at(TUE, 8, 30), 80),  # from before the session into its 9:40 slot
                long(14, at(TUE, 9, 5), 5)]  # ends before the long one does
    free = {(s.session_id, s.start.time()) for s in book_view.free_slots(sessions_, bookings)}
    assert free == {(1, time(9, 20)), (1, time(9, 40)), (2, time(9)), (2, time(9, 40)),
                    (3, time(9)), (3, time(9, 40))}
