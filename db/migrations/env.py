"""Alembic environment: always run in-process on a connection handed over by
``db.migrate`` (which, on SQLite, has already switched foreign keys off).

Batch mode (copy-and-move tables) is for SQLite only: PostgreSQL alters in place."""

from __future__ import annotations

from alembic import context

from db.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
