"""Tests for clinic.letters.templates.ost_review_gp: the GP letter's layout
under a key of its own."""

from __future__ import annotations

import pytest

from clinic.letters import REGISTRY, render
from clinic.letters.templates.gp_letter import LetterToGP
from clinic.letters.templates.ost_review_gp import summary_table
from tests.clinic.letters.golden import assert_golden
from tests.clinic.letters.samples import pages_text
from tests.clinic.letters.templates.clinical_samples import ost_review_gp


def test_golden() -> None:
    assert_golden(render(ost_review_gp()), "238b63ba1fa769def7175cb75dda67d3576d2c4923b011d55101249e0806a9ad")


def test_is_its_own_letter_type_on_the_gp_letters_layout() -> None:
    letter = ost_review_gp()
    template = REGISTRY.for_data(letter)
    assert (template.key, template.category) == ("ost_review_gp", "clinical")
    assert isinstance(letter, LetterToGP) and REGISTRY.get("gp_letter").key == "gp_letter"


def test_says_who_and_what_on_one_page() -> None:
    pages = pages_text(render(ost_review_gp()))
    assert len(pages) == 1, "the review summary and the signature belong on one page"
    text = pages[0]
    for expected in ("Dear Doctor,", "Re: Zoë Ó Súilleabháin", "Date of birth 3 July 1985", "NHS number 943 476 5919",
                     "Opioid substitution treatment (OST) review", "60 mg methadone (oral solution 1 mg/mL) daily",
                     "Overdose risk", "Naloxone held", "Next review", "23 February 2027",
                     "Agreed plan: Continue; naloxone refreshed.", "Please do not prescribe opioids or sedatives",
                     "Dr Priya Shah", "GMC 7654321"):
        assert expected in text
    assert "Dear Riverside Surgery" not in text


def test_long_values_keep_a_row_of_their_own() -> None:
    table = summary_table((("Medication", "60 mg methadone (oral solution 1 mg/mL) daily, supervised six days"),
                           ("Attendance", "Good"), ("Dose", "Adequate"), ("Injecting", "No")))
    assert len(table._cellvalues) == 3  # medication alone, then two pairs


def test_a_wrong_nhs_number_is_refused() -> None:
    with pytest.raises(ValueError):
        render(ost_review_gp(nhs_number="9434765918"))
