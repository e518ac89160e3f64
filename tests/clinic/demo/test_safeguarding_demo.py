"""Tests for clinic.demo.safeguarding: the demo site has safeguarding records
the screens and worklists can show, and they obey the same rules."""

from __future__ import annotations

from clinic.demo.generate import generate
from clinic.permissions import Actor, Role
from clinic.services.safeguarding import referrals
from clinic.services.safeguarding import flags as safeguarding_flags
from clinic.services.safeguarding import requests as safeguarding_requests
from clinic.uow import Clinic


def test_demo_safeguarding_records(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    counts = generate(clinic, people_count=300, seed=5)
    assert counts["household_children"] > 0 and counts["consents_to_share"] > 0
    nurse = actors[Role.NURSE]
    with clinic.unit_of_work() as uow:
        flags = safeguarding_flags.all_open_flags(uow, nurse)  # the demo nurse is a lead
        due = safeguarding_requests.requests_due(uow, nurse)
        referrals.referrals_waiting(uow, nurse)
    assert all(f.closed_on is None for f in flags)
    assert all(r.answered_at is None for r in due)
    assert clinic.site.integrity().ok
