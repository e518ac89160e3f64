"""Tests for clinic.letters.styles."""

from __future__ import annotations

from clinic.letters.styles import markup, para


def test_user_text_is_escaped_and_keeps_its_line_breaks() -> None:
    assert markup("O'Brien & Co <b>\nline two") == "O'Brien &amp; Co &lt;b&gt;<br/>line two"


def test_a_paragraph_of_markup_like_text_builds() -> None:
    paragraph = para("Needs <advice> & support </para>")
    assert paragraph.wrap(200, 100)[1] > 0
