"""Worked examples for clinic.journey: every deadline and due date.

Bank holidays (England and Wales) used below:
2026: Good Friday 3 Apr, Easter Monday 6 Apr, early May 4 May, Christmas
Fri 25 Dec, Boxing Day Sat 26 Dec -> substitute Mon 28 Dec; 2027: New Year's
Day Fri 1 Jan.
"""

from datetime import date

import pytest

from clinic import journey as j


@pytest.mark.parametrize(("referred", "closures", "due"), [
    # Thu 24 Dec: Christmas, weekend, substitute Boxing Day skipped.
    (date(2026, 12, 24), frozenset(), date(2026, 12, 31)),
    # ...and a site closure on Tue 29 Dec pushes it past New Year's Day.
    (date(2026, 12, 24), frozenset({date(2026, 12, 29)}), date(2027, 1, 4)),
    # Thu 2 Apr: Good Friday, weekend, Easter Monday.
    (date(2026, 4, 2), frozenset(), date(2026, 4, 9)),
    # An ordinary Monday: Thursday.
    (date(2026, 3, 9), frozenset(), date(2026, 3, 12)),
    # A Saturday referral counts from Monday: Wednesday.
    (date(2026, 3, 14), frozenset(), date(2026, 3, 18)),
])
def test_first_contact_due_in_three_working_days(referred: date, closures: frozenset[date], due: date) -> None:
    assert j.first_contact_due(referred, closures=closures) == due


def test_first_contact_days_is_a_setting() -> None:
    assert j.first_contact_due(date(2026, 3, 9), working_days=1) == date(2026, 3, 10)


def test_first_intervention_is_calendar_days_and_ignores_holidays() -> None:
    # 21 calendar days from Thu 24 Dec 2026, holidays and all.
    assert j.first_intervention_due(date(2026, 12, 24)) == date(2027, 1, 14)


@pytest.mark.parametrize(("met", "wait", "within", "long"), [
    (date(2026, 3, 22), 21, True, False),   # the 21st day is still within
    (date(2026, 3, 23), 22, False, False),
    (date(2026, 4, 11), 41, False, False),
    (date(2026, 4, 12), 42, False, True),   # 42 days is a breach
])
def test_waits_from_referral_on_1_march(met: date, wait: int, within: bool, long: bool) -> None:
    w = j.wait_days(date(2026, 3, 1), met)
    assert (w, j.within_target(w), j.is_long_wait(w)) == (wait, within, long)


def test_a_wait_cannot_be_negative() -> None:
    with pytest.raises(ValueError):
        j.wait_days(date(2026, 3, 2), date(2026, 3, 1))


def test_prescribing_in_ten_working_days_over_christmas() -> None:
    # Mon 21 Dec: 22, 23, 24, 29, 30, 31 Dec, 4, 5, 6, 7 Jan.
    assert j.prescribing_due(date(2026, 12, 21)) == date(2027, 1, 7)


def test_drr_prescribing_runs_from_the_order_date_not_the_referral() -> None:
    # Order made Fri 1 May 2026; Mon 4 May is a bank holiday: 5, 6, 7, 8, 11 May.
    assert j.prescribing_due(date(2026, 5, 20), drr_order_date=date(2026, 5, 1)) == date(2026, 5, 11)
    # A site closure on Wed 6 May moves it a day.
    assert j.prescribing_due(date(2026, 5, 20), drr_order_date=date(2026, 5, 1),
                             closures=frozenset({date(2026, 5, 6)})) == date(2026, 5, 12)


def test_plan_due_and_reviews() -> None:
    assert j.plan_due(date(2026, 3, 1)) == date(2026, 3, 22)
    assert j.plan_in_time(date(2026, 3, 1), date(2026, 3, 22))
    assert not j.plan_in_time(date(2026, 3, 1), date(2026, 3, 23))
    assert not j.plan_in_time(date(2026, 3, 1), None)
    assert j.plan_review_due(date(2026, 3, 22)) == date(2026, 6, 14)
    assert j.plan_review_due(date(2026, 3, 22), weeks=4) == date(2026, 4, 19)


def test_top_due_at_start_then_every_six_months_with_month_ends_clamped() -> None:
    start = date(2026, 8, 31)
    assert j.top_due(start, []) == start
    assert j.top_due(start, [start]) == date(2027, 2, 28)
    assert j.top_due(start, [start, date(2027, 3, 1)]) == date(2027, 9, 1)
    assert j.top_due(start, [start], months=3) == date(2026, 11, 30)


def test_re_presentation_within_six_months_of_a_successful_completion() -> None:
    exits = [(date(2026, 8, 31), "completed_drug_free")]
    assert j.is_re_presentation(date(2027, 2, 28), exits)
    assert not j.is_re_presentation(date(2027, 3, 1), exits)
    assert not j.is_re_presentation(date(2026, 12, 1), [(date(2026, 8, 31), "dropped_out")])
    assert j.is_re_presentation(date(2026, 12, 1), [(date(2026, 8, 31), "completed_occasional_user")])


def test_exit_reasons_and_client_types() -> None:
    assert j.is_successful("completed_alcohol_free")
    assert not j.is_successful("transferred_community")
    assert not j.is_successful("died")
    assert j.exit_reason("dropped_out").category is j.ExitCategory.INCOMPLETE
    with pytest.raises(ValueError):
        j.exit_reason("nonsense")
    assert j.client_type("alcohol") == "alcohol"
    assert j.client_type("opiates") == j.client_type(None) == "drug"
    assert len({r.code for r in j.EXIT_REASONS}) == len(j.EXIT_REASONS)


def test_episode_dates() -> None:
    j.check_episode_dates(date(2026, 3, 1), None)
    with pytest.raises(ValueError):
        j.check_episode_dates(date(2026, 3, 1), date(2026, 2, 28))


def test_exit_choices_fit_the_client_type_and_hide_the_reconstructed_code() -> None:
    drug = {r.code for r in j.exit_choices("drug")}
    alcohol = {r.code for r in j.exit_choices("alcohol")}
    assert "completed_drug_free" in drug and "completed_drug_free" not in alcohol
    assert "completed_alcohol_free" in alcohol and "completed_alcohol_free" not in drug
    assert "completed_unrecorded" not in drug | alcohol
    assert j.is_successful("completed_unrecorded")
