"""Synthetic harm-reduction counter data: a year of NSP visits at a busy site
(0.6 visits per person on the register: 30,000 at the benchmark's 50,000),
about a third by pseudonymous code; naloxone stock, kits for many of the
people who inject, some reported used; AUDIT-C screens (with the full AUDIT
when positive) and brief interventions. Bulk inserts, seeded.

Run after ``clinic.demo.people`` (it reads who injects).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic import alcohol, nsp
from clinic.demo.bulk import bulk_insert
from db.tables.harm_reduction import (
    AlcoholScreen,
    BriefIntervention,
    NaloxoneBatch,
    NaloxoneSupply,
    NaloxoneUse,
    NspVisit,
    NspVisitItem,
)
from db.tables.people import Person

VISITS_PER_PERSON = 0.6
CODED_SHARE = 0.35
YOUNG_EVERY = 400  # one visit in 400 is by a 16 or 17 year old (assessed, capped, flagged)
INITIALS = "ABCDEFGHJKLMNPRSTW"


def _next_id(session: Session, model: Any) -> int:
    return (session.execute(select(model.id).order_by(model.id.desc()).limit(1)).scalar() or 0) + 1


def generate_harm_reduction(session: Session, rng: random.Random, person_ids: list[int], *, staff_ids: list[int],
                            today: date) -> dict[str, int]:
    wanted = set(person_ids)
    injecting = [pid for pid in session.execute(select(Person.id).where(Person.injects.is_(True))).scalars()
                 if pid in wanted]
    births = dict(session.execute(select(Person.id, Person.date_of_birth)).all())
    now = datetime.combine(today, datetime.min.time()).replace(hour=9)
    counts = _nsp_visits(session, rng, injecting, births, len(person_ids), staff_ids, today, now)
    counts |= _naloxone(session, rng, injecting, staff_ids, today, now)
    counts |= _alcohol(session, rng, person_ids, staff_ids, today, now)
    return counts


def _nsp_visits(session: Session, rng: random.Random, injecting: list[int], births: dict[int, date], people: int,
                staff_ids: list[int], today: date, now: datetime) -> dict[str, int]:
    items = nsp.parse_items(nsp.DEFAULT_ITEMS)
    sharps = [i for i in items if i.needles]
    extras = [i for i in items if not i.needles]
    total = int(people * VISITS_PER_PERSON)
    # regulars come often: a smaller pool of visitors than visits
    named_pool = injecting[: max(1, len(injecting) // 2)] if injecting else []
    codes = [f"{rng.choice(INITIALS)}{rng.choice(INITIALS)}"
             f"{date(1960, 1, 1) + timedelta(days=rng.randint(0, 40 * 365)):%d%m%Y}{rng.choice('MMMFFX')}"
             for _ in range(max(1, int(total * CODED_SHARE / 8)))]
    visit_id = _next_id(session, NspVisit)
    visits: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    for n in range(total):
        coded = not named_pool or rng.random() < CODED_SHARE
        person = None if coded else rng.choice(named_pool)
        on = today - timedelta(days=rng.randint(0, 364))
        dob = births.get(person) if person else None
        if dob is not None and on <= dob + timedelta(days=18 * 366):
            coded, person = True, None  # demo people are adults; keep young-person visits rare and explicit
        young = n % YOUNG_EVERY == YOUNG_EVERY // 2
        if young:
            coded, person = True, None
        born = on - timedelta(days=rng.randint(16 * 366, 17 * 365))
        code = (f"{rng.choice(INITIALS)}{rng.choice(INITIALS)}{born:%d%m%Y}{rng.choice('MF')}" if young
                else rng.choice(codes) if coded else None)
        reviewed = young and on < today - timedelta(days=14)
        staff = rng.choice(staff_ids)
        chosen = [(rng.choice(sharps[:3]), 5)] if young else [(rng.choice(sharps), rng.choice((5, 10, 10, 20)))]
        if not young:
            chosen += [(item, rng.choice((2, 5, 10))) for item in rng.sample(extras, rng.randint(0, 3))]
        merged: dict[nsp.Item, int] = {}
        for item, q in chosen:
            merged[item] = merged.get(item, 0) + q
        needles = nsp.needles_in(merged.items())
        vid = visit_id + n
        visits.append(dict(id=vid, person_id=person, pseudonym=code, visited_on=on,
                           under_18=young, greater_risk_assessed=young,
                           assessment_note="Already injecting; would share equipment otherwise" if young else "",
                           safeguarding_flag=young, safeguarding_reviewed_by=staff if reviewed else None,
                           safeguarding_reviewed_at=now if reviewed else None,
                           items_issued=sum(merged.values()), needles_issued=needles,
                           bins_returned=1 if rng.random() < 0.45 else 0,
                           loose_returned=rng.choice((0, 0, 0, 5, 10)),
                           advice=" ".join(k for k in nsp.ADVICE if rng.random() < 0.25),
                           staff_id=staff, recorded_at=now))
        lines += [dict(visit_id=vid, item_type=item.type, item_label=item.label, quantity=q, needles_each=item.needles)
                  for item, q in merged.items()]
    bulk_insert(session, NspVisit, visits)
    bulk_insert(session, NspVisitItem, lines)
    return {"nsp_visits": len(visits), "nsp_visit_items": len(lines)}


def _naloxone(session: Session, rng: random.Random, injecting: list[int], staff_ids: list[int], today: date,
              now: datetime) -> dict[str, int]:
    batch_id = _next_id(session, NaloxoneBatch)
    takers = [p for p in injecting if rng.random() < 0.4]
    batches: list[dict[str, Any]] = [dict(id=batch_id + i, product="Prenoxad 1mg/ml",
                    batch_number=f"PX{24 + i}-{rng.randint(1000, 9999)}",
                    expires_on=today + timedelta(days=days), received_on=today - timedelta(days=400 - 120 * i),
                    quantity_received=len(takers) // 3 + 50, remaining=0, staff_id=rng.choice(staff_ids), version=1)
               for i, days in enumerate((-20, 300, 700))]
    supply_id = _next_id(session, NaloxoneSupply)
    supplies, uses = [], []
    for n, pid in enumerate(takers):
        batch = batches[n % 3]
        on = max(batch["received_on"], today - timedelta(days=rng.randint(0, 360)))
        used = rng.random() < 0.08
        supplies.append(dict(id=supply_id + n, person_id=pid, batch_id=batch["id"], supplied_on=on,
                             recipient="carer" if rng.random() < 0.15 else "person",
                             carer_name="Family member" if rng.random() < 0.15 else "", reason="first",
                             expires_on=batch["expires_on"], status="used" if used else "held",
                             staff_id=rng.choice(staff_ids), recorded_at=now, version=1))
        if used:
            uses.append(dict(supply_id=supply_id + n, person_id=pid, used_on=min(today, on + timedelta(days=30)),
                             ambulance_called=rng.random() < 0.7, outcome="survived" if rng.random() < 0.97
                             else "unknown", note="", reported_on=today, staff_id=rng.choice(staff_ids),
                             recorded_at=now))
    for b in batches:
        b["remaining"] = b["quantity_received"] - sum(1 for s in supplies if s["batch_id"] == b["id"])
    bulk_insert(session, NaloxoneBatch, batches)
    bulk_insert(session, NaloxoneSupply, supplies)
    bulk_insert(session, NaloxoneUse, uses)
    return {"naloxone_supplies": len(supplies), "naloxone_uses": len(uses)}


def _alcohol(session: Session, rng: random.Random, person_ids: list[int], staff_ids: list[int], today: date,
             now: datetime) -> dict[str, int]:
    screened = [p for p in person_ids if rng.random() < 0.08]
    screens, interventions = [], []
    for pid in screened:
        on = today - timedelta(days=rng.randint(0, 364))
        first = [rng.randint(0, 4) for _ in range(3)]
        c_score = alcohol.audit_c_score(first)
        positive = alcohol.audit_c_positive(c_score)
        full = first + [rng.randint(0, 3) for _ in range(5)] + [rng.choice(alcohol.LAST_TWO) for _ in range(2)]
        score = alcohol.audit_score(full) if positive else None
        screens.append(dict(person_id=pid, screened_on=on, audit_c_answers="".join(map(str, first)),
                            audit_c_score=c_score, audit_c_positive=positive,
                            audit_answers="".join(map(str, full)) if positive else None, audit_score=score,
                            audit_zone=alcohol.audit_zone(score) if score is not None else None,
                            staff_id=rng.choice(staff_ids), recorded_at=now))
        if positive:
            interventions.append(dict(person_id=pid, kind="alcohol", given_on=on, components="advice units",
                                      duration_minutes=None, referral_to="", note="", staff_id=rng.choice(staff_ids),
                                      recorded_at=now))
        if rng.random() < 0.3:
            interventions.append(dict(person_id=pid, kind="drug", given_on=on, components="motivational harm_reduction",
                                      duration_minutes=rng.choice((10, 15, 20, 30, 45)), referral_to="", note="",
                                      staff_id=rng.choice(staff_ids), recorded_at=now))
    bulk_insert(session, AlcoholScreen, screens)
    bulk_insert(session, BriefIntervention, interventions)
    return {"alcohol_screens": len(screens), "brief_interventions": len(interventions)}
