"""Take-home naloxone rules (seeds 003 §4–§6, 004; DESIGN.md §4).

A kit comes from a batch (product, batch number, expiry). It is supplied to
the person or to a carer or family member for them, with the reason
(first supply, the last one was used on someone, lost, expired,
confiscated). An expired batch is never supplied, and stock never goes
below zero. A kit reported used records whether an ambulance was called and
whether the person survived, and prompts a resupply.

A person **holds an in-date kit** when a kit supplied for them (to them or a
carer, who keeps it where it can be used on them) is not reported used or
lost and its expiry is today or later.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from clinic.dates import uk_long
from clinic.errors import Refused

REASONS = {
    "first": "First supply",
    "used": "Last kit used on someone",
    "lost": "Last kit lost",
    "expired": "Last kit expired",
    "confiscated": "Last kit confiscated",
}
RECIPIENTS = {"person": "The person", "carer": "A carer or family member"}
OUTCOMES = {"survived": "Survived", "died": "Died", "unknown": "Not known"}
TRAINED = {"person": "The person", "carer": "A carer or family member"}

class SupplyStatus(StrEnum):
    """What became of a supplied kit (``naloxone_supplies.status``): held until
    reported used, or replaced because it was lost, expired or confiscated
    (the new supply's reason)."""

    HELD = "held"
    USED = "used"
    LOST = "lost"
    EXPIRED = "expired"
    CONFISCATED = "confiscated"


IN_DATE, EXPIRED, NONE = "in_date", "expired", "none"
STATUS_LABELS = {IN_DATE: "Holds an in-date naloxone kit", EXPIRED: "Naloxone kit expired",
                 NONE: "No naloxone kit"}


@dataclass(frozen=True)
class Kit:
    expires_on: date
    held: bool  # not reported used or lost


def check_supply(*, expires_on: date, on: date, remaining: int) -> None:
    """Refuse a kit from an expired batch, or from a batch with none left."""
    if expires_on < on:
        raise Refused(f"This batch expired on {uk_long(expires_on)}: do not supply it; choose another batch.",
                      field="batch")
    if remaining < 1:
        raise Refused("No kits of this batch are left in stock.", field="batch")


def check_quantity(quantity: int) -> None:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise Refused("The number of kits received is a whole number, 1 or more.", field="quantity")
    if quantity > 10_000:
        raise Refused("At most 10,000 kits in one delivery.", field="quantity")


def kit_status(kits: Iterable[Kit], today: date) -> str:
    """``in_date`` if any held kit is in date, ``expired`` if only expired ones are held, else ``none``."""
    held = [k for k in kits if k.held]
    if any(k.expires_on >= today for k in held):
        return IN_DATE
    return EXPIRED if held else NONE
