"""Tests for clinic.letters.registry."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from reportlab.platypus import Flowable

from clinic.letters import REGISTRY, LetterBase, Registry, Template, greeting, signed
from clinic.letters.styles import para
from tests.clinic.letters.samples import HEAD, NURSE, TODAY, ZOE, pages_text


@dataclass(frozen=True, kw_only=True)
class Thanks(LetterBase):
    for_what: str


def thanks_body(letter: Thanks) -> list[Flowable]:
    return [greeting(letter), signed(letter, para(f"Thank you for {letter.for_what}."))]


THANKS = Template(key="thanks", title="Thank you", category="appointment", data_class=Thanks, body=thanks_body)


def thanks() -> Thanks:
    return Thanks(reference="T1", date=TODAY, recipient=ZOE, signatory=NURSE, letterhead=HEAD,
                  for_what="your feedback")


def test_a_new_template_is_a_dataclass_a_body_and_one_register_call() -> None:
    registry = Registry()
    registry.register(THANKS)
    text = pages_text(registry.render(thanks()))[0]
    assert "Dear Zoë Ó Súilleabháin," in text and "Thank you for your feedback." in text
    assert registry.get("thanks") is THANKS and list(registry) == [THANKS]


def test_a_key_or_data_class_used_twice_is_refused() -> None:
    registry = Registry()
    registry.register(THANKS)
    with pytest.raises(ValueError, match="key 'thanks' is already registered"):
        registry.register(Template(key="thanks", title="x", category="x", data_class=int, body=thanks_body))
    with pytest.raises(ValueError, match="Thanks already has a letter template"):
        registry.register(Template(key="other", title="x", category="x", data_class=Thanks, body=thanks_body))


def test_data_without_a_template_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="no letter template for Thanks"):
        REGISTRY.render(thanks())
    with pytest.raises(ValueError, match="no letter template 'nope'"):
        REGISTRY.get("nope")


def test_the_built_in_templates_are_registered() -> None:
    assert {t.key for t in REGISTRY} >= {"appointment_confirmation", "appointment_reminder", "missed_appointment",
                                         "gp_letter", "day_sheet"}
    assert {t.category for t in REGISTRY} <= {"appointment", "clinical", "probation", "admin"}


def test_a_saved_letter_does_not_name_what_it_is_about() -> None:
    """A PDF viewer shows the document title: a person's letters say "Letter"."""
    import io

    from pypdf import PdfReader

    from tests.clinic.letters.samples import confirmation
    from tests.clinic.letters.templates.clinical_samples import pharmacy_missed, vaccination_recall

    for data in (vaccination_recall(), confirmation(), pharmacy_missed()):
        assert PdfReader(io.BytesIO(REGISTRY.render(data))).metadata.title == "Letter"
