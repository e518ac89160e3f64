"""A site: one data folder holding the encrypted database and its key file.

``Site`` is the one object the layers above receive. It knows where the
files are, holds the engine, and performs the whole-database operations:
create, open (keyring, passphrase, recovery code), backup, restore, rekey.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from db import audit, keyring_store, keys, migrate, netfs, site_lock, tables
from db import engine as engines

DB_FILE_NAME = "harbour.db"
MOVED_FILE_NAME = "moved-to-server.json"
BACKUP_MEMBERS = (DB_FILE_NAME, keys.KEY_FILE_NAME, audit.ANCHOR_FILE_NAME)


class SiteError(Exception):
    """An expected failure with a message an IT person can act on."""


@dataclass
class Site:
    data_dir: Path
    key_file: keys.KeyFile
    data_key: bytes
    engine: Engine
    #: the data key is the pending one of an unfinished rekey
    key_pending: bool = False
    #: the audit chain key and the marker row's seq (None: the chain is still plain, M6)
    audit_key: bytes | None = None
    audit_keyed_from: int | None = None
    #: (seq, hash) of the audit head in the last backup this object wrote
    last_backup_head: tuple[int, str] | None = None
    #: what opening finished or found, for the person who opened it (M12)
    notice: str | None = field(default=None)
    #: Where the site went when it was moved to a server: it then opens
    #: read-only, so nobody keeps writing to the old copy.
    moved_to: str | None = None

    # ---- opening -------------------------------------------------------
    @classmethod
    def create(cls, data_dir: Path, passphrase: str, *, remember_key: bool = True) -> tuple[Site, str]:
        """A new empty site. Returns it and the one-time recovery code.

        Made under the site lock, so two ``init`` runs cannot both think the
        folder empty (m14). ``remember_key`` keeps the key in the OS keyring
        (not for throwaway demo sites)."""
        data_dir = Path(data_dir)
        _refuse_network(data_dir)
        _ensure_writable(data_dir)
        with _key_change_lock(data_dir):
            _refuse_existing(data_dir)
            data_key = keys.new_data_key()
            recovery = keys.new_recovery_code()
            key_file = keys.new_key_file(data_key, passphrase, recovery)
            keys.write(data_dir, key_file)
            try:
                site = cls._open(data_dir, key_file, data_key, create=True)
            except BaseException:  # M9: a failed init (full disk) leaves no half-made site behind
                _remove_site_files(data_dir)
                raise
            make_private(data_dir)
        if remember_key:
            keyring_store.store(key_file.site_id, data_key)
        return site, recovery

    @classmethod
    def open_with_secret(cls, data_dir: Path, secret: str, *, remember_key: bool = False,
                         read_only: bool = False) -> Site:
        """Open with the site passphrase or the recovery code (slow: argon2id).

        ``remember_key`` keeps the key in the OS keyring (the application's
        unlock; harbour-admin never does, m12). If a rekey was interrupted and
        this process holds the site lock, it is finished or undone here and
        ``notice`` says which."""
        data_dir = Path(data_dir)
        key_file = _read_key_file(data_dir)
        try:
            candidates = keys.unwrap(key_file, secret)
        except keys.WrongSecret as exc:
            raise SiteError(str(exc)) from exc
        _require_database(data_dir / DB_FILE_NAME)
        data_key, pending = _first_that_opens(data_dir / DB_FILE_NAME, candidates)
        site = cls._open(data_dir, key_file, data_key, read_only=read_only)
        site.key_pending = pending
        if key_file.pending and not read_only and site_lock.held_by_this_process(data_dir):
            site.settle()
        if remember_key:
            keyring_store.store(key_file.site_id, data_key)
        return site

    @classmethod
    def open_with_keyring(cls, data_dir: Path) -> Site | None:
        """Open with the key the OS keyring holds, or None if it holds none."""
        key_file = _read_key_file(Path(data_dir))
        data_key = keyring_store.load(key_file.site_id)
        if data_key is None:
            return None
        try:
            return cls._open(Path(data_dir), key_file, data_key)
        except SiteError:
            keyring_store.forget(key_file.site_id)  # stale entry: ask for the passphrase
            return None

    @classmethod
    def open_with_key(cls, data_dir: Path, data_key: bytes, *, read_only: bool = False) -> Site:
        return cls._open(Path(data_dir), _read_key_file(Path(data_dir)), data_key, read_only=read_only)

    @classmethod
    def _open(cls, data_dir: Path, key_file: keys.KeyFile, data_key: bytes, *, create: bool = False,
              read_only: bool = False) -> Site:
        """``create`` only from ``Site.create``: anywhere else a missing or
        empty database is an error naming it, never a new site (M8).
        ``read_only`` changes nothing: no migration, no file created (m19)."""
        db_path = data_dir / DB_FILE_NAME
        _refuse_network(data_dir)
        moved_to = read_moved(data_dir)
        if create:
            if any(data_dir.glob(DB_FILE_NAME + "*")):
                raise SiteError(f"{data_dir} already holds a Harbour database; nothing was changed.")
        else:
            _require_database(db_path)
        try:
            engines.connect_raw(db_path, data_key, read_only=read_only).close()
        except engines.DatabaseLocked as exc:
            raise SiteError(
                "The key does not open this database: the key file may belong to another "
                "site, or the database file is damaged. Nothing has been changed."
            ) from exc
        except (OSError, engines.DriverError) as exc:
            raise SiteError(_open_failure(db_path, exc)) from exc
        engine = engines.create(db_path, data_key, read_only=read_only or moved_to is not None)
        try:
            if read_only:  # an older schema is checked as it is
                if not migrate.is_current(engine):
                    migrate.check_not_newer(engine, migrate.script())
            else:
                migrate.upgrade(engine)
            _check_generation(engine)
        except (migrate.SchemaTooNew, SiteError) as exc:
            engine.dispose()
            raise SiteError(str(exc)) from exc
        except Exception as exc:
            engine.dispose()
            if engines.is_storage_error(exc) or isinstance(exc, OSError) or engines.is_storage_error(
                    getattr(exc, "orig", None) or exc):
                raise SiteError(_open_failure(db_path, exc)) from exc
            raise SiteError("The database could not be read: it may be damaged. Restore from a backup.") from exc
        site = cls(data_dir, key_file, data_key, engine, moved_to=moved_to)
        try:
            site._load_chain_key(keep_plain=read_only or moved_to is not None)
        except DatabaseError:
            if not read_only:
                engine.dispose()
                raise
            # verify on a damaged file: open anyway, so the integrity report can say where (M7)
        except Exception as exc:
            engine.dispose()
            if engines.is_storage_error(getattr(exc, "orig", None) or exc) or isinstance(exc, OSError):
                raise SiteError(_open_failure(db_path, exc)) from exc
            raise
        return site

    def _load_chain_key(self, *, keep_plain: bool) -> None:
        """Read the audit chain key; on the first writable open, key the chain (M6)."""
        with Session(self.engine) as session:
            try:
                self.audit_key = audit.stored_chain_key(session)
            except OperationalError:  # an older schema opened read-only: no audit_chain table yet
                return
            if self.audit_key is not None or keep_plain:
                self.audit_keyed_from = audit.keyed_from(session) if self.audit_key else None
                return
        with Session(self.engine) as session:
            session.connection(execution_options=engines.WRITE)
            self.audit_key = audit.ensure_keyed(session, self.data_key, datetime.now(UTC))
            self.audit_keyed_from = audit.keyed_from(session)
            head = audit.head(session)
            session.commit()
        if head is not None:
            with contextlib.suppress(OSError):  # lagging is allowed; the next write moves it on
                audit.write_anchor(self.data_dir, head[0], head[1], key=self.audit_key,
                                   keyed_from=self.audit_keyed_from)

    def session_info(self) -> dict[str, object]:
        return {audit.CHAIN_KEY_INFO: self.audit_key, "harbour_audit_keyed_from": self.audit_keyed_from}

    def move_anchor(self, seq: int, digest: str) -> None:
        audit.write_anchor(self.data_dir, seq, digest, key=self.audit_key, keyed_from=self.audit_keyed_from)

    def remove_files(self) -> None:
        """Only for a site that ``create`` has just made and that failed before use."""
        _remove_site_files(self.data_dir)

    # ---- sessions ------------------------------------------------------
    def sessions(self) -> sessionmaker[Session]:
        return tables.load_on_flush(sessionmaker(self.engine, expire_on_commit=False, info=self.session_info()))

    def close(self) -> None:
        self.engine.dispose()

    def integrity(self) -> engines.IntegrityReport:
        return engines.check_integrity(self.engine)

    def verify_audit(self) -> audit.ChainReport:
        with Session(self.engine, info=self.session_info()) as session:
            return audit.verify(session, audit.read_anchor(self.data_dir))

    # ---- backup and restore -------------------------------------------
    def backup(self, to: Path, *, overwrite: bool = False, on_progress: Callable[[str], None] | None = None,
               secret: str | None = None) -> None:
        """Write an encrypted backup: the database (same key), its key file and
        an anchor holding the audit head of that same snapshot.

        The snapshot and its audit head are read in one read transaction, so
        a backup taken while others write is consistent (C2). The bundle is
        then restored into a temporary folder and checked (integrity, audit
        chain, and with ``secret`` that the bundled key file opens it) before
        it replaces ``to``. A failure leaves no partial file behind.
        """
        to = self._backup_target(Path(to), overwrite)
        _remove_abandoned_work(to.parent)
        try:
            work = Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}{os.getpid()}-", dir=to.parent))
        except OSError as exc:
            raise SiteError(_backup_failure(to, exc)) from exc
        try:
            key_file_bytes = (self.data_dir / keys.KEY_FILE_NAME).read_bytes()
            head = self._export_snapshot(work / DB_FILE_NAME)
            if (self.data_dir / keys.KEY_FILE_NAME).read_bytes() != key_file_bytes:
                raise SiteError("A key change ran while the backup was being taken; run the backup again.")
            (work / keys.KEY_FILE_NAME).write_bytes(key_file_bytes)
            audit.write_anchor(work, *head, key=self.audit_key, keyed_from=self.audit_keyed_from)
            if on_progress:
                on_progress("packing")
            partial = work / "bundle.partial"
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as bundle:
                for name in BACKUP_MEMBERS:
                    bundle.write(work / name, name)
            if on_progress:
                on_progress("checking")
            self._check_bundle(partial, work / "check", secret)
            os.chmod(partial, 0o600)
            keys.fsync_file(partial)
            os.replace(partial, to)
            keys.fsync_folder(to.parent)
            self.last_backup_head = head
        except SiteError:
            raise
        except (OSError, engines.DriverError) as exc:
            raise SiteError(_backup_failure(to, exc)) from exc
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _backup_target(self, to: Path, overwrite: bool) -> Path:
        """M11, m13: never inside the data folder, a folder that exists, no silent overwrite."""
        target = to.expanduser().absolute()
        folder = target.parent.resolve() if target.parent.exists() else target.parent
        data, resolved = self.data_dir.resolve(), folder / target.name
        if resolved == data or data in resolved.parents:
            raise SiteError(f"{to} is inside the site's data folder: back up to a folder outside it; "
                            "nothing was written.")
        if not folder.is_dir():
            raise SiteError(f"The folder {target.parent} does not exist; nothing was written.")
        if target.is_dir():
            raise SiteError(f"{to} is a folder: give the name of the backup file to write.")
        if target.exists() and not overwrite:
            raise SiteError(f"{to} already exists; choose another name or replace it (--overwrite). "
                            "Nothing was written.")
        return folder / target.name

    def _export_snapshot(self, exported: Path) -> tuple[int, str]:
        """Export the database and read its audit head in ONE read transaction."""
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw is not None
            raw.execute(f"ATTACH DATABASE ? AS backup KEY \"x'{self.data_key.hex()}'\"", (str(exported),))
            try:
                raw.execute("BEGIN")
                try:
                    head = raw.execute("SELECT seq, hash FROM main.audit_log ORDER BY seq DESC LIMIT 1").fetchone()
                    raw.execute("SELECT sqlcipher_export('backup')")
                    version = raw.execute("PRAGMA main.user_version").fetchone()[0]
                finally:
                    raw.execute("COMMIT")
                raw.execute(f"PRAGMA backup.user_version = {int(version)}")
            finally:
                raw.execute("DETACH DATABASE backup")
        return (int(head[0]), str(head[1])) if head else (0, audit.GENESIS)

    def _check_bundle(self, bundle: Path, staging: Path, secret: str | None) -> None:
        """Restore the bundle into ``staging`` and check it as ``restore`` would."""
        staging.mkdir()
        _extract(bundle, staging)
        if secret is not None:
            candidates = keys.unwrap(keys.read(staging), secret)
            if all(key != self.data_key for key, _ in candidates):
                raise SiteError("The backup's key file does not open its database; nothing was written.")
        copy = Site.open_with_key(staging, self.data_key, read_only=True)
        try:
            _check_restorable(copy, "The backup just written")
        finally:
            copy.close()

    @classmethod
    def restore(cls, bundle: Path, data_dir: Path, secret: str) -> Site:
        """Restore into an empty folder, checking everything before it lands."""
        data_dir, bundle = Path(data_dir), Path(bundle)
        if not bundle.is_file():
            raise SiteError(f"{bundle} does not exist or is not a file; nothing was restored.")
        _refuse_network(data_dir)
        _ensure_writable(data_dir)
        if any(p.name != site_lock.LOCK_FILE_NAME for p in data_dir.iterdir()):
            raise SiteError(f"{data_dir} is not empty: restore only into an empty folder.")
        try:
            staging = Path(tempfile.mkdtemp(prefix=".harbour-restore-", dir=data_dir))
        except OSError as exc:
            raise SiteError(_storage_message(data_dir, exc)) from exc
        try:
            try:
                _extract(bundle, staging)
            except OSError as exc:
                if exc.errno in (errno.ENOSPC, errno.EROFS, errno.EACCES):
                    raise SiteError(_storage_message(data_dir, exc) + " Nothing was restored.") from exc
                raise SiteError(f"{bundle} cannot be read as a Harbour backup: it may be damaged.") from exc
            site = cls.open_with_secret(staging, secret, read_only=True)
            try:
                _check_restorable(site, "The backup")
            finally:
                site.close()
            for name in BACKUP_MEMBERS:
                if (staging / name).exists():
                    os.replace(staging / name, data_dir / name)
            keys.fsync_folder(data_dir)
            make_private(data_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return cls.open_with_secret(data_dir, secret)

    # ---- keys ------------------------------------------------------------
    # Each key operation runs under the site lock (taken here unless this
    # process already holds it) and re-reads the key file under it (C1).

    def settle(self) -> None:
        """Finish or undo an interrupted rekey (call under the site lock)."""
        with _key_change_lock(self.data_dir):
            key_file = self._reread_key_file()
            if not key_file.pending:
                return
            if self.key_pending:  # the database has the new key; the new code may not have been seen
                old_recovery = tuple(s for s in key_file.slots if s.kind == "recovery")
                key_file = keys.KeyFile(key_file.site_id, key_file.pending, link=key_file.link,
                                        retained=old_recovery)
                self.notice = ("An interrupted rekey was finished: the database has the new key. The passphrase, "
                               "the recovery code from before the rekey and the new one (if it was printed) all "
                               "open the site; run harbour-admin recovery-code to replace them with one new code.")
            else:
                key_file = keys.KeyFile(key_file.site_id, key_file.slots, link=key_file.link,
                                        retained=key_file.retained)
                if not key_file.retained:
                    key_file = replace(key_file, link=None)
                self.notice = ("An interrupted rekey was undone: the database kept its key, and the passphrase "
                               "and the recovery code from before the rekey still work.")
            keys.write(self.data_dir, key_file)
            self.key_file, self.key_pending = key_file, False

    def change_passphrase(self, new_passphrase: str, *, finish: bool = True) -> None:
        """With ``finish=False`` the old passphrase keeps working until
        ``finish_key_change("passphrase")``: call that once the user was told."""
        with _key_change_lock(self.data_dir):
            key_file = self._reread_key_file()
            slot = keys.wrap("passphrase", new_passphrase, self.data_key, key_file.site_id)
            self.key_file = keys.with_slot(key_file, slot, keep_old=True)
            keys.write(self.data_dir, self.key_file)
            if finish:
                self.finish_key_change("passphrase")

    def new_recovery_code(self, *, finish: bool = True) -> str:
        """With ``finish=False`` the old code keeps working until
        ``finish_key_change("recovery")``: call that once the new one was shown."""
        with _key_change_lock(self.data_dir):
            key_file = self._reread_key_file()
            code = keys.new_recovery_code()
            slot = keys.wrap("recovery", code, self.data_key, key_file.site_id)
            self.key_file = keys.with_slot(key_file, slot, keep_old=True)
            keys.write(self.data_dir, self.key_file)
            if finish:
                self.finish_key_change("recovery")
        return code

    def finish_key_change(self, kind: str) -> None:
        """Retire the old slots of ``kind`` once the new secret was reported."""
        with _key_change_lock(self.data_dir):
            self.key_file = keys.keep_newest(self._reread_key_file(), kind)
            keys.write(self.data_dir, self.key_file)

    def rekey(self, passphrase: str) -> str:
        """Replace the data key and return the new recovery code; then
        ``finish_rekey`` once that code has been shown.

        Order matters for a crash at any point: (1) the new key's slots are
        written as *pending* beside the old ones, with a link from the old
        key to the new; (2) the database is rekeyed in one SQLCipher
        transaction; (3, ``finish_rekey``) the old slots are dropped. Opening
        tries current, pending and linked keys, so every step leaves each
        way in the tool last reported: the old recovery code keeps working
        (through the link) until the new one has been printed (M12).
        """
        with _key_change_lock(self.data_dir):
            key_file = self._reread_key_file()
            new_key = keys.new_data_key()
            code = keys.new_recovery_code()
            site_id = key_file.site_id
            pending = (keys.wrap("passphrase", passphrase, new_key, site_id),
                       keys.wrap("recovery", code, new_key, site_id))
            in_flight = keys.KeyFile(site_id, key_file.slots, pending, keys.make_link(site_id, self.data_key, new_key))
            keys.write(self.data_dir, in_flight)
            self.key_file = in_flight
            self.engine.dispose()
            raw = engines.connect_raw(self.data_dir / DB_FILE_NAME, self.data_key)
            try:
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                raw.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
            finally:
                raw.close()
            had_keyring = keyring_store.load(site_id) is not None
            keyring_store.forget(site_id)
            if had_keyring:
                keyring_store.store(site_id, new_key)
            self.data_key, self.key_pending = new_key, True
            self.engine = engines.create(self.data_dir / DB_FILE_NAME, new_key)
        return code

    def finish_rekey(self) -> None:
        """Drop the old key's slots: call once the new recovery code was shown."""
        with _key_change_lock(self.data_dir):
            key_file = self._reread_key_file()
            if self.key_pending and key_file.pending:
                self.key_file = keys.KeyFile(key_file.site_id, key_file.pending)
                keys.write(self.data_dir, self.key_file)
            self.key_pending = False

    def _reread_key_file(self) -> keys.KeyFile:
        key_file = _read_key_file(self.data_dir)
        if key_file.site_id != self.key_file.site_id:
            raise SiteError("The key file now belongs to another site; nothing was changed.")
        return key_file


def _key_change_lock(data_dir: Path) -> AbstractContextManager[object]:
    """The site lock, unless this process (the app, or an outer block) holds it."""
    if site_lock.held_by_this_process(data_dir):
        return nullcontext()
    return _SiteLockAsSiteError(data_dir)


class _SiteLockAsSiteError(site_lock.SiteLock):
    def acquire(self) -> None:
        try:
            super().acquire()
        except site_lock.SiteBusy as exc:
            raise SiteError(str(exc)) from exc
        except OSError as exc:
            raise SiteError(_storage_message(self.path.parent, exc)) from exc


WORK_PREFIX = ".harbour-backup-"


def _extract(bundle: Path, staging: Path) -> None:
    """Only the known members: a ``../`` name in a doctored bundle goes nowhere."""
    try:
        with zipfile.ZipFile(bundle) as zf:
            names = set(zf.namelist())
            if not {DB_FILE_NAME, keys.KEY_FILE_NAME} <= names:
                raise SiteError(f"{bundle} is not a Harbour backup.")
            for name in names & set(BACKUP_MEMBERS):
                zf.extract(name, staging)
    except zipfile.BadZipFile as exc:
        raise SiteError(f"{bundle} cannot be read as a Harbour backup: it may be damaged.") from exc


def _check_restorable(site: Site, what: str) -> None:
    report, chain = site.integrity(), site.verify_audit()
    if not report.ok:
        raise SiteError(f"{what} fails its integrity check; nothing was restored.")
    if not chain.ok:
        raise SiteError(f"{what}'s audit trail does not verify ({chain.problem}); nothing was restored.")


def _backup_failure(to: Path, exc: BaseException) -> str:
    if getattr(exc, "errno", None) == errno.ENOSPC or "SQLITE_FULL" in str(getattr(exc, "sqlite_errorname", "")) \
            or _disk_full(to.parent):
        return f"The disk is full: the backup to {to} was not written."
    if getattr(exc, "errno", None) == errno.EROFS:
        return f"{to.parent} is on read-only media: the backup was not written."
    detail = getattr(exc, "strerror", None) or exc
    return f"The backup could not be written to {to}: {detail}."


def _disk_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < 1024 * 1024
    except OSError:
        return False


def _remove_abandoned_work(folder: Path) -> None:
    """m13: a backup killed mid-way leaves its work folder; the next one tidies it."""
    for work in folder.glob(f"{WORK_PREFIX}*"):
        pid = work.name[len(WORK_PREFIX):].split("-", 1)[0]
        if work.is_dir() and (not pid.isdigit() or not site_lock.pid_alive(int(pid))):
            shutil.rmtree(work, ignore_errors=True)


def _first_that_opens(db_path: Path, candidates: list[tuple[bytes, bool]]) -> tuple[bytes, bool]:
    """Usually one candidate; more only while a rekey was interrupted."""
    for data_key, pending in candidates[:-1]:
        try:
            engines.connect_raw(db_path, data_key).close()
        except engines.DatabaseLocked:
            continue
        return data_key, pending
    return candidates[-1]


def _read_key_file(data_dir: Path) -> keys.KeyFile:
    try:
        return keys.read(data_dir)
    except keys.KeyFileError as exc:
        raise SiteError(str(exc)) from exc


def _refuse_existing(data_dir: Path) -> None:
    if (data_dir / keys.KEY_FILE_NAME).exists() or (data_dir / DB_FILE_NAME).exists():
        raise SiteError(f"{data_dir} already holds a Harbour site; nothing was changed.")


def _require_database(db_path: Path) -> None:
    """M8: a missing, empty or odd database file is named, never replaced."""
    if db_path.is_dir():
        raise SiteError(f"{db_path} is a folder, not a database file; nothing has been changed.")
    if not db_path.exists():
        if any(db_path.parent.glob(DB_FILE_NAME + "-*")):
            raise SiteError(f"{DB_FILE_NAME} is missing but its journal is not; restore from a backup.")
        raise SiteError(f"The database file {db_path} is missing. Harbour never makes a new one in its place: "
                        "restore from a backup (harbour-admin restore) or find the file.")
    if db_path.stat().st_size == 0:
        raise SiteError(f"The database file {db_path} is empty (0 bytes); restore from a backup. "
                        "Nothing has been changed.")


def _check_generation(engine: Engine) -> None:
    """m15: a database stamped by a newer generation of Harbour is refused."""
    with engine.connect() as conn:
        generation = conn.exec_driver_sql("PRAGMA user_version").scalar_one()
    if int(generation) > migrate.SCHEMA_GENERATION:
        raise SiteError("This database was made by a newer version of Harbour (schema generation "
                        f"{generation}). Install the newer version; nothing has been changed.")


def _open_failure(db_path: Path, exc: BaseException) -> str:
    """M9: name the disk or the folder when they are the cause, not the key."""
    folder = db_path.parent
    if _disk_full(folder):
        return f"The disk holding {folder} is full: free some space and try again. Nothing has been changed."
    if _read_only(folder):
        return (f"The data folder {folder} is read-only: Harbour needs to write there "
                "(harbour-admin verify works read-only). Nothing has been changed.")
    detail = getattr(exc, "strerror", None) or exc
    return f"The database {db_path} cannot be opened: {detail}."


def _read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY) or not os.access(folder, os.W_OK)
    except (OSError, AttributeError):  # no statvfs on Windows
        return not os.access(folder, os.W_OK)


def _storage_message(folder: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return f"The disk holding {folder} is full; nothing was changed."
    if exc.errno == errno.EROFS:
        return f"The folder {folder} is on read-only media; nothing was changed."
    return f"Harbour cannot write to {folder}: {exc.strerror or exc}."


def _remove_site_files(data_dir: Path) -> None:
    for name in (*BACKUP_MEMBERS, f"{DB_FILE_NAME}-wal", f"{DB_FILE_NAME}-shm"):
        with contextlib.suppress(OSError):
            (data_dir / name).unlink(missing_ok=True)


def make_private(data_dir: Path) -> None:
    """M15: the data folder 0700, the site's files 0600 (POSIX; on Windows the
    user's profile folder already carries their own ACL)."""
    if os.name != "posix":
        return
    os.chmod(data_dir, 0o700)
    for name in (*BACKUP_MEMBERS, f"{DB_FILE_NAME}-wal", f"{DB_FILE_NAME}-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.chmod(data_dir / name, 0o600)


def _refuse_network(data_dir: Path) -> None:
    if (fstype := netfs.network_filesystem(data_dir)) is not None:
        raise SiteError(netfs.refusal(fstype))


def mark_moved(data_dir: Path, where: str) -> None:
    """After ``harbour-admin move-to-server``: the folder opens read-only from now on."""
    keys.atomic_write(Path(data_dir) / MOVED_FILE_NAME, json.dumps({"moved_to": where}).encode("utf-8"))


def read_moved(data_dir: Path) -> str | None:
    try:
        return str(json.loads((Path(data_dir) / MOVED_FILE_NAME).read_text(encoding="utf-8"))["moved_to"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return "a server (the moved-to-server note is damaged)"


def _ensure_writable(data_dir: Path) -> None:
    try:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".harbour-probe-", delete=True):
            pass
    except OSError as exc:
        raise SiteError(f"Harbour cannot write to {data_dir}: {exc.strerror or exc}.") from exc

