"""Bring a database to the current schema, or refuse one from the future.

Migrations run with foreign keys OFF (Alembic's batch mode copies tables and
would cascade deletes otherwise), then ``PRAGMA foreign_key_check`` must come
back empty before the transaction commits.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from db.engine import set_foreign_keys

MIGRATIONS = Path(__file__).with_name("migrations")

#: Stamped into ``PRAGMA user_version`` so a backup says which Harbour made it.
SCHEMA_GENERATION = 1


class SchemaTooNew(Exception):
    """The database was written by a newer Harbour than this one."""


class MigrationFailed(Exception):
    """A migration left broken references; nothing was changed."""


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def check_not_newer(engine: Engine) -> None:
    known = {rev.revision for rev in ScriptDirectory.from_config(_config()).walk_revisions()}
    unknown = current_revisions(engine) - known
    if unknown:
        raise SchemaTooNew(
            "This database was made by a newer version of Harbour. "
            "Install the newer version; nothing has been changed."
        )


def is_current(engine: Engine) -> bool:
    """Every revision applied. Alembic keeps only the tips in alembic_version,
    and a revision another one ``depends_on`` is not a tip, so compare the
    applied ancestry rather than the head sets."""
    script = ScriptDirectory.from_config(_config())
    current = current_revisions(engine)
    applied = {r.revision for r in script.iterate_revisions(tuple(current), "base")} if current else set()
    return applied == {r.revision for r in script.walk_revisions()}


def upgrade(engine: Engine) -> None:
    """Apply every pending revision in one transaction, or none."""
    check_not_newer(engine)
    if is_current(engine):
        return
    cfg = _config()
    with engine.connect() as conn:
        set_foreign_keys(conn, False)
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "heads")
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise MigrationFailed(f"migration left {len(broken)} broken references")
                conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_GENERATION}")
        finally:
            set_foreign_keys(conn, True)
