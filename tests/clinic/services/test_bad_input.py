"""Bad input is refused with a message by the field (issue 13: M13, m2–m6,
m17; DESIGN.md §7): the review's reproductions, each one service call.

Every case must raise ``ValueError`` (``Refused`` is one) and save nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from clinic.bbv import SampleType, TestKind, Virus
from clinic.errors import Refused
from clinic.permissions import Actor, PermissionDenied, Role
from clinic.services.appointments import booking as appts
from clinic.services.appointments import sessions
from clinic.services import bbv, callbacks, queue, staff
from clinic.services.ost import prescriptions as ost
from clinic.services.people import records as people
from clinic.services.probation import orders as probation
from clinic.services.vaccination import courses as vaccination
from clinic.uow import Clinic
from tests.conftest import add_person

DOB = date(1985, 7, 3)
BEFORE_BIRTH = DOB - timedelta(days=10)
MEGABYTE = "x" * 1_000_000
Call = Callable[[Any, dict[Role, Actor], dict[str, int]], object]


def _details(**over: object) -> people.PersonDetails:
    values: dict[str, object] = {"surname": "Example", "forename": "Sam", "date_of_birth": date(1990, 2, 3)}
    return people.PersonDetails(**(values | over))  # type: ignore[arg-type]


def _register(**over: object) -> Call:
    return lambda uow, a, w: people.register(uow, a[Role.RECEPTION], _details(**over), confirmed_not_duplicate=True)


def _test_on(day: object) -> Call:
    return lambda uow, a, w: bbv.record_test(uow, a[Role.NURSE], bbv.RecordTest(
        w["person"], (TestKind.HIV,), SampleType.VENOUS, day))  # type: ignore[arg-type]


def _ost(**over: object) -> Call:
    cmd = ost.StartPrescription(person_id=0, medicine="methadone", formulation="oral solution 1 mg/mL",
                                daily_dose_mg=60, supervised_days=6, take_home_days=1, pharmacy_id=None,
                                start_on=date(2026, 8, 1), confirm_warnings=True)
    return lambda uow, a, w: ost.start_prescription(uow, a[Role.PRESCRIBER],
                                                    replace(cmd, person_id=w["person"], **over))


def _order(made: date) -> Call:
    return lambda uow, a, w: probation.add_order(uow, a[Role.PROBATION], probation.OrderInput(
        w["person"], "DRR", "Exampletown Magistrates' Court", made, 6, date(2026, 9, 7)))


def _book(start: datetime, note: str = "") -> Call:
    return lambda uow, a, w: appts.book(uow, a[Role.RECEPTION], appts.BookAppointment(
        w["person"], a[Role.NURSE].staff_id, w["drr"], start, reception_note=note, confirm=True))


def _result(value: object) -> Call:
    def call(uow: Any, a: dict[Role, Actor], w: dict[str, int]) -> object:
        test = bbv.record_test(uow, a[Role.NURSE], bbv.RecordTest(w["person"], (TestKind.HIV,), SampleType.VENOUS,
                                                                  date(2026, 11, 20)))
        return bbv.record_result(uow, a[Role.NURSE], bbv.RecordResult(test.ids[0], value, date(2026, 11, 21)))  # type: ignore[arg-type]
    return call


CASES: dict[str, Call] = {
    # m2: lengths and control characters, declared once per column
    "100,000-char surname": _register(surname="S" * 100_000),
    "1,000,000-char forename": _register(forename="F" * 1_000_000),
    "NUL in the surname": _register(surname="Ex\x00ample"),
    "ESC in the surname": _register(surname="Ex\x1bample"),
    "newline in the surname": _register(surname="Ex\nample"),
    "5,000-char phone": _register(phone="1" * 5000),
    "control character in the postcode": _register(postcode="SW1A\x071AA"),
    "1 MB reception note": _book(datetime(2026, 11, 24, 10), MEGABYTE),
    "1 MB callback message": lambda uow, a, w: callbacks.take_message(uow, a[Role.RECEPTION], callbacks.TakeMessage(
        "Caller", "01234 567890", MEGABYTE)),
    "1 MB queue reason": lambda uow, a, w: queue.add_walk_in(uow, a[Role.RECEPTION], queue.AddWalkIn(
        w["person"], MEGABYTE)),
    "1 MB decline reason": lambda uow, a, w: bbv.record_decline(uow, a[Role.NURSE], bbv.RecordDecline(
        w["person"], (Virus.HIV,), date(2026, 11, 20), MEGABYTE)),
    "NUL in a staff name": lambda uow, a, w: staff.create_staff(uow, a[Role.ADMIN], staff.NewStaff(
        "jo.bloggs", "Jo\x00Bloggs", frozenset({Role.RECEPTION}), "a long temporary one")),
    # M13: impossible dates
    "BBV test before birth": _test_on(BEFORE_BIRTH),
    "BBV test in year 1": _test_on(date(1, 1, 1)),
    "BBV offer before birth": lambda uow, a, w: bbv.record_offer(uow, a[Role.NURSE], bbv.RecordOffer(
        w["person"], (Virus.HIV,), BEFORE_BIRTH)),
    "OST start before birth": _ost(start_on=BEFORE_BIRTH),
    "OST start in year 1": _ost(start_on=date(1, 1, 1)),
    "OST start in 9999": _ost(start_on=date(9999, 1, 1)),
    "DRR order made before birth": _order(BEFORE_BIRTH),
    "DRR order made in year 1": _order(date(1, 1, 1)),
    "booking in 9999": _book(datetime(9999, 1, 5, 10)),
    # m17
    "vaccination course in 9999": lambda uow, a, w: vaccination.start_course(
        uow, a[Role.NURSE], vaccination.StartCourse(w["person"], "hepb-standard", date(9999, 1, 1))),
    # m3: numbers within declared bounds
    "anti-HBs inf": lambda uow, a, w: vaccination.record_anti_hbs(uow, a[Role.NURSE], vaccination.RecordAntiHbs(
        w["person"], date(2026, 11, 20), float("inf"))),
    "anti-HBs 1e308": lambda uow, a, w: vaccination.record_anti_hbs(uow, a[Role.NURSE], vaccination.RecordAntiHbs(
        w["person"], date(2026, 11, 20), 1e308)),
    "OST dose 1e308 mg, warnings confirmed": _ost(daily_dose_mg=1e308),
    "unknown medicine": _ost(medicine="unicorn tears"),
    # m4: wrongly typed values
    "DOB as str": _register(date_of_birth="1990-02-03"),
    "GP practice id 2**70": _register(gp_practice_id=2**70),
    "datetime for a BBV date": _test_on(datetime(2026, 11, 20, 10)),
    "aware datetime for a booking": _book(datetime(2026, 11, 24, 10, tzinfo=UTC)),
    "BBV result as str": _result("positive"),
}


@pytest.fixture
def world(clinic: Clinic, actors: dict[Role, Actor]) -> dict[str, int]:
    with clinic.unit_of_work() as uow:
        types = {t.code: t.id for t in sessions.list_types(uow, actors[Role.RECEPTION])}
    return {"person": add_person(clinic, date_of_birth=DOB), "drr": types["drr"]}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_refused(clinic: Clinic, actors: dict[Role, Actor], world: dict[str, int], name: str) -> None:
    with pytest.raises(ValueError), clinic.unit_of_work(write=True) as uow:
        CASES[name](uow, actors, world)


def test_refusals_name_the_field(clinic: Clinic, actors: dict[Role, Actor], world: dict[str, int]) -> None:
    with pytest.raises(Refused) as refused, clinic.unit_of_work(write=True) as uow:
        _test_on(BEFORE_BIRTH)(uow, actors, world)
    assert refused.value.field == "event_date" and "before the person's date of birth" in str(refused.value)
    with pytest.raises(Refused) as refused, clinic.unit_of_work(write=True) as uow:
        _register(surname="S" * 101)(uow, actors, world)
    assert refused.value.field == "surname" and "at most 100" in str(refused.value)


def test_multi_line_columns_keep_their_line_breaks(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    with clinic.unit_of_work(write=True) as uow:
        people.register(uow, actors[Role.RECEPTION], _details(address_lines="1 Road\nTown", risk_notes="a\nb"),
                        confirmed_not_duplicate=True)


def test_the_same_person_cannot_wait_twice(clinic: Clinic, actors: dict[Role, Actor], world: dict[str, int]) -> None:
    add = queue.AddWalkIn(world["person"], "Needle exchange")
    with clinic.unit_of_work(write=True) as uow:
        queue.add_walk_in(uow, actors[Role.RECEPTION], add)
    with pytest.raises(Refused, match="already in the queue"), clinic.unit_of_work(write=True) as uow:
        queue.add_walk_in(uow, actors[Role.RECEPTION], add)


@pytest.mark.parametrize("role", [Role.PROBATION, Role.ADMIN, Role.RECEPTION])
def test_status_history_needs_permission_and_is_audited(clinic: Clinic, actors: dict[Role, Actor],
                                                        world: dict[str, int], role: Role) -> None:
    with pytest.raises(PermissionDenied), clinic.unit_of_work(write=True) as uow:
        people.record_status(uow, actors[role], world["person"], "closed", "died", "", date(2026, 11, 20))
    with clinic.unit_of_work(write=True) as uow:
        people.record_status(uow, actors[Role.MANAGER], world["person"], "closed", "died", "", date(2026, 11, 20))
    from db.tables.audit import AuditRow
    with clinic.unit_of_work() as uow:
        assert uow.session.query(AuditRow).filter_by(action="person.status_recorded").count() == 1


def test_a_normal_day_still_saves(clinic: Clinic, actors: dict[Role, Actor], world: dict[str, int]) -> None:
    with clinic.unit_of_work(write=True) as uow:
        _test_on(date(2026, 11, 20))(uow, actors, world)
        _book(datetime.combine(date(2026, 11, 24), time(10)), "Bring letter")(uow, actors, world)
