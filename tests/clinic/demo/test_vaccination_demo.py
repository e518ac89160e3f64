"""The demo site has hepatitis B vaccination offers, as the service would
record them: offered, accepted, declined with the person's reason."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from clinic.demo.generate import generate
from clinic.permissions import Actor, Role
from clinic.services.vaccination import offers
from clinic.uow import Clinic
from db.tables.people import Person
from db.tables.vaccination import VaccineCourse, VaccineOffer


def test_demo_hepb_offers_are_realistic(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    counts = generate(clinic, people_count=300, seed=7)
    today = clinic.clock.today()
    with clinic.unit_of_work() as uow:
        rows = uow.session.execute(select(VaccineOffer, Person.date_of_birth)
                                   .join(Person, Person.id == VaccineOffer.person_id)).all()
        on_hepb = set(uow.session.execute(select(VaccineCourse.person_id)
                                          .where(VaccineCourse.schedule_id.like("hep%b%"))).scalars())
        person = rows[0][0].person_id
        shown = offers.hepb_offers(uow, actors[Role.NURSE], person)
    assert counts["vaccine_offers"] == len(rows) > 10
    events = Counter(o.event for o, _dob in rows)
    assert set(events) == {"offered", "accepted", "declined"}
    assert events["accepted"] > events["offered"] and events["declined"] <= len(rows) * 0.2
    assert all(bool(o.reason) == (o.event == "declined") for o, _dob in rows)
    assert all(dob < o.event_on <= today for o, dob in rows)
    assert not {o.person_id for o, _dob in rows} & on_hepb
    assert shown.rows and shown.prompt == ""
