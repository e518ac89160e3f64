"""Tests for clinic.letters.sheet."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from clinic.letters.sheet import check_sheet, printed_text
from tests.clinic.letters.samples import day_sheet


def test_the_printed_time_is_clinic_time() -> None:
    assert printed_text(datetime(2026, 7, 1, 7, 5, tzinfo=UTC)) == "Printed 1 July 2026 at 08:05"


def test_a_printed_time_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        check_sheet(replace(day_sheet(), printed_at=datetime(2026, 11, 23, 8, 5)))
