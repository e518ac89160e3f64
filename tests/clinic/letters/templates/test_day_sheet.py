"""Tests for clinic.letters.templates.day_sheet."""

from __future__ import annotations

import io
from dataclasses import replace

from pypdf import PdfReader

from clinic.letters import render
from tests.clinic.letters.golden import assert_golden
from tests.clinic.letters.samples import day_sheet, pages_text


def test_golden() -> None:
    assert_golden(render(day_sheet()),
                  "6c5727682e6e02235363cc6fc6edfe2b3bf831b171b9f6b4b4baa3ff21d5c5e7")


def test_lists_each_session_and_its_bookings_in_time_order() -> None:
    text = pages_text(render(day_sheet()))[0]
    assert "Day sheet · Monday 23 November 2026" in text
    assert "Sam Jones · Room 2 · 09:00–12:30 · 6 bookings" in text
    assert "Alex Reed · Room 3 · 13:00–17:00 · no bookings" in text
    for expected in ("Time", "Client", "Appointment", "Status", "Reception notes", "09:15", "Łukasz Nowak",
                     "Chris O'Neill & partner", "Review <first>", "Needs step-free access"):
        assert expected in text
    assert text.index("09:00") < text.index("09:15") < text.index("10:00")


def test_is_landscape_with_no_address_and_a_confidential_printed_footer() -> None:
    pdf = render(day_sheet())
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)
    text = pages_text(pdf)[0]
    assert "Confidential" in text and "Printed 23 November 2026 at 08:05" in text and "Page 1 of 1" in text
    assert "Return to" not in text and "Dear" not in text


def test_a_long_session_repeats_its_heading_and_column_titles_on_the_next_page() -> None:
    pages = pages_text(render(day_sheet(bookings=40)))
    assert len(pages) >= 2
    assert all("Sam Jones · Room 2" in page and "Reception notes" in page for page in pages[:2])
    assert [f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1)] == [True] * len(pages)


def test_a_day_without_sessions_says_so() -> None:
    assert "No clinic sessions on this day." in pages_text(render(replace(day_sheet(), sessions=())))[0]
