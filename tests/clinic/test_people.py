"""Tests for clinic.people."""

from __future__ import annotations

from datetime import date

import pytest

from clinic import people

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(("number", "text"), [(1, "H000001"), (123, "H000123"), (1234567, "H1234567")])
def test_client_id_round_trip(number: int, text: str) -> None:
    assert people.client_id(number) == text
    assert people.parse_client_id(text) == number
    assert people.parse_client_id(text.lower()) == number


@pytest.mark.parametrize("text", ["H123", "h 123", "H-123", " h000123 "])
def test_client_id_as_typed(text: str) -> None:
    assert people.parse_client_id(text) == 123


@pytest.mark.parametrize("text", ["", "H", "123", "Harry", "H0", "HH12"])
def test_not_a_client_id(text: str) -> None:
    assert people.parse_client_id(text) is None


@pytest.mark.parametrize("phone", ["", "07700 900123", "077009001234"[:11], "020 7946 0000", "+44 7700 900123",
                                   "+44 (0)7700 900123", "0044 7700 900123"])
def test_uk_phone_numbers_pass(phone: str) -> None:
    assert people.phone_warning(phone) is None


@pytest.mark.parametrize(("phone", "warning"), [
    ("0770090012", "11 digits (this has 10)"),
    ("7700 900123", "start with 0"),
    ("+33 1 23 45 67 89", "Not a UK number"),
    ("+44 7700 9001", "10 digits after +44"),
    ("call mum", "characters other than digits"),
])
def test_phone_warnings(phone: str, warning: str) -> None:
    message = people.phone_warning(phone)
    assert message is not None and warning in message


@pytest.mark.parametrize(("typed", "stored"), [
    ("ox1 1aa", "OX1 1AA"), ("SW1A1AA", "SW1A 1AA"), (" m1   1ae ", "M1 1AE"), ("gir0aa", "GIR 0AA"),
    ("not one", "NOT ONE"),
])
def test_normalise_postcode(typed: str, stored: str) -> None:
    assert people.normalise_postcode(typed) == stored


def test_postcode_warning() -> None:
    assert people.postcode_warning("") is None
    assert people.postcode_warning("OX1 1AA") is None
    assert people.postcode_warning("OX1") is not None
    assert people.postcode_warning("12345") is not None


def test_check_details_collects_every_field() -> None:
    checked = people.check_details(
        surname="", forename="", date_of_birth=date(2030, 1, 1), nhs_number="943 476 5918",
        phone="12", postcode="x", emergency_contact_phone="", today=TODAY)
    assert set(checked.errors) == {"surname", "forename", "date_of_birth", "nhs_number"}
    assert "check digit does not match" in checked.errors["nhs_number"]
    assert set(checked.warnings) == {"phone", "postcode"}
    assert not checked.ok


def test_check_details_accepts_a_good_person() -> None:
    checked = people.check_details(
        surname="Ó Súilleabháin", forename="Łukasz", date_of_birth=date(1985, 7, 3), nhs_number="9434765919",
        phone="07700 900123", postcode="OX1 1AA", emergency_contact_phone="", today=TODAY)
    assert checked.ok and checked.warnings == {}


def test_missing_date_of_birth() -> None:
    checked = people.check_details(surname="A", forename="B", date_of_birth=None, nhs_number="",
                                   phone="", postcode="", emergency_contact_phone="", today=TODAY)
    assert "date_of_birth" in checked.errors


@pytest.mark.parametrize(("a", "b", "why"), [
    (("O'Brien", "Sam"), ("OBRIEN", "Samantha"), "same surname"),
    (("Smith-Jones", "Katherine"), ("Smithson", "Kathy"), "similar first name and surname"),
    (("Katherine", "Smith"), ("Smith", "Kat"), "first name and surname swapped"),
    (("Walsh", "Robert", "Bob"), ("Green", "Bob"), "same preferred name"),
    (("Walsh", "Robert"), ("Green", "Roberta"), None),
])
def test_similar_name(a: tuple[str, ...], b: tuple[str, ...], why: str | None) -> None:
    assert people.similar_name(people.NameParts(*a), people.NameParts(*b)) == why
