"""Tests for clinic.letters.templates.appointment_confirmation."""

from __future__ import annotations

from dataclasses import replace

from clinic.letters import render
from tests.clinic.letters.golden import assert_golden
from tests.clinic.letters.samples import NURSE, SERVICE, ZOE, confirmation, pages_text
from tests.clinic.letters.templates.wording_rules import REVEALING, words_found


def test_golden() -> None:
    assert_golden(render(confirmation()),
                  "95f6902fedd674db3afacb2faf706221319c3e5008ebe4218b334e2570a1d49c")
    assert_golden(render(confirmation(replace(ZOE, discreet=True))),
                  "7ebadf8186470b1050c1afb7a2d95df39310ad3ce835358217d2e2f7f6456cf7")


def test_says_when_where_who_to_ask_for_and_how_to_rearrange() -> None:
    text = pages_text(render(confirmation()))[0]
    for expected in ("Dear Zoë Ó Súilleabháin,", "Monday 7 December 2026", "10:30am", "1 Example Street",
                     "Sam Jones at reception", "please phone us on 01234 567890", "Yours sincerely"):
        assert expected in text


def test_never_says_what_the_service_is_for() -> None:
    text = pages_text(render(confirmation()))[0]
    assert words_found(text.replace(SERVICE, "").replace(NURSE.role, ""), REVEALING) == []
    assert words_found(pages_text(render(confirmation(replace(ZOE, discreet=True))))[0], REVEALING) == []
