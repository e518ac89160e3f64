"""What a write changed, so screens refresh only what concerns them."""

from __future__ import annotations

from dataclasses import dataclass, field


EVERYTHING = "*"


@dataclass(frozen=True)
class Changes:
    #: Areas touched, e.g. {"people", "appointments", "queue"}.
    areas: frozenset[str] = field(default_factory=frozenset)
    person_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def of(cls, *areas: str, person_id: int | None = None) -> Changes:
        return cls(frozenset(areas), frozenset() if person_id is None else frozenset({person_id}))

    @classmethod
    def everything(cls) -> Changes:
        """After an unlock or a user switch: every screen reloads."""
        return cls(frozenset({EVERYTHING}))

    def touches(self, area: str) -> bool:
        return area in self.areas or EVERYTHING in self.areas
