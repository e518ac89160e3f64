"""What each module says is outstanding for a person, for the record summary.

Every module offers a provider ``(uow, actor, person_id) -> list[Outstanding]``
that checks its own read permission (raising PermissionDenied); the summary
calls only those the signed-in role may read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Severity(StrEnum):
    INFO = "info"  # e.g. next dose planned
    DUE = "due"  # due today or this week
    OVERDUE = "overdue"
    ALERT = "alert"  # cannot be missed (e.g. prescriber review before next dose)


@dataclass(frozen=True)
class Outstanding:
    module: str  # "vaccination", "bbv", "ost", "probation", "appointments", ...
    label: str  # what a nurse reads: "Hep B dose 2 due"
    due: date | None = None
    severity: Severity = Severity.INFO
    chip: str | None = None  # a flag chip to show beside the name, e.g. "On OST"
