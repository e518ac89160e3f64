"""Tests for clinic.safeguarding: worked examples a safeguarding lead can check."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from clinic import safeguarding as sg
from clinic.clock import SITE_TZ
from clinic.safeguarding import Urgency


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SITE_TZ)  # type: ignore[arg-type,misc]


class TestRequestDue:
    def test_urgent_is_two_clock_hours_even_on_a_friday_evening(self) -> None:
        # Friday 27 November 2026, 16:30: due 18:30 the same evening, not Monday.
        assert sg.request_due(local(2026, 11, 27, 16, 30), Urgency.URGENT) == local(2026, 11, 27, 18, 30)

    def test_urgent_on_saturday_night_runs_past_midnight(self) -> None:
        assert sg.request_due(local(2026, 11, 28, 23, 0), Urgency.URGENT) == local(2026, 11, 29, 1, 0)

    def test_urgent_counts_elapsed_hours_across_the_clock_change(self) -> None:
        # Clocks go back at 02:00 BST on Sunday 25 October 2026: 00:30 BST + 2 h = 01:30 GMT.
        received = datetime(2026, 10, 24, 23, 30, tzinfo=UTC)  # 00:30 BST
        due = sg.request_due(received, Urgency.URGENT)
        # (an ambiguous local time never compares equal across zones: compare in UTC)
        assert due.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
        assert due.astimezone(SITE_TZ).hour == 1

    def test_routine_from_friday_skips_the_weekend(self) -> None:
        # Friday + 3 working days = Wednesday 2 December, by 17:00.
        assert sg.request_due(local(2026, 11, 27, 9, 0), Urgency.ROUTINE) == local(2026, 12, 2, 17, 0)

    def test_routine_received_on_saturday_counts_from_monday(self) -> None:
        # Saturday 28 Nov: Mon 30, Tue 1, Wed 2 December.
        assert sg.request_due(local(2026, 11, 28, 11, 0), Urgency.ROUTINE) == local(2026, 12, 2, 17, 0)

    def test_routine_over_christmas_skips_bank_holidays(self) -> None:
        # Thu 24 Dec 2026: Fri 25 (Christmas) and Mon 28 (Boxing Day, substitute) do not count.
        assert sg.request_due(local(2026, 12, 24, 10, 0), Urgency.ROUTINE) == local(2026, 12, 31, 17, 0)

    def test_routine_working_days_and_closures_come_from_settings(self) -> None:
        closures = frozenset({date(2026, 11, 30)})
        assert sg.request_due(local(2026, 11, 27, 9, 0), Urgency.ROUTINE, routine_working_days=1,
                              closures=closures) == local(2026, 12, 1, 17, 0)

    def test_naive_time_is_refused(self) -> None:
        with pytest.raises(ValueError, match="time zone"):
            sg.request_due(datetime(2026, 11, 27, 9, 0), Urgency.URGENT)


def test_overdue_only_while_unanswered() -> None:
    due = local(2026, 11, 23, 12, 0)
    assert sg.request_overdue(due, local(2026, 11, 23, 12, 1), answered=False)
    assert not sg.request_overdue(due, local(2026, 11, 23, 12, 0), answered=False)
    assert not sg.request_overdue(due, local(2026, 11, 24, 9, 0), answered=True)


class TestHiddenHarmReview:
    def test_first_review_six_months_after_the_children_were_recorded(self) -> None:
        assert sg.hidden_harm_review_due(None, date(2026, 8, 31)) == date(2027, 2, 28)

    def test_then_six_months_after_the_last_review(self) -> None:
        assert sg.hidden_harm_review_due(date(2026, 11, 23), date(2025, 1, 1)) == date(2027, 5, 23)

    def test_interval_is_a_setting(self) -> None:
        assert sg.hidden_harm_review_due(date(2026, 11, 23), date(2025, 1, 1), months=3) == date(2027, 2, 23)


class TestYoungPerson:
    def test_prompt_on_the_day_before_the_eighteenth_birthday(self) -> None:
        prompt = sg.young_person_prompt(date(2008, 11, 24), date(2026, 11, 23))
        assert prompt is not None and "age 17" in prompt and "young people's service" in prompt

    def test_no_prompt_on_the_eighteenth_birthday(self) -> None:
        assert sg.young_person_prompt(date(2008, 11, 23), date(2026, 11, 23)) is None

    def test_29_february_birthday_is_18_on_1_march(self) -> None:
        assert sg.is_under_18(date(2008, 2, 29), date(2026, 2, 28))
        assert not sg.is_under_18(date(2008, 2, 29), date(2026, 3, 1))


def test_referral_waits_four_weeks_for_an_outcome() -> None:
    referred = date(2026, 10, 26)
    assert not sg.referral_waiting(referred, date(2026, 11, 22), has_outcome=False)
    assert sg.referral_waiting(referred, date(2026, 11, 23), has_outcome=False)
    assert not sg.referral_waiting(referred, date(2026, 12, 23), has_outcome=True)
    assert sg.referral_waiting(referred, date(2026, 11, 9), has_outcome=False, weeks=2)


def test_reception_is_told_only_of_greeting_flags() -> None:
    assert sg.FlagKind.DOMESTIC_ABUSE in sg.GREETING_FLAGS
    assert sg.FlagKind.HOMELESSNESS not in sg.GREETING_FLAGS


def test_referral_letters_need_the_matching_consent() -> None:
    assert sg.ReferralKind.HEPATOLOGY.recipient is sg.RecipientKind.HEPATOLOGY_HIV
    assert sg.ReferralKind.GP.recipient is sg.RecipientKind.GP
    assert sg.ReferralKind.HOUSING.recipient is sg.RecipientKind.OTHER
