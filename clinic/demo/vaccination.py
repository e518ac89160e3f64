"""Synthetic vaccination data: products, yearly batches, courses with doses
given on time or late, lapsed courses, single vaccines and anti-HBs results.

Bulk inserts with the course plan fields (``next_due``, ``anti_hbs_pending``
and so on) worked out with ``clinic.vaccines.plan_course``, exactly as the
service would, so the worklists over demo data mean what they say.
Proportions are plausible, not real: 60% of courses hepatitis B, one in five
lapsing part way, one dose in ten a single vaccine. Of the people with no
hepatitis B course, about one in four has an offer on record (``_hepb_offers``):
most accepted, some still thinking about it, a few declined in their words.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic import vaccines
from clinic.dates import age_on
from clinic.demo.bulk import bulk_insert
from db.tables.people import Person
from db.tables.vaccination import (
    AntiHbsResult,
    VaccineBatch,
    VaccineCourse,
    VaccineDose,
    VaccineOffer,
    VaccineProduct,
)

PRODUCTS = (
    ("Engerix B 20 micrograms", "hepb", "GSK"),
    ("HBvaxPRO 10 micrograms", "hepb", "MSD"),
    ("Havrix Adult", "hepa", "GSK"),
    ("Twinrix Adult", "hepab", "GSK"),
    ("Revaxis (Td/IPV) - tetanus", "tetanus", "Sanofi"),
    ("Revaxis (Td/IPV) - diphtheria", "diphtheria", "Sanofi"),
    ("Typhim Vi", "typhoid", "Sanofi"),
    ("Quadrivalent influenza (split virion)", "influenza", "Sanofi"),
)
SCHEDULE_WEIGHTS = (("hepb-standard", 30), ("hepb-accelerated", 15), ("hepb-very-rapid", 15),
                    ("hepab-standard", 10), ("hepab-very-rapid", 5), ("hepa", 25))
SITES = ("Left deltoid", "Right deltoid")
SINGLES = tuple(v.id for v in vaccines.SINGLE_VACCINES)


def _next_id(session: Session, column: Any) -> int:
    return int(session.execute(select(func.coalesce(func.max(column), 0))).scalar_one()) + 1


class _Stock:
    """One batch per product per year: received 1 January, expiring at the end
    of the next year, so a dose always has an in-date batch; plus one batch
    per course vaccine expiring within the warning window today."""

    def __init__(self, session: Session, rng: random.Random, today: date, staff_id: int) -> None:
        self.products: dict[str, list[int]] = {}
        self.batches: dict[tuple[int, int], int] = {}
        self.used: dict[int, int] = {}
        self.rows: list[dict[str, Any]] = []
        pid = _next_id(session, VaccineProduct.id)
        products: list[dict[str, Any]] = []
        for i, (name, vaccine, maker) in enumerate(PRODUCTS):
            products.append(dict(id=pid + i, name=name, vaccine=vaccine, manufacturer=maker, active=True))
            self.products.setdefault(vaccine, []).append(pid + i)
        bulk_insert(session, VaccineProduct, products)
        bid = _next_id(session, VaccineBatch.id)
        for product in products:
            for year in range(today.year - 7, today.year + 1):
                self.batches[(product["id"], year)] = bid
                self.rows.append(dict(id=bid, product_id=product["id"], staff_id=staff_id,
                                      batch_number=(f"{product['name'][:2].upper()}{year % 100:02d}"
                                                    f"{rng.randint(100, 999)}"),
                                      expiry=date(year + 1, 12, 31), received_on=date(year, 1, 1)))
                bid += 1
            if product["vaccine"] in list(vaccines.Vaccine):
                self.rows.append(dict(id=bid, product_id=product["id"], staff_id=staff_id,
                                      batch_number=f"SOON{bid}", expiry=today + timedelta(days=20),
                                      received_on=today - timedelta(days=300)))
                bid += 1

    def pick(self, rng: random.Random, vaccine: str, on: date) -> tuple[int, int]:
        product = rng.choice(self.products[vaccine])
        batch = self.batches[(product, on.year)]
        self.used[batch] = self.used.get(batch, 0) + 1
        return product, batch

    def insert(self, session: Session, rng: random.Random) -> None:
        for row in self.rows:
            used = self.used.get(row["id"], 0)
            row["quantity_used"] = used
            row["quantity_received"] = used + rng.choice((0, 5, 10, 20, 50))
            if row["quantity_received"] == 0:
                row["quantity_received"] = 10
        bulk_insert(session, VaccineBatch, self.rows)


def _given_dates(rng: random.Random, schedule: str, first: date, dob: date, today: date,
                 lapse: bool) -> list[date]:
    """Doses given so far: each a little late, some very late, the delay
    carried forward (as a resumed course is); a lapsed course stops after one
    or two doses. One plan per course, for speed; the caller plans again with
    the doses given, which applies the minimum gaps exactly."""
    planned = [d.due for d in vaccines.plan_course(schedule, first, date_of_birth=dob)]
    stop_after = rng.randint(1, max(1, len(planned) - 1)) if lapse else len(planned)
    given = [first]
    while len(given) < stop_after:
        k = len(given)
        late = rng.choice((0, 0, 0, 1, 2, 3, 7, 14)) if rng.random() < 0.9 else rng.randint(20, 120)
        on = max(planned[k], given[-1] + (planned[k] - planned[k - 1])) + timedelta(days=late)
        if on > today:
            break
        given.append(on)
    return given


def generate_vaccination(session: Session, rng: random.Random, person_ids: list[int], *,
                         staff_ids: list[int], today: date, doses: int = 200_000) -> dict[str, int]:
    """About ``doses`` doses over courses and single vaccines; returns row counts."""
    if not person_ids:
        return {}
    dobs = dict(session.execute(select(Person.id, Person.date_of_birth)
                                .where(Person.id.in_(person_ids))).all()) if len(person_ids) < 30_000 \
        else dict(session.execute(select(Person.id, Person.date_of_birth)).all())
    stock = _Stock(session, rng, today, staff_ids[0])
    schedules = [s for s, _ in SCHEDULE_WEIGHTS]
    weights = [w for _, w in SCHEDULE_WEIGHTS]
    course_id = _next_id(session, VaccineCourse.id)
    dose_id = _next_id(session, VaccineDose.id)
    courses: list[dict[str, Any]] = []
    dose_rows: list[dict[str, Any]] = []
    anti: list[dict[str, Any]] = []
    now = datetime.now(UTC)
    active: set[tuple[int, str]] = set()
    single_count: dict[tuple[int, str], int] = {}
    horizon = (today - date(today.year - 6, 1, 1)).days
    while len(dose_rows) < doses:
        person = rng.choice(person_ids)
        dob = dobs[person]
        first = today - timedelta(days=rng.randint(0, horizon))
        if first < dob + timedelta(days=365 * 16):
            continue
        staff = rng.choice(staff_ids)
        if rng.random() < 0.1:
            vaccine = rng.choice(SINGLES)
            number = single_count[(person, vaccine)] = single_count.get((person, vaccine), 0) + 1
            product, batch = stock.pick(rng, vaccine, first)
            dose_rows.append(dict(id=dose_id, person_id=person, course_id=None, vaccine=vaccine,
                                  product_id=product, batch_id=batch, given_on=first, dose_number=number,
                                  site=rng.choice(SITES), route="Intramuscular", consent=True,
                                  given_by_id=staff, recorded_at=now, voided=False, void_reason="", version=1))
            dose_id += 1
            continue
        schedule = rng.choices(schedules, weights)[0]
        if vaccines.SCHEDULES[schedule].adults_only and age_on(dob, first) < vaccines.ADULT_AGE:
            continue  # a nurse would refuse it too: very rapid courses are for adults
        vaccine = vaccines.SCHEDULES[schedule].vaccine
        group = vaccines.Vaccine.HEP_B if vaccine.protects_against_hep_b else vaccine
        if (person, group) in active:
            continue
        given = _given_dates(rng, schedule, first, dob, today, lapse=rng.random() < 0.2)
        plan = vaccines.plan_course(schedule, first, given=given, date_of_birth=dob)
        nxt = vaccines.next_due(plan)
        completed = vaccines.primary_course_completed_on(schedule, plan)
        status = vaccines.CourseStatus.COMPLETED if nxt is None else vaccines.CourseStatus.ACTIVE
        if status == vaccines.CourseStatus.ACTIVE:
            active.add((person, group))
        pending = completed is not None and vaccine.protects_against_hep_b
        if pending and completed is not None and rng.random() < 0.7:
            taken = completed + timedelta(weeks=rng.randint(4, 14))
            if taken <= today:
                pending = False
                anti.append(dict(person_id=person, course_id=course_id, taken_on=taken,
                                 miu_per_ml=rng.choice((2.0, 8.5, 45.0, 120.0, 350.0, 1000.0)),
                                 staff_id=staff, recorded_at=now, voided=False, void_reason=""))
        courses.append(dict(id=course_id, person_id=person, schedule_id=schedule, started_on=first,
                            status=status, stopped_reason="",
                            next_dose_number=nxt.number if nxt else None, next_due=nxt.due if nxt else None,
                            primary_completed_on=completed, anti_hbs_pending=pending, staff_id=staff,
                            created_at=now, version=1))
        for number, on in enumerate(given, start=1):
            product, batch = stock.pick(rng, vaccine, on)
            dose_rows.append(dict(id=dose_id, person_id=person, course_id=course_id, vaccine=vaccine,
                                  product_id=product, batch_id=batch, given_on=on, dose_number=number,
                                  site=rng.choice(SITES), route="Intramuscular", consent=True,
                                  given_by_id=staff, recorded_at=now, voided=False, void_reason="", version=1))
            dose_id += 1
        course_id += 1
    stock.insert(session, rng)
    on_hepb = {c["person_id"] for c in courses if vaccines.SCHEDULES[c["schedule_id"]].vaccine.protects_against_hep_b}
    offers = _hepb_offers(rng, [p for p in dict.fromkeys(person_ids) if p not in on_hepb], dobs, staff_ids,
                          today, now)
    bulk_insert(session, VaccineCourse, courses)
    bulk_insert(session, VaccineDose, dose_rows)
    bulk_insert(session, AntiHbsResult, anti)
    bulk_insert(session, VaccineOffer, offers)
    return {"vaccine_courses": len(courses), "vaccine_doses": len(dose_rows), "anti_hbs_results": len(anti),
            "vaccine_batches": len(stock.rows), "vaccine_offers": len(offers)}


#: Reasons people give for saying no, in their words (the service requires one).
DECLINE_REASONS = (
    "Scared of needles, not today", "Says he had it in prison years ago", "Had all her jabs at the GP",
    "Wants to talk to her partner first", "Does not want anything injected while using",
    "Too rushed today, has to get to probation",
)


def _hepb_offers(rng: random.Random, people: list[int], dobs: dict[int, date], staff_ids: list[int],
                 today: date, now: datetime) -> list[dict[str, Any]]:
    """Hepatitis B offers for people with no course: an offer in the last two
    years (after their 16th birthday), then most accept, a fifth are still
    thinking about it, and about one in ten declines with a reason. A few
    who were thinking about it answer at a later visit (the latest is current)."""
    rows: list[dict[str, Any]] = []

    def add(person: int, event: str, on: date) -> None:
        reason = rng.choice(DECLINE_REASONS) if event == "declined" else ""
        rows.append(dict(person_id=person, vaccine="hepb", event=event, event_on=on, reason=reason,
                         staff_id=rng.choice(staff_ids), recorded_at=now))

    for person in people:
        earliest = max(today - timedelta(days=730), dobs[person] + timedelta(days=365 * 16 + 4))
        if rng.random() >= 0.25 or earliest > today:
            continue
        on = earliest + timedelta(days=rng.randint(0, (today - earliest).days))
        answer = rng.random()
        if answer < 0.1:
            add(person, "declined", on)
        elif answer < 0.3:
            add(person, "offered", on)
            later = on + timedelta(days=rng.randint(7, 60))
            if rng.random() < 0.4 and later <= today:
                add(person, "accepted" if rng.random() < 0.7 else "declined", later)
        else:
            add(person, "accepted", on)
    return rows
