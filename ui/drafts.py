"""Unsaved edits kept across a lock or a user switch, for the same user.

Held in memory only (a draft holds client data, so it never touches disk)
and keyed by member of staff: another user signing in on the workstation
never sees it; the same user gets their typing back when they reopen the
form. Gone when Harbour closes.
"""

from __future__ import annotations

from typing import Any


class Drafts:
    def __init__(self) -> None:
        self._items: dict[tuple[int, str], Any] = {}

    def keep(self, staff_id: int, key: str, value: Any) -> None:
        self._items[(staff_id, key)] = value

    def take(self, staff_id: int, key: str) -> Any:
        """The draft, once: taking it removes it."""
        return self._items.pop((staff_id, key), None)
