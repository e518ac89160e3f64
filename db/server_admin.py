"""Preparing a PostgreSQL database for Harbour (``harbour-admin server init``).

Run as the database's owner. The schema comes from the same Alembic history
as a SQLCipher file; the tables belong to the owner, and the workstations
sign in as an application role that may read and write rows but cannot
alter the schema, and cannot update, delete or truncate the audit trail
(no grant, and the 0011 triggers besides).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from sqlalchemy import Engine

from db import migrate

if TYPE_CHECKING:
    import psycopg

DEFAULT_APP_ROLE = "harbour_app"
#: Tables the application may add to but never change or empty.
APPEND_ONLY = ("audit_log",)
#: Tables the application may change but never empty.
NEVER_DELETED = ("audit_head", "site_key_file")


def init_database(engine: Engine, *, app_role: str, app_password: str | None) -> None:
    """Schema to head, then the application role and its grants (idempotent)."""
    migrate.upgrade(engine)
    with engine.begin() as conn:
        from psycopg import sql

        raw = cast("psycopg.Connection[object]", conn.connection.driver_connection)

        role = sql.Identifier(app_role)
        exists = raw.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (app_role,)).fetchone()
        if not exists:
            raw.execute(sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT").format(role))
        if app_password is not None:
            raw.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(role, sql.Literal(app_password)))
        database = sql.Identifier(raw.info.dbname)
        for statement in (
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
            "REVOKE ALL ON DATABASE {db} FROM PUBLIC",
            "GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {role}",
            "GRANT USAGE ON SCHEMA public TO {role}",
            "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
            # Rows moved in with their ids need their sequences moved past them.
            "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
            "REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {role}",
            *(f"REVOKE UPDATE, DELETE ON {t} FROM {{role}}" for t in APPEND_ONLY),
            *(f"REVOKE DELETE ON {t} FROM {{role}}" for t in NEVER_DELETED),
        ):
            raw.execute(sql.SQL(statement).format(db=database, role=role))


def hba_lines(database: str, app_role: str, clients: str) -> list[str]:
    """What ``pg_hba.conf`` needs: TLS and SCRAM only, for this database and role."""
    return [
        "# Harbour: workstations connect over TLS with SCRAM passwords only.",
        f"hostssl  {database}  {app_role}  {clients}  scram-sha-256",
        f"hostnossl  {database}  all  all  reject",
    ]
