"""Worked examples for clinic.nsp: the pseudonymous code, the under-18 rule, the return rate."""

from __future__ import annotations

from datetime import date

import pytest

from clinic import nsp
from clinic.errors import Refused

TODAY = date(2026, 11, 23)


def test_the_code_is_initials_full_date_of_birth_and_gender() -> None:
    assert nsp.pseudonymous_code("JS", date(1985, 7, 3), "M", today=TODAY) == "JS03071985M"


@pytest.mark.parametrize(("initials", "gender"), [("j.s.", "male"), ("J S", "m"), (" js ", "Man"), ("Jś", "M")])
def test_the_code_is_stable_however_it_is_typed(initials: str, gender: str) -> None:
    assert nsp.pseudonymous_code(initials, date(1985, 7, 3), gender, today=TODAY) == "JS03071985M"


@pytest.mark.parametrize(("initials", "dob", "gender", "field"), [
    ("", date(1985, 7, 3), "M", "initials"),
    ("ABCD", date(1985, 7, 3), "M", "initials"),
    ("J5", date(1985, 7, 3), "M", "initials"),
    ("JS", date(2027, 1, 1), "M", "date_of_birth"),
    ("JS", date(1899, 12, 31), "M", "date_of_birth"),
    ("JS", date(1985, 7, 3), "", "gender"),
    ("JS", date(1985, 7, 3), "Q", "gender"),
])
def test_impossible_codes_are_refused_by_their_field(initials: str, dob: date, gender: str, field: str) -> None:
    with pytest.raises(Refused) as err:
        nsp.pseudonymous_code(initials, dob, gender, today=TODAY)
    assert err.value.field == field


def test_a_typed_code_is_tidied_and_checked() -> None:
    assert nsp.parse_code("js 03-07-1985 m") == "JS03071985M"
    assert nsp.date_of_birth_in("JS03071985M") == date(1985, 7, 3)
    with pytest.raises(Refused):
        nsp.parse_code("JS31021985M")  # 31 February
    with pytest.raises(Refused):
        nsp.parse_code("JS030785M")  # two-digit year


def test_under_18_from_date_of_birth_or_as_stated() -> None:
    assert nsp.is_under_18(date(2008, 11, 24), TODAY)  # 18 tomorrow
    assert not nsp.is_under_18(date(2008, 11, 23), TODAY)  # 18 today
    assert nsp.is_under_18(None, TODAY, stated_under_18=True)
    assert not nsp.is_under_18(None, TODAY)


def test_an_adult_visit_needs_no_assessment_and_has_no_cap() -> None:
    nsp.check_young_person(under_18=False, needles=200, cap=10, greater_risk_assessed=False, assessment_note="")


def test_an_under_18_visit_needs_the_assessment_with_a_reason() -> None:
    for assessed, note in ((False, "injecting daily, would share"), (True, "  ")):
        with pytest.raises(Refused) as err:
            nsp.check_young_person(under_18=True, needles=5, cap=10, greater_risk_assessed=assessed,
                                   assessment_note=note)
        assert err.value.field == "assessment"


def test_an_under_18_visit_is_capped_in_needles() -> None:
    items = nsp.parse_items(["needle|Orange", "pack|Pack of 10|10", "water|Water"])
    needles = nsp.needles_in([(items[0], 3), (items[1], 1), (items[2], 20)])
    assert needles == 13
    with pytest.raises(Refused) as err:
        nsp.check_young_person(under_18=True, needles=needles, cap=10, greater_risk_assessed=True,
                               assessment_note="would otherwise share")
    assert err.value.field == "items"
    nsp.check_young_person(under_18=True, needles=10, cap=10, greater_risk_assessed=True,
                           assessment_note="would otherwise share")


def test_the_default_item_list_parses_and_covers_every_type() -> None:
    items = nsp.parse_items(nsp.DEFAULT_ITEMS)
    assert {i.type for i in items} == set(nsp.ITEM_TYPES)
    assert next(i for i in items if i.type == "pack").needles == 10


@pytest.mark.parametrize("line", ["needle", "knife|Big", "needle|", "pack|Pack|lots", "pack|Pack|101"])
def test_a_bad_item_line_is_refused(line: str) -> None:
    with pytest.raises(ValueError):
        nsp.parse_items([line])


def test_return_rate_worked_examples() -> None:
    assert nsp.return_rate(75, 100) == 75.0
    assert nsp.return_rate(120, 100) == 120.0  # old stock comes back too
    assert nsp.return_rate(0, 40) == 0.0
    assert nsp.return_rate(10, 0) is None
    with pytest.raises(ValueError):
        nsp.return_rate(-1, 10)
