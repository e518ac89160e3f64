"""Tests for ui.operations: named user actions."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date

import ui.operations
from clinic.bbv import Virus
from clinic.permissions import Actor, Role
from clinic.services import bbv
from clinic.uow import Clinic
from tests.conftest import add_person
from ui.operations import bbv as bbv_ops


def test_an_action_runs_its_service_for_the_actor_in_the_unit_of_work(clinic: Clinic,
                                                                      actors: dict[Role, Actor]) -> None:
    nurse, person = actors[Role.NURSE], add_person(clinic)
    write = bbv_ops.record_offer(nurse, bbv.RecordOffer(person, (Virus.HIV,), date(2026, 11, 23)))
    with clinic.unit_of_work() as uow:
        assert bbv.overview(uow, nurse, person).history == ()  # nothing runs until the op layer runs it
    with clinic.unit_of_work(write=True) as uow:
        recorded = write(uow)
    with clinic.unit_of_work() as uow:
        assert [e.id for e in bbv.overview(uow, nurse, person).history] == list(recorded.ids)


def test_every_action_is_named_after_the_service_it_runs() -> None:
    """So what Save does is one jump: the action's name is its service's name."""
    found = 0
    for info in pkgutil.iter_modules(ui.operations.__path__):
        module = importlib.import_module(f"ui.operations.{info.name}")
        for name, value in vars(module).items():
            if callable(value) and getattr(value, "__module__", "") == "ui.operations" and name != "action":
                assert value.__name__ == name, f"ui.operations.{info.name}.{name} runs {value.__name__}"
                found += 1
    assert found > 100
