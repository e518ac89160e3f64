"""Tests for clinic.letters.templates.missed_appointment."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clinic.letters import render
from tests.clinic.letters.golden import assert_golden
from tests.clinic.letters.samples import NURSE, SERVICE, ZOE, missed, pages_text
from tests.clinic.letters.templates.wording_rules import PUNITIVE, REVEALING, words_found


def test_golden() -> None:
    assert_golden(render(missed()),
                  "ec3fdfa9b17c20ec399ffe8a8854e7389b7e7f00005649ce0f4e6a57006c83e3")
    assert_golden(render(missed(rebooked=True)),
                  "3666649051bb5c9a9b560166598011f5fc752b47898eb464fdcc2987885e5ce4")


def test_is_kind_and_invites_a_call() -> None:
    text = pages_text(render(missed()))[0]
    for expected in ("sorry not to see you", "Monday 16 November 2026 at 9:15am", "still very welcome",
                     "Please phone us on 01234 567890 when you can", "We will do what we can to help"):
        assert expected in text


def test_gives_the_new_appointment_when_one_is_booked() -> None:
    text = pages_text(render(missed(rebooked=True)))[0]
    assert "We have booked another appointment for you" in text and "Monday 7 December 2026" in text
    assert "when you can" not in text


@pytest.mark.parametrize("rebooked", [False, True])
def test_never_scolds_and_never_says_what_the_service_is_for(rebooked: bool) -> None:
    text = pages_text(render(missed(rebooked=rebooked)))[0].replace(SERVICE, "").replace(NURSE.role, "")
    assert words_found(text, PUNITIVE) == []
    assert words_found(text, REVEALING) == []
    assert words_found(pages_text(render(missed(replace(ZOE, discreet=True), rebooked=rebooked)))[0],
                       REVEALING) == []
