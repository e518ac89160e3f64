"""Tests for clinic.demo: the synthetic site is reproducible, sound and
obeys the same rules as real data."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from clinic import nhs_number
from clinic.clock import FixedClock
from clinic.demo.generate import generate
from clinic.uow import Clinic
from db.site import Site
from db.tables.people import Person
from tests.conftest import Template


def test_demo_site_is_sound_and_its_people_valid(clinic: Clinic) -> None:
    counts = generate(clinic, people_count=400, seed=11)
    assert counts["people"] == 400 and counts["appointments"] == 8000
    with clinic.unit_of_work() as uow:
        numbers = list(uow.session.execute(select(Person.nhs_number).where(Person.nhs_number.is_not(None))).scalars())
        assert uow.session.execute(select(func.count(Person.id))).scalar_one() == 400
    assert len(numbers) == len(set(numbers)), "two demo people share an NHS number"
    assert all(nhs_number.is_valid(n) and n.startswith("999") for n in numbers)
    assert clinic.site.integrity().ok and clinic.site.verify_audit().ok


def test_same_seed_same_people(template_site: Template, tmp_path: Path, clock: FixedClock) -> None:
    names = []
    for copy in ("a", "b"):
        shutil.copytree(template_site.data_dir, tmp_path / copy)
        clinic = Clinic(Site.open_with_key(tmp_path / copy, template_site.data_key), clock)
        generate(clinic, people_count=50, seed=3)
        with clinic.unit_of_work() as uow:
            names.append(list(uow.session.execute(
                select(Person.surname, Person.forename, Person.nhs_number).order_by(Person.id)).all()))
        clinic.site.close()
    assert names[0] == names[1]


def test_refuses_a_site_that_already_has_people(clinic: Clinic) -> None:
    generate(clinic, people_count=5, seed=1)
    with pytest.raises(ValueError, match="already has people"):
        generate(clinic, people_count=5, seed=1)


def test_demo_has_a_year_of_nsp_visits_that_obey_the_rules(clinic: Clinic) -> None:
    from datetime import timedelta

    from db.tables.harm_reduction import NaloxoneBatch, NspVisit

    counts = generate(clinic, people_count=500, seed=5)
    assert counts["nsp_visits"] == 300  # 0.6 a person: 30,000 at 50,000 people
    today = clinic.clock.today()
    with clinic.unit_of_work() as uow:
        first, last = uow.session.execute(select(func.min(NspVisit.visited_on), func.max(NspVisit.visited_on))).one()
        coded = uow.session.execute(select(func.count()).where(NspVisit.pseudonym.is_not(None))).scalar_one()
        assert uow.session.execute(select(func.min(NaloxoneBatch.remaining))).scalar_one() >= 0
        young = uow.session.execute(select(NspVisit).where(NspVisit.under_18.is_(True))).scalars().all()
    assert today - timedelta(days=364) <= first and last <= today
    assert 0 < coded < 300
    assert young and all(v.safeguarding_flag and v.greater_risk_assessed and v.needles_issued <= 10 for v in young)
def test_demo_journeys_fill_every_worklist(clinic: Clinic) -> None:
    from clinic.permissions import Role
    from clinic.services.journey.worklists import KINDS, worklist
    from clinic.services.staff import actor_of
    from db.tables.staff import Staff

    counts = generate(clinic, people_count=400, seed=11)
    assert counts["journey_episodes"] > 250 and counts["journey_tops"] > 250
    with clinic.unit_of_work() as uow:
        nurse = actor_of(uow.session.execute(select(Staff).where(Staff.username == "nurse")).scalar_one())
        assert Role.NURSE in nurse.roles
        kinds = {i.kind for i in worklist(uow, nurse, within_days=28)}
    assert kinds == set(KINDS)
    assert clinic.site.integrity().ok



def _indexes(session: Any) -> list[tuple[str, str, str]]:
    return sorted(tuple(r) for r in session.connection().exec_driver_sql(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all())


def test_demo_rows_go_in_without_indexes_which_are_built_once_after(
        clinic: Clinic, monkeypatch: pytest.MonkeyPatch) -> None:
    """Kept up row by row, the indexes outgrow the page cache at benchmark
    size and the load slows as it grows: the rows go in with no index, and
    the site comes out with the same indexes, each from the schema's own
    statement."""
    from clinic.demo import journey

    during: list[list[tuple[str, str, str]]] = []
    real = journey.generate_journeys

    def last_step(session: Any, *args: Any, **kwargs: Any) -> dict[str, int]:
        during.append(_indexes(session))
        return real(session, *args, **kwargs)

    monkeypatch.setattr(journey, "generate_journeys", last_step)
    with clinic.unit_of_work() as uow:
        before = _indexes(uow.session)
    generate(clinic, people_count=30, seed=2)
    with clinic.unit_of_work() as uow:
        after = _indexes(uow.session)
    assert during == [[]]
    assert before and after == before
    assert clinic.site.integrity().ok


def test_a_failed_load_rolls_back_with_the_indexes(clinic: Clinic, monkeypatch: pytest.MonkeyPatch) -> None:
    from clinic.demo import journey

    def disk_full(*_args: Any, **_kwargs: Any) -> dict[str, int]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(journey, "generate_journeys", disk_full)
    with clinic.unit_of_work() as uow:
        before = _indexes(uow.session)
    with pytest.raises(RuntimeError):
        generate(clinic, people_count=10, seed=2)
    with clinic.unit_of_work() as uow:
        assert _indexes(uow.session) == before
        assert uow.session.execute(select(func.count(Person.id))).scalar_one() == 0
