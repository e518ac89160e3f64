"""The append-only, hash-chained audit trail (see db.audit)."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.tables.base import Base


class AuditRow(Base):
    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[str] = mapped_column(String(40))  # UTC ISO 8601, part of the hash
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(80), index=True)
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str | None] = mapped_column(String(60))
    person_id: Mapped[int | None] = mapped_column(Integer, index=True)
    #: Canonical JSON of {field: [before, after]} — changed fields only.
    changes: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The chain's head, one row (id 1): taken under a row lock by every
    append, so concurrent writers on a server queue instead of forking the
    chain; on the server back end it is also the anchor ``verify`` checks."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class AuditChain(Base):
    """The audit chain's MAC key (M6), written once by the first open of a
    version that keys the chain (``db.audit.ensure_keyed``; migration
    0009_audit_mac made the table, and on SQLite triggers forbid changing it).
    Declared here so both back ends' schemas agree with the models and a move
    to the server copies it with the trail."""

    __tablename__ = "audit_chain"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mac_key: Mapped[str] = mapped_column(String(64))
