"""What a write changed, so screens refresh only what concerns them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Area(StrEnum):
    """A part of the record a write can touch; a screen refreshes on the ones it shows."""

    APPOINTMENTS = "appointments"
    BBV = "bbv"
    CALLBACKS = "callbacks"
    CONSENT = "consent"
    HARM_REDUCTION = "harm_reduction"
    JOURNEY = "journey"
    LETTERS = "letters"
    OST = "ost"
    PEOPLE = "people"
    PROBATION = "probation"
    QUEUE = "queue"
    REFERRALS = "referrals"
    SAFE_STORAGE = "safe_storage"
    SAFEGUARDING = "safeguarding"
    VACCINATION = "vaccination"
    VACCINE_STOCK = "vaccine_stock"
    #: After an unlock or a user switch: every screen reloads.
    EVERYTHING = "*"


@dataclass(frozen=True)
class Changes:
    #: Areas touched, e.g. {Area.PEOPLE, Area.APPOINTMENTS, Area.QUEUE}.
    areas: frozenset[str] = field(default_factory=frozenset)
    person_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def of(cls, *areas: Area, person_id: int | None = None) -> Changes:
        return cls(frozenset(areas), frozenset() if person_id is None else frozenset({person_id}))

    @classmethod
    def everything(cls) -> Changes:
        """After an unlock or a user switch: every screen reloads."""
        return cls(frozenset({Area.EVERYTHING}))

    def touches(self, area: str) -> bool:
        return area in self.areas or Area.EVERYTHING in self.areas
