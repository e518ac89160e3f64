"""The shape every stored vocabulary with screen words takes.

A member declares its stored value and, where capitalising the value does
not give the right words, its label: ``GP = "gp", "GP"``. The member still
equals its value, so it is stored, compared and looked up as the string.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class Labelled(StrEnum):
    _label: str

    def __new__(cls, value: str, label: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label or value.replace("_", " ").capitalize()
        return member

    @property
    def label(self) -> str:
        """The words screens and letters show."""
        return self._label
