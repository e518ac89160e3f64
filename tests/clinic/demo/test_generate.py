"""Tests for clinic.demo: the synthetic site is reproducible, sound and
obeys the same rules as real data."""

from __future__ import annotations

import shutil
from pathlib import Path

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
