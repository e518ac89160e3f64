"""What a site on a PostgreSQL server keeps in the database instead of in
files beside it (see db.server)."""

from __future__ import annotations

from sqlalchemy import Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.tables.base import Base


class SiteKeyFile(Base):
    """The site's key file (the data key wrapped per slot, as ``harbour.keys``
    holds it beside a SQLCipher file): one row, id 1. Every workstation reads
    it from here; backups of a server site are encrypted with that data key."""

    __tablename__ = "site_key_file"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content: Mapped[str] = mapped_column(Text)
