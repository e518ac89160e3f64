"""Tests for clinic.letters.templates.appointment_confirmation."""

from __future__ import annotations

from dataclasses import replace

from clinic.letters import render
from tests.clinic.letters.golden import assert_golden
from tests.clinic.letters.samples import NURSE, SERVICE, ZOE, confirmation, pages_text
from tests.clinic.letters.templates.wording_rules import REVEALING, words_found


def test_golden() -> None:
    assert_golden(render(confirmation()),
                  "47a64ec31549fb84fa68fc3a3c21eb7af1111bc30a36b50d87b8cf129cab6895")
    assert_golden(render(confirmation(replace(ZOE, discreet=True))),
                  "ea432e3982b493b931f3f9bb65768a7ecf96da27d741926d9e3bfa8fc546a415")


def test_says_when_where_who_to_ask_for_and_how_to_rearrange() -> None:
    text = pages_text(render(confirmation()))[0]
    for expected in ("Dear Zoë Ó Súilleabháin,", "Monday 7 December 2026", "10:30am", "1 Example Street",
                     "Sam Jones at reception", "please phone us on 01234 567890", "Yours sincerely"):
        assert expected in text


def test_never_says_what_the_service_is_for() -> None:
    text = pages_text(render(confirmation()))[0]
    assert words_found(text.replace(SERVICE, "").replace(NURSE.role, ""), REVEALING) == []
    assert words_found(pages_text(render(confirmation(replace(ZOE, discreet=True))))[0], REVEALING) == []
