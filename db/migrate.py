"""Bring a database to the current schema, or refuse one from the future.

On SQLite, migrations run with foreign keys OFF (Alembic's batch mode copies tables and
would cascade deletes otherwise), then ``PRAGMA foreign_key_check`` must come
back empty before the transaction commits.

Opening an up-to-date database is the common case and sits inside the
50 ms keyring-unlock budget, so it reads ``alembic_version`` directly and
compares it with ``HEAD``; Alembic itself (~180 ms to import, more to parse
the revisions) is loaded only when there is something to upgrade or refuse.
``tests/db/test_migrate.py`` keeps ``HEAD`` equal to Alembic's own head.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from db.engine import set_foreign_keys

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).with_name("migrations")

#: The newest revision. A new migration moves this (a test says so).
HEAD = "0020_report_covering_indexes"

#: Stamped into ``PRAGMA user_version`` so a backup says which Harbour made it.
SCHEMA_GENERATION = 1


class SchemaTooNew(Exception):
    """The database was written by a newer Harbour than this one."""


class MigrationFailed(Exception):
    """A migration left broken references; nothing was changed."""


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def script() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        try:
            return set(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())
        except (OperationalError, ProgrammingError):  # a new, empty database (SQLite, PostgreSQL)
            return set()


def is_current(engine: Engine) -> bool:
    return current_revisions(engine) == {HEAD}


def check_not_newer(engine: Engine, scripts: ScriptDirectory) -> None:
    known = {rev.revision for rev in scripts.walk_revisions()}
    if current_revisions(engine) - known:
        raise SchemaTooNew(
            "This database was made by a newer version of Harbour. "
            "Install the newer version; nothing has been changed."
        )


def upgrade(engine: Engine) -> None:
    """Apply every pending revision in one transaction, or none."""
    if is_current(engine):
        return
    from alembic import command

    check_not_newer(engine, script())
    cfg = _config()
    if engine.dialect.name != "sqlite":
        # PostgreSQL enforces references inside the transaction (DDL is
        # transactional there too): no switch, no after-check needed.
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")
        return
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
