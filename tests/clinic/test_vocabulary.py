"""Tests for clinic.vocabulary."""

from __future__ import annotations

from clinic.vocabulary import Labelled


class Colour(Labelled):
    DARK_BLUE = "dark_blue"
    GREY = "grey", "Grey (any shade)"


def test_a_member_is_its_stored_value_with_words_for_screens() -> None:
    assert [c.value for c in Colour] == ["dark_blue", "grey"] and Colour.DARK_BLUE == "dark_blue"
    assert Colour("grey") is Colour.GREY and f"{Colour.GREY}" == "grey"
    assert [c.label for c in Colour] == ["Dark blue", "Grey (any shade)"]
