"""Tests for clinic.letters.templates.pharmacy_missed_doses."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from clinic.letters import REGISTRY, Signatory, render
from clinic.letters.templates.pharmacy_missed_doses import days_text, in_a_row
from tests.clinic.letters.golden import assert_golden
from tests.clinic.letters.samples import pages_text
from tests.clinic.letters.templates.clinical_samples import PRESCRIBER, pharmacy_missed


def test_golden() -> None:
    assert_golden(render(pharmacy_missed()), "a56ffc96cf8ff289e22434a1574bd0b514e397a90a273d63a3ee23682145e45f")


def test_registered() -> None:
    assert (REGISTRY.for_data(pharmacy_missed()).key, REGISTRY.get("pharmacy_missed_doses").category) == (
        "pharmacy_missed_doses", "clinical")


def test_tells_the_pharmacist_everything_on_one_page() -> None:
    pages = pages_text(render(pharmacy_missed()))
    assert len(pages) == 1, "the instruction and the signature that authorises it belong on one page"
    text = " ".join(pages[0].split())
    for expected in ("Quay Pharmacy", "Dear Pharmacist,", "prescriber review before next dose",
                     "Re: Zoë Ó Súilleabháin", "Date of birth 3 July 1985", "NHS number 943 476 5919",
                     "60 mg methadone daily", "3 doses in a row", "Friday 20, Saturday 21 and Sunday 22 November 2026",
                     "Do not dispense the next dose until the prescriber has reviewed",
                     "tolerance may have fallen", "01234 567890", "Dr Priya Shah", "Prescriber", "GMC 7654321"):
        assert expected in text, expected


def test_fewer_than_three_in_a_row_do_not_speak_of_tolerance() -> None:
    text = pages_text(render(pharmacy_missed(missed_days=(date(2026, 11, 18), date(2026, 11, 20)))))[0]
    assert "2 doses: Wednesday 18 and Friday 20 November 2026" in text and "tolerance" not in text


def test_days_text() -> None:
    assert days_text((date(2026, 11, 30), date(2026, 12, 1))) == "Monday 30 November 2026 and Tuesday 1 December 2026"
    assert days_text((date(2026, 11, 20),)) == "Friday 20 November 2026"
    assert in_a_row((date(2026, 11, 18), date(2026, 11, 20), date(2026, 11, 21))) == 2


def test_must_be_signed_with_a_registration_number() -> None:
    with pytest.raises(ValueError, match="registration number"):
        render(pharmacy_missed(signatory=replace(PRESCRIBER, registration="")))
    render(pharmacy_missed(signatory=Signatory("Sam Jones", "Nurse", "NMC 12A3456E")))


@pytest.mark.parametrize(("fields", "message"), [
    ({"missed_days": ()}, "No missed doses"), ({"instruction": " "}, "what the pharmacy should do"),
    ({"patient_name": ""}, "name is missing"), ({"medicine": ""}, "which medicine"),
])
def test_incomplete_notices_are_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render(pharmacy_missed(**fields))
