"""Tests for clinic.letters.templates.safe_storage_leaflet: handed over with
the box, never posted."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clinic.letters import REGISTRY, render
from tests.clinic.letters.golden import assert_golden
from tests.clinic.letters.samples import HEAD, NURSE, SERVICE, ZOE, logo_png, pages_text
from tests.clinic.letters.templates.clinical_samples import safe_storage
from tests.clinic.letters.templates.wording_rules import PUNITIVE, words_found


def test_golden() -> None:
    assert_golden(render(safe_storage()), "c6fa13ac5f0bea621e3bd6453db2499fd0d77a4d3a3265bebda84c76867ea823")


def test_registered() -> None:
    template = REGISTRY.for_data(safe_storage())
    assert (template.key, template.category, template.pages.key) == ("safe_storage_leaflet", "clinical", "handout")


def test_gives_the_advice_a_parent_needs() -> None:
    pages = pages_text(render(safe_storage()))
    assert len(pages) == 1
    text = " ".join(pages[0].split())
    for expected in ("Keeping your medicine safe at home", "Zoë Ó Súilleabháin", "Box number B0042",
                     "Given on Monday 23 November 2026", "locked box", "out of children's reach and out of their sight",
                     "Never decant doses", "If a child may have taken any of your medicine", "Phone 999 straight away",
                     "even if the child seems well", "naloxone", "01234 567890", "Given by Sam Jones"):
        assert expected in text, expected


def test_is_kind() -> None:
    assert words_found(pages_text(render(safe_storage()))[0], PUNITIVE) == []


def test_has_no_envelope_window_and_no_return_unopened_footer() -> None:
    text = pages_text(render(safe_storage(replace(ZOE, no_post=True))))[0]
    assert "FOR COLLECTION" not in text and "Return to:" not in text and "Łukasz Court" not in text
    assert "unopened" not in text


def test_discreet_person_gets_the_plain_head() -> None:
    text = pages_text(render(safe_storage(replace(ZOE, discreet=True))))[0]
    assert SERVICE not in text and NURSE.role not in text and "Telephone 01234 567890" in text


def test_an_address_too_long_for_a_window_does_not_matter() -> None:
    render(safe_storage(replace(ZOE, address_lines=("A very long address line that would never fit a window",) * 8)))


@pytest.mark.parametrize(("fields", "message"), [({"box_number": " "}, "number of the box"),
                                                 ({"points": ()}, "no advice")])
def test_incomplete_leaflets_are_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render(safe_storage(**fields))


def test_bad_logo_is_refused_unless_discreet() -> None:
    bad = replace(HEAD, logo_png=b"not a png")
    with pytest.raises(ValueError, match="logo"):
        render(safe_storage(letterhead=bad))
    render(safe_storage(replace(ZOE, discreet=True), letterhead=bad))
    render(safe_storage(letterhead=replace(HEAD, logo_png=logo_png())))
