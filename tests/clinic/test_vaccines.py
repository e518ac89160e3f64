"""Tests for clinic.vaccines."""

import inspect
from collections.abc import Callable
from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from clinic import vaccines
from clinic.settings import BY_KEY
from clinic.vaccines import PlannedDose, plan_course


def dues(plan: list[PlannedDose]) -> list[date]:
    return [dose.due for dose in plan]


# --- every schedule, planned from a plain start -----------------------------

START = date(2026, 1, 5)


@pytest.mark.parametrize(("schedule", "expected"), [
    ("hepb-standard", [START, date(2026, 2, 5), date(2026, 7, 5)]),
    ("hepb-accelerated",
     [START, date(2026, 2, 5), date(2026, 3, 5), date(2027, 1, 5)]),
    ("hepb-very-rapid",
     [START, date(2026, 1, 12), date(2026, 1, 26), date(2027, 1, 5)]),
    ("hepab-standard", [START, date(2026, 2, 5), date(2026, 7, 5)]),
    ("hepab-very-rapid",
     [START, date(2026, 1, 12), date(2026, 1, 26), date(2027, 1, 5)]),
    ("hepa", [START, date(2026, 7, 5)]),
])
def test_every_schedule_from_a_plain_start(schedule: str, expected: list[date]) -> None:
    plan = plan_course(schedule, START)
    assert plan == [PlannedDose(n, d, None) for n, d in enumerate(expected, start=1)]


def test_schedule_ids_are_exactly_the_designed_ones() -> None:
    assert set(vaccines.SCHEDULES) == {
        "hepb-standard", "hepb-accelerated", "hepb-very-rapid",
        "hepab-standard", "hepab-very-rapid", "hepa",
    }


@pytest.mark.parametrize("schedule", sorted(vaccines.SCHEDULES))
def test_every_schedule_has_a_label_and_matching_id(schedule: str) -> None:
    spec = vaccines.SCHEDULES[schedule]
    assert spec.id == schedule
    assert spec.label
    assert 1 <= spec.primary_doses <= len(spec.doses)


def test_schedules_cannot_be_changed_at_run_time() -> None:
    with pytest.raises(TypeError):
        vaccines.SCHEDULES["mine"] = vaccines.SCHEDULES["hepa"]  # type: ignore[index]


def test_planned_dose_is_frozen() -> None:
    dose = PlannedDose(1, START, None)
    with pytest.raises(FrozenInstanceError):
        dose.due = date(2026, 1, 6)  # type: ignore[misc]


def test_single_vaccines_from_seed_002() -> None:
    assert [(v.id, v.label) for v in vaccines.SINGLE_VACCINES] == [
        ("tetanus", "Tetanus"),
        ("diphtheria", "Diphtheria"),
        ("typhoid", "Typhoid"),
        ("influenza", "Seasonal influenza"),
    ]


# --- calendar months with end-of-month clamping -------------------------------

@pytest.mark.parametrize(("schedule", "start", "expected"), [
    ("hepb-standard", date(2026, 1, 31),
     [date(2026, 1, 31), date(2026, 2, 28), date(2026, 7, 31)]),
    ("hepb-accelerated", date(2026, 1, 31),
     [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2027, 1, 31)]),
    ("hepb-very-rapid", date(2026, 1, 31),
     [date(2026, 1, 31), date(2026, 2, 7), date(2026, 2, 21), date(2027, 1, 31)]),
    ("hepa", date(2026, 1, 31), [date(2026, 1, 31), date(2026, 7, 31)]),
    # 2028 is a leap year: 31 January + 1 month is 29 February.
    ("hepb-standard", date(2028, 1, 31),
     [date(2028, 1, 31), date(2028, 2, 29), date(2028, 7, 31)]),
    # Starting on 29 February: the 12-month booster falls on 28 February.
    ("hepb-accelerated", date(2028, 2, 29),
     [date(2028, 2, 29), date(2028, 3, 29), date(2028, 4, 29), date(2029, 2, 28)]),
    ("hepab-very-rapid", date(2028, 2, 29),
     [date(2028, 2, 29), date(2028, 3, 7), date(2028, 3, 21), date(2029, 2, 28)]),
    # 31 August + 6 months is the end of February.
    ("hepb-standard", date(2026, 8, 31),
     [date(2026, 8, 31), date(2026, 9, 30), date(2027, 2, 28)]),
    ("hepa", date(2027, 8, 31), [date(2027, 8, 31), date(2028, 2, 29)]),
])
def test_months_are_counted_from_the_first_dose_and_clamped(
    schedule: str, start: date, expected: list[date]
) -> None:
    assert dues(plan_course(schedule, start)) == expected


def test_offsets_come_from_the_first_dose_not_the_clamped_second() -> None:
    # 31 Jan -> 28 Feb -> 31 Mar, never 28 Mar.
    plan = plan_course("hepb-accelerated", date(2026, 1, 31))
    assert plan[2].due == date(2026, 3, 31)


# --- interrupted courses resume, never restart -------------------------------

def test_given_doses_are_carried_into_the_plan() -> None:
    given = [START, date(2026, 2, 5)]
    plan = plan_course("hepb-standard", START, given=given)
    assert plan == [
        PlannedDose(1, START, START),
        PlannedDose(2, date(2026, 2, 5), date(2026, 2, 5)),
        PlannedDose(3, date(2026, 7, 5), None),
    ]


@pytest.mark.parametrize(("second", "third_due"), [
    (date(2026, 2, 5), date(2026, 7, 5)),    # on time
    (date(2026, 5, 10), date(2026, 7, 5)),   # late, but 8 weeks still fit
    (date(2026, 5, 11), date(2026, 7, 6)),   # one day more pushes dose 3
    (date(2026, 6, 1), date(2026, 7, 27)),   # 1 June + 8 weeks
    (date(2027, 3, 1), date(2027, 4, 26)),   # a year late: resume, not restart
])
def test_late_second_dose_shifts_the_third_by_the_minimum_gap(
    second: date, third_due: date
) -> None:
    plan = plan_course("hepb-standard", START, given=[START, second])
    assert plan[1] == PlannedDose(2, date(2026, 2, 5), second)
    assert plan[2] == PlannedDose(3, third_due, None)
    assert len(plan) == 3


def test_combined_standard_uses_the_same_minimum_gaps() -> None:
    plan = plan_course("hepab-standard", START, given=[START, date(2026, 6, 1)])
    assert plan[2].due == date(2026, 7, 27)


def test_a_dose_not_yet_given_projects_the_rest_from_its_due_date() -> None:
    plan = plan_course("hepb-standard", START, given=[START])
    assert dues(plan) == [START, date(2026, 2, 5), date(2026, 7, 5)]


def test_late_third_dose_moves_the_accelerated_booster_by_the_same_delay() -> None:
    # Dose 3 three months late; booster keeps its 10-month spacing.
    given = [START, date(2026, 2, 5), date(2026, 6, 5)]
    plan = plan_course("hepb-accelerated", START, given=given)
    assert plan[3] == PlannedDose(4, date(2027, 4, 5), None)


def test_late_accelerated_second_dose_keeps_a_month_before_the_third() -> None:
    plan = plan_course("hepb-accelerated", START, given=[START, date(2026, 3, 20)])
    assert dues(plan) == [START, date(2026, 2, 5), date(2026, 4, 20), date(2027, 2, 20)]


def test_late_very_rapid_doses_keep_their_spacing() -> None:
    given = [START, date(2026, 1, 20)]        # dose 2 eight days late
    plan = plan_course("hepb-very-rapid", START, given=given)
    assert dues(plan) == [
        START,
        date(2026, 1, 12),
        date(2026, 2, 3),                    # 14 days after dose 2
        date(2027, 1, 13),                   # 12 months less 21 days after dose 3
    ]


def test_editing_a_given_dose_replans_the_later_doses() -> None:
    recorded = [START, date(2026, 2, 5)]
    before = plan_course("hepb-standard", START, given=recorded)
    corrected = [START, date(2026, 6, 1)]     # dose 2 was really given in June
    after = plan_course("hepb-standard", START, given=corrected)
    assert before[2].due == date(2026, 7, 5)
    assert after[2].due == date(2026, 7, 27)
    assert after[1].given == date(2026, 6, 1)
    # Correcting it back gives the original plan again.
    assert plan_course("hepb-standard", START, given=recorded) == before


def test_completed_course_keeps_its_history() -> None:
    given = [START, date(2026, 2, 9), date(2026, 7, 6)]
    plan = plan_course("hepb-standard", START, given=given)
    assert [dose.given for dose in plan] == given
    assert vaccines.is_course_complete(plan)
    assert vaccines.next_due(plan) is None


def test_hepa_late_booster_is_valid() -> None:
    late = date(2029, 1, 5)                   # 3 years on: still counts
    plan = plan_course("hepa", START, given=[START, late])
    assert plan == [PlannedDose(1, START, START), PlannedDose(2, date(2026, 7, 5), late)]
    assert vaccines.is_course_complete(plan)


def test_hepa_booster_between_6_and_12_months() -> None:
    plan = plan_course("hepa", START, given=[START, date(2026, 11, 2)])
    assert vaccines.is_course_complete(plan)


# --- age -----------------------------------------------------------------------

VERY_RAPID_CHILD = (
    "The very rapid hepatitis B schedule is for adults (18 or over). "
    "Use the accelerated schedule (0, 1, 2 months) instead."
)
COMBINED_VERY_RAPID_CHILD = (
    "The very rapid hepatitis A and B schedule is for adults (18 or over). "
    "Use the standard combined schedule (0, 1, 6 months) instead."
)


@pytest.mark.parametrize(("schedule", "message"), [
    ("hepb-very-rapid", VERY_RAPID_CHILD),
    ("hepab-very-rapid", COMBINED_VERY_RAPID_CHILD),
])
def test_under_18_refused_very_rapid_with_the_alternative_named(
    schedule: str, message: str
) -> None:
    # 18 tomorrow: still 17 on the first dose.
    with pytest.raises(ValueError) as refused:
        plan_course(schedule, START, date_of_birth=date(2008, 1, 6))
    assert str(refused.value) == message


@pytest.mark.parametrize("schedule", ["hepb-very-rapid", "hepab-very-rapid"])
def test_turning_18_on_the_first_dose_day_is_allowed(schedule: str) -> None:
    plan = plan_course(schedule, START, date_of_birth=date(2008, 1, 5))
    assert len(plan) == 4


def test_leap_day_birthday_reaches_18_on_1_march() -> None:
    born = date(2008, 2, 29)
    with pytest.raises(ValueError, match="adults"):
        plan_course("hepb-very-rapid", date(2026, 2, 28), date_of_birth=born)
    assert plan_course("hepb-very-rapid", date(2026, 3, 1), date_of_birth=born)


def test_the_named_alternative_accepts_the_same_child() -> None:
    child = date(2012, 6, 1)
    assert len(plan_course("hepb-accelerated", START, date_of_birth=child)) == 4
    assert len(plan_course("hepab-standard", START, date_of_birth=child)) == 3


def test_very_rapid_without_a_date_of_birth_is_planned() -> None:
    assert len(plan_course("hepb-very-rapid", START)) == 4


# --- refusals --------------------------------------------------------------------

def test_unknown_schedule_lists_the_choices() -> None:
    with pytest.raises(ValueError) as refused:
        plan_course("hepb-fast", START)
    assert str(refused.value) == (
        "Unknown vaccine schedule 'hepb-fast'. Choose one of: hepb-standard, "
        "hepb-accelerated, hepb-very-rapid, hepab-standard, hepab-very-rapid, hepa."
    )


def test_first_dose_before_birth_is_refused() -> None:
    with pytest.raises(ValueError) as refused:
        plan_course("hepb-standard", START, date_of_birth=date(2026, 2, 1))
    assert str(refused.value) == (
        "The dose date (5 January 2026) is before the date of birth (1 February 2026)."
    )


def test_doses_out_of_order_are_refused() -> None:
    given = [START, date(2026, 2, 5), date(2026, 2, 1)]
    with pytest.raises(ValueError) as refused:
        plan_course("hepb-standard", START, given=given)
    assert str(refused.value) == (
        "Dose 3 (1 February 2026) must be after the previous dose (5 February 2026)."
    )


def test_two_doses_on_the_same_day_are_refused() -> None:
    with pytest.raises(ValueError, match=r"Dose 2 .* must be after the previous dose"):
        plan_course("hepb-standard", START, given=[START, START])


def test_dose_before_the_first_is_refused() -> None:
    with pytest.raises(ValueError, match="Dose 2 \\(1 January 2026\\)"):
        plan_course("hepb-standard", START, given=[START, date(2026, 1, 1)])


def test_more_doses_than_the_schedule_has_are_refused() -> None:
    given = [START, date(2026, 2, 5), date(2026, 7, 5), date(2026, 9, 1)]
    with pytest.raises(ValueError) as refused:
        plan_course("hepb-standard", START, given=given)
    assert str(refused.value) == (
        "Hepatitis B, standard (0, 1, 6 months): the schedule has 3 doses, "
        "but 4 are recorded."
    )


def test_first_dose_must_match_the_first_given() -> None:
    with pytest.raises(ValueError, match="does not match the first dose given"):
        plan_course("hepb-standard", START, given=[date(2026, 1, 6)])


# --- checking a dose date --------------------------------------------------------

TODAY = date(2026, 3, 10)


def test_dose_today_after_the_previous_is_accepted() -> None:
    vaccines.check_dose_date(
        TODAY, date_of_birth=date(1990, 1, 1), previous=date(2026, 2, 1), today=TODAY
    )


def test_first_dose_without_previous_or_birth_date_is_accepted() -> None:
    vaccines.check_dose_date(TODAY, date_of_birth=None, previous=None, today=TODAY)


def test_dose_before_birth_is_refused() -> None:
    with pytest.raises(ValueError, match="before the date of birth"):
        vaccines.check_dose_date(
            date(1989, 12, 31), date_of_birth=date(1990, 1, 1), previous=None, today=TODAY
        )


def test_dose_in_the_future_is_refused() -> None:
    with pytest.raises(ValueError) as refused:
        vaccines.check_dose_date(
            date(2026, 3, 11), date_of_birth=None, previous=None, today=TODAY
        )
    assert str(refused.value) == (
        "The dose date (11 March 2026) is in the future. "
        "Record a dose on the day it is given or later."
    )


@pytest.mark.parametrize("given_on", [date(2026, 2, 28), date(2026, 3, 1)])
def test_dose_not_after_the_previous_is_refused(given_on: date) -> None:
    with pytest.raises(ValueError, match="must be after the previous dose \\(1 March 2026\\)"):
        vaccines.check_dose_date(
            given_on, date_of_birth=None, previous=date(2026, 3, 1), today=TODAY
        )


# --- batches ----------------------------------------------------------------------

def test_batch_is_usable_on_its_expiry_date() -> None:
    vaccines.check_batch(date(2026, 3, 3), date(2026, 3, 3))
    vaccines.check_batch(date(2026, 3, 3), date(2026, 3, 2))


def test_expired_batch_is_refused() -> None:
    with pytest.raises(ValueError) as refused:
        vaccines.check_batch(date(2026, 3, 3), date(2026, 3, 4))
    assert str(refused.value) == "Batch expired on 3 March 2026 — do not use"


@pytest.mark.parametrize(("expiry", "soon"), [
    (date(2026, 4, 9), True),    # 30 days away
    (date(2026, 4, 10), False),  # 31 days away
    (TODAY, True),
    (date(2026, 3, 1), True),    # already expired: still flagged
])
def test_batch_expires_soon_within_30_days(expiry: date, soon: bool) -> None:
    assert vaccines.batch_expires_soon(expiry, today=TODAY) is soon


def test_batch_warning_period_is_a_setting() -> None:
    assert vaccines.batch_expires_soon(date(2026, 4, 10), today=TODAY, warn_days=31)
    assert not vaccines.batch_expires_soon(date(2026, 3, 17), today=TODAY, warn_days=6)


# --- anti-HBs ------------------------------------------------------------------------

def test_anti_hbs_window_is_4_to_12_weeks_after_completion() -> None:
    assert vaccines.anti_hbs_window(date(2026, 7, 5)) == (date(2026, 8, 2), date(2026, 9, 27))


def test_anti_hbs_window_is_a_setting() -> None:
    window = vaccines.anti_hbs_window(date(2026, 7, 5), weeks_from=6, weeks_to=16)
    assert window == (date(2026, 8, 16), date(2026, 10, 25))


def test_anti_hbs_window_refuses_a_backwards_setting() -> None:
    with pytest.raises(ValueError, match="settings"):
        vaccines.anti_hbs_window(date(2026, 7, 5), weeks_from=12, weeks_to=4)


@pytest.mark.parametrize(("level", "responder"), [
    (10.0, True), (9.99, False), (0.0, False), (1000.0, True),
])
def test_responder_at_or_above_10_miu_per_ml(level: float, responder: bool) -> None:
    assert vaccines.is_responder(level) is responder


def test_responder_threshold_is_a_setting() -> None:
    assert not vaccines.is_responder(50.0, threshold=100.0)


@pytest.mark.parametrize("level", [-1.0, float("nan")])
def test_impossible_anti_hbs_level_is_refused(level: float) -> None:
    with pytest.raises(ValueError, match="mIU/mL"):
        vaccines.is_responder(level)


def test_primary_course_completion_ignores_the_booster() -> None:
    given = [START, date(2026, 2, 5), date(2026, 3, 5)]
    plan = plan_course("hepb-accelerated", START, given=given)
    assert vaccines.primary_course_completed_on("hepb-accelerated", plan) == date(2026, 3, 5)
    assert not vaccines.is_course_complete(plan)


def test_primary_course_not_complete_until_its_last_dose() -> None:
    plan = plan_course("hepb-very-rapid", START, given=[START, date(2026, 1, 12)])
    assert vaccines.primary_course_completed_on("hepb-very-rapid", plan) is None


# --- progress ---------------------------------------------------------------------------

def test_next_due_is_the_first_dose_not_given() -> None:
    plan = plan_course("hepb-standard", START, given=[START])
    assert vaccines.next_due(plan) == PlannedDose(2, date(2026, 2, 5), None)


def test_empty_plan_is_not_complete() -> None:
    assert not vaccines.is_course_complete([])


@pytest.mark.parametrize(("today", "overdue"), [
    (date(2026, 2, 4), False),
    (date(2026, 2, 5), False),   # due today is not overdue
    (date(2026, 2, 6), True),
])
def test_overdue_after_the_due_day(today: date, overdue: bool) -> None:
    dose = PlannedDose(2, date(2026, 2, 5), None)
    assert vaccines.is_overdue(dose, today=today) is overdue


def test_given_dose_is_never_overdue() -> None:
    dose = PlannedDose(2, date(2026, 2, 5), date(2026, 3, 1))
    assert not vaccines.is_overdue(dose, today=date(2027, 1, 1))


# --- defaults agree with the declared site settings ---------------------------------

@pytest.mark.parametrize(("function", "argument", "key"), [
    (vaccines.anti_hbs_window, "weeks_from", "vaccines.anti_hbs_weeks_from"),
    (vaccines.anti_hbs_window, "weeks_to", "vaccines.anti_hbs_weeks_to"),
    (vaccines.batch_expires_soon, "warn_days", "vaccines.batch_expiry_warn_days"),
])
def test_defaults_match_the_site_settings(
    function: Callable[..., object], argument: str, key: str
) -> None:
    default = inspect.signature(function).parameters[argument].default
    assert default == BY_KEY[key].default


def test_each_schedule_names_its_vaccine_and_a_short_name() -> None:
    for schedule in vaccines.SCHEDULES.values():
        assert schedule.id.startswith(schedule.vaccine.value)
        assert schedule.label.startswith(schedule.short_name + " (")
    assert vaccines.SCHEDULES["hepab-standard"].short_name == "Hepatitis A and B combined, standard"


def test_hepatitis_b_is_answered_once_for_vaccines_and_schedules() -> None:
    assert [v for v in vaccines.Vaccine if v.protects_against_hep_b] == [vaccines.Vaccine.HEP_B,
                                                                         vaccines.Vaccine.HEP_AB]
    assert vaccines.HEP_B_VACCINES == ("hepb", "hepab")
    assert set(vaccines.HEP_B_SCHEDULES) == {
        "hepb-standard", "hepb-accelerated", "hepb-very-rapid", "hepab-standard", "hepab-very-rapid"}
    assert "hepa" not in vaccines.HEP_B_SCHEDULES
