"""Every ORM table, imported so ``metadata`` is complete."""

from db.tables import audit, people, staff  # noqa: F401
from db.tables.base import Base

metadata = Base.metadata
