"""Tests for clinic.letters.templates.referral_letter."""

from __future__ import annotations

from dataclasses import fields

from clinic.letters.model import Recipient
from clinic.letters.templates import gp_letter, referral_letter
from tests.clinic.letters.samples import gp_letter as sample_gp_letter


def test_a_referral_is_about_the_patient_as_a_gp_letter_is() -> None:
    assert [f.name for f in fields(referral_letter.ReferralLetter)] == [f.name for f in fields(gp_letter.LetterToGP)]


def test_a_referral_letter_opens_with_who_it_is_about() -> None:
    to_gp = sample_gp_letter(length=1)
    letter = referral_letter.ReferralLetter(**{f.name: getattr(to_gp, f.name) for f in fields(to_gp)} | {
        "recipient": Recipient("Hepatology clinic", ("City Hospital", "Exampletown"))})
    referral_letter.check(letter)
    texts = [getattr(f, "text", "") for f in referral_letter.body(letter)]
    assert texts[0] == "Dear colleague," and texts[1] == "Re: Zoë Ó Súilleabháin"
