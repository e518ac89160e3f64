"""The PostgreSQL back end: a site whose database lives on a server.

``ServerSite`` offers what ``db.site.Site`` offers (an engine, sessions,
integrity, the audit check, backups), so ``clinic.uow.Clinic`` and the
services run unchanged on either. What differs:

* The workstation's data folder holds only the connection profile
  (``db.profile``); the key slots live in the database (``site_key_file``),
  so every workstation opens with the site passphrase or its keyring.
* The audit chain's head lives in the database (``audit_head``) and is the
  anchor ``verify`` checks; there is no anchor file.
* A write transaction takes a site-wide advisory lock at BEGIN, as SQLite's
  BEGIN IMMEDIATE does, so the services' check-then-write rules (a slot is
  free, a box is not issued twice) hold with several workstations at once.
* Backups are the same ``.hbk`` files: the tables copied into a SQLCipher
  file under the site's data key, beside the key file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import keyring
from keyring.errors import KeyringError
from sqlalchemy import Engine, create_engine, event, select, update
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from db import audit, engine as engines, keyring_store, keys, migrate, profile as profiles, tables
from db.server_refusals import Refusal, refusal
from db.site import DB_FILE_NAME, SiteError
from db.tables.server import SiteKeyFile

if TYPE_CHECKING:
    import psycopg

#: The advisory lock every write transaction takes (ASCII "Harb").
WRITE_LOCK_KEY = 0x48617262
#: How long (ms) a writer waits for another before its unit of work fails
#: with ``db.engine.WriterBusy`` (read when an engine is made).
LOCK_TIMEOUT_MS = 10_000
#: PostgreSQL's SQLSTATE for a lock wait that ran past lock_timeout.
LOCK_NOT_AVAILABLE = "55P03"
KEYRING_SERVICE = "harbour-server"


def create_server_engine(profile: profiles.ServerProfile, password: str | None, *, pool_size: int = 4) -> Engine:
    """An engine with a real pool that survives a server restart (pre-ping)."""
    try:
        profile.check_safe()
    except profiles.ProfileError as exc:
        raise SiteError(str(exc)) from exc
    engine = create_engine(
        profile.url(password),
        pool_size=pool_size,
        max_overflow=4,
        pool_pre_ping=True,  # a connection dropped by a restart is replaced, not handed out
        connect_args={"connect_timeout": 10, "options": f"-c TimeZone=UTC -c lock_timeout={LOCK_TIMEOUT_MS}"},
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        if conn.get_execution_options().get("harbour_write", False):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")

    @event.listens_for(engine, "handle_error")
    def _in_one_sentence(context: Any) -> None:
        """A restart or a network cut, at connect or mid-step, reaches the user
        as one sentence; the pool still sees the disconnect and reconnects.
        So does a writer that waited past the lock timeout."""
        if getattr(context.original_exception, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            raise engines.WriterBusy() from context.sqlalchemy_exception
        if context.is_pre_ping:
            return
        if context.connection is None:  # connecting failed: say why (db.server_refusals)
            raise ServerRefused(refusal(profile, str(context.original_exception))) from context.sqlalchemy_exception
        if context.is_disconnect or lost_connection(context.sqlalchemy_exception):
            raise ServerUnavailable(LOST) from context.sqlalchemy_exception

    return engine


def open_engine(profile: profiles.ServerProfile, password: str | None) -> Engine:
    """An engine on ``profile``'s database, brought to the current schema."""
    engine = create_server_engine(profile, password)
    try:
        migrate.upgrade(engine)
    except SiteError:  # ServerRefused, ServerUnavailable, from the engine
        engine.dispose()
        raise
    except migrate.SchemaTooNew as exc:
        engine.dispose()
        raise SiteError(str(exc)) from exc
    except OperationalError as exc:
        engine.dispose()
        raise ServerRefused(refusal(profile, str(exc.orig))) from exc
    except DBAPIError as exc:  # the application role may not migrate: only the owner can
        engine.dispose()
        raise SiteError("The server's database is not prepared for this version of Harbour: the administrator "
                        "runs harbour-admin server init, which prepares it or brings it up to date.") from exc
    return engine


@dataclass(frozen=True)
class Connected:
    """What ``connect_workstation`` found."""

    #: In the OS keyring; without one, Harbour asks for it at each start.
    password_kept: bool
    #: The database holds a site already (else a new one may be made there).
    holds_site: bool


def connect_workstation(data_dir: Path, profile: profiles.ServerProfile, password: str) -> Connected:
    """Make ``data_dir`` this workstation's way to the server site, as
    ``harbour-admin connect`` and the set-up wizard both do: refuse an unsafe
    profile or a folder holding a SQLCipher site, check that the server
    answers (or say why not, in one sentence), then write the profile and
    keep the password in the OS keyring when there is one."""
    try:
        profile.check_safe()
    except profiles.ProfileError as exc:
        raise SiteError(str(exc)) from exc
    if (Path(data_dir) / DB_FILE_NAME).exists() or (Path(data_dir) / keys.KEY_FILE_NAME).exists():
        raise SiteError(f"{data_dir} holds a SQLCipher site: choose another folder for the connection profile.")
    engine = open_engine(profile, password)
    try:
        with Session(engine) as session:
            holds_site = session.get(SiteKeyFile, 1) is not None
    finally:
        engine.dispose()
    profiles.write(Path(data_dir), profile)
    return Connected(save_password(profile, password), holds_site)


def saved_password(profile: profiles.ServerProfile) -> str | None:
    try:
        return keyring.get_password(KEYRING_SERVICE, profile.keyring_name)
    except (KeyringError, RuntimeError):
        return None


def save_password(profile: profiles.ServerProfile, password: str) -> bool:
    """Keep the database password in the OS keyring; False if there is none."""
    try:
        keyring.set_password(KEYRING_SERVICE, profile.keyring_name, password)
    except (KeyringError, RuntimeError):
        return False
    return True


@dataclass
class ServerSite:
    data_dir: Path  # this workstation's folder holding the profile
    profile: profiles.ServerProfile
    key_file: keys.KeyFile
    data_key: bytes
    engine: Engine
    #: the audit chain key and the marker row's seq, once read (``session_info``)
    _chain: tuple[bytes, int | None] | None = field(default=None, repr=False)

    # ---- opening -------------------------------------------------------
    @classmethod
    def connect(cls, data_dir: Path, password: str | None = None) -> Engine:
        """An engine on the profile's database, brought to the current schema."""
        try:
            profile = profiles.read(Path(data_dir))
        except profiles.ProfileError as exc:
            raise SiteError(str(exc)) from exc
        return open_engine(profile, password if password is not None else saved_password(profile))

    @classmethod
    def create(cls, data_dir: Path, passphrase: str, *, password: str | None = None,
               remember_key: bool = True) -> tuple[ServerSite, str]:
        """A new site in an empty server database. Returns it and the recovery code."""
        engine = cls.connect(data_dir, password)
        data_key, recovery = keys.new_data_key(), keys.new_recovery_code()
        key_file = keys.new_key_file(data_key, passphrase, recovery)
        with Session(engine) as session, session.begin():
            if session.get(SiteKeyFile, 1) is not None:
                engine.dispose()
                raise SiteError("This server database already holds a Harbour site; nothing was changed.")
            session.add(SiteKeyFile(id=1, content=key_file_text(key_file)))
        if remember_key:
            keyring_store.store(key_file.site_id, data_key)
        return cls(Path(data_dir), profiles.read(Path(data_dir)), key_file, data_key, engine), recovery

    @classmethod
    def open_with_key(cls, data_dir: Path, data_key: bytes, *, password: str | None = None) -> ServerSite:
        engine = cls.connect(data_dir, password)
        return cls(Path(data_dir), profiles.read(Path(data_dir)), _stored_key_file(engine), data_key, engine)

    @classmethod
    def open_with_secret(cls, data_dir: Path, secret: str, *, password: str | None = None) -> ServerSite:
        """Open with the site passphrase or the recovery code (slow: argon2id)."""
        engine = cls.connect(data_dir, password)
        key_file = _stored_key_file(engine)
        try:
            candidates = keys.unwrap(key_file, secret)
        except keys.WrongSecret as exc:
            engine.dispose()
            raise SiteError(str(exc)) from exc
        data_key = candidates[0][0]
        keyring_store.store(key_file.site_id, data_key)
        return cls(Path(data_dir), profiles.read(Path(data_dir)), key_file, data_key, engine)

    @classmethod
    def open_with_keyring(cls, data_dir: Path, *, password: str | None = None) -> ServerSite | None:
        engine = cls.connect(data_dir, password)
        key_file = _stored_key_file(engine)
        data_key = keyring_store.load(key_file.site_id)
        if data_key is None:
            engine.dispose()
            return None
        return cls(Path(data_dir), profiles.read(Path(data_dir)), key_file, data_key, engine)

    # ---- keys ------------------------------------------------------------
    # The key file is one row, replaced in one transaction: a key change is
    # whole or not at all, so there is nothing to finish afterwards (``finish``
    # is accepted so harbour-admin drives both kinds of site alike).
    notice: str | None = None
    last_backup_head: tuple[int, str] | None = None

    def change_passphrase(self, new_passphrase: str, *, finish: bool = True) -> None:
        slot = keys.wrap("passphrase", new_passphrase, self.data_key, self.key_file.site_id)
        self._store_key_file(keys.with_slot(self.key_file, slot))

    def finish_key_change(self, kind: str) -> None:
        """Nothing is pending on a server: see ``change_passphrase``."""

    def new_recovery_code(self, *, finish: bool = True) -> str:
        code = keys.new_recovery_code()
        self._store_key_file(keys.with_slot(self.key_file, keys.wrap("recovery", code, self.data_key,
                                                                         self.key_file.site_id)))
        return code

    def change_database_password(self, new_password: str) -> bool:
        """``harbour-admin rekey`` on a server: the application role's password
        is replaced, the server holding the records rather than the data key.
        Only the SCRAM verifier, made here, reaches the server (never the
        password itself, which a statement log would keep). This workstation's
        engine signs in with the new one from now on, and its keyring keeps it
        (False: there is no keyring). The data key, key slots and audit chain
        key are not changed."""
        from psycopg import sql  # here, not at the top: a SQLCipher workstation never loads the driver

        with self.engine.begin() as conn:
            raw = cast("psycopg.Connection[object]", conn.connection.driver_connection)
            verifier = raw.pgconn.encrypt_password(new_password.encode(), self.profile.user.encode(),
                                                   b"scram-sha-256")
            raw.execute(sql.SQL("ALTER ROLE CURRENT_USER PASSWORD {}").format(sql.Literal(verifier.decode())))
        self.engine.dispose()
        self.engine = create_server_engine(self.profile, new_password)
        return save_password(self.profile, new_password)

    def _store_key_file(self, key_file: keys.KeyFile) -> None:
        with Session(self.engine) as session, session.begin():
            session.execute(update(SiteKeyFile).where(SiteKeyFile.id == 1).values(content=key_file_text(key_file)))
        self.key_file = key_file

    # ---- sessions ------------------------------------------------------
    def session_info(self) -> dict[str, object]:
        """The audit chain key every session appends with (M6), read once;
        a site whose trail is not keyed yet is keyed here, as a file's is at
        its first open."""
        if self._chain is None:
            with Session(self.engine) as session:
                key = audit.stored_chain_key(session)
            with Session(self.engine) as session:
                if key is None:
                    session.connection(execution_options=engines.WRITE)
                    key = audit.ensure_keyed(session, self.data_key, datetime.now(UTC))
                    session.commit()
                self._chain = (key, audit.keyed_from(session))
        return {audit.CHAIN_KEY_INFO: self._chain[0], "harbour_audit_keyed_from": self._chain[1]}

    def sessions(self) -> sessionmaker[Session]:
        return tables.load_on_flush(sessionmaker(self.engine, expire_on_commit=False, info=self.session_info()))

    def close(self) -> None:
        self.engine.dispose()

    def integrity(self) -> engines.IntegrityReport:
        """PostgreSQL enforces references as it writes; report any constraint
        that was added without being checked against the rows already there."""
        with self.engine.connect() as conn:
            unchecked = tuple(f"constraint {name} is not validated" for name in conn.exec_driver_sql(
                "SELECT conname FROM pg_constraint WHERE NOT convalidated").scalars())
        return engines.IntegrityReport((), (), unchecked)

    def verify_audit(self) -> audit.ChainReport:
        """The whole chain, against the head row the database holds."""
        with Session(self.engine, info=self.session_info()) as session:
            return audit.verify(session, audit.stored_anchor(session))

    # ---- backup ----------------------------------------------------------
    def backup(self, to: Path, *, overwrite: bool = False, on_progress: Callable[[str], None] | None = None,
               secret: str | None = None) -> None:
        """The same encrypted ``.hbk`` as a SQLCipher site's: restorable to either back end."""
        to = Path(to)
        if to.exists() and not overwrite:
            raise SiteError(f"{to} already exists; give --overwrite to replace it.")
        if not to.parent.is_dir():
            raise SiteError(f"The folder {to.parent} does not exist; nothing was written.")
        work = Path(tempfile.mkdtemp(prefix=".harbour-backup-", dir=to.parent))
        partial = to.with_name(to.name + ".partial")
        try:
            exported = work / DB_FILE_NAME
            from db import transfer  # every table's metadata: only when backing up

            target = engines.create(exported, self.data_key, pool_size=1)
            try:
                migrate.upgrade(target)
                transfer.copy_site(self.engine, target, on_progress=on_progress)
            finally:
                target.dispose()
            keys.write(work, self.key_file)
            info = self.session_info()
            with Session(self.engine, info=info) as session:
                head = audit.stored_head(session)
            self.last_backup_head = head
            if head is not None and head[0]:
                audit.write_anchor(work, *head, key=info[audit.CHAIN_KEY_INFO],  # type: ignore[arg-type]
                                   keyed_from=info["harbour_audit_keyed_from"])  # type: ignore[arg-type]
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as bundle:
                for name in (DB_FILE_NAME, keys.KEY_FILE_NAME, audit.ANCHOR_FILE_NAME):
                    if (work / name).exists():
                        bundle.write(work / name, name)
            os.replace(partial, to)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise SiteError(f"The backup could not be written to {to}: {exc.strerror or exc}.") from exc
        finally:
            shutil.rmtree(work, ignore_errors=True)


class ServerUnavailable(SiteError):
    """The server went away (restart, network cut) during a unit of work."""


class ServerRefused(ServerUnavailable):
    """Connecting failed; the message says why (``db.server_refusals``)."""

    def __init__(self, why: Refusal) -> None:
        super().__init__(why.message)
        self.wrong_password = why.wrong_password


LOST = ("The connection to the Harbour server was lost, so nothing from this step was saved; "
        "Harbour reconnects when the server is back, so try again in a moment.")


def lost_connection(error: DBAPIError | None) -> bool:
    """A dropped or refused connection, as opposed to an error the server reported
    (those carry an SQLSTATE: a lock timeout, a constraint)."""
    import psycopg  # here, not at the top: a SQLCipher workstation never loads the driver

    if error is None:
        return False
    return bool(error.connection_invalidated) or (
        isinstance(error.orig, psycopg.OperationalError) and getattr(error.orig, "sqlstate", None) is None)


def key_file_text(key_file: keys.KeyFile) -> str:
    """The key file exactly as ``harbour.keys`` holds it (one format, in db.keys)."""
    with tempfile.TemporaryDirectory(prefix=".harbour-keys-") as tmp:
        keys.write(Path(tmp), key_file)
        return (Path(tmp) / keys.KEY_FILE_NAME).read_text(encoding="utf-8")


def key_file_of(text: str) -> keys.KeyFile:
    with tempfile.TemporaryDirectory(prefix=".harbour-keys-") as tmp:
        (Path(tmp) / keys.KEY_FILE_NAME).write_text(text, encoding="utf-8")
        return keys.read(Path(tmp))


def _stored_key_file(engine: Engine) -> keys.KeyFile:
    with Session(engine) as session:
        content = session.execute(select(SiteKeyFile.content).where(SiteKeyFile.id == 1)).scalar()
    if content is None:
        engine.dispose()
        raise SiteError("This server database holds no Harbour site yet: "
                        "run harbour-admin init or harbour-admin move-to-server first.")
    try:
        return key_file_of(content)
    except keys.KeyFileError as exc:
        engine.dispose()
        raise SiteError(str(exc)) from exc
