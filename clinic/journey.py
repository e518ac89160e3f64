"""The treatment journey's rules: referral deadlines, plan and TOP due dates,
exit reasons and re-presentations (seed 002 §10.3, §12, §15, Appendix 1;
seed 000 §15; DESIGN.md §4).

Pure functions over dates. Timescales are site settings (``journey.*`` in
``clinic.settings``); the defaults here match them:

- first contact within 3 working days of the referral (002 §12);
- first intervention within 21 calendar days of the referral, and nobody
  waiting 42 days or more (002 Appendix 1);
- prescribing within 10 working days of the referral to the prescribing
  modality, or 5 working days from the date the court made a DRR (002 §10.3);
- a recovery plan within 21 days of the episode start, reviewed at least
  every 12 weeks (002 §15 PI 3a, 3b);
- a Treatment Outcomes Profile at the start, every 6 months and at exit;
- a re-presentation is a new episode starting within 6 months of a
  successful completion (002 §15 PI 5c).

"Within N days" means on or before the day N days later: a referral on
1 March met on 22 March waited 21 days and is within 21 days.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from clinic import workdays

FIRST_CONTACT_WORKING_DAYS = 3
FIRST_INTERVENTION_DAYS = 21
LONG_WAIT_DAYS = 42
PRESCRIBING_WORKING_DAYS = 10
DRR_PRESCRIBING_WORKING_DAYS = 5
PLAN_DAYS = 21
PLAN_REVIEW_WEEKS = 12
TOP_REVIEW_MONTHS = 6
REPRESENTATION_MONTHS = 6


class Source(StrEnum):
    """Where a referral came from (seed 001 §8.1, issue 19)."""

    SELF = "self"
    GP = "gp"
    PROBATION_COURT = "probation_court"
    HOSPITAL = "hospital"
    OTHER_SERVICE = "other_service"

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self]


SOURCE_LABELS = {
    Source.SELF: "Self-referral",
    Source.GP: "GP",
    Source.PROBATION_COURT: "Probation or court",
    Source.HOSPITAL: "Hospital",
    Source.OTHER_SERVICE: "Other service",
}


class Modality(StrEnum):
    """The kinds of treatment an episode holds (DESIGN.md §4)."""

    HARM_REDUCTION = "harm_reduction"
    OST = "ost_prescribing"
    PSYCHOSOCIAL = "psychosocial"
    ALCOHOL = "alcohol"
    DRR_ATR = "drr_atr"

    @property
    def label(self) -> str:
        return MODALITY_LABELS[self]


MODALITY_LABELS = {
    Modality.HARM_REDUCTION: "Harm reduction",
    Modality.OST: "OST prescribing",
    Modality.PSYCHOSOCIAL: "Psychosocial",
    Modality.ALCOHOL: "Alcohol",
    Modality.DRR_ATR: "DRR/ATR",
}


class ExitCategory(StrEnum):
    COMPLETED = "completed"  # a successful completion: counts as a planned exit
    TRANSFERRED = "transferred"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True)
class ExitReason:
    code: str
    label: str
    category: ExitCategory
    #: Which client types the reason applies to: "drug", "alcohol" or both.
    client_types: frozenset[str] = frozenset({"drug", "alcohol"})
    #: False for the code given to exits reconstructed from old records.
    selectable: bool = True


_BOTH = frozenset({"drug", "alcohol"})

#: Exit reasons, worded after the NDTMS adult discharge reasons as far as
#: they could be confirmed (the 2007-08 national statistics list "treatment
#: completed drug free", "treatment completed", "referred on", "dropped
#: out/left", "prison", "treatment declined by client", "treatment withdrawn",
#: "moved away", "died", "not known"). The numeric NDTMS codes could not be
#: confirmed, so Harbour stores these text codes and says so in the extract.
EXIT_REASONS: tuple[ExitReason, ...] = (
    ExitReason("completed_drug_free", "Treatment completed – drug free", ExitCategory.COMPLETED,
               frozenset({"drug"})),
    ExitReason("completed_alcohol_free", "Treatment completed – alcohol free", ExitCategory.COMPLETED,
               frozenset({"alcohol"})),
    ExitReason("completed_occasional_user", "Treatment completed – occasional user (not opiates or crack)",
               ExitCategory.COMPLETED, _BOTH),
    ExitReason("transferred_community", "Transferred – not in custody", ExitCategory.TRANSFERRED),
    ExitReason("transferred_custody", "Transferred – in custody", ExitCategory.TRANSFERRED),
    ExitReason("dropped_out", "Incomplete – dropped out", ExitCategory.INCOMPLETE),
    ExitReason("withdrawn_by_provider", "Incomplete – treatment withdrawn by provider", ExitCategory.INCOMPLETE),
    ExitReason("retained_in_custody", "Incomplete – retained in custody (prison)", ExitCategory.INCOMPLETE),
    ExitReason("declined_by_client", "Incomplete – treatment declined by the client", ExitCategory.INCOMPLETE),
    ExitReason("moved_away", "Incomplete – moved away", ExitCategory.INCOMPLETE),
    ExitReason("died", "Incomplete – client died", ExitCategory.INCOMPLETE),
    ExitReason("not_known", "Incomplete – reason not known", ExitCategory.INCOMPLETE),
    # A record closed as a "planned exit" before episodes were kept: successful,
    # but whether drug free or occasional use was never recorded (migration 0014).
    ExitReason("completed_unrecorded", "Treatment completed (recorded before episodes)", ExitCategory.COMPLETED,
               _BOTH, selectable=False),
)
EXIT_BY_CODE = {r.code: r for r in EXIT_REASONS}


def exit_choices(client: str) -> tuple[ExitReason, ...]:
    """The reasons offered when discharging a client of this type."""
    return tuple(r for r in EXIT_REASONS if r.selectable and client in r.client_types)


def exit_reason(code: str) -> ExitReason:
    try:
        return EXIT_BY_CODE[code]
    except KeyError:
        raise ValueError(f"{code!r} is not an exit reason") from None


def is_successful(code: str) -> bool:
    """True for a successful completion (the KPI's "planned exit")."""
    return exit_reason(code).category is ExitCategory.COMPLETED


def client_type(primary_substance: str | None) -> str:
    """"alcohol" when alcohol is the primary substance, else "drug"; planned
    exits are reported for the two separately (002 Appendix 1)."""
    return "alcohol" if primary_substance == "alcohol" else "drug"


# ---- waiting times -------------------------------------------------------


def first_contact_due(referred_on: date, *, working_days: int = FIRST_CONTACT_WORKING_DAYS,
                      closures: Set[date] = frozenset()) -> date:
    """Day by which the person must have been contacted (002 §12): a referral on
    Thursday 24 December 2026 is due on Thursday 31 December (Christmas Day,
    the weekend and the substitute Boxing Day holiday do not count)."""
    return workdays.add_working_days(referred_on, working_days, closures=closures)


def first_intervention_due(referred_on: date, *, days: int = FIRST_INTERVENTION_DAYS) -> date:
    """Last day of the 21-calendar-day target for the first intervention."""
    return referred_on + timedelta(days=days)


def wait_days(referred_on: date, first_intervention_on: date) -> int:
    """Calendar days from referral to the first modality's start."""
    if first_intervention_on < referred_on:
        raise ValueError("The first intervention cannot start before the referral")
    return (first_intervention_on - referred_on).days


def within_target(wait: int, *, days: int = FIRST_INTERVENTION_DAYS) -> bool:
    return wait <= days


def is_long_wait(wait: int, *, days: int = LONG_WAIT_DAYS) -> bool:
    """A wait the commissioner counts as a breach: 42 days or more."""
    return wait >= days


def prescribing_due(referred_to_modality_on: date, *, drr_order_date: date | None = None,
                    working_days: int = PRESCRIBING_WORKING_DAYS,
                    drr_working_days: int = DRR_PRESCRIBING_WORKING_DAYS,
                    closures: Set[date] = frozenset()) -> date:
    """Day by which prescribing must start (002 §10.3).

    For a person on a DRR the clock runs from the day the court made the
    order (5 working days), whatever the referral date; for everyone else
    from the referral to the prescribing modality (10 working days).
    """
    if drr_order_date is not None:
        return workdays.add_working_days(drr_order_date, drr_working_days, closures=closures)
    return workdays.add_working_days(referred_to_modality_on, working_days, closures=closures)


# ---- recovery plan and TOP -------------------------------------------------


def plan_due(episode_start: date, *, days: int = PLAN_DAYS) -> date:
    return episode_start + timedelta(days=days)


def plan_review_due(last_agreed_or_reviewed: date, *, weeks: int = PLAN_REVIEW_WEEKS) -> date:
    return last_agreed_or_reviewed + timedelta(weeks=weeks)


def plan_in_time(episode_start: date, agreed_on: date | None, *, days: int = PLAN_DAYS) -> bool:
    return agreed_on is not None and agreed_on <= plan_due(episode_start, days=days)


def top_due(episode_start: date, top_dates: Iterable[date], *, months: int = TOP_REVIEW_MONTHS) -> date:
    """When the next TOP is due: the start TOP on the episode's first day,
    then a review 6 calendar months after the latest one (month ends clamp:
    31 August + 6 months = 28 February)."""
    latest = max(top_dates, default=None)
    if latest is None:
        return episode_start
    return latest + relativedelta(months=months)


# ---- discharge ---------------------------------------------------------------


def is_re_presentation(new_start: date, previous_exits: Iterable[tuple[date, str]], *,
                       months: int = REPRESENTATION_MONTHS) -> bool:
    """True if an episode starting on ``new_start`` follows a successful
    completion (exit date, reason code) within ``months`` calendar months."""
    return any(is_successful(reason) and exited <= new_start <= exited + relativedelta(months=months)
               for exited, reason in previous_exits)


def check_episode_dates(start: date, end: date | None) -> None:
    if end is not None and end < start:
        raise ValueError("The episode cannot end before it starts")
