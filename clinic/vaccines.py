"""Vaccination courses: planning doses, and checking dates, batches and results.

Pure rules over dates and values (DESIGN §4 "Vaccination"). Sources:

- UK Green Book ch. 18 (hepatitis B) and ch. 17 (hepatitis A), and the
  product licences: the schedules, and the very rapid (0, 7, 21 days)
  schedule being for adults only.
- Interrupted courses: UKHSA's NaTHNaC (TravelHealthPro, "Interrupted
  vaccination schedules: general principles"): start where the course was
  left; do not restart it.
- Minimum intervals, where the Green Book gives none: CDC/ACIP as summarised by
  immunize.org ("What are the minimum intervals between doses in the HepB
  series?", reviewed July 2023). For 3-dose hepatitis B vaccines, including
  combined A+B (Twinrix), dose 2 at least 4 weeks after dose 1, and the final
  dose at least 8 weeks after dose 2 and 16 weeks after dose 1. The
  0, 7, 21-day schedule has no shorter minimum than its own spacing.
- Where no source gives a minimum (the 12-month boosters, the accelerated
  schedule's 1-month steps), the minimum gap is the planned spacing between
  the two doses in calendar terms (booster after a very rapid course: 12
  months less 21 days), so a late dose moves the rest of the course back by
  the same delay and never brings a dose closer to the previous one than
  planned.

Because the first dose anchors the plan, the gap before dose 2 never decides
its due date, and a third dose planned at 6 months always falls 16 weeks
or more after the first; gaps matter from dose 3 onwards, after a late dose.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

from dateutil.relativedelta import relativedelta

from clinic.dates import age_on, end_of_week, uk_long
from clinic.vocabulary import Labelled

ADULT_AGE = 18


@dataclass(frozen=True)
class PlannedDose:
    """One dose of a course: when it is due and, once given, when it was."""

    number: int
    due: date
    given: date | None


@dataclass(frozen=True)
class DoseSpec:
    """One dose of a schedule, ``offset`` counted from the first dose.

    ``min_gap`` is the shortest interval after the previous dose; ``None``
    means the planned spacing between the two doses (see module docstring).
    """

    offset: relativedelta
    min_gap: relativedelta | None = None


class Vaccine(Labelled):
    """What a course's doses are (``vaccine_doses.vaccine``, ``vaccine_products.vaccine``)."""

    HEP_B = "hepb", "Hepatitis B"
    HEP_A = "hepa", "Hepatitis A"
    HEP_AB = "hepab", "Hepatitis A and B"

    @property
    def protects_against_hep_b(self) -> bool:
        """The one answer to "is this hepatitis B?": a hepatitis B or combined A and B vaccine."""
        return self in (Vaccine.HEP_B, Vaccine.HEP_AB)


class CourseStatus(StrEnum):
    """Where a course is (``vaccine_courses.status``): active until every dose
    is given (completed) or a nurse stops it."""

    ACTIVE = "active"
    COMPLETED = "completed"
    STOPPED = "stopped"


@dataclass(frozen=True)
class Schedule:
    """A vaccination schedule as offered to a nurse."""

    id: str
    label: str
    vaccine: Vaccine
    short_name: str
    """The label without its spacing, for worklists and titles."""
    doses: tuple[DoseSpec, ...]
    primary_doses: int
    """Doses that make the primary course; the rest are boosters."""
    adults_only: bool = False
    too_young: str = ""
    """What to tell the nurse when the person is under 18 on the first dose."""


@dataclass(frozen=True)
class SingleVaccine:
    """A vaccine given as a single dose, outside any course."""

    id: str
    label: str


def _months(n: int) -> relativedelta:
    return relativedelta(months=n)


def _days(n: int) -> relativedelta:
    return relativedelta(days=n)


_THREE_DOSE_HEP_B = (
    DoseSpec(_months(0)),
    DoseSpec(_months(1), min_gap=relativedelta(weeks=4)),
    DoseSpec(_months(6), min_gap=relativedelta(weeks=8)),
)
_VERY_RAPID = (
    DoseSpec(_days(0)),
    DoseSpec(_days(7)),
    DoseSpec(_days(21)),
    DoseSpec(_months(12)),
)

SCHEDULES: Mapping[str, Schedule] = MappingProxyType({
    s.id: s for s in (
        Schedule(
            "hepb-standard", "Hepatitis B, standard (0, 1, 6 months)", Vaccine.HEP_B, "Hepatitis B, standard",
            _THREE_DOSE_HEP_B, primary_doses=3,
        ),
        Schedule(
            "hepb-accelerated",
            "Hepatitis B, accelerated (0, 1, 2 months, booster at 12 months)", Vaccine.HEP_B,
            "Hepatitis B, accelerated",
            (DoseSpec(_months(0)), DoseSpec(_months(1)), DoseSpec(_months(2)),
             DoseSpec(_months(12))),
            primary_doses=3,
        ),
        Schedule(
            "hepb-very-rapid",
            "Hepatitis B, very rapid (0, 7, 21 days, booster at 12 months; adults only)", Vaccine.HEP_B,
            "Hepatitis B, very rapid",
            _VERY_RAPID, primary_doses=3, adults_only=True,
            too_young=(
                "The very rapid hepatitis B schedule is for adults (18 or over). "
                "Use the accelerated schedule (0, 1, 2 months) instead."
            ),
        ),
        Schedule(
            "hepab-standard",
            "Hepatitis A and B combined, standard (0, 1, 6 months)", Vaccine.HEP_AB,
            "Hepatitis A and B combined, standard",
            _THREE_DOSE_HEP_B, primary_doses=3,
        ),
        Schedule(
            "hepab-very-rapid",
            "Hepatitis A and B combined, very rapid "
            "(0, 7, 21 days, booster at 12 months; adults only)", Vaccine.HEP_AB,
            "Hepatitis A and B combined, very rapid",
            _VERY_RAPID, primary_doses=3, adults_only=True,
            too_young=(
                "The very rapid hepatitis A and B schedule is for adults (18 or over). "
                "Use the standard combined schedule (0, 1, 6 months) instead."
            ),
        ),
        Schedule(
            "hepa", "Hepatitis A (0, booster at 6 to 12 months; a later booster still counts)", Vaccine.HEP_A,
            "Hepatitis A",
            (DoseSpec(_months(0)), DoseSpec(_months(6))), primary_doses=1,
        ),
    )
})

#: The schedules whose courses protect against hepatitis B, for queries on
#: ``vaccine_courses.schedule_id``; and the vaccines, for ``vaccine_doses.vaccine``.
HEP_B_SCHEDULES = tuple(s.id for s in SCHEDULES.values() if s.vaccine.protects_against_hep_b)
HEP_B_VACCINES = tuple(v for v in Vaccine if v.protects_against_hep_b)

# Seed 002 lists these as single immunisations. In the UK tetanus and
# diphtheria come together (Td/IPV); recording each by name is the seed's choice.
SINGLE_VACCINES: tuple[SingleVaccine, ...] = (
    SingleVaccine("tetanus", "Tetanus"),
    SingleVaccine("diphtheria", "Diphtheria"),
    SingleVaccine("typhoid", "Typhoid"),
    SingleVaccine("influenza", "Seasonal influenza"),
)


def _schedule(schedule_id: str) -> Schedule:
    try:
        return SCHEDULES[schedule_id]
    except KeyError:
        choices = ", ".join(SCHEDULES)
        raise ValueError(
            f"Unknown vaccine schedule '{schedule_id}'. Choose one of: {choices}."
        ) from None


def _check_not_before_birth(given_on: date, date_of_birth: date | None) -> None:
    if date_of_birth is not None and given_on < date_of_birth:
        raise ValueError(
            f"The dose date ({uk_long(given_on)}) is before the date of birth "
            f"({uk_long(date_of_birth)})."
        )


def _check_after(given_on: date, previous: date | None, what: str = "This dose") -> None:
    """Doses of one course are given on different days, in order."""
    if previous is not None and given_on <= previous:
        raise ValueError(
            f"{what} ({uk_long(given_on)}) must be after the previous dose "
            f"({uk_long(previous)})."
        )


def check_dose_date(
    given_on: date, *, date_of_birth: date | None, previous: date | None, today: date
) -> None:
    """Refuse a dose before birth, in the future, or not after the previous dose."""
    _check_not_before_birth(given_on, date_of_birth)
    if given_on > today:
        raise ValueError(
            f"The dose date ({uk_long(given_on)}) is in the future. "
            "Record a dose on the day it is given or later."
        )
    _check_after(given_on, previous)


def _check_given(
    spec: Schedule, first_dose: date, given: Sequence[date], date_of_birth: date | None
) -> None:
    if len(given) > len(spec.doses):
        raise ValueError(
            f"{spec.label}: the schedule has {len(spec.doses)} doses, "
            f"but {len(given)} are recorded."
        )
    if given and given[0] != first_dose:
        raise ValueError(
            f"The first dose of the course ({uk_long(first_dose)}) does not match "
            f"the first dose given ({uk_long(given[0])})."
        )
    _check_not_before_birth(first_dose, date_of_birth)
    for number in range(2, len(given) + 1):
        _check_after(given[number - 1], given[number - 2], f"Dose {number}")
    if (spec.adults_only and date_of_birth is not None
            and age_on(date_of_birth, first_dose) < ADULT_AGE):
        raise ValueError(spec.too_young)


def plan_course(
    schedule: str,
    first_dose: date,
    *,
    given: Sequence[date] = (),
    date_of_birth: date | None = None,
) -> list[PlannedDose]:
    """Plan every dose of a course from its first dose and the doses given.

    Dose k is due at the later of its planned date (first dose + offset, with
    end-of-month clamping) and the previous dose (given, or else its due date)
    plus the schedule's minimum gap. A late dose is accepted as given: the
    course resumes and is never restarted. Editing a given date and planning
    again re-plans the later doses.

    The adults-only rule is checked when ``date_of_birth`` is known; services
    pass the person's date of birth whenever it is recorded.
    """
    spec = _schedule(schedule)
    _check_given(spec, first_dose, given, date_of_birth)
    plan = [PlannedDose(1, first_dose, given[0] if given else None)]
    previous = first_dose
    for number, dose in enumerate(spec.doses[1:], start=2):
        planned = first_dose + dose.offset
        gap = dose.min_gap
        if gap is None:
            gap = dose.offset - spec.doses[number - 2].offset
        due = max(planned, previous + gap)
        actual = given[number - 1] if number <= len(given) else None
        plan.append(PlannedDose(number, due, actual))
        previous = actual or due
    return plan


def primary_course_completed_on(schedule: str, plan: Sequence[PlannedDose]) -> date | None:
    """The day the last primary dose was given (boosters aside), if it has been.

    Anti-HBs testing and the "completed a course of hep B" KPI count from here.
    """
    last_primary = plan[_schedule(schedule).primary_doses - 1]
    return last_primary.given


def is_course_complete(plan: Sequence[PlannedDose]) -> bool:
    """Every dose of the plan, boosters included, has been given."""
    return bool(plan) and all(dose.given is not None for dose in plan)


def next_due(plan: Sequence[PlannedDose]) -> PlannedDose | None:
    """The first dose not yet given, or ``None`` when the course is complete."""
    return next((dose for dose in plan if dose.given is None), None)


def dose_state(dose: PlannedDose, *, today: date) -> str:
    """given | overdue | due_today | due (later this week) | planned."""
    if dose.given is not None:
        return "given"
    if is_overdue(dose, today=today):
        return "overdue"
    if dose.due == today:
        return "due_today"
    return "due" if dose.due <= end_of_week(today) else "planned"


def is_overdue(dose: PlannedDose, *, today: date) -> bool:
    """Not given and its due day has passed (a dose due today is not overdue)."""
    return dose.given is None and dose.due < today


def check_batch(expiry: date, given_on: date) -> None:
    """Refuse a dose from a batch that expired before the day it is given.

    A batch is usable up to and including its expiry date. Packs printed with
    a month only ("EXP 03/2026") expire at the end of that month: the caller
    records the last day of the month.
    """
    if given_on > expiry:
        raise ValueError(f"Batch expired on {uk_long(expiry)} — do not use")


def batch_expires_soon(expiry: date, *, today: date, warn_days: int = 30) -> bool:
    """True when the batch expires within ``warn_days`` of today.

    Already-expired batches also answer True, so a stock list never shows an
    expired batch without a warning (``check_batch`` refuses to use them).
    """
    return expiry <= today + timedelta(days=warn_days)


def anti_hbs_window(
    course_completed: date, *, weeks_from: int = 4, weeks_to: int = 12
) -> tuple[date, date]:
    """First and last day to test anti-HBs after completing hepatitis B vaccination."""
    if weeks_from > weeks_to:
        raise ValueError("The anti-HBs test window starts after it ends; check the settings.")
    return (
        course_completed + timedelta(weeks=weeks_from),
        course_completed + timedelta(weeks=weeks_to),
    )


def is_responder(miu_per_ml: float, *, threshold: float = 10.0) -> bool:
    """Anti-HBs at or above ``threshold`` mIU/mL counts as responding."""
    if math.isnan(miu_per_ml) or miu_per_ml < 0:
        raise ValueError("An anti-HBs level is a number of mIU/mL, 0 or more.")
    return miu_per_ml >= threshold
