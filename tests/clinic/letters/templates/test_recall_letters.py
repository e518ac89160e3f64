"""Tests for clinic.letters.templates.vaccination_recall and results_ready:
letters to the person's home that never say what they are about."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from clinic.letters import REGISTRY, render
from clinic.letters.templates.recall_common import revealing_words
from tests.clinic.letters.golden import assert_golden
from tests.clinic.letters.samples import NURSE, SERVICE, ZOE, pages_text
from tests.clinic.letters.templates.clinical_samples import results_ready, vaccination_recall
from tests.clinic.letters.templates.wording_rules import REVEALING, words_found

SAMPLES = {"vaccination_recall": vaccination_recall, "results_ready": results_ready}
#: Beyond the words no letter to the person uses: what these two must not give away.
VACCINATION_SECRETS = ("vaccin", "immunis", "jab", "injection", "booster", "dose", "virus", "hepatitis", "hep b",
                       "hep a", "drug", "bbv", "result", "liver", "course")
RESULTS_SECRETS = ("result", "positive", "negative", "virus", "hepatitis", "hiv", "syphilis", "hcv", "blood",
                   "diagnos", "infection", "bbv", "drug")


def _words(text: str, words: tuple[str, ...]) -> list[str]:
    return [w for w in words if re.search(rf"\b{re.escape(w)}", text, re.IGNORECASE)]


def test_golden() -> None:
    assert_golden(render(vaccination_recall()),
                  "41f59f16da55b09ac87b5c9ea3d37aa9a26597b492deae8890163af845aa6dac")
    assert_golden(render(results_ready()),
                  "ea78a33a171eb428ae104829bb45a2f524dcc13a8cca3d3bd5cab47d04d60d4c")


def test_registered_as_clinical_letters() -> None:
    for key, make in SAMPLES.items():
        template = REGISTRY.get(key)
        assert template.category == "clinical" and REGISTRY.for_data(make()) is template


def test_vaccination_recall_says_the_next_appointment_is_due() -> None:
    text = pages_text(render(vaccination_recall()))[0]
    for expected in ("Dear Zoë Ó Súilleabháin,", "Your next appointment is due", "due on 7 December 2026",
                     "Please ring us on 01234 567890", "Yours sincerely", "Sam Jones"):
        assert expected in text
    assert not re.search(r"\btest", text, re.IGNORECASE)


def test_results_ready_asks_the_person_to_come_back() -> None:
    text = pages_text(render(results_ready()))[0]
    for expected in ("Dear Zoë Ó Súilleabháin,", "Please come back to see us", "only take a few minutes",
                     "Please ring us on 01234 567890"):
        assert expected in text
    assert not re.search(r"\btest", text, re.IGNORECASE)


@pytest.mark.parametrize("key", sorted(SAMPLES))
@pytest.mark.parametrize("discreet", [False, True])
def test_never_says_what_it_is_about(key: str, discreet: bool) -> None:
    secrets = VACCINATION_SECRETS if key == "vaccination_recall" else RESULTS_SECRETS
    text = "\n".join(pages_text(render(SAMPLES[key](replace(ZOE, discreet=discreet)))))
    if not discreet:  # the letterhead and the nurse's role name the service, as on every letter
        text = text.replace(SERVICE, "").replace(NURSE.role, "")
    assert _words(text, secrets) == [] and words_found(text, REVEALING) == []


@pytest.mark.parametrize("key", sorted(SAMPLES))
def test_discreet_envelope_drops_the_service_name_and_role(key: str) -> None:
    text = pages_text(render(SAMPLES[key](replace(ZOE, discreet=True))))[0]
    assert SERVICE not in text and NURSE.role not in text and "harbour.service" not in text
    assert "PO Box 1" in text and "Sam Jones" in text


@pytest.mark.parametrize("key", sorted(SAMPLES))
def test_no_post_is_marked_for_collection(key: str) -> None:
    text = pages_text(render(SAMPLES[key](replace(ZOE, no_post=True))))[0]
    assert "FOR COLLECTION" in text and "held at reception" in text and "Łukasz Court" not in text


@pytest.mark.parametrize("key", sorted(SAMPLES))
@pytest.mark.parametrize("slip", ["Your hepatitis B vaccination is due.", "Your test results are back.",
                                  "Come back for your blood test.", "Your HIV result is ready."])
def test_refuses_words_that_give_it_away(key: str, slip: str) -> None:
    letter = SAMPLES[key](paragraphs=(slip, "Please ring us."))
    with pytest.raises(ValueError, match="must not say what the appointment is for"):
        render(letter)


def test_revealing_words_are_whole_words() -> None:
    assert revealing_words("the latest news, a contest, protesting") == []
    assert revealing_words("Hep B booster") == ["Hep B", "booster"]


def test_an_empty_letter_is_refused() -> None:
    with pytest.raises(ValueError, match="no text"):
        render(vaccination_recall(paragraphs=(" ",)))
