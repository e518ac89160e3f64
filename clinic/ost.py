"""Opioid substitution treatment (OST): reviews, missed doses, plausibility checks.

Pure rules (DESIGN §4 "OST"). Timescales and thresholds are site settings,
passed in with the DESIGN defaults:

- review every 3 months;
- prescriber review before the next dose after 3 consecutive missed days (a
  missed run raises the risk of overdose through lost tolerance);
- dose plausibility: warn above 120 mg methadone or 32 mg buprenorphine a day
  (``DEFAULT_WARN_ABOVE_MG``), the upper ends of usual UK practice as
  commonly cited from the "Orange Book" (Drug misuse and dependence: UK
  guidelines on clinical management, 2017) and the sublingual buprenorphine
  licence. A clinical lead should confirm them per site. Higher doses can be
  right, so these warn and never refuse.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby, pairwise
from types import MappingProxyType

from dateutil.relativedelta import relativedelta

from clinic.dates import uk_long

DEFAULT_WARN_ABOVE_MG: Mapping[str, float] = MappingProxyType({
    "methadone": 120.0,
    "buprenorphine": 32.0,
})


@dataclass(frozen=True)
class Prescription:
    """An OST prescription's span: ``end`` is its last day, ``None`` if open."""

    medicine: str
    start: date
    end: date | None = None


def _medicine_key(medicine: str) -> str:
    return medicine.strip().casefold()


def review_due(last_review_or_start: date, *, months: int = 3) -> date:
    """When the next OST review is due, counted in calendar months."""
    return last_review_or_start + relativedelta(months=months)


def consecutive_missed(missed_dates: Iterable[date]) -> int:
    """Length of the run of consecutive missed days ending at the latest one.

    Duplicate reports of the same day count once. An earlier run that has
    since been broken by a dose does not count.
    """
    missed = set(missed_dates)
    if not missed:
        return 0
    day, run = max(missed), 0
    while day in missed:
        run += 1
        day -= timedelta(days=1)
    return run


@dataclass(frozen=True)
class MissedEntry:
    day: date
    recorded_at: datetime | None = None  # None: known before any decision


@dataclass(frozen=True)
class DecisionMade:
    decided_on: date
    recorded_at: datetime | None = None  # None: after every missed dose already known


def missed_dose_alert(missed: Iterable[MissedEntry], *, decision: DecisionMade | None,
                      threshold: int = 3) -> date | None:
    """The day the "prescriber review before next dose" alert stands from
    (the last day of the latest run that raises it), or None.

    A run of ``threshold`` or more consecutive missed days raises the alert
    when the latest prescriber decision did not see at least one of its days:
    a day dated after the decision, or one recorded after the decision was
    recorded (a pharmacy report entered late, for days before the decision;
    UI-29). A run the decision saw whole stays cleared; scattered days never
    raise it. Worked examples: tests/clinic/test_ost_missed_rule.py.
    """
    entries = list(missed)

    def unseen(m: MissedEntry) -> bool:
        if decision is None or m.day > decision.decided_on:
            return True
        return (m.recorded_at is not None and decision.recorded_at is not None
                and m.recorded_at > decision.recorded_at)

    unseen_days = {m.day for m in entries if unseen(m)}
    alert = None
    run: list[date] = []
    days: list[date | None] = [*sorted({m.day for m in entries}), None]
    for day in days:
        if run and (day is None or day - run[-1] != timedelta(days=1)):
            if len(run) >= threshold and unseen_days.intersection(run):
                alert = run[-1]
            run = []
        if day is not None:
            run.append(day)
    return alert


def needs_prescriber_review(
    missed_dates: Iterable[date], *, decided_after: date | None, threshold: int = 3
) -> bool:
    """``missed_dose_alert`` for days all known when the decision (on
    ``decided_after``, if any) was made."""
    decision = DecisionMade(decided_after) if decided_after is not None else None
    return missed_dose_alert([MissedEntry(d) for d in missed_dates], decision=decision,
                             threshold=threshold) is not None


def safe_storage_alert(
    *, take_home_days: int, children_in_household: bool, box_held: bool
) -> bool:
    """Take-home doses, children at home and no safe-storage box (seed 002).

    The alert blocks nothing but must be shown until a box is issued.
    """
    if take_home_days < 0:
        raise ValueError("Take-home days cannot be negative.")
    return take_home_days > 0 and children_in_household and not box_held


def check_dose(
    mg: float, *, medicine: str, warn_above: Mapping[str, float] = DEFAULT_WARN_ABOVE_MG
) -> list[str]:
    """Refuse an impossible daily dose; return warnings for an unusual one.

    ``warn_above`` maps medicine names (any case) to the daily mg above which
    to warn; medicines not in it get no warning.
    """
    if not math.isfinite(mg):
        raise ValueError("Enter the daily dose as a number of mg.")
    if mg < 0:
        raise ValueError(f"A daily dose cannot be negative ({mg:g} mg).")
    if mg == 0:
        raise ValueError("A daily dose of 0 mg is not a prescription")
    limits = {_medicine_key(name): limit for name, limit in warn_above.items()}
    limit = limits.get(_medicine_key(medicine))
    if limit is not None and mg > limit:
        return [
            f"{mg:g} mg of {medicine.strip()} a day is above the usual maximum of "
            f"{limit:g} mg. Check the dose before saving."
        ]
    return []


def _span(p: Prescription) -> str:
    if p.end is None:
        return f"from {uk_long(p.start)} (no end date)"
    return f"{uk_long(p.start)} to {uk_long(p.end)}"


def check_overlap(prescriptions: Iterable[Prescription]) -> None:
    """Refuse two prescriptions of the same medicine covering the same day.

    End dates are the last day dispensed, so a prescription may start the day
    after the previous one ends but not on its last day.
    """
    spans = sorted(prescriptions, key=lambda p: (_medicine_key(p.medicine), p.start))
    for p in spans:
        if p.end is not None and p.end < p.start:
            raise ValueError(
                f"The {p.medicine.strip()} prescription ends ({uk_long(p.end)}) "
                f"before it starts ({uk_long(p.start)})."
            )
    for _, same in groupby(spans, key=lambda p: _medicine_key(p.medicine)):
        ordered = list(same)
        for earlier, later in pairwise(ordered):
            if earlier.end is None or later.start <= earlier.end:
                raise ValueError(
                    f"Two {earlier.medicine.strip()} prescriptions overlap: "
                    f"{_span(earlier)}, and {_span(later)}."
                )


def check_review_date(
    review_on: date, prescription_start: date, *, today: date | None = None
) -> None:
    """Refuse a review before the prescription started, or (given today) in the future."""
    if review_on < prescription_start:
        raise ValueError(
            f"The review date ({uk_long(review_on)}) is before the prescription "
            f"started ({uk_long(prescription_start)})."
        )
    if today is not None and review_on > today:
        raise ValueError(f"The review date ({uk_long(review_on)}) is in the future.")
