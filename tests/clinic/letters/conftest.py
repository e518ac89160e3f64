"""Fixtures for the letter engine's tests."""

from __future__ import annotations

import pytest

from clinic.letters.fonts import ensure_fonts


@pytest.fixture
def letter_fonts() -> None:
    """The letter fonts registered, as the registry does before it builds a body,
    so a test of the styles passes when it runs on its own."""
    ensure_fonts()
