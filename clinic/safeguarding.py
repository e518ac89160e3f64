"""Safeguarding rules (seed 002 §10.18, §21; seed 000 §9, §12; seed 001 §5, §11).

Pure functions over dates and values: when an information request from the
MASH or the police is due, when the hidden-harm review of a household is
due, whether a young person's pathway prompt shows, which flags reception
must know exist, and whether a referral out has waited too long for its
outcome. Settings are passed in by the services.
"""

from __future__ import annotations

from collections.abc import Set
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from clinic.clock import SITE_TZ
from clinic.dates import age_on
from clinic.vocabulary import Labelled
from clinic.workdays import add_working_days

ADULT_AGE = 18
#: A routine request is due by the end of its last working day.
END_OF_WORKING_DAY = time(17, 0)


class Lives(Labelled):
    WITH = "lives_with", "Lives with them"
    VISITS = "visits"


class AgeBand(Labelled):
    UNDER_1 = "under_1"
    AGE_1_4 = "1_4", "1–4"
    AGE_5_11 = "5_11", "5–11"
    AGE_12_17 = "12_17", "12–17"


class ChildProtection(Labelled):
    NONE = "none", "None known"
    CHILD_IN_NEED = "child_in_need"
    CP_PLAN = "cp_plan", "Child-protection plan"
    LOOKED_AFTER = "looked_after"


class FlagKind(Labelled):
    DOMESTIC_ABUSE = "domestic_abuse"
    SEXUAL_EXPLOITATION = "sexual_exploitation"
    HOMELESSNESS = "homelessness", "At risk of homelessness"
    RELEASED_FROM_PRISON = "released_from_prison", "Recently released from prison"
    MAPPA = "mappa", "MAPPA"
    ADULT_CONCERN = "adult_concern", "Safeguarding-adults concern"


#: Flags that change how the front desk greets or answers for the person
#: (do not confirm they attend; staff safety). Reception sees that one of
#: these exists, never which.
GREETING_FLAGS = frozenset({FlagKind.DOMESTIC_ABUSE, FlagKind.MAPPA, FlagKind.SEXUAL_EXPLOITATION})


class Urgency(Labelled):
    URGENT = "urgent"
    ROUTINE = "routine"


class RequestSource(Labelled):
    MASH = "mash", "MASH"
    POLICE = "police"
    OTHER = "other", "Other agency"


class RecipientKind(Labelled):
    GP = "gp", "GP"
    HEPATOLOGY_HIV = "hepatology_hiv", "Hepatology / HIV clinic"
    PROBATION = "probation"
    PHARMACY = "pharmacy"
    CHILDRENS_SERVICES = "childrens_services", "Children's services"
    OTHER = "other"


class ConsentDecision(Labelled):
    GIVEN = "given"
    REFUSED = "refused"


class ReferralKind(Labelled):
    HEPATOLOGY = "hepatology"
    HIV_CLINIC = "hiv_clinic", "HIV clinic"
    SEXUAL_HEALTH = "sexual_health"
    GP = "gp", "GP"
    MENTAL_HEALTH = "mental_health"
    HOUSING = "housing"
    MUTUAL_AID = "mutual_aid"
    YOUNG_PEOPLE = "young_people", "Young people's service"
    EARLY_HELP = "early_help", "Children's Centre / early help"
    OTHER = "other"

    @property
    def recipient(self) -> RecipientKind:
        """Whose consent to share a referral letter of this kind needs."""
        return {ReferralKind.HEPATOLOGY: RecipientKind.HEPATOLOGY_HIV, ReferralKind.HIV_CLINIC:
                RecipientKind.HEPATOLOGY_HIV, ReferralKind.GP: RecipientKind.GP, ReferralKind.EARLY_HELP:
                RecipientKind.CHILDRENS_SERVICES}.get(self, RecipientKind.OTHER)


class ReferralOutcome(Labelled):
    SEEN = "seen"
    TREATMENT_STARTED = "treatment_started"
    COMPLETED = "completed"
    DECLINED = "declined"
    LOST = "lost", "Lost to follow-up"


#: Outcomes that count as "engaging with treatment" (seed 002 PI 3k).
ENGAGED = frozenset({ReferralOutcome.TREATMENT_STARTED, ReferralOutcome.COMPLETED})


def request_due(received_at: datetime, urgency: Urgency, *, urgent_hours: int = 2,
                routine_working_days: int = 3, closures: Set[date] = frozenset()) -> datetime:
    """When a MASH or police information request must be answered (seed 002 §21).

    Urgent: ``urgent_hours`` clock hours after it came in, night or weekend
    (the two hours are the MASH's, not the clinic's). Routine: by 17:00 on
    the ``routine_working_days``-th working day after the day it came in.
    ``received_at`` is timezone-aware; the answer is in clinic local time.
    """
    if received_at.tzinfo is None:
        raise ValueError("The time a request came in needs its time zone.")
    local = received_at.astimezone(SITE_TZ)
    if urgency is Urgency.URGENT:
        return (received_at + timedelta(hours=urgent_hours)).astimezone(SITE_TZ)
    day = add_working_days(local.date(), routine_working_days, closures=closures)
    return datetime.combine(day, END_OF_WORKING_DAY, tzinfo=SITE_TZ)


def request_overdue(due_at: datetime, now: datetime, *, answered: bool) -> bool:
    """An unanswered request whose due time has passed."""
    return not answered and now > due_at


def hidden_harm_review_due(last_reviewed_on: date | None, children_first_recorded_on: date, *,
                           months: int = 6) -> date:
    """The next review of the children's situation (seed 002 §10.18, "at agreed
    intervals"): ``months`` after the last review, or after the children were
    first recorded if they have never been reviewed."""
    return (last_reviewed_on or children_first_recorded_on) + relativedelta(months=months)


def is_under_18(date_of_birth: date, on: date) -> bool:
    return age_on(date_of_birth, max(on, date_of_birth)) < ADULT_AGE


def young_person_prompt(date_of_birth: date, on: date) -> str | None:
    """The young people's pathway prompt at registration or an NSP visit
    (seed 000 §12, seed 001 §5.3): shown for anyone under 18 on ``on``."""
    if not is_under_18(date_of_birth, on):
        return None
    age = age_on(date_of_birth, max(on, date_of_birth))
    return (f"Under 18 (age {age}): offer a referral to the young people's service; "
            "the safeguarding lead is told.")


def referral_waiting(referred_on: date, today: date, *, has_outcome: bool, weeks: int = 4) -> bool:
    """A referral out with no outcome ``weeks`` or more after it was made."""
    return not has_outcome and today >= referred_on + timedelta(weeks=weeks)

