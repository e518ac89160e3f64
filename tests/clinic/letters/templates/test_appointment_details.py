"""Tests for clinic.letters.templates.appointment_details."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clinic.letters import render
from tests.clinic.letters.samples import APPOINTMENT, ZOE, confirmation


def with_appointment(**fields: object) -> object:
    return replace(confirmation(replace(ZOE, discreet=True)), appointment=replace(APPOINTMENT, **fields))


def test_a_discreet_letter_whose_place_names_the_service_is_refused() -> None:
    letter = with_appointment(place=("Harbour Harm Reduction Service", "1 Example Street"))
    with pytest.raises(ValueError, match="must be discreet, but its appointment details name the service"):
        render(letter)


@pytest.mark.parametrize(("fields", "message"), [
    ({"place": ("", " ")}, "no place"),
    ({"ask_for": " "}, "who to ask for"),
])
def test_an_appointment_letter_says_where_and_who(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render(with_appointment(**fields))
