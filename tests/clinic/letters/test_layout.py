"""Tests for clinic.letters.layout."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from clinic.letters import Recipient, render
from clinic.letters.layout import (MAX_ADDRESS_LINES, PAGE_HEIGHT, WINDOW_HEIGHT, WINDOW_LEFT, WINDOW_TOP,
                                   WINDOW_WIDTH, check_letter)
from tests.clinic.letters.samples import HEAD, SERVICE, ZOE, confirmation, gp_letter, pages_text


def placed_text(pdf: bytes, page: int = 0) -> list[tuple[float, float, str]]:
    """(x, y from the top in mm, text) of every line drawn on the page."""
    found: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((x / mm, (PAGE_HEIGHT - y) / mm, text.strip()))

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return found


def in_window(pdf: bytes) -> list[str]:
    left, top = WINDOW_LEFT / mm, WINDOW_TOP / mm
    return [text for x, y, text in placed_text(pdf)
            if left <= x <= left + WINDOW_WIDTH / mm and top <= y <= top + WINDOW_HEIGHT / mm]


def test_the_window_shows_only_the_return_address_and_the_recipient() -> None:
    assert in_window(render(confirmation())) == [
        "Return to: PO Box 1, Exampletown EX1 1AA", "Zoë Ó Súilleabháin", "Flat 2", "14 Łukasz Court",
        "Exampletown", "EX2 3BB"]


def test_the_longest_address_that_is_accepted_stays_inside_the_window() -> None:
    lines = tuple(f"Line {n} of a long address" for n in range(1, MAX_ADDRESS_LINES))
    shown = in_window(render(confirmation(Recipient("Zoë Ó Súilleabháin", lines))))
    assert shown[-1] == f"Line {MAX_ADDRESS_LINES - 1} of a long address" and len(shown) == MAX_ADDRESS_LINES + 1


def test_an_address_with_too_many_lines_is_refused_before_rendering() -> None:
    lines = tuple(f"Line {n}" for n in range(MAX_ADDRESS_LINES))
    with pytest.raises(ValueError, match=f"8 lines with the name.*window holds {MAX_ADDRESS_LINES}"):
        render(confirmation(Recipient("Zoë Ó Súilleabháin", lines)))


def test_an_address_line_too_wide_for_the_window_is_named() -> None:
    wide = "Flat 12, The Old Victorian Warehouse Building, Riverside Quay"
    with pytest.raises(ValueError, match=f"\u201c{wide}\u201d is too long for the envelope window"):
        render(confirmation(Recipient("Zoë Ó Súilleabháin", (wide, "Exampletown"))))


def test_blank_address_lines_are_dropped() -> None:
    shown = in_window(render(confirmation(Recipient("Zoë Ó Súilleabháin", ("Flat 2", "  ", "", "Exampletown")))))
    assert shown[1:] == ["Zoë Ó Súilleabháin", "Flat 2", "Exampletown"]


def test_no_address_is_marked_for_collection() -> None:
    shown = in_window(render(confirmation(Recipient("Zoë Ó Súilleabháin", ()))))
    assert shown[1:] == ["Zoë Ó Súilleabháin", "FOR COLLECTION", "No postal address \u2014 do not post"]


def test_no_post_hides_the_address_and_marks_the_letter_for_collection() -> None:
    shown = in_window(render(confirmation(replace(ZOE, no_post=True))))
    assert shown[1:] == ["Zoë Ó Súilleabháin", "FOR COLLECTION", "Not to be posted \u2014 held at reception"]


def test_a_discreet_letter_never_names_the_service() -> None:
    text = "\n".join(pages_text(render(confirmation(replace(ZOE, discreet=True)))))
    for revealing in (SERVICE, "Harm reduction", HEAD.secure_email):
        assert revealing.lower() not in text.lower()
    assert "PO Box 1, Exampletown EX1 1AA" in text and "Telephone 01234 567890" in text
    assert "Sam Jones" in text


def test_a_letter_carries_the_letterhead_reference_date_and_footer() -> None:
    text = pages_text(render(confirmation()))[0]
    for expected in (SERVICE, "Secure email harbour.service@nhs.net", "Our reference", "H000123/4",
                     "23 November 2026", "Page 1 of 1", "please return it to the sender"):
        assert expected in text


def test_each_page_is_numbered_and_later_pages_say_whose_letter_they_are() -> None:
    pages = pages_text(render(gp_letter(length=8)))
    assert len(pages) == 3
    assert [f"Page {n} of 3" in page for n, page in enumerate(pages, start=1)] == [True] * 3
    assert "Dr A Patel · Our reference H000123/7 · 23 November 2026" in pages[1]


def test_the_signature_is_never_alone_on_a_page() -> None:
    for count in range(1, 13):
        last = pages_text(render(gp_letter(length=count)))[-1]
        assert f"{count}. Zoë has attended" in last and "Yours sincerely" in last


def test_a_letter_without_a_recipient_name_is_refused() -> None:
    with pytest.raises(ValueError, match="no recipient name"):
        check_letter(confirmation(Recipient("  ", ("1 Road",))))


def test_a_letter_without_a_reference_is_refused() -> None:
    with pytest.raises(ValueError, match="no reference"):
        check_letter(confirmation(reference=" "))


def test_a_name_too_wide_for_the_window_is_refused_even_for_collection() -> None:
    name = "Bartholomew Montgomery-Fitzwilliam Ó Súilleabháin-Nowakowski"
    with pytest.raises(ValueError, match="too long for the envelope window"):
        check_letter(confirmation(Recipient(name, (), no_post=True)))


def test_a_reference_too_long_to_print_is_refused() -> None:
    with pytest.raises(ValueError, match=r"reference .* is too long"):
        check_letter(confirmation(reference="H000123/4-" + "X" * 40))


def test_a_long_return_address_is_refused() -> None:
    with pytest.raises(ValueError, match="return address is too long"):
        check_letter(confirmation(return_address="The Old Post Office Sorting Building, 123 Long Road, Exampletown"))


def test_a_footer_that_would_run_off_the_page_is_refused() -> None:
    with pytest.raises(ValueError, match="too long for 3 lines"):
        check_letter(confirmation(footer="Confidential. " * 60))
