"""Tests for clinic.services.queue."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clinic.clock import FixedClock
from clinic.permissions import Actor, PermissionDenied, Role
from clinic.services import queue
from clinic.uow import Clinic
from tests.conftest import add_person


def test_drop_in_flow_with_waiting_times(clinic: Clinic, clock: FixedClock, actors: dict[Role, Actor]) -> None:
    rec, nurse = actors[Role.RECEPTION], actors[Role.NURSE]
    sam = add_person(clinic)
    with clinic.unit_of_work(write=True) as uow:
        first = queue.add_walk_in(uow, rec, queue.AddWalkIn(sam, "Needle exchange")).id
    clock.advance(timedelta(minutes=10))
    with clinic.unit_of_work(write=True) as uow:
        second = queue.add_walk_in(uow, rec, queue.AddWalkIn(None, "Advice", walk_in_name="Jo")).id
    clock.advance(timedelta(minutes=25))
    with clinic.unit_of_work() as uow:
        view = queue.today_queue(uow, rec)
    assert [(r.name, r.wait_minutes, r.over_threshold) for r in view.rows] == [
        ("Sam Example", 35, True), ("Jo", 25, False)]
    with clinic.unit_of_work(write=True) as uow:
        assert queue.call_next(uow, nurse).id == first
    clock.advance(timedelta(minutes=20))
    with clinic.unit_of_work(write=True) as uow:
        queue.mark_seen(uow, nurse, first)
        queue.mark_left(uow, rec, second)
    with clinic.unit_of_work() as uow:
        view = queue.today_queue(uow, rec)
        assert view.waiting == ()
        assert [(r.status, r.wait_minutes, r.called_by_name) for r in view.rows] == [
            ("seen", 35, "Nadia Nurse"), ("left", 45, "")]
        with pytest.raises(ValueError, match="Nobody is waiting"):
            queue.call_next(uow, nurse)
    with pytest.raises(ValueError, match="already marked seen"), clinic.unit_of_work(write=True) as uow:
        queue.mark_left(uow, rec, first)


def test_bad_input_and_permissions(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    rec = actors[Role.RECEPTION]
    for cmd, message in [(queue.AddWalkIn(None, "Advice"), "give a name"),
                         (queue.AddWalkIn(99999, "Advice"), "not on the register"),
                         (queue.AddWalkIn(None, " ", walk_in_name="Jo"), "reason")]:
        with pytest.raises(ValueError, match=message), clinic.unit_of_work(write=True) as uow:
            queue.add_walk_in(uow, rec, cmd)
    for role in (Role.PROBATION, Role.ADMIN):
        with pytest.raises(PermissionDenied), clinic.unit_of_work() as uow:
            queue.today_queue(uow, actors[role])


def test_yesterdays_queue_is_not_shown(clinic: Clinic, clock: FixedClock, actors: dict[Role, Actor]) -> None:
    rec = actors[Role.RECEPTION]
    with clinic.unit_of_work(write=True) as uow:
        queue.add_walk_in(uow, rec, queue.AddWalkIn(None, "Advice", walk_in_name="Jo"))
    clock.advance(timedelta(days=1))
    with clinic.unit_of_work() as uow:
        assert queue.today_queue(uow, rec).rows == ()
