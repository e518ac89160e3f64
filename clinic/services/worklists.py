"""Worklists: who needs seeing for what, and when, cut at WORKLIST_LIMIT rows.

The BBV and vaccination worklists share this shape; each adds the id of the
record a row stands for (``bbv.WorklistRow.event_id``,
``vaccination.WorklistRow.course_id``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

WORKLIST_LIMIT = 500


@dataclass(frozen=True)
class WorklistRow:
    person_id: int
    name: str
    date_of_birth: date
    what: str
    due: date


RowT = TypeVar("RowT", bound=WorklistRow)


@dataclass(frozen=True)
class Worklist(Generic[RowT]):
    rows: tuple[RowT, ...]
    total: int  # rows shown; ``more`` when the list was cut at WORKLIST_LIMIT
    more: bool = False


def bounded(rows: Sequence[RowT]) -> Worklist[RowT]:
    """At most WORKLIST_LIMIT rows; ``more`` says whether others were left off
    (queries fetch LIMIT + 1: counting them all would cost a scan of the whole
    range)."""
    return Worklist(tuple(rows[:WORKLIST_LIMIT]), min(len(rows), WORKLIST_LIMIT),
                    more=len(rows) > WORKLIST_LIMIT)


def listed_name(surname: str, forename: str) -> str:
    """"SURNAME, Forename", as every worklist shows a person."""
    return f"{surname.upper()}, {forename}"
