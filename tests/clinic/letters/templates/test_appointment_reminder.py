"""Tests for clinic.letters.templates.appointment_reminder."""

from __future__ import annotations

from dataclasses import replace

from clinic.letters import render
from tests.clinic.letters.golden import assert_golden
from tests.clinic.letters.samples import NURSE, SERVICE, ZOE, pages_text, reminder
from tests.clinic.letters.templates.wording_rules import REVEALING, words_found


def test_golden() -> None:
    assert_golden(render(reminder()),
                  "5818c170f4f9f164f7131a4934b6b6b875c077f977da85561a98cfadde45124c")
    assert_golden(render(reminder(replace(ZOE, discreet=True))),
                  "8a1c7f60047124d9fb28bb9e0b8e0c1ee4e20a1fbf13e72e6cd9b1113b00e361")


def test_says_when_where_who_to_ask_for_and_how_to_rearrange() -> None:
    text = pages_text(render(reminder()))[0]
    for expected in ("Dear Zoë Ó Súilleabháin,", "Reminder of your appointment", "Monday 7 December 2026",
                     "10:30am", "1 Example Street", "Sam Jones at reception", "please phone us on 01234 567890",
                     "Yours sincerely"):
        assert expected in text


def test_never_says_what_the_service_is_for() -> None:
    text = pages_text(render(reminder()))[0]
    assert words_found(text.replace(SERVICE, "").replace(NURSE.role, ""), REVEALING) == []
    assert words_found(pages_text(render(reminder(replace(ZOE, discreet=True))))[0], REVEALING) == []
