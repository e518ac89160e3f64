"""The ORM tables, one module a concept (``db.tables.people``, ...).

Importing one table module loads only it and ``base``: the sign-in window
is reached with the audit, staff and server tables alone, without
evaluating the sixty others (issue 21, the cold start). What needs every
table gets them all (``load``):

- ``metadata`` (``from db.tables import metadata``): the whole schema, for
  what walks it (Alembic, copying a site, merging two people's records);
- a flush in a site's session (``load_on_flush``): the unit of work orders
  a table's rows by its foreign keys, which must all resolve, and a table
  module does not import the modules its keys name.
"""

from __future__ import annotations

import importlib

from sqlalchemy import MetaData, event
from sqlalchemy.orm import Session, sessionmaker

from db.tables.base import Base

#: Every table module (a test keeps this list equal to the folder's).
MODULES = ("appointments", "audit", "bbv", "harm_reduction", "journey", "letters", "ost", "people", "probation",
           "safe_storage", "safeguarding", "server", "staff", "vaccination")

_loaded = False


def load() -> MetaData:
    """Every table module imported; the metadata holding all their tables."""
    global _loaded  # noqa: PLW0603 - once per process
    if not _loaded:
        for name in MODULES:
            importlib.import_module(f"{__name__}.{name}")
        _loaded = True
    return Base.metadata


def load_on_flush(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """``sessions``, whose first flush loads every table first."""
    event.listen(sessions, "before_flush", _before_flush)
    return sessions


def _before_flush(_session: Session, _context: object, _instances: object) -> None:
    load()


def __getattr__(name: str) -> MetaData:
    if name == "metadata":
        return load()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
