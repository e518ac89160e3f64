"""A letter to the person's GP: who it is about, a summary table, then the
clinician's own paragraphs (which may run to several pages)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from clinic import nhs_number
from clinic.dates import uk_long
from clinic.letters.layout import TEXT_WIDTH, check_letter, greeting, signed
from clinic.letters.model import LetterBase
from clinic.letters.registry import Template, register
from clinic.letters.styles import HEADING, STRONG, label_value_table, para


@dataclass(frozen=True, kw_only=True)
class AboutAPatient(LetterBase):
    """A clinical letter about a patient to another service, laid out as the
    GP letter is (``story``): who it is about, a summary table, then the
    clinician's paragraphs. The referral letter is one too."""

    patient_name: str
    date_of_birth: date
    #: Checked (Modulus 11) before printing: a wrong number links the letter
    #: to someone else's GP record.
    nhs_number: str | None
    patient_address: tuple[str, ...]
    #: Label and value rows: "Medication", "Methadone 60 mg daily".
    summary: tuple[tuple[str, str], ...]
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class LetterToGP(AboutAPatient):
    """A letter to the person's own GP."""


def check(letter: LetterToGP) -> None:
    check_letter(letter)
    if not letter.patient_name.strip():
        raise ValueError("Say who the letter is about: the patient's name is missing.")
    check_about(letter, "The letter to the GP")


def check_about(letter: AboutAPatient, what: str) -> None:
    """What every letter about a patient needs: a sound NHS number, if any, and some text."""
    if letter.nhs_number:
        nhs_number.normalise(letter.nhs_number)
    if not any(text.strip() for text in letter.paragraphs):
        raise ValueError(f"{what} has no text.")


def _about(letter: AboutAPatient) -> list[Flowable]:
    facts = [f"Date of birth {uk_long(letter.date_of_birth)}"]
    if letter.nhs_number:
        facts.append(f"NHS number {nhs_number.format(letter.nhs_number)}")
    address = ", ".join(line.strip() for line in letter.patient_address if line.strip())
    return [
        para(f"Re: {letter.patient_name.strip()}", STRONG.clone("re", spaceAfter=1)),
        para(" \u00b7 ".join(facts), STRONG.clone("facts", spaceAfter=1 if address else 8)),
        *([para(address, STRONG.clone("address", spaceAfter=8))] if address else []),
    ]


def body(letter: LetterToGP) -> list[Flowable]:
    return story(letter)


def story(letter: AboutAPatient, *, summary_heading: str = "Summary", salutation: str = "",
          table: Callable[[Sequence[tuple[str, str]]], Flowable] | None = None) -> list[Flowable]:
    """The GP letter's body. A letter type built on it (the OST review
    summary) may name its summary, open with its own salutation and lay the
    summary out its own way."""
    paragraphs = [text for text in letter.paragraphs if text.strip()]
    story: list[Flowable] = [para(salutation) if salutation else greeting(letter), *_about(letter)]
    if letter.summary:
        summary = table(letter.summary) if table else label_value_table(letter.summary, width=TEXT_WIDTH)
        story += [para(summary_heading, HEADING), summary, Spacer(1, 4 * mm)]
    story += [para(text) for text in paragraphs[:-1]]
    story.append(signed(letter, para(paragraphs[-1])))
    return story


TEMPLATE = register(Template(
    key="gp_letter", title="Letter to GP", category="clinical",
    data_class=LetterToGP, body=body, check=check,
))
