"""Tests for clinic.letters.styles."""

from __future__ import annotations

from typing import Any

import pytest

from clinic.letters.styles import markup, para


pytestmark = pytest.mark.usefixtures("letter_fonts")  # the styles name the letter fonts


def test_user_text_is_escaped_and_keeps_its_line_breaks() -> None:
    assert markup("O'Brien & Co <b>\nline two") == "O'Brien &amp; Co &lt;b&gt;<br/>line two"


def test_a_paragraph_of_markup_like_text_builds() -> None:
    paragraph = para("Needs <advice> & support </para>")
    assert paragraph.wrap(200, 100)[1] > 0


def test_a_paragraph_breaks_its_lines_once_per_width() -> None:
    """Issue 21: a table cell's paragraph broke its lines afresh each of the
    two or three times reportlab asked its size; most of a batch's layout."""
    paragraph = para("A sentence long enough to wrap onto more than one line at a narrow width. " * 3)
    broken: list[Any] = []
    original = paragraph.breakLines

    def counting(widths: Any) -> Any:
        broken.append(widths)
        return original(widths)

    paragraph.breakLines = counting  # type: ignore[method-assign,assignment]
    narrow = paragraph.wrap(120, 500)
    assert paragraph.wrap(120, 300) == narrow and len(broken) == 1
    wide = paragraph.wrap(400, 500)
    assert wide[1] < narrow[1] and len(broken) == 2
    assert paragraph.split(400, 20) == [] and paragraph.wrap(400, 500) == wide and len(broken) == 3
