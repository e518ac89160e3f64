"""Tests for clinic.validation: the one date rule and the wordings modules give it."""

from __future__ import annotations

from datetime import date

import pytest

from clinic.errors import Refused
from clinic.services.safeguarding.common import DATE_WORDING as SAFEGUARDING
from clinic.validation import DAY_NAMED, check_date

TODAY, BORN = date(2026, 11, 23), date(1985, 7, 3)


@pytest.mark.parametrize(("day", "message"), [
    (date(1899, 12, 31), "The date must be between 1900 and 2100."),
    (date(1980, 1, 1), "The date is before the person's date of birth (03/07/1985)."),
    (date(2026, 11, 24), "The date cannot be in the future."),
])
def test_a_date_is_refused_by_its_field(day: date, message: str) -> None:
    with pytest.raises(Refused) as refused:
        check_date(day, field="seen_on", born=BORN, today=TODAY)
    assert (str(refused.value), refused.value.field) == (message, "seen_on")


@pytest.mark.parametrize(("day", "message"), [
    (date(1899, 12, 31), "The referral date must be between 1900 and 2100."),
    (date(1980, 1, 1), "The referral date is before the person was born."),
    (date(2026, 11, 24), "The referral date cannot be in the future."),
])
def test_safeguarding_words_its_refusals_its_own_way(day: date, message: str) -> None:
    with pytest.raises(Refused, match=message):
        check_date(day, field="referred_on", label="The referral date", born=BORN, today=TODAY,
                   wording=SAFEGUARDING)


def test_a_planned_date_may_be_in_the_future() -> None:
    assert check_date(date(2027, 5, 1), field="expected_on", born=None, wording=SAFEGUARDING) == date(2027, 5, 1)


def test_the_day_can_be_named_in_the_refusal() -> None:
    with pytest.raises(Refused, match=r"^The visit date \(24 November 2026\) is in the future\.$"):
        check_date(date(2026, 11, 24), field="visited_on", label="The visit date", today=TODAY, wording=DAY_NAMED)


def test_a_datetime_is_not_a_date() -> None:
    with pytest.raises(Refused, match="must be a date"):
        check_date(object(), field="on")
