"""A referral out (hepatology, HIV clinic, sexual health, housing…): to the
service the nurse chose, about the person, with the referral's facts and
the nurse's own paragraphs. Laid out as the GP letter is."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.platypus import Flowable

from clinic.letters.layout import check_letter
from clinic.letters.registry import Template, register
from clinic.letters.templates import gp_letter


@dataclass(frozen=True, kw_only=True)
class ReferralLetter(gp_letter.AboutAPatient):
    """Its summary rows: "Referred to", "Result", "Reason", "Consent"."""


def check(letter: ReferralLetter) -> None:
    check_letter(letter)
    if not letter.recipient.name.strip():
        raise ValueError("Choose the service the referral goes to.")
    gp_letter.check_about(letter, "The referral letter")


def body(letter: ReferralLetter) -> list[Flowable]:
    return gp_letter.story(letter, summary_heading="Referral", salutation="Dear colleague,")


TEMPLATE = register(Template(
    key="referral_letter", title="Referral letter", category="clinical",
    data_class=ReferralLetter, body=body, check=check,
))
