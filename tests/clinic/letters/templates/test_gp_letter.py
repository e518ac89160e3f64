"""Tests for clinic.letters.templates.gp_letter."""

from __future__ import annotations

import pytest

from clinic.letters import render
from tests.clinic.letters.golden import assert_golden
from tests.clinic.letters.samples import gp_letter, pages_text


def test_golden() -> None:
    assert_golden(render(gp_letter()),
                  "325d8e77d210c5ec628092d24fec61a39907360f58f2b50358d3f518fdcc40bb")


def test_a_long_letter_runs_to_three_numbered_pages() -> None:
    pages = pages_text(render(gp_letter(length=8)))
    assert [page.count("Page ") for page in pages] == [1, 1, 1]
    assert ["Page 1 of 3" in pages[0], "Page 2 of 3" in pages[1], "Page 3 of 3" in pages[2]] == [True] * 3
    assert "8. Zoë has attended" in pages[2] and "Dr Priya Shah" in pages[2] and "GMC 7654321" in pages[2]


def test_says_who_it_is_about_with_a_summary_table() -> None:
    first = pages_text(render(gp_letter()))[0]
    for expected in ("Dear Dr A Patel,", "Re: Zoë Ó Súilleabháin", "Date of birth 3 July 1985",
                     "NHS number 943 476 5919", "Flat 2, 14 Łukasz Court, Exampletown, EX2 3BB", "Summary",
                     "Medication", "Methadone oral solution 1 mg/mL, 60 mg daily, supervised", "Next review"):
        assert expected in first


def test_paragraphs_keep_user_text_as_typed() -> None:
    text = pages_text(render(gp_letter(paragraphs=("Dose < 60 mg & stable.\nReviewed monthly.",))))[0]
    assert "Dose < 60 mg & stable.\nReviewed monthly." in text


def test_a_mistyped_nhs_number_is_refused() -> None:
    with pytest.raises(ValueError):
        render(gp_letter(nhs_number="943 476 5918"))


def test_a_letter_without_text_is_refused() -> None:
    with pytest.raises(ValueError, match="has no text"):
        render(gp_letter(paragraphs=()))


def test_the_nhs_number_and_summary_are_optional() -> None:
    text = pages_text(render(gp_letter(length=1, nhs_number=None, summary=())))[0]
    assert "NHS number" not in text and "Summary" not in text
