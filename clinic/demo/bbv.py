"""Synthetic BBV testing: offers, declines, samples with one to three tests,
results, results given, and referrals for positives, in bulk inserts.

The worklist state on each tested row (``awaiting`` / ``to_give`` /
``given``) is set as the service would set it. Recent samples are still
awaiting or not yet given; people who inject are re-tested about yearly, so
some are due now. Proportions are plausible, not real: about 3% of results
positive, one offer in six declined.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic.bbv import Result, TestKind, Virus, needs_referral
from clinic.demo.bulk import bulk_insert
from db.tables.bbv import BbvEvent
from db.tables.people import Person

PANELS: tuple[tuple[TestKind, ...], ...] = (
    (TestKind.HCV_ANTIBODY,),
    (TestKind.HCV_ANTIBODY, TestKind.HBSAG, TestKind.HIV),
    (TestKind.HBSAG, TestKind.ANTI_HBC),
    (TestKind.HIV, TestKind.SYPHILIS),
    (TestKind.HCV_RNA,),
)
SAMPLES = ("dried_blood_spot", "dried_blood_spot", "venous", "point_of_care")
REFERRALS = {Virus.HEPATITIS_B: "Hepatology, General Hospital", Virus.HEPATITIS_C: "Hepatology, General Hospital",
             Virus.HIV: "HIV clinic, General Hospital", Virus.SYPHILIS: "Sexual health clinic"}


def _mark_recalls(rows: list[dict[str, Any]]) -> None:
    """Mark each person's latest HCV sample's deciding test ``recall`` when it
    is negative and given, as ``clinic.services.bbv`` does."""
    latest: dict[int, tuple[date, dict[str, dict[str, Any]]]] = {}
    for row in rows:
        if row["kind"] != "tested" or row["virus"] != Virus.HEPATITIS_C.value:
            continue
        day, sample = latest.get(row["person_id"], (date.min, {}))
        if row["event_date"] > day:
            latest[row["person_id"]] = (row["event_date"], {row["test_kind"]: row})
        elif row["event_date"] == day:
            sample[row["test_kind"]] = row
    for _day, sample in latest.values():
        deciding = sample.get(TestKind.HCV_RNA.value) or sample.get(TestKind.HCV_ANTIBODY.value)
        if (deciding is not None and deciding["state"] == "given" and deciding["result"] == "negative"
                and not any(r["state"] == "awaiting" for r in sample.values())):
            deciding["state"] = "recall"


def generate_bbv(session: Session, rng: random.Random, person_ids: list[int], *, staff_ids: list[int],
                 today: date, tests: int = 100_000) -> dict[str, int]:
    """About ``tests`` tests (one row each) with their offers, results and
    referrals; returns row counts."""
    if not person_ids:
        return {}
    injects = set(session.execute(select(Person.id).where(Person.injects.is_(True))).scalars())
    next_id = int(session.execute(select(func.coalesce(func.max(BbvEvent.id), 0))).scalar_one()) + 1
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    n_tests = 0

    def add(**values: Any) -> int:
        nonlocal next_id
        row = dict(id=next_id, test_kind=None, sample_type=None, taken_on=None, result=None,
                   test_event_id=None, state=None, decline_reason="", referred_to="",
                   recorded_at=now, voided=False, void_reason="") | values
        rows.append(row)
        next_id += 1
        return int(row["id"])

    while n_tests < tests:
        person = rng.choice(person_ids)
        staff = rng.choice(staff_ids)
        day = today - timedelta(days=rng.randint(0, 5 * 365))
        panel = PANELS[0] if person in injects and rng.random() < 0.6 else rng.choice(PANELS)
        viruses = list(dict.fromkeys(t.virus for t in panel))
        for virus in viruses:
            add(person_id=person, virus=virus.value, kind="offered", event_date=day, staff_id=staff)
        if rng.random() < 1 / 6:
            for virus in viruses:
                add(person_id=person, virus=virus.value, kind="declined", event_date=day, staff_id=staff,
                    decline_reason=rng.choice(("", "", "Not today", "Tested elsewhere recently")))
            continue
        sample = rng.choice(SAMPLES)
        for kind in panel:
            n_tests += 1
            result_on = day + timedelta(days=rng.randint(3, 21))
            given_on = result_on + timedelta(days=rng.choice((0, 1, 3, 7, 14, 30)))
            value = "positive" if rng.random() < 0.03 else "negative"
            state = "awaiting" if result_on > today else "to_give" if given_on > today else "given"
            test_id = add(person_id=person, virus=kind.virus.value, kind="tested", test_kind=kind.value,
                          sample_type=sample, event_date=day, staff_id=staff, state=state,
                          result=None if state == "awaiting" else value)
            if state == "awaiting":
                continue
            add(person_id=person, virus=kind.virus.value, kind="result", test_kind=kind.value,
                event_date=result_on, taken_on=day, result=value, test_event_id=test_id, staff_id=staff)
            if state == "given":
                add(person_id=person, virus=kind.virus.value, kind="result_given", test_kind=kind.value,
                    event_date=given_on, taken_on=day, test_event_id=test_id, staff_id=staff)
                if needs_referral(kind, Result(value)) and rng.random() < 0.8:
                    add(person_id=person, virus=kind.virus.value, kind="referred", event_date=given_on,
                        referred_to=REFERRALS[kind.virus], staff_id=staff)
    _mark_recalls(rows)
    bulk_insert(session, BbvEvent, rows)
    return {"bbv_events": len(rows), "bbv_tests": n_tests}
