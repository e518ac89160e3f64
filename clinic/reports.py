"""The quarterly management-information report: what each KPI means, its
target where the commissioning documents give one (seed 002), and how a
value is shown. Pure: no database, no Qt.

A percentage is always shown with what it is a percentage of
("83% (415 of 500)"), and as "—" when nobody was in the denominator, so
a quiet quarter never reads as 0% or 100%.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

DASH = "—"


class Kind(StrEnum):
    PERCENT = "percent"  # numerator of denominator, higher is better unless lower_is_better
    DAYS = "days"  # a median, in days
    MINUTES = "minutes"  # a median, in minutes
    COUNT = "count"  # a plain number


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    kind: Kind
    numerator: str = ""  # what is counted (for a percentage)
    denominator: str = ""  # out of whom / what
    target: float | None = None  # percent (0-100) for a percentage
    lower_is_better: bool = False
    source: str = ""  # where the target comes from

    @property
    def definition(self) -> str:
        """What is counted, in words: the one definition the page and the CSV show."""
        if not self.numerator:
            return self.denominator[0].upper() + self.denominator[1:]
        return f"Counted: {self.numerator}. Out of: {self.denominator}."

    @property
    def target_text(self) -> str:
        if self.target is None:
            return ""
        return f"{'≤' if self.lower_is_better else '≥'} {self.target:g}%"


IN_TREATMENT = (
    "people in treatment in the quarter: anyone with a recorded contact in the quarter — seen at a booked "
    "appointment, seen at the drop-in, an OST prescription running or an OST review, a DRR/ATR appointment "
    "attended, a blood-borne virus event, a vaccine dose or a hepatitis B vaccination offer, or a safe-storage "
    "box issued"
)
IN_TREATMENT_SHORT = "people in treatment in the quarter (who is counted: below the table)"
HEPB_OFFERED = "people in treatment offered hepatitis B vaccination"

KPIS: tuple[Kpi, ...] = (
    Kpi("in_treatment", "People in treatment", Kind.COUNT, denominator=IN_TREATMENT_SHORT),
    Kpi("hepb_offered", "Hep B vaccination offered", Kind.PERCENT,
        "a hepatitis B vaccination offer (offered, accepted or declined) or a hepatitis B course recorded by the "
        "quarter's end; a testing offer does not count", IN_TREATMENT_SHORT, 95.0,
        source="Seed 002 App. 1: hepatitis B vaccination offered, 95%"),
    Kpi("hepb_refused", "Hep B offered and refused", Kind.PERCENT,
        "whose latest answer by the quarter's end is \u201cdeclined\u201d and who have no hepatitis B course",
        HEPB_OFFERED, 10.0, lower_is_better=True,
        source="Seed 002 App. 1: offered and refused a hepatitis B vaccination, 10% or less"),
    Kpi("hepb_accepted", "Hep B vaccination accepted", Kind.PERCENT,
        "an \u201caccepted\u201d answer or a hepatitis B (or combined A and B) course started by the quarter's end",
        HEPB_OFFERED),
    Kpi("hepb_one_dose", "Hep B ≥1 dose", Kind.PERCENT,
        "at least one hepatitis B vaccine dose given by the quarter's end",
        "people in treatment who accepted hepatitis B vaccination", 90.0,
        source="NDTMS: offered and accepted with at least one dose, 90%"),
    Kpi("hepb_completed", "Hep B course completed", Kind.PERCENT,
        "the primary hepatitis B course finished by the quarter's end",
        "people in treatment who accepted hepatitis B vaccination", 75.0,
        source="NDTMS: offered and accepted who finished a course, 75%"),
    Kpi("hcv_offered_injecting", "HCV test offered (people who inject)", Kind.PERCENT,
        "a hepatitis C test offered, declined or taken by the quarter's end",
        "people in treatment flagged as injecting", 95.0,
        source="Injecting drug users offered a hepatitis C test, 95%"),
    Kpi("hcv_test_date", "HCV test date recorded (people who inject)", Kind.PERCENT,
        "a hepatitis C test with its date recorded by the quarter's end",
        "people in treatment flagged as injecting"),
    Kpi("booked_lead_days", "Booked appointment lead time (median)", Kind.DAYS,
        "days from booking to the appointment",
        "appointments in the quarter booked before their day"),
    Kpi("dropin_wait_minutes", "Drop-in wait (median)", Kind.MINUTES,
        "minutes from arriving to being called",
        "drop-in arrivals in the quarter who were called"),
    Kpi("dna_rate", "Did not attend (DNA) rate", Kind.PERCENT,
        "appointments marked did not attend",
        "appointments in the quarter with an attendance outcome (seen, DNA, left unseen)",
        lower_is_better=True),
    Kpi("drr_on_time", "DRR/ATR non-attendance notifications on time", Kind.PERCENT,
        "sent on or before the day they were due",
        "non-attendance notifications due in the quarter (already sent, or due before today)"),
    Kpi("boxes_issued", "Safe-storage boxes issued", Kind.COUNT,
        denominator="boxes handed out in the quarter, replacements included"),
)

BY_KEY = {k.key: k for k in KPIS}


def percent(numerator: int, denominator: int) -> float | None:
    """``numerator`` as a percentage of ``denominator``; None when there is no denominator."""
    if denominator <= 0:
        return None
    return 100.0 * numerator / denominator


def format_percent(numerator: int, denominator: int) -> str:
    """"83% (415 of 500)"; "—" when the denominator is 0. Rounded half up, never to
    100% unless every one counted, nor to 0% unless none did."""
    value = percent(numerator, denominator)
    if value is None:
        return DASH
    shown = int(value + 0.5)
    if shown == 100 and numerator < denominator:
        shown = 99
    if shown == 0 and numerator > 0:
        shown = 1
    return f"{shown}% ({numerator:,} of {denominator:,})"


def format_median(value: float | None, unit: str, count: int) -> str:
    """"3 days (of 1,204)"; "—" when nothing was measured."""
    if value is None or count == 0:
        return DASH
    text = f"{value:g}" if value == int(value) else f"{value:.1f}"
    plural = unit if text == "1" else unit + "s"
    return f"{text} {plural} (of {count:,})"


def median_from_histogram(counts: list[tuple[float, int]]) -> float | None:
    """The median of values given as (value, how many) pairs, in any order:
    what an aggregate GROUP BY returns, so no query hands back every row."""
    pairs = sorted((v, n) for v, n in counts if n > 0)
    total = sum(n for _, n in pairs)
    if total == 0:
        return None

    def nth(i: int) -> float:  # 0-based
        seen = 0
        for v, n in pairs:
            seen += n
            if i < seen:
                return v
        raise AssertionError("unreachable")

    if total % 2:
        return nth(total // 2)
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


def met(kpi: Kpi, numerator: int, denominator: int) -> bool | None:
    """Whether the target is met; None when there is no target or no denominator."""
    value = percent(numerator, denominator)
    if kpi.target is None or value is None:
        return None
    return value <= kpi.target if kpi.lower_is_better else value >= kpi.target


def met_text(result: bool | None) -> str:
    return "" if result is None else ("Yes" if result else "No")
