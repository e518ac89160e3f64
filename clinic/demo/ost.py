"""Synthetic OST data: pharmacies, prescriptions with dose changes, reviews,
missed doses and prescriber decisions, in bulk inserts.

Proportions (plausible, not real): about 20% of people on OST, two thirds
methadone; 40% fully supervised; reviews every three months with some
overdue; one person in eight with scattered missed doses and about 3% with
a current run of three that no prescriber has seen yet.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic.demo.bulk import bulk_insert
from db.tables.ost import (
    OstDecision,
    OstMissedDose,
    OstPrescription,
    OstReview,
    Pharmacy,
)

PHARMACIES = (
    ("Harbour Road Pharmacy", "12 Harbour Road\nExampletown\nEX1 2AB", "01234 500101", "01234 500102"),
    ("Market Street Chemist", "3 Market Street\nExampletown\nEX1 3CD", "01234 500201", "01234 500202"),
    ("Northside Pharmacy", "88 North Parade\nExampletown\nEX2 1EF", "01234 500301", ""),
    ("Station Pharmacy", "1 Station Approach\nExampletown\nEX1 9GH", "01234 500401", "01234 500402"),
    ("Riverside Health Pharmacy", "Unit 4, Riverside Centre\nExampletown\nEX3 4JK", "01234 500501", ""),
)
SPLITS = ((7, 0), (7, 0), (6, 1), (6, 1), (5, 2), (3, 4), (0, 7))


def _next_id(session: Session, column: Any) -> int:
    return int(session.execute(select(func.coalesce(func.max(column), 0))).scalar_one()) + 1


def _dose(rng: random.Random, medicine: str) -> float:
    if medicine == "methadone":
        return float(min(140, max(10, round(rng.gauss(65, 22) / 5) * 5)))
    return float(rng.choice((2, 4, 6, 8, 12, 16, 16, 24, 24, 32)))


def generate_ost(session: Session, rng: random.Random, person_ids: list[int], *, prescriber_ids: list[int],
                 nurse_ids: list[int], today: date, share: float = 0.2) -> dict[str, int]:
    """Put ``share`` of ``person_ids`` on OST; returns row counts."""
    now = datetime.combine(today, datetime.min.time())
    pharmacy_start = _next_id(session, Pharmacy.id)
    bulk_insert(session, Pharmacy, [dict(id=pharmacy_start + i, name=n, address=a, phone=p, fax=f, secure_email="",
                                   active=True) for i, (n, a, p, f) in enumerate(PHARMACIES)])
    pharmacy_ids = list(range(pharmacy_start, pharmacy_start + len(PHARMACIES)))
    pid = _next_id(session, OstPrescription.id)
    prescriptions: list[dict[str, Any]] = []
    reviews: list[dict[str, Any]] = []
    missed: list[dict[str, Any]] = []
    decisions: list[dict[str, Any]] = []
    for person in person_ids:
        if rng.random() >= share:
            continue
        medicine = "methadone" if rng.random() < 0.66 else "buprenorphine"
        formulation = "oral solution 1 mg/mL" if medicine == "methadone" else "sublingual tablets"
        start = today - timedelta(days=rng.randint(20, 3 * 365))
        pharmacy = rng.choice(pharmacy_ids)
        # dose changes: 0-2, each a new row
        change_days = sorted(rng.sample(range(14, max(15, (today - start).days)),
                                        k=min(rng.choice((0, 0, 1, 2)), max(0, (today - start).days - 14))))
        starts = [start] + [start + timedelta(days=d) for d in change_days]
        last_review = start
        reviewed = start + relativedelta(months=3)
        while reviewed <= today - timedelta(days=rng.randint(0, 40)):
            reviews.append(dict(
                person_id=person, prescription_id=pid + len([s for s in starts if s <= reviewed]) - 1,
                reviewed_on=reviewed, attendance=rng.choice(("good", "good", "some_missed", "poor")),
                dose_adequacy=rng.choice(("adequate", "adequate", "adequate", "too_low")),
                on_top_use=False, on_top_substances="", injecting=rng.random() < 0.2,
                supervision_decision="continue", supervision_reason="", children_in_household=False,
                box_issued=False, box_seen=False, overdose_risk=rng.choice(("low", "low", "medium", "high")),
                naloxone_held=rng.random() < 0.7, agreed_plan="Continue current plan.",
                next_review_on=reviewed + relativedelta(months=3), recorded_by_id=rng.choice(nurse_ids),
                recorded_at=now, signed_off_by_id=rng.choice(prescriber_ids), signed_off_at=now, version=1))
            last_review = reviewed
            reviewed += relativedelta(months=3) + timedelta(days=rng.randint(-7, 10))
        if reviews and reviews[-1]["person_id"] == person and rng.random() < 0.1:
            reviews[-1].update(signed_off_by_id=None, signed_off_at=None)
        next_due = last_review + relativedelta(months=3)
        supervised, take_home = rng.choice(SPLITS)
        dose = _dose(rng, medicine)
        alert_on = None
        if rng.random() < 0.125:
            days = {today - timedelta(days=rng.randint(1, 60)) for _ in range(rng.randint(1, 3))}
            if rng.random() < 0.25:
                end = today - timedelta(days=rng.randint(1, 5))
                days |= {end, end - timedelta(days=1), end - timedelta(days=2)}
                alert_on = end
            days = {d for d in days if d >= starts[-1]}
            if alert_on and alert_on not in days:
                alert_on = None
            missed += [dict(person_id=person, prescription_id=pid + len(starts) - 1, missed_on=d,
                            reported_by="pharmacy", reporter_name="", recorded_by_id=rng.choice(nurse_ids),
                            recorded_at=now) for d in sorted(days)]
            if alert_on and rng.random() < 0.1:
                decisions.append(dict(person_id=person, prescription_id=pid + len(starts) - 1, decided_on=today,
                                      decision="continue", note="", prescriber_id=rng.choice(prescriber_ids),
                                      recorded_at=now))
                alert_on = None
        for i, s in enumerate(starts):
            last = i == len(starts) - 1
            prescriptions.append(dict(
                id=pid + i, person_id=person, medicine=medicine, formulation=formulation,
                daily_dose_mg=dose if last else _dose(rng, medicine),
                supervised_days=supervised if last else 7, take_home_days=take_home if last else 0,
                pharmacy_id=pharmacy, prescriber_id=rng.choice(prescriber_ids), start_on=s,
                end_on=None if last else starts[i + 1] - timedelta(days=1),
                change_reason="New prescription" if i == 0 else rng.choice(
                    ("Withdrawal symptoms", "Stable: more take-home days", "Reduction agreed", "On-top use")),
                end_reason="" if last else "Dose changed", previous_id=None if i == 0 else pid + i - 1,
                next_review_due=next_due, missed_alert_on=alert_on if last else None, recorded_at=now, version=1))
        pid += len(starts)
    bulk_insert(session, OstPrescription, prescriptions)
    bulk_insert(session, OstReview, reviews)
    bulk_insert(session, OstMissedDose, missed)
    bulk_insert(session, OstDecision, decisions)
    return {"ost_prescriptions": len(prescriptions), "ost_reviews": len(reviews),
            "ost_missed_doses": len(missed), "ost_decisions": len(decisions)}
