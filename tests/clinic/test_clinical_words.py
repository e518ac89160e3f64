"""The clinical vocabulary catches what people type (issue 13, M1(b))."""

from __future__ import annotations

import pytest

from clinic import clinical_words

#: The review's twelve engagement-summary phrasings: eight were accepted.
REVIEW_PHRASINGS = (
    "Positive for Hep-C, starting treatment", "H.I.V. positive", "On Suboxone 8mg",
    "Physeptone script collected daily", "ARVs taken as prescribed", "Liver clinic for hep c", "Had his jabs",
    "Started PrEP", "Blood test came back reactive", "Overdosed last week, given naloxone", "HIV positive",
    "hepatitis B vaccine course",
)


@pytest.mark.parametrize("text", (
    *REVIEW_PHRASINGS,
    "Espranor 8", "methadone", "Buprenorphine", "h i v", "HepC+", "Hépatite C", "HCV", "vaccination",
    "in hospital for hepatitis C treatment (HCV positive)", "HIV clinic letter; methadone script",
))
def test_clinical_phrasings_are_found(text: str) -> None:
    assert clinical_words.find(text)


@pytest.mark.parametrize("text", (
    "Sam has attended group sessions and engaged well.", "In hospital", "A letter from the hospital",
    "Family funeral (order of service seen)", "Court date clash", "Attended every session on time",
    "Drug test results discussed", "GP letter seen",
))
def test_attendance_and_engagement_text_passes(text: str) -> None:
    assert clinical_words.find(text) == ()


def test_the_refusal_names_the_words_as_typed_for_highlighting() -> None:
    with pytest.raises(clinical_words.ClinicalWordsFound) as found:
        clinical_words.check("Positive for Hep-C; H.I.V. negative", field="summary", label="The summary")
    assert found.value.words == ("Positive for", "Hep-C", "H.I.V")
    assert found.value.field == "summary" and '"Hep-C"' in str(found.value)
