"""Worked examples for clinic.naloxone."""

from __future__ import annotations

from datetime import date

import pytest

from clinic import naloxone
from clinic.errors import Refused
from clinic.naloxone import Kit

TODAY = date(2026, 11, 23)


def test_an_expired_batch_is_refused_and_one_expiring_today_is_not() -> None:
    with pytest.raises(Refused) as err:
        naloxone.check_supply(expires_on=date(2026, 11, 22), on=TODAY, remaining=5)
    assert err.value.field == "batch"
    naloxone.check_supply(expires_on=TODAY, on=TODAY, remaining=1)


def test_stock_never_goes_below_zero() -> None:
    with pytest.raises(Refused):
        naloxone.check_supply(expires_on=date(2028, 1, 1), on=TODAY, remaining=0)


@pytest.mark.parametrize("quantity", [0, -3, True, 2.5, 10_001])
def test_a_delivery_of_an_impossible_quantity_is_refused(quantity: object) -> None:
    with pytest.raises(Refused):
        naloxone.check_quantity(quantity)  # type: ignore[arg-type]


def test_kit_status() -> None:
    in_date, old = Kit(date(2027, 5, 1), True), Kit(date(2026, 1, 1), True)
    assert naloxone.kit_status([], TODAY) == naloxone.NONE
    assert naloxone.kit_status([old], TODAY) == naloxone.EXPIRED
    assert naloxone.kit_status([old, in_date], TODAY) == naloxone.IN_DATE
    assert naloxone.kit_status([Kit(date(2027, 5, 1), False)], TODAY) == naloxone.NONE  # used
    assert naloxone.kit_status([Kit(TODAY, True)], TODAY) == naloxone.IN_DATE


def test_each_reason_for_a_new_kit_is_what_became_of_the_last() -> None:
    """A supply for a reason other than the first marks the kit held before it
    with that reason, so every such reason must be a kit status."""
    held = naloxone.SupplyStatus.HELD
    assert set(naloxone.REASONS) - {"first"} == set(naloxone.SupplyStatus) - {held}
    assert naloxone.SupplyStatus("confiscated") is naloxone.SupplyStatus.CONFISCATED
