"""What a letter is made from: plain frozen values, no database, no Qt.

Services read the site settings and the person's record and build these;
templates turn them into pages. Each template adds its own fields to
``LetterBase`` in a frozen, keyword-only subclass.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Disposition(StrEnum):
    """How a filed letter left (``letters.disposition``): printed, saved as a PDF
    outside the store, or held for collection (a no-post person's printed letter)."""

    PRINTED = "printed"
    SAVED = "saved"
    HELD = "held"


class LetterStatus(StrEnum):
    """Where a filed letter is (``letters.status``)."""

    FILED = "filed"
    SENT = "sent"
    RETURNED = "returned"
    SUPERSEDED = "superseded"
    COLLECTED = "collected"


@dataclass(frozen=True)
class Letterhead:
    """The service's identity, from the site settings."""

    service_name: str
    address_lines: tuple[str, ...]
    phone: str
    secure_email: str
    #: Printed on every envelope-visible part and at the top of discreet
    #: letters in place of the letterhead, so it must not name the service.
    return_address: str
    #: Confidentiality statement at the foot of every page.
    footer: str
    logo_png: bytes | None = None


@dataclass(frozen=True)
class Signatory:
    name: str
    role: str
    #: Professional registration ("NMC 12A3456E"); empty when there is none.
    registration: str = ""


@dataclass(frozen=True)
class Recipient:
    name: str
    #: Postal address without the name; empty when there is none, and the
    #: letter is then marked for collection.
    address_lines: tuple[str, ...] = ()
    #: No service name, logo or role anywhere in the letter: someone else at
    #: the address may open it.
    discreet: bool = False
    #: Never posted: the letter is marked and held for collection.
    no_post: bool = False


@dataclass(frozen=True, kw_only=True)
class LetterBase:
    """The fields every letter shares; subclass it (frozen, keyword-only)."""

    reference: str
    date: date
    recipient: Recipient
    signatory: Signatory
    letterhead: Letterhead

    @property
    def label(self) -> str:
        """How a batch names this letter when it could not be made."""
        return f"{self.reference} ({self.recipient.name})"
