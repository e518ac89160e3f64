"""Tests for clinic.letters.logo."""

from __future__ import annotations

import pytest

from clinic.letters import render
from clinic.letters.logo import logo_image
from tests.clinic.letters.samples import ZOE, confirmation, logo_png


def test_a_png_logo_is_decoded_once() -> None:
    png = logo_png()
    assert logo_image(png) is logo_image(png)
    assert logo_image(png).getSize() == (240, 80)


def test_a_file_that_is_not_a_png_gets_a_message_not_a_traceback() -> None:
    with pytest.raises(ValueError, match=r"logo is not a PNG image. Choose another logo in Settings"):
        render(confirmation(logo_png=b"GIF89a not really"))


def test_a_damaged_png_is_refused_by_name() -> None:
    png = logo_png()
    with pytest.raises(ValueError, match="logo could not be read"):
        render(confirmation(logo_png=png[: len(png) // 2]))


def test_a_discreet_letter_does_not_print_the_logo_so_does_not_need_it() -> None:
    from dataclasses import replace

    assert render(confirmation(replace(ZOE, discreet=True), logo_png=b"broken")).startswith(b"%PDF")


def test_a_letter_with_a_logo_renders() -> None:
    assert b"/Subtype /Image" in render(confirmation(logo_png=logo_png()))
