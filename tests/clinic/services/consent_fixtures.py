"""Record a person's consent to share, for tests whose letters go to an
outside recipient (a GP, a pharmacy): the letter service refuses without it."""

from __future__ import annotations

from datetime import date

from clinic.permissions import Actor
from clinic.services.safeguarding import consent
from clinic.uow import Clinic


def consent_to(clinic: Clinic, nurse: Actor, person_id: int, *kinds: str, on: date = date(2026, 11, 2)) -> None:
    with clinic.unit_of_work(write=True) as uow:
        for kind in kinds:
            consent.record_consent(uow, nurse, consent.RecordConsent(person_id, kind, "given", on, "written"))
