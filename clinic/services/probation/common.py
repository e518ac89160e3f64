"""What every probation service shares: loading a row and saving it with a
clear message when another workstation saved it first."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm.exc import StaleDataError

from clinic.changes import Area
from clinic.errors import Conflict, NotFound
from clinic.uow import UnitOfWork

_Row = TypeVar("_Row")

AREA = Area.PROBATION


class StaleOrder(Conflict):
    """Someone else saved this order since it was opened."""


def get_row(uow: UnitOfWork, table: type[_Row], row_id: int) -> _Row:
    row = uow.session.get(table, row_id)
    if row is None:
        raise NotFound("That record no longer exists; reload and try again.")
    return row


def flush(uow: UnitOfWork) -> None:
    try:
        uow.session.flush()
    except StaleDataError as exc:
        raise StaleOrder("Someone else changed this record at the same time. Reload it and try again.") from exc
