"""The SQLCipher engine: raw-key open, a real pool, and honest transactions.

Three platform facts shape this module (DESIGN.md §2):

* A raw 256-bit key (``PRAGMA key = "x'..'"``) opens in ~0.2 ms; a passphrase
  would run PBKDF2 on every pooled connection. Keys are derived once, in
  ``db.keys``, and only the raw key reaches here.
* sqlcipher3 uses the legacy transaction mode, where the driver decides when
  to BEGIN. We switch it off (``isolation_level=None``) and emit BEGIN
  ourselves, so SAVEPOINT rollbacks and failed migrations really roll back.
* The pysqlcipher dialect defaults to ``SingletonThreadPool``; we use a
  ``QueuePool`` so worker threads get their own connections.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

#: Execution option that makes a transaction take the write lock at BEGIN,
#: so two workstations writing at once queue instead of failing mid-way.
WRITE = {"harbour_write": True}

BUSY_TIMEOUT_MS = 10_000

#: The driver's error class, for callers that name storage failures (M9).
DriverError = sqlcipher.DatabaseError


#: What a writer kept waiting past the timeout is told, on either back end.
BUSY = ("Another workstation is saving, so nothing from this step was saved; "
        "try again in a moment.")


class WriterBusy(ValueError):
    """Another writer held the write lock past the wait (SQLite's busy
    timeout, the server's lock timeout); nothing was saved. A ValueError, as
    ``clinic.errors.Refused`` is, so every screen shows its one sentence and
    keeps what was typed, instead of the driver's text."""

    def __init__(self) -> None:
        super().__init__(BUSY)


class DatabaseLocked(Exception):
    """The key does not open the file: wrong key, or not a Harbour database."""


@dataclass(frozen=True)
class IntegrityReport:
    """What ``PRAGMA cipher_integrity_check`` and ``integrity_check`` said."""

    cipher_problems: tuple[str, ...]
    integrity_problems: tuple[str, ...]
    foreign_key_problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not (self.cipher_problems or self.integrity_problems or self.foreign_key_problems)


#: SQLite result codes that mean the disk or the folder, not the key (M9).
STORAGE_ERRORS = ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")


def is_storage_error(exc: BaseException) -> bool:
    return str(getattr(exc, "sqlite_errorname", "")).startswith(STORAGE_ERRORS)


def connect_raw(path: Path, key: bytes, *, read_only: bool = False) -> sqlcipher.Connection:
    """Open one DBAPI connection with the raw key, checking that it opens.

    ``read_only`` opens without creating or changing a file (``verify``,
    m19). A site in use has its ``-wal`` and ``-shm``: they are read as they
    are. A closed site has none, and read-only SQLite would make them, so it
    is opened as immutable (which also works on read-only media).
    """
    if len(key) != 32:
        raise ValueError("a Harbour data key is 32 bytes")
    target = str(path)
    if read_only:
        in_use = all(Path(f"{path}-{part}").exists() for part in ("wal", "shm"))
        flags = "mode=ro" if in_use and os.access(Path(path).parent, os.W_OK) else "mode=ro&immutable=1"
        target = f"{Path(path).resolve().as_uri()}?{flags}"
    conn = sqlcipher.connect(target, isolation_level=None, check_same_thread=False,
                             timeout=BUSY_TIMEOUT_MS / 1000, uri=read_only)
    try:
        # SQLCipher's own log lines (ERROR CORE ...) never reach the terminal (m1).
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as exc:
        conn.close()
        if is_storage_error(exc):
            raise
        raise DatabaseLocked("the key does not open this database, or the file is damaged") from exc
    for pragma in (
        "foreign_keys = ON",
        *(() if read_only else ("journal_mode = WAL",)),
        # FULL: a power cut never loses a committed transaction.
        "synchronous = FULL",
        # Most decryption overhead goes away with a 64 MiB page cache.
        "cache_size = -65536",
        # Sorts and temporary tables stay in memory: no temp files on disk.
        "temp_store = MEMORY",
        f"busy_timeout = {BUSY_TIMEOUT_MS}",
        # A site moved to a server: every write fails, reads still work.
        *(("query_only = ON",) if read_only else ()),
    ):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def create(path: Path, key: bytes, *, pool_size: int = 4, read_only: bool = False) -> Engine:
    """An engine over the encrypted file at ``path``."""

    engine = create_engine(
        "sqlite://",
        module=sqlcipher,
        creator=lambda: connect_raw(path, key, read_only=read_only),
        poolclass=QueuePool,
        pool_size=pool_size,
        max_overflow=4,
        pool_pre_ping=False,
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("harbour_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    @event.listens_for(engine, "handle_error")
    def _busy(context: Any) -> None:
        if str(getattr(context.original_exception, "sqlite_errorname", "")).startswith("SQLITE_BUSY"):
            raise WriterBusy() from context.sqlalchemy_exception

    return engine


def set_foreign_keys(engine_conn: Any, on: bool) -> None:
    """Switch foreign keys outside any transaction (SQLite ignores it inside one)."""
    engine_conn.connection.driver_connection.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")


def check_integrity(engine: Engine, *, limit: int = 5) -> IntegrityReport:
    """Run SQLCipher's HMAC check, SQLite's integrity check and the FK check.

    A damaged page can make a check itself fail ("database disk image is
    malformed"); that becomes a line of the report, never an exception (M7).
    Each list is cut to ``limit`` lines, the last saying how many more.
    """
    def run(raw: Any, pragma: str, keep: Any, show: Any) -> tuple[str, ...]:
        try:
            rows = [line for r in raw.execute(f"PRAGMA {pragma}").fetchall() if keep(r)
                    for line in show(r).splitlines() if line.strip() and not line.startswith("*** in database")]
        except sqlcipher.DatabaseError as exc:
            rows = [f"the check could not finish: {exc}"]
        if len(rows) > limit:
            rows = [*rows[: limit - 1], f"... and {len(rows) - limit + 1} more"]
        return tuple(rows)

    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        cipher = run(raw, "cipher_integrity_check", lambda r: True, lambda r: str(r[0]))
        integrity = run(raw, f"integrity_check({limit + 1})", lambda r: r[0] != "ok", lambda r: str(r[0]))
        fks = run(raw, "foreign_key_check", lambda r: True, lambda r: f"{r[0]} row {r[1]} -> {r[2]}")
    return IntegrityReport(cipher, integrity, fks)
