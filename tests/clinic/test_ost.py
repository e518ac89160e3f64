"""Tests for clinic.ost."""

import inspect
from datetime import date, timedelta

import pytest

from clinic import ost
from clinic.ost import Prescription
from clinic.settings import BY_KEY


def days(*numbers: int, month: int = 3) -> list[date]:
    return [date(2026, month, n) for n in numbers]


# --- reviews ------------------------------------------------------------------

@pytest.mark.parametrize(("last", "due"), [
    (date(2026, 1, 5), date(2026, 4, 5)),
    (date(2025, 11, 30), date(2026, 2, 28)),   # clamped to month end
    (date(2027, 11, 30), date(2028, 2, 29)),   # leap year
    (date(2026, 12, 31), date(2027, 3, 31)),
])
def test_review_due_every_3_months(last: date, due: date) -> None:
    assert ost.review_due(last) == due


def test_review_interval_is_a_setting() -> None:
    assert ost.review_due(date(2026, 1, 5), months=1) == date(2026, 2, 5)


def test_review_on_or_after_the_start_is_accepted() -> None:
    ost.check_review_date(date(2026, 3, 1), date(2026, 3, 1))
    ost.check_review_date(date(2026, 6, 1), date(2026, 3, 1), today=date(2026, 6, 1))


def test_review_before_the_prescription_started_is_refused() -> None:
    with pytest.raises(ValueError) as refused:
        ost.check_review_date(date(2026, 2, 28), date(2026, 3, 1))
    assert str(refused.value) == (
        "The review date (28 February 2026) is before the prescription started "
        "(1 March 2026)."
    )


def test_review_in_the_future_is_refused_when_today_is_known() -> None:
    with pytest.raises(ValueError, match="is in the future"):
        ost.check_review_date(date(2026, 6, 2), date(2026, 3, 1), today=date(2026, 6, 1))


# --- missed doses ---------------------------------------------------------------

@pytest.mark.parametrize(("missed", "run"), [
    ([], 0),
    (days(3), 1),
    (days(3, 4), 2),
    (days(3, 4, 5), 3),
    (days(1, 3, 5), 1),                 # scattered
    (days(1, 2, 3, 10), 1),             # an old run, broken since
    (days(10, 1, 2, 3, 9, 8), 3),       # order does not matter
    (days(4, 4, 5, 5), 2),              # duplicate reports count once
    ([date(2026, 2, 27), date(2026, 2, 28), date(2026, 3, 1)], 3),  # across months
    ([date(2025, 12, 31), date(2026, 1, 1)], 2),                    # across years
])
def test_consecutive_missed_counts_the_run_ending_at_the_latest(
    missed: list[date], run: int
) -> None:
    assert ost.consecutive_missed(missed) == run


def test_consecutive_missed_accepts_any_iterable() -> None:
    assert ost.consecutive_missed(d for d in days(1, 2)) == 2


def test_three_consecutive_missed_needs_prescriber_review() -> None:
    assert ost.needs_prescriber_review(days(3, 4, 5), decided_after=None)


def test_three_scattered_missed_do_not() -> None:
    assert not ost.needs_prescriber_review(days(1, 3, 5), decided_after=None)


def test_two_consecutive_missed_do_not() -> None:
    assert not ost.needs_prescriber_review(days(4, 5), decided_after=None)


def test_no_missed_doses_no_review() -> None:
    assert not ost.needs_prescriber_review([], decided_after=None)


@pytest.mark.parametrize(("decided", "needed"), [
    (date(2026, 3, 4), True),    # before the last missed day
    (date(2026, 3, 5), False),   # on the last missed day
    (date(2026, 3, 6), False),   # after it
])
def test_prescriber_decision_on_or_after_the_last_missed_day_clears(
    decided: date, needed: bool
) -> None:
    assert ost.needs_prescriber_review(days(3, 4, 5), decided_after=decided) is needed


def test_another_missed_day_after_a_decision_raises_it_again() -> None:
    assert ost.needs_prescriber_review(days(3, 4, 5, 6), decided_after=date(2026, 3, 5))


def test_missed_dose_threshold_is_a_setting() -> None:
    assert ost.needs_prescriber_review(days(4, 5), decided_after=None, threshold=2)
    assert not ost.needs_prescriber_review(days(3, 4, 5), decided_after=None, threshold=4)


def test_review_rule_accepts_a_generator() -> None:
    missed = (date(2026, 3, 1) + timedelta(days=n) for n in range(3))
    assert ost.needs_prescriber_review(missed, decided_after=date(2026, 3, 2))


# --- safe storage alert -----------------------------------------------------------

@pytest.mark.parametrize(("take_home", "children", "box", "alert"), [
    (3, True, False, True),
    (1, True, False, True),
    (3, True, True, False),
    (3, False, False, False),
    (0, True, False, False),     # fully supervised: nothing kept at home
    (0, False, True, False),
])
def test_safe_storage_alert(take_home: int, children: bool, box: bool, alert: bool) -> None:
    assert ost.safe_storage_alert(
        take_home_days=take_home, children_in_household=children, box_held=box
    ) is alert


def test_negative_take_home_days_are_refused() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        ost.safe_storage_alert(take_home_days=-1, children_in_household=True, box_held=False)


# --- dose plausibility -------------------------------------------------------------

def test_defaults_are_the_documented_settings() -> None:
    assert dict(ost.DEFAULT_WARN_ABOVE_MG) == {"methadone": 120.0, "buprenorphine": 32.0}


@pytest.mark.parametrize(("mg", "medicine"), [
    (60, "methadone"), (120, "methadone"), (0.4, "buprenorphine"), (32, "buprenorphine"),
    (500, "naltrexone"),   # no threshold for it: no warning
])
def test_usual_doses_have_no_warning(mg: float, medicine: str) -> None:
    assert ost.check_dose(mg, medicine=medicine) == []


def test_methadone_above_120_mg_warns() -> None:
    assert ost.check_dose(130, medicine="Methadone") == [
        "130 mg of Methadone a day is above the usual maximum of 120 mg. "
        "Check the dose before saving."
    ]


def test_buprenorphine_above_32_mg_warns() -> None:
    assert ost.check_dose(32.5, medicine="buprenorphine") == [
        "32.5 mg of buprenorphine a day is above the usual maximum of 32 mg. "
        "Check the dose before saving."
    ]


def test_thresholds_are_settings() -> None:
    assert ost.check_dose(100, medicine="methadone", warn_above={"Methadone": 90})
    assert not ost.check_dose(130, medicine="methadone", warn_above={"methadone": 150})


def test_zero_dose_is_refused() -> None:
    with pytest.raises(ValueError) as refused:
        ost.check_dose(0, medicine="methadone")
    assert str(refused.value) == "A daily dose of 0 mg is not a prescription"


def test_negative_dose_is_refused() -> None:
    with pytest.raises(ValueError, match=r"cannot be negative \(-5 mg\)"):
        ost.check_dose(-5, medicine="methadone")


@pytest.mark.parametrize("mg", [float("nan"), float("inf")])
def test_non_numbers_are_refused(mg: float) -> None:
    with pytest.raises(ValueError, match="number of mg"):
        ost.check_dose(mg, medicine="methadone")


# --- overlapping prescriptions -------------------------------------------------------

MAR1, MAR14, MAR15 = date(2026, 3, 1), date(2026, 3, 14), date(2026, 3, 15)
MAR31 = date(2026, 3, 31)


def test_back_to_back_prescriptions_are_accepted() -> None:
    ost.check_overlap([
        Prescription("methadone", MAR1, MAR14),
        Prescription("methadone", MAR15, MAR31),
        Prescription("methadone", date(2026, 4, 1)),
    ])


def test_no_prescriptions_is_fine() -> None:
    ost.check_overlap([])


def test_different_medicines_may_overlap() -> None:
    ost.check_overlap([Prescription("methadone", MAR1), Prescription("buprenorphine", MAR14)])


def test_sharing_the_last_day_is_an_overlap() -> None:
    with pytest.raises(ValueError) as refused:
        ost.check_overlap([
            Prescription("methadone", MAR14, MAR31),
            Prescription("methadone", MAR1, MAR14),
        ])
    assert str(refused.value) == (
        "Two methadone prescriptions overlap: 1 March 2026 to 14 March 2026, "
        "and 14 March 2026 to 31 March 2026."
    )


def test_open_prescription_overlaps_any_later_one() -> None:
    with pytest.raises(ValueError) as refused:
        ost.check_overlap([
            Prescription("Methadone", MAR1),
            Prescription("methadone ", date(2027, 1, 1), date(2027, 1, 14)),
        ])
    assert str(refused.value) == (
        "Two Methadone prescriptions overlap: from 1 March 2026 (no end date), "
        "and 1 January 2027 to 14 January 2027."
    )


def test_prescription_inside_a_longer_one_overlaps() -> None:
    with pytest.raises(ValueError, match="overlap"):
        ost.check_overlap([
            Prescription("buprenorphine", MAR1, date(2026, 12, 31)),
            Prescription("buprenorphine", date(2026, 5, 1), date(2026, 5, 14)),
            Prescription("buprenorphine", date(2027, 1, 1)),
        ])


def test_prescription_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError) as refused:
        ost.check_overlap([Prescription("methadone", MAR14, MAR1)])
    assert str(refused.value) == (
        "The methadone prescription ends (1 March 2026) before it starts (14 March 2026)."
    )


# --- defaults agree with the declared site settings -----------------------------------

def test_defaults_match_the_site_settings() -> None:
    assert inspect.signature(ost.review_due).parameters["months"].default == (
        BY_KEY["ost.review_months"].default
    )
    assert inspect.signature(ost.needs_prescriber_review).parameters["threshold"].default == (
        BY_KEY["ost.missed_dose_threshold"].default
    )
    assert ost.DEFAULT_WARN_ABOVE_MG == {
        "methadone": BY_KEY["ost.methadone_warn_mg"].default,
        "buprenorphine": BY_KEY["ost.buprenorphine_warn_mg"].default,
    }
