"""Synthetic safeguarding data: children for most people with children at
home (some only visiting), a few pregnancies, dated flags, MASH and police
requests (some still due), consent to share with the GP, and referrals out
(hepatology referrals after HCV positives reaching treatment). The demo
nurse is marked as a safeguarding lead so the lead's view has something.

Run after ``clinic.demo.people``.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic import safeguarding as rules
from clinic.demo.bulk import bulk_insert
from db.tables.people import Person
from db.tables.safeguarding import (ConsentToShare, HouseholdChild, InformationRequest, ReferralOut, SafeguardingFlag,
                                    SafeguardingLead, SafeguardingProfile)

INITIALS = "ABCDEFGHJKLMNPRSTW"
BANDS = [b.value for b in rules.AgeBand]
PROTECTION = ["none"] * 12 + ["child_in_need", "child_in_need", "cp_plan", "looked_after"]
FLAGS = [k.value for k in rules.FlagKind]
OUTCOMES = [None, None, "seen", "treatment_started", "treatment_started", "completed", "declined", "lost"]


def generate_safeguarding(session: Session, rng: random.Random, person_ids: list[int], *, nurse_id: int,
                          today: date) -> dict[str, int]:
    wanted = set(person_ids)
    people = [(pid, kids, gender, dob) for pid, kids, gender, dob in session.execute(
        select(Person.id, Person.children_in_household, Person.gender, Person.date_of_birth)).all() if pid in wanted]
    now = datetime.combine(today, datetime.min.time(), tzinfo=UTC)
    children: list[dict[str, Any]] = []
    profiles: list[dict[str, Any]] = []
    flags: list[dict[str, Any]] = []
    requests: list[dict[str, Any]] = []
    consents: list[dict[str, Any]] = []
    referrals: list[dict[str, Any]] = []
    for pid, kids, gender, dob in people:
        first = None
        if kids or rng.random() < 0.04:  # a few have children who only visit
            first = today - timedelta(days=rng.randint(30, 900))
            for _ in range(rng.randint(1, 3)):
                children.append(dict(
                    person_id=pid, name=rng.choice(INITIALS) + ("" if rng.random() < 0.5 else rng.choice(INITIALS)),
                    age_band=rng.choice(BANDS), lives="lives_with" if kids and rng.random() < 0.8 else "visits",
                    protection=rng.choice(PROTECTION), social_worker="", recorded_on=first, removed_reason="",
                    staff_id=nurse_id, version=1))
        pregnant = gender.lower().startswith("f") and rules.is_under_18(dob, today) is False and rng.random() < 0.03
        if first or pregnant:
            profiles.append(dict(
                person_id=pid, pregnant=pregnant,
                expected_on=today + timedelta(days=rng.randint(20, 250)) if pregnant else None,
                antenatal="Community midwife" if pregnant else "", children_first_recorded_on=first,
                hidden_harm_reviewed_on=None, early_help_offered_on=None, early_help_outcome="", version=1))
        if rng.random() < 0.04:
            raised = today - timedelta(days=rng.randint(0, 400))
            kind = rng.choice(FLAGS)
            closed = raised + timedelta(days=rng.randint(30, 200)) if rng.random() < 0.3 else None
            flags.append(dict(
                person_id=pid, kind=kind, detail="", raised_on=raised, raised_by=nurse_id,
                marac_on=raised if kind == "domestic_abuse" and rng.random() < 0.6 else None,
                review_on=raised + timedelta(days=90), closed_on=closed if closed and closed <= today else None,
                closed_reason="No longer applies" if closed and closed <= today else "",
                closed_by=nurse_id if closed and closed <= today else None, version=1))
        if rng.random() < 0.006:
            received = now - timedelta(hours=rng.randint(0, 24 * 20))
            urgency = rules.Urgency.URGENT if rng.random() < 0.3 else rules.Urgency.ROUTINE
            answered = received + timedelta(hours=1) if rng.random() < 0.7 else None
            requests.append(dict(
                person_id=pid, source=rng.choice(["mash", "mash", "police"]), requester="Screening team",
                received_at=received, urgency=urgency.value, due_at=rules.request_due(received, urgency)
                .astimezone(UTC), answered_at=answered, shared="Attendance and current treatment" if answered else "",
                shared_by=nurse_id if answered else None, legal_basis="Children Act 1989 s47" if answered else "",
                recorded_by=nurse_id, version=1))
        if rng.random() < 0.6:
            consents.append(dict(person_id=pid, recipient_kind="gp", decision="given" if rng.random() < 0.9
                                 else "refused", decided_on=today - timedelta(days=rng.randint(0, 700)),
                                 how_recorded="written", review_on=None, staff_id=nurse_id, recorded_at=now))
        if rng.random() < 0.02:
            referred = today - timedelta(days=rng.randint(0, 365))
            outcome = rng.choice(OUTCOMES)
            referrals.append(dict(
                person_id=pid, kind="hepatology", destination="Hepatology, General Hospital",
                destination_address="Liver Unit\nGeneral Hospital", referred_on=referred,
                reason="Hepatitis C positive", consent="given", virus="hepatitis_c", bbv_event_id=None,
                letter_id=None, outcome=outcome, outcome_on=referred + timedelta(days=21) if outcome else None,
                outcome_by=nurse_id if outcome else None, staff_id=nurse_id, version=1))
    for model, rows in ((HouseholdChild, children), (SafeguardingProfile, profiles), (SafeguardingFlag, flags),
                        (InformationRequest, requests), (ConsentToShare, consents), (ReferralOut, referrals)):
        bulk_insert(session, model, rows)
    if session.get(SafeguardingLead, nurse_id) is None:
        session.add(SafeguardingLead(staff_id=nurse_id, marked_by=None, marked_at=now))
        session.flush()
    return {"household_children": len(children), "safeguarding_flags": len(flags),
            "information_requests": len(requests), "consents_to_share": len(consents),
            "referrals_out": len(referrals)}
