"""Tests for clinic.services.callbacks: due by the end of the next working day (seed 000)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from clinic.clock import SITE_TZ, FixedClock
from clinic.permissions import Actor, PermissionDenied, Role
from clinic.services import callbacks, site_settings
from clinic.uow import Clinic

MSG = callbacks.TakeMessage("Sam's mum", "07700 900123", "Please ring about Tuesday")


@pytest.mark.parametrize(("taken", "due"), [
    (datetime(2026, 11, 23, 10), datetime(2026, 11, 24, 17)),  # Monday -> Tuesday
    (datetime(2026, 11, 27, 18), datetime(2026, 11, 30, 17)),  # Friday evening -> Monday
    (datetime(2025, 12, 24, 15), datetime(2025, 12, 29, 17)),  # Christmas 2025: Thu 25, Fri 26, weekend
    (datetime(2026, 12, 24, 15), datetime(2026, 12, 29, 17)),  # Christmas 2026: Fri 25, Boxing Day Mon 28
    (datetime(2026, 4, 2, 12), datetime(2026, 4, 7, 17)),  # Easter 2026: Good Friday, Easter Monday
    (datetime(2026, 8, 28, 9), datetime(2026, 9, 1, 17)),  # August bank holiday Mon 31
])
def test_due_end_of_next_working_day(clinic: Clinic, clock: FixedClock, actors: dict[Role, Actor],
                                     taken: datetime, due: datetime) -> None:
    clock.at = taken.replace(tzinfo=SITE_TZ).astimezone(clock.at.tzinfo)
    with clinic.unit_of_work(write=True) as uow:
        assert callbacks.take_message(uow, actors[Role.RECEPTION], MSG).due_at == due


def test_site_closure_pushes_the_deadline(clinic: Clinic, clock: FixedClock, actors: dict[Role, Actor]) -> None:
    with clinic.unit_of_work(write=True) as uow:
        site_settings.change(uow, actors[Role.ADMIN], {"workdays.closures": ["2026-11-24"]})
    with clinic.unit_of_work(write=True) as uow:
        assert callbacks.take_message(uow, actors[Role.RECEPTION], MSG).due_at == datetime(2026, 11, 25, 17)


def test_worklist_overdue_and_done(clinic: Clinic, clock: FixedClock, actors: dict[Role, Actor]) -> None:
    rec = actors[Role.RECEPTION]
    with clinic.unit_of_work(write=True) as uow:
        first = callbacks.take_message(uow, rec, MSG).id
    clock.advance(timedelta(days=1, hours=8))  # Tuesday 18:00: past due
    with clinic.unit_of_work(write=True) as uow:
        second = callbacks.take_message(uow, rec, MSG).id
    with clinic.unit_of_work() as uow:
        rows = callbacks.callbacks_open(uow, rec)
    assert [(r.id, r.overdue, r.taken_by_name) for r in rows] == [(first, True, "Rita Reception"),
                                                                  (second, False, "Rita Reception")]
    with pytest.raises(ValueError, match="Say what happened"), clinic.unit_of_work(write=True) as uow:
        callbacks.mark_done(uow, rec, first, " ")
    with clinic.unit_of_work(write=True) as uow:
        callbacks.mark_done(uow, rec, first, "Spoke to caller")
    with clinic.unit_of_work() as uow:
        assert [r.id for r in callbacks.callbacks_open(uow, rec)] == [second]
        assert [r.id for r in callbacks.callbacks_open(uow, rec, include_done_today=True)] == [second, first]
    with pytest.raises(ValueError, match="already been dealt with"), clinic.unit_of_work(write=True) as uow:
        callbacks.mark_done(uow, rec, first, "again")


def test_bad_input_and_permissions(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    rec = actors[Role.RECEPTION]
    for cmd, message in [(callbacks.TakeMessage("", "1", "m"), "caller's name"),
                         (callbacks.TakeMessage("A", "", "m"), "number"),
                         (callbacks.TakeMessage("A", "1", ""), "message"),
                         (callbacks.TakeMessage("A", "1", "m", 99999), "not on the register")]:
        with pytest.raises(ValueError, match=message), clinic.unit_of_work(write=True) as uow:
            callbacks.take_message(uow, rec, cmd)
    with pytest.raises(PermissionDenied), clinic.unit_of_work() as uow:
        callbacks.callbacks_open(uow, actors[Role.MANAGER])
