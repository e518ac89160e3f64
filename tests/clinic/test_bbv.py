"""Tests for clinic.bbv."""

import inspect
from collections.abc import Callable
from datetime import date

import pytest

from clinic import bbv
from clinic.bbv import BbvEvent, EventKind, Result, Virus
from clinic.settings import BY_KEY

Kind = bbv.TestKind

HCV = Virus.HEPATITIS_C
HBV = Virus.HEPATITIS_B


def offered(virus: Virus, on: date) -> BbvEvent:
    return BbvEvent(EventKind.OFFERED, virus, on)


def declined(virus: Virus, on: date) -> BbvEvent:
    return BbvEvent(EventKind.DECLINED, virus, on)


def taken(test: bbv.TestKind, on: date) -> BbvEvent:
    return BbvEvent(EventKind.TESTED, test.virus, on, test=test)


def result(test: bbv.TestKind, outcome: Result, taken_on: date, on: date) -> BbvEvent:
    return BbvEvent(EventKind.RESULT, test.virus, on, test=test, result=outcome, taken_on=taken_on)


def referred(virus: Virus, on: date) -> BbvEvent:
    return BbvEvent(EventKind.REFERRED, virus, on)


def taken_and_resulted(test: bbv.TestKind, outcome: Result, taken_on: date,
                    on: date) -> list[BbvEvent]:
    return [taken(test, taken_on), result(test, outcome, taken_on, on)]


# --- the vocabulary -------------------------------------------------------------

def test_enum_values_are_the_stored_names() -> None:
    assert [v.value for v in Virus] == ["hepatitis_b", "hepatitis_c", "hiv", "syphilis"]
    assert [k.value for k in Kind] == [
        "hcv_antibody", "hcv_rna", "hbsag", "anti_hbc", "hiv", "syphilis", "anti_hbs",
    ]
    assert [r.value for r in Result] == ["negative", "positive", "indeterminate"]
    assert [s.value for s in bbv.SampleType] == ["dried_blood_spot", "venous", "point_of_care"]


@pytest.mark.parametrize(("test", "virus"), [
    (Kind.HCV_ANTIBODY, HCV), (Kind.HCV_RNA, HCV),
    (Kind.HBSAG, HBV), (Kind.ANTI_HBC, HBV), (Kind.ANTI_HBS, HBV),
    (Kind.HIV, Virus.HIV), (Kind.SYPHILIS, Virus.SYPHILIS),
])
def test_each_test_belongs_to_one_virus(test: bbv.TestKind, virus: Virus) -> None:
    assert test.virus is virus


def test_every_value_has_a_label() -> None:
    assert Virus.HEPATITIS_C.label == "Hepatitis C"
    assert Kind.HBSAG.label == "Hepatitis B surface antigen (HBsAg)"
    assert bbv.SampleType.DRIED_BLOOD_SPOT.label == "Dried blood spot"
    for value in (*Virus, *Kind, *bbv.SampleType):
        assert value.label


# --- re-test and referral -----------------------------------------------------------

@pytest.mark.parametrize(("last", "due"), [
    (date(2026, 3, 3), date(2027, 3, 3)),
    (date(2028, 2, 29), date(2029, 2, 28)),
])
def test_hcv_retest_due_12_months_after_a_negative(last: date, due: date) -> None:
    assert bbv.hcv_retest_due(last) == due


def test_hcv_retest_interval_is_a_setting() -> None:
    assert bbv.hcv_retest_due(date(2026, 3, 31), months=6) == date(2026, 9, 30)


REFERRED_WHEN_POSITIVE = {Kind.HCV_RNA, Kind.HBSAG, Kind.HIV, Kind.SYPHILIS}


@pytest.mark.parametrize("test", list(Kind))
@pytest.mark.parametrize("outcome", list(Result))
def test_referral_only_for_positive_current_infection(
    test: bbv.TestKind, outcome: Result
) -> None:
    expected = outcome is Result.POSITIVE and test in REFERRED_WHEN_POSITIVE
    assert bbv.needs_referral(test, outcome) is expected


def test_positive_hcv_antibody_needs_rna_not_referral() -> None:
    assert not bbv.needs_referral(Kind.HCV_ANTIBODY, Result.POSITIVE)
    assert bbv.next_step(Kind.HCV_ANTIBODY, Result.POSITIVE) == (
        "Hepatitis C antibody positive: take a sample for HCV RNA to check for "
        "current infection."
    )


@pytest.mark.parametrize("test", list(Kind))
@pytest.mark.parametrize("outcome", list(Result))
def test_every_result_has_a_next_step(test: bbv.TestKind, outcome: Result) -> None:
    assert bbv.next_step(test, outcome).endswith(".")


@pytest.mark.parametrize(("test", "words"), [
    (Kind.HCV_RNA, "refer to hepatology"),
    (Kind.HBSAG, "refer to hepatology"),
    (Kind.HIV, "refer to the HIV clinic"),
    (Kind.SYPHILIS, "refer to the sexual health clinic"),
])
def test_positive_next_step_names_where_to_refer(test: bbv.TestKind, words: str) -> None:
    assert words in bbv.next_step(test, Result.POSITIVE)


def test_negative_hcv_next_step_uses_the_retest_setting() -> None:
    assert "every 6 months" in bbv.next_step(Kind.HCV_ANTIBODY, Result.NEGATIVE, retest_months=6)
    assert "every 12 months" in bbv.next_step(Kind.HCV_RNA, Result.NEGATIVE)


def test_indeterminate_result_is_repeated() -> None:
    assert bbv.next_step(Kind.HIV, Result.INDETERMINATE) == (
        "Indeterminate HIV result: repeat the test on a venous sample."
    )


# --- event records -----------------------------------------------------------------

def test_result_event_needs_its_outcome_and_sample_date() -> None:
    with pytest.raises(ValueError, match="sample was taken"):
        BbvEvent(EventKind.RESULT, HCV, date(2026, 3, 3),
                 test=Kind.HCV_RNA, result=Result.NEGATIVE)
    with pytest.raises(ValueError, match="sample was taken"):
        BbvEvent(EventKind.RESULT, HCV, date(2026, 3, 3), test=Kind.HCV_RNA,
                 taken_on=date(2026, 3, 1))


@pytest.mark.parametrize("kind", [EventKind.TESTED, EventKind.RESULT])
def test_tested_and_result_events_name_the_test(kind: EventKind) -> None:
    with pytest.raises(ValueError, match="must name its test"):
        BbvEvent(kind, HCV, date(2026, 3, 3))


def test_test_must_belong_to_the_event_virus() -> None:
    with pytest.raises(ValueError, match="HIV is not a test for Hepatitis C"):
        BbvEvent(EventKind.TESTED, HCV, date(2026, 3, 3), test=Kind.HIV)


# --- status summary -----------------------------------------------------------------

MAR1, MAR3, MAR9, MAR20 = date(2026, 3, 1), date(2026, 3, 3), date(2026, 3, 9), date(2026, 3, 20)


def test_never_tested() -> None:
    assert bbv.status_summary([], HCV) == "Never tested"


def test_other_viruses_do_not_count() -> None:
    events = taken_and_resulted(Kind.HIV, Result.NEGATIVE, MAR1, MAR9)
    assert bbv.status_summary(events, HCV) == "Never tested"


def test_offered_only() -> None:
    assert bbv.status_summary([offered(HCV, MAR3)], HCV) == (
        "Offered on 3 March 2026 — not yet tested"
    )


def test_declined() -> None:
    events = [offered(HCV, MAR3), declined(HCV, MAR3)]
    assert bbv.status_summary(events, HCV) == "Declined on 3 March 2026"


def test_result_awaited() -> None:
    events = [offered(Virus.HIV, MAR1), taken(Kind.HIV, MAR1)]
    assert bbv.status_summary(events, Virus.HIV) == "Tested 1 March 2026 — result awaited"


def test_tested_negative() -> None:
    events = [offered(HCV, MAR1),
              *taken_and_resulted(Kind.HCV_ANTIBODY, Result.NEGATIVE, MAR1, MAR9)]
    assert bbv.status_summary(events, HCV) == "Tested 1 March 2026 — negative"


def test_antibody_positive_asks_for_rna() -> None:
    events = taken_and_resulted(Kind.HCV_ANTIBODY, Result.POSITIVE, MAR1, MAR9)
    assert bbv.status_summary(events, HCV) == (
        "Tested 1 March 2026 — antibody positive, HCV RNA test needed"
    )


def test_antibody_positive_then_rna_awaited() -> None:
    events = [*taken_and_resulted(Kind.HCV_ANTIBODY, Result.POSITIVE, MAR1, MAR9),
              taken(Kind.HCV_RNA, MAR20)]
    assert bbv.status_summary(events, HCV) == "Tested 20 March 2026 — result awaited"


def test_rna_positive_not_yet_referred() -> None:
    events = [*taken_and_resulted(Kind.HCV_ANTIBODY, Result.POSITIVE, MAR1, MAR9),
              *taken_and_resulted(Kind.HCV_RNA, Result.POSITIVE, MAR9, MAR20)]
    assert bbv.status_summary(events, HCV) == (
        "Positive (tested 9 March 2026) — referral needed"
    )


def test_rna_positive_and_referred() -> None:
    events = [*taken_and_resulted(Kind.HCV_RNA, Result.POSITIVE, MAR1, MAR9),
              referred(HCV, MAR20)]
    assert bbv.status_summary(events, HCV) == (
        "Positive (tested 1 March 2026) — referred on 20 March 2026"
    )


def test_positive_is_not_hidden_by_a_later_decline() -> None:
    events = [*taken_and_resulted(Kind.HBSAG, Result.POSITIVE, MAR1, MAR9),
              referred(HBV, MAR9), declined(HBV, date(2027, 3, 1))]
    assert bbv.status_summary(events, HBV) == (
        "Positive (tested 1 March 2026) — referred on 9 March 2026"
    )


def test_referral_before_the_positive_sample_does_not_count() -> None:
    events = [referred(Virus.HIV, date(2025, 1, 1)),
              *taken_and_resulted(Kind.HIV, Result.POSITIVE, MAR1, MAR3)]
    assert bbv.status_summary(events, Virus.HIV) == (
        "Positive (tested 1 March 2026) — referral needed"
    )


def test_rna_negative_after_treatment_clears_the_positive() -> None:
    events = [*taken_and_resulted(Kind.HCV_RNA, Result.POSITIVE,
                                  date(2025, 1, 6), date(2025, 1, 20)),
              referred(HCV, date(2025, 1, 21)),
              *taken_and_resulted(Kind.HCV_RNA, Result.NEGATIVE, MAR1, MAR9)]
    assert bbv.status_summary(events, HCV) == (
        "Tested 1 March 2026 — HCV RNA negative (no current infection)"
    )


def test_hbv_past_infection() -> None:
    events = [*taken_and_resulted(Kind.HBSAG, Result.NEGATIVE, MAR1, MAR9),
              *taken_and_resulted(Kind.ANTI_HBC, Result.POSITIVE, MAR1, MAR9)]
    assert bbv.status_summary(events, HBV) == (
        "Tested 1 March 2026 — past infection (anti-HBc positive, HBsAg negative)"
    )


def test_hbv_core_antibody_alone_asks_for_hbsag() -> None:
    events = taken_and_resulted(Kind.ANTI_HBC, Result.POSITIVE, MAR1, MAR9)
    assert bbv.status_summary(events, HBV) == (
        "Tested 1 March 2026 — anti-HBc positive, HBsAg test needed"
    )


def test_anti_hbs_is_vaccine_response_not_infection_status() -> None:
    events = taken_and_resulted(Kind.ANTI_HBS, Result.POSITIVE, MAR1, MAR9)
    assert bbv.status_summary(events, HBV) == "Never tested"


def test_indeterminate_status() -> None:
    events = taken_and_resulted(Kind.SYPHILIS, Result.INDETERMINATE, MAR1, MAR9)
    assert bbv.status_summary(events, Virus.SYPHILIS) == (
        "Tested 1 March 2026 — indeterminate, repeat test needed"
    )


def test_later_offer_and_decline_keep_the_last_result() -> None:
    history = taken_and_resulted(Kind.HCV_ANTIBODY, Result.NEGATIVE, MAR1, MAR9)
    later = date(2027, 3, 2)
    assert bbv.status_summary([*history, offered(HCV, later)], HCV) == (
        "Offered on 2 March 2027; tested 1 March 2026 — negative"
    )
    assert bbv.status_summary([*history, offered(HCV, later), declined(HCV, later)], HCV) == (
        "Declined on 2 March 2027; tested 1 March 2026 — negative"
    )


def test_new_sample_awaited_while_an_older_result_arrives() -> None:
    # The 1 March result arrives on 9 March, the day a new sample is taken.
    events = [taken(Kind.HIV, MAR1), taken(Kind.HIV, MAR9),
              result(Kind.HIV, Result.NEGATIVE, MAR1, MAR9)]
    assert bbv.status_summary(events, Virus.HIV) == "Tested 9 March 2026 — result awaited"


def test_events_in_any_order() -> None:
    events = [referred(HCV, MAR20), *taken_and_resulted(Kind.HCV_RNA, Result.POSITIVE, MAR1, MAR9)]
    assert bbv.status_summary(reversed(events), HCV) == (
        "Positive (tested 1 March 2026) — referred on 20 March 2026"
    )


# --- result dates -------------------------------------------------------------------

def test_result_dates_in_order_are_accepted() -> None:
    bbv.check_result_dates(MAR1, MAR9, MAR9)
    bbv.check_result_dates(MAR1, MAR1, MAR20, today=MAR20)
    bbv.check_result_dates(MAR1, None, None)
    bbv.check_result_dates(MAR1, MAR9, None)


def test_result_before_the_test_is_refused() -> None:
    with pytest.raises(ValueError) as refused:
        bbv.check_result_dates(MAR3, MAR1, None)
    assert str(refused.value) == (
        "The result date (1 March 2026) is before the test date (3 March 2026)."
    )


def test_result_given_before_it_arrived_is_refused() -> None:
    with pytest.raises(ValueError) as refused:
        bbv.check_result_dates(MAR1, MAR9, MAR3)
    assert str(refused.value) == (
        "The result was given (3 March 2026) before it arrived (9 March 2026)."
    )


def test_result_given_without_a_result_date_is_refused() -> None:
    with pytest.raises(ValueError, match="Enter the result date"):
        bbv.check_result_dates(MAR1, None, MAR9)


def test_future_dates_are_refused_when_today_is_known() -> None:
    with pytest.raises(ValueError, match="20 March 2026 is in the future"):
        bbv.check_result_dates(MAR1, MAR20, None, today=MAR9)


@pytest.mark.parametrize(("function", "argument"), [
    (bbv.hcv_retest_due, "months"),
    (bbv.next_step, "retest_months"),
])
def test_retest_default_matches_the_site_setting(
    function: Callable[..., object], argument: str
) -> None:
    default = inspect.signature(function).parameters[argument].default
    assert default == BY_KEY["bbv.hcv_retest_months"].default
