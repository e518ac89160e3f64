"""Tests for clinic.letters.templates.appointment_reminder."""

from __future__ import annotations

from dataclasses import replace

from clinic.letters import render
from tests.clinic.letters.golden import assert_golden
from tests.clinic.letters.samples import NURSE, SERVICE, ZOE, pages_text, reminder
from tests.clinic.letters.templates.wording_rules import REVEALING, words_found


def test_golden() -> None:
    assert_golden(render(reminder()),
                  "a736c125cae3ada742fe988b1f123d1d037932b6ef831215c603c1afdc0ba5c3")
    assert_golden(render(reminder(replace(ZOE, discreet=True))),
                  "fbb76b4ecc4534a2a776bd935eff822199ff3dd03df77aebfb5bc6216a4ab574")


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
