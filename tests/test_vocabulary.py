"""Each typed vocabulary against the column that stores it.

A ``StrEnum`` is stored as its value in a plain string column: every value
must fit the column, and where the table carries a CHECK constraint naming
the column's allowed values, the enum and the constraint list the same ones.
"""

from __future__ import annotations

import re
from enum import StrEnum

import pytest
from sqlalchemy import CheckConstraint, Column, String

from clinic.appointment_status import AppointmentStatus
from clinic.drop_in import QueueStatus
from clinic.letters.model import Disposition, LetterStatus
from clinic.naloxone import SupplyStatus
from clinic.people import PersonStatus
from clinic.safe_storage import BoxEventKind, BoxStatus
from clinic.probation import NotificationKind, NotificationStatus, OrderStatus, Outcome
from clinic.vaccines import CourseStatus, Vaccine
from db.tables.appointments import Appointment, QueueEntry
from db.tables.harm_reduction import NaloxoneSupply
from db.tables.letters import FiledLetter
from db.tables.safe_storage import SafeStorageBox, SafeStorageEvent
from db.tables.people import Person, PersonStatusChange
from db.tables.probation import Attendance, DrrOrder, Notification
from db.tables.vaccination import VaccineCourse, VaccineDose, VaccineOffer, VaccineProduct

STORED: list[tuple[type[StrEnum], Column]] = [  # type: ignore[type-arg]
    (AppointmentStatus, Appointment.__table__.c.status),
    (QueueStatus, QueueEntry.__table__.c.status),
    (OrderStatus, DrrOrder.__table__.c.status),
    (PersonStatus, Person.__table__.c.status),
    (PersonStatus, PersonStatusChange.__table__.c.status),
    (NotificationKind, Notification.__table__.c.kind),
    (NotificationStatus, Notification.__table__.c.status),
    (Outcome, Attendance.__table__.c.outcome),
    (CourseStatus, VaccineCourse.__table__.c.status),
    (SupplyStatus, NaloxoneSupply.__table__.c.status),
    (BoxStatus, SafeStorageBox.__table__.c.status),
    (BoxEventKind, SafeStorageEvent.__table__.c.kind),
    (Disposition, FiledLetter.__table__.c.disposition),
    (LetterStatus, FiledLetter.__table__.c.status),
    (Vaccine, VaccineDose.__table__.c.vaccine),
    (Vaccine, VaccineOffer.__table__.c.vaccine),
    (Vaccine, VaccineProduct.__table__.c.vaccine),
]


def _ids(pair: tuple[type[StrEnum], Column]) -> str:  # type: ignore[type-arg]
    return f"{pair[0].__name__}-{pair[1].table.name}.{pair[1].name}"


def _checked_values(column: Column) -> set[str] | None:  # type: ignore[type-arg]
    """The values a CHECK constraint ``<column> IN ('a', 'b')`` allows, if there is one."""
    for constraint in column.table.constraints:
        if isinstance(constraint, CheckConstraint):
            text = str(constraint.sqltext)
            found = re.search(rf"\b{column.name}\s+IN\s*\(([^)]*)\)", text, re.IGNORECASE)
            if found:
                return set(re.findall(r"'([^']*)'", found.group(1)))
    return None


@pytest.mark.parametrize("pair", STORED, ids=_ids)
def test_every_value_fits_its_column(pair: tuple[type[StrEnum], Column]) -> None:  # type: ignore[type-arg]
    vocabulary, column = pair
    assert isinstance(column.type, String)
    assert column.type.length is not None
    assert max(len(v) for v in vocabulary) <= column.type.length


@pytest.mark.parametrize("pair", STORED, ids=_ids)
def test_a_check_constraint_allows_exactly_the_vocabulary(pair: tuple[type[StrEnum], Column]) -> None:  # type: ignore[type-arg]
    vocabulary, column = pair
    checked = _checked_values(column)
    assert checked is None or checked == {v.value for v in vocabulary}


@pytest.mark.parametrize("pair", STORED, ids=_ids)
def test_a_column_default_is_in_the_vocabulary(pair: tuple[type[StrEnum], Column]) -> None:  # type: ignore[type-arg]
    vocabulary, column = pair
    if column.default is not None:
        assert column.default.arg in {v.value for v in vocabulary}  # type: ignore[attr-defined]
