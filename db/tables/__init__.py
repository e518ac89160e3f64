"""Every ORM table, imported so ``metadata`` is complete (one line a module)."""

from db.tables import appointments  # noqa: F401
from db.tables import audit  # noqa: F401
from db.tables import bbv  # noqa: F401
from db.tables import harm_reduction  # noqa: F401
from db.tables import journey  # noqa: F401
from db.tables import letters  # noqa: F401
from db.tables import ost  # noqa: F401
from db.tables import people  # noqa: F401
from db.tables import probation  # noqa: F401
from db.tables import safe_storage  # noqa: F401
from db.tables import safeguarding  # noqa: F401
from db.tables import staff  # noqa: F401
from db.tables import server  # noqa: F401  (the server back end's own table)
from db.tables import vaccination  # noqa: F401
from db.tables.base import Base

metadata = Base.metadata
