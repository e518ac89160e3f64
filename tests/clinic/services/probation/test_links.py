"""P1 fixed: a DRR booking made in the ordinary way is linked to the order,
and marking it DNA, seen or seen late records the outcome on the order and
makes the letter due (clinic.services.probation.links)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from clinic.clock import SITE_TZ
from clinic.errors import Refused
from clinic.permissions import Role
from clinic.probation import Outcome
from clinic.services.appointments import booking as appts
from clinic.services.appointments import sessions
from clinic.services.probation import attendance
from clinic.services.probation import letters
from clinic.services.probation import links
from tests.clinic.services.probation_fixtures import active_order
from tests.conftest import add_person


@pytest.fixture
def drr(clinic, actors) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with clinic.unit_of_work() as uow:
        return {t.code: t.id for t in sessions.list_types(uow, actors[Role.RECEPTION])}


def _mark(clinic, actor, appointment_id, status, late=False):  # type: ignore[no-untyped-def]
    with clinic.unit_of_work(write=True) as uow:
        return appts.set_status(uow, actor, appts.SetStatus(appointment_id, status, late=late))


def _outcomes(clinic, actors, oid):  # type: ignore[no-untyped-def]
    with clinic.unit_of_work() as uow:
        return [(a.appointment_id is not None, a.outcome)
                for a in attendance.attendance_for_order(uow, actors[Role.PROBATION], oid)]


def _notes(clinic, actors, oid):  # type: ignore[no-untyped-def]
    with clinic.unit_of_work() as uow:
        return {(n.kind, n.status, n.due_on) for n in letters.notifications_for_order(uow, actors[Role.PROBATION], oid)
                if n.kind != "progress_report"}


def test_reception_books_a_drr_appointment_and_a_dna_reaches_probation(clinic, actors, clock, drr) -> None:  # type: ignore[no-untyped-def]
    rec, nurse = actors[Role.RECEPTION], actors[Role.NURSE]
    pid = add_person(clinic)
    oid = active_order(clinic, actors[Role.PROBATION], pid)
    with clinic.unit_of_work(write=True) as uow:
        assert [c.order_id for c in links.orders_for_booking(uow, rec, pid, drr["drr"])] == [oid]
        assert links.orders_for_booking(uow, rec, pid, drr["key_work"]) == []
        booked = appts.book(uow, rec, appts.BookAppointment(pid, nurse.staff_id, drr["drr"],
                                                            datetime(2026, 11, 24, 10)))
    assert booked.order_label.startswith("DRR from 7 September 2026")
    clock.at = datetime(2026, 11, 24, 12, tzinfo=SITE_TZ)
    with clinic.unit_of_work() as uow:
        said = links.status_effect(uow, rec, booked.id, "dna")
    assert said == ("This is a required appointment under the DRR order. Saving records \u201cdid not attend "
                    "(unacceptable absence)\u201d on the order and makes a non-attendance letter to Probation due by "
                    "25 November 2026.")
    result = _mark(clinic, rec, booked.id, "dna")
    assert result.changes.touches("probation") and "Probation must be told by the end of 25 November" in \
        result.probation_message
    assert _outcomes(clinic, actors, oid) == [(True, Outcome.UNACCEPTABLE_ABSENCE)]
    assert ("non_attendance", "due", date(2026, 11, 25)) in _notes(clinic, actors, oid)
    # Found to have been seen after all: the outcome follows, the unsent letter goes.
    _mark(clinic, rec, booked.id, "seen")
    assert _outcomes(clinic, actors, oid) == [(True, Outcome.ATTENDED)]
    assert ("non_attendance", "cancelled", date(2026, 11, 25)) in _notes(clinic, actors, oid)


def test_seen_late_records_attended_late_and_plain_types_record_nothing(clinic, actors, clock, drr) -> None:  # type: ignore[no-untyped-def]
    rec, nurse = actors[Role.RECEPTION], actors[Role.NURSE]
    pid = add_person(clinic)
    oid = active_order(clinic, actors[Role.PROBATION], pid)
    with clinic.unit_of_work(write=True) as uow:
        a = appts.book(uow, rec, appts.BookAppointment(pid, nurse.staff_id, drr["drr"], datetime(2026, 11, 23, 10, 30)))
        b = appts.book(uow, rec, appts.BookAppointment(pid, nurse.staff_id, drr["key_work"],
                                                       datetime(2026, 11, 23, 11)))
    assert b.order_label == ""
    clock.at = datetime(2026, 11, 23, 12, tzinfo=SITE_TZ)
    _mark(clinic, rec, a.id, "arrived")
    _mark(clinic, rec, a.id, "seen", late=True)
    _mark(clinic, rec, b.id, "seen")
    assert _outcomes(clinic, actors, oid) == [(True, Outcome.ATTENDED_LATE)]
    assert any(kind == "attendance_confirmation" for kind, _s, _d in _notes(clinic, actors, oid))


def _retype(clinic, actor, appointment_id, type_id):  # type: ignore[no-untyped-def]
    with clinic.unit_of_work(write=True) as uow:
        row = appts.get_for_update(uow, appointment_id, None)
        return appts.edit(uow, actor, appts.EditAppointment(row.id, row.version, row.start, row.end,
                                                            row.clinician_id, type_id, row.room_id))


def _linked_to(clinic, appointment_id):  # type: ignore[no-untyped-def]
    with clinic.unit_of_work() as uow:
        return attendance.order_for_appointment(uow, appointment_id)


def test_a_booking_changed_to_or_from_drr_follows_the_order(clinic, actors, drr) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: editing the type relinks the booking, so its DNA reaches (or
    no longer reaches) Probation."""
    rec, nurse = actors[Role.RECEPTION], actors[Role.NURSE]
    pid = add_person(clinic)
    oid = active_order(clinic, actors[Role.PROBATION], pid)
    with clinic.unit_of_work(write=True) as uow:
        booked = appts.book(uow, rec, appts.BookAppointment(pid, nurse.staff_id, drr["key_work"],
                                                            datetime(2026, 11, 24, 10)))
    assert _linked_to(clinic, booked.id) is None
    changed = _retype(clinic, rec, booked.id, drr["drr"])
    assert _linked_to(clinic, booked.id) == oid and changed.changes.touches("probation")
    assert changed.order_label.startswith("Now a required appointment under the DRR from 7 September 2026")
    changed = _retype(clinic, rec, booked.id, drr["key_work"])
    assert _linked_to(clinic, booked.id) is None and changed.changes.touches("probation")
    assert changed.order_label == "No longer a required appointment: it is off the DRR/ATR order."
    unchanged = _retype(clinic, rec, booked.id, drr["key_work"])
    assert unchanged.order_label == "" and not unchanged.changes.touches("probation")


def test_a_booking_with_its_outcome_on_the_order_keeps_its_type(clinic, actors, clock, drr) -> None:  # type: ignore[no-untyped-def]
    rec, nurse = actors[Role.RECEPTION], actors[Role.NURSE]
    pid = add_person(clinic)
    oid = active_order(clinic, actors[Role.PROBATION], pid)
    with clinic.unit_of_work(write=True) as uow:
        booked = appts.book(uow, rec, appts.BookAppointment(pid, nurse.staff_id, drr["drr"],
                                                            datetime(2026, 11, 23, 10, 30)))
    clock.at = datetime(2026, 11, 23, 12, tzinfo=SITE_TZ)
    _mark(clinic, rec, booked.id, "dna")
    _mark(clinic, rec, booked.id, "booked")  # marked in error: booked again, the outcome stays on the order
    with pytest.raises(Refused) as refused:
        _retype(clinic, rec, booked.id, drr["key_work"])
    assert refused.value.field == "type_id" and "outcome is already recorded" in str(refused.value)
    assert _linked_to(clinic, booked.id) == oid
    assert _outcomes(clinic, actors, oid) == [(True, Outcome.UNACCEPTABLE_ABSENCE)]


def test_two_orders_the_booking_must_name_one(clinic, actors, drr) -> None:  # type: ignore[no-untyped-def]
    rec, liaison, nurse = actors[Role.RECEPTION], actors[Role.PROBATION], actors[Role.NURSE]
    pid = add_person(clinic)
    first = active_order(clinic, liaison, pid)
    second = active_order(clinic, liaison, pid, start=date(2026, 11, 2))
    cmd = appts.BookAppointment(pid, nurse.staff_id, drr["drr"], datetime(2026, 11, 25, 10))
    with pytest.raises(Refused) as refused, clinic.unit_of_work(write=True) as uow:
        appts.book(uow, rec, cmd)
    assert refused.value.field == "order_id" and "more than one" in str(refused.value)
    with pytest.raises(Refused) as refused, clinic.unit_of_work(write=True) as uow:
        appts.book(uow, rec, appts.BookAppointment(pid, nurse.staff_id, drr["key_work"], datetime(2026, 11, 25, 11),
                                                   order_id=first))
    assert refused.value.field == "order_id"
    with clinic.unit_of_work(write=True) as uow:
        booked = appts.book(uow, rec, appts.BookAppointment(pid, nurse.staff_id, drr["drr"],
                                                            datetime(2026, 11, 25, 10), order_id=second))
        assert attendance.order_for_appointment(uow, booked.id) == second


def test_required_series_is_linked_to_the_order(clinic, actors, drr) -> None:  # type: ignore[no-untyped-def]
    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    oid = active_order(clinic, liaison, pid, start=date(2026, 11, 2), months=1, hearings=())
    with clinic.unit_of_work(write=True) as uow:
        booked = attendance.book_required(uow, liaison, attendance.BookRequired(
            oid, actors[Role.NURSE].staff_id, datetime(2026, 11, 24, 10)))
        linked = {attendance.order_for_appointment(uow, a) for a in booked.appointment_ids}
    assert linked == {oid} and len(booked.appointment_ids) == 2  # 24 Nov and 1 Dec, the order ends 1 Dec


def test_a_letter_lists_only_hearings_still_to_come(clinic, actors, clock) -> None:  # type: ignore[no-untyped-def]
    """UI-36: a letter dated after a hearing does not print it as a review hearing."""
    from clinic.services.probation.letters import letter_data
    from tests.clinic.services.probation_fixtures import outcome

    liaison = actors[Role.PROBATION]
    oid = active_order(clinic, liaison, add_person(clinic), hearings=(date(2026, 11, 16), date(2026, 12, 14)))
    note = outcome(clinic, liaison, oid, datetime(2026, 11, 20, 10), Outcome.UNACCEPTABLE_ABSENCE)
    with clinic.unit_of_work() as uow:
        letter = letter_data(uow, liaison, note.notification_id)
    assert letter.order.review_hearings == (date(2026, 12, 14),)
