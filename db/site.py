"""A site: one data folder holding the encrypted database and its key file.

``Site`` is the one object the layers above receive. It knows where the
files are, holds the engine, and performs the whole-database operations:
create, open (keyring, passphrase, recovery code), backup, restore, rekey.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from db import audit, engine as engines, keyring_store, keys, migrate, netfs

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
    #: Where the site went when it was moved to a server: it then opens
    #: read-only, so nobody keeps writing to the old copy.
    moved_to: str | None = None

    # ---- opening -------------------------------------------------------
    @classmethod
    def create(cls, data_dir: Path, passphrase: str, *, remember_key: bool = True) -> tuple[Site, str]:
        """A new empty site. Returns it and the one-time recovery code.

        ``remember_key`` keeps the key in the OS keyring (not for throwaway
        demo sites)."""
        data_dir = Path(data_dir)
        _refuse_existing(data_dir)
        _refuse_network(data_dir)
        _ensure_writable(data_dir)
        data_key = keys.new_data_key()
        recovery = keys.new_recovery_code()
        key_file = keys.new_key_file(data_key, passphrase, recovery)
        keys.write(data_dir, key_file)
        site = cls._open(data_dir, key_file, data_key)
        if remember_key:
            keyring_store.store(key_file.site_id, data_key)
        return site, recovery

    @classmethod
    def open_with_secret(cls, data_dir: Path, secret: str) -> Site:
        """Open with the site passphrase or the recovery code (slow: argon2id)."""
        data_dir = Path(data_dir)
        key_file = _read_key_file(data_dir)
        try:
            candidates = keys.unwrap(key_file, secret)
        except keys.WrongSecret as exc:
            raise SiteError(str(exc)) from exc
        data_key, pending = _first_that_opens(data_dir / DB_FILE_NAME, candidates)
        if pending:  # a rekey was interrupted after the database changed key: finish it
            key_file = keys.KeyFile(key_file.site_id, key_file.pending)
            keys.write(data_dir, key_file)
        site = cls._open(data_dir, key_file, data_key)
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
    def open_with_key(cls, data_dir: Path, data_key: bytes) -> Site:
        return cls._open(Path(data_dir), _read_key_file(Path(data_dir)), data_key)

    @classmethod
    def _open(cls, data_dir: Path, key_file: keys.KeyFile, data_key: bytes) -> Site:
        db_path = data_dir / DB_FILE_NAME
        _refuse_network(data_dir)
        moved_to = read_moved(data_dir)
        is_new = not db_path.exists()
        if is_new and any(data_dir.glob(DB_FILE_NAME + "*")):
            raise SiteError(f"{DB_FILE_NAME} is missing but its journal is not; restore from a backup.")
        try:
            engines.connect_raw(db_path, data_key).close()
        except engines.DatabaseLocked as exc:
            raise SiteError(
                "The key does not open this database: the key file may belong to another "
                "site, or the database file is damaged. Nothing has been changed."
            ) from exc
        except OSError as exc:
            raise SiteError(f"The database cannot be opened: {exc.strerror or exc}.") from exc
        engine = engines.create(db_path, data_key, read_only=moved_to is not None)
        try:
            migrate.upgrade(engine)
        except migrate.SchemaTooNew as exc:
            engine.dispose()
            raise SiteError(str(exc)) from exc
        except Exception as exc:
            engine.dispose()
            raise SiteError("The database could not be read: it may be damaged. Restore from a backup.") from exc
        return cls(data_dir, key_file, data_key, engine, moved_to)

    # ---- sessions ------------------------------------------------------
    def sessions(self) -> sessionmaker[Session]:
        return sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    def integrity(self) -> engines.IntegrityReport:
        return engines.check_integrity(self.engine)

    def verify_audit(self) -> audit.ChainReport:
        with Session(self.engine) as session:
            return audit.verify(session, audit.read_anchor(self.data_dir))

    # ---- backup and restore -------------------------------------------
    def backup(self, to: Path, *, on_progress: Callable[[str], None] | None = None) -> None:
        """Write an encrypted backup: the database (same key) plus key file.

        The backup opens with the site passphrase or recovery code, exactly
        as the live site does. A failure (disk full) leaves no partial file.
        """
        to = Path(to)
        work = Path(tempfile.mkdtemp(prefix=".harbour-backup-", dir=to.parent))
        try:
            exported = work / DB_FILE_NAME
            with self.engine.connect() as conn:
                raw = conn.connection.driver_connection
                raw.execute(f"ATTACH DATABASE ? AS backup KEY \"x'{self.data_key.hex()}'\"", (str(exported),))
                try:
                    raw.execute("SELECT sqlcipher_export('backup')")
                    version = raw.execute("PRAGMA user_version").fetchone()[0]
                    raw.execute(f"PRAGMA backup.user_version = {int(version)}")
                finally:
                    raw.execute("DETACH DATABASE backup")
            if on_progress:
                on_progress("packing")
            partial = to.with_name(to.name + ".partial")
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as bundle:
                bundle.write(exported, DB_FILE_NAME)
                bundle.write(self.data_dir / keys.KEY_FILE_NAME, keys.KEY_FILE_NAME)
                anchor = self.data_dir / audit.ANCHOR_FILE_NAME
                if anchor.exists():
                    bundle.write(anchor, audit.ANCHOR_FILE_NAME)
            os.replace(partial, to)
        except OSError as exc:
            to.with_name(to.name + ".partial").unlink(missing_ok=True)
            if exc.errno == errno.ENOSPC:
                raise SiteError(f"The disk is full: the backup to {to} was not written.") from exc
            raise SiteError(f"The backup could not be written to {to}: {exc.strerror or exc}.") from exc
        finally:
            shutil.rmtree(work, ignore_errors=True)

    @classmethod
    def restore(cls, bundle: Path, data_dir: Path, secret: str) -> Site:
        """Restore into an empty folder, checking everything before it lands."""
        data_dir = Path(data_dir)
        _refuse_network(data_dir)
        _ensure_writable(data_dir)
        if any(data_dir.iterdir()):
            raise SiteError(f"{data_dir} is not empty: restore only into an empty folder.")
        staging = Path(tempfile.mkdtemp(prefix=".harbour-restore-", dir=data_dir))
        try:
            try:
                with zipfile.ZipFile(bundle) as zf:
                    names = set(zf.namelist())
                    if not {DB_FILE_NAME, keys.KEY_FILE_NAME} <= names:
                        raise SiteError(f"{bundle} is not a Harbour backup.")
                    for name in names & set(BACKUP_MEMBERS):
                        zf.extract(name, staging)
            except (zipfile.BadZipFile, OSError) as exc:
                raise SiteError(f"{bundle} cannot be read as a Harbour backup: it may be damaged.") from exc
            site = cls.open_with_secret(staging, secret)
            try:
                report, chain = site.integrity(), site.verify_audit()
            finally:
                site.close()
            if not report.ok:
                raise SiteError("The backup fails its integrity check; nothing was restored.")
            if not chain.ok:
                raise SiteError(f"The backup's audit trail does not verify ({chain.problem}); nothing was restored.")
            for name in BACKUP_MEMBERS:
                if (staging / name).exists():
                    os.replace(staging / name, data_dir / name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return cls.open_with_secret(data_dir, secret)

    # ---- keys ------------------------------------------------------------
    def change_passphrase(self, new_passphrase: str) -> None:
        slot = keys.wrap("passphrase", new_passphrase, self.data_key, self.key_file.site_id)
        self.key_file = keys.with_slot(self.key_file, slot)
        keys.write(self.data_dir, self.key_file)

    def new_recovery_code(self) -> str:
        code = keys.new_recovery_code()
        slot = keys.wrap("recovery", code, self.data_key, self.key_file.site_id)
        self.key_file = keys.with_slot(self.key_file, slot)
        keys.write(self.data_dir, self.key_file)
        return code

    def rekey(self, passphrase: str) -> str:
        """Replace the data key. Returns the new recovery code.

        Order matters for a crash at any point: (1) the new key's slots are
        written as *pending* beside the old ones; (2) the database is rekeyed
        in one SQLCipher transaction; (3) the old slots are dropped. Opening
        tries current then pending slots, so every step leaves a way in.
        """
        new_key = keys.new_data_key()
        code = keys.new_recovery_code()
        site_id = self.key_file.site_id
        pending = (keys.wrap("passphrase", passphrase, new_key, site_id), keys.wrap("recovery", code, new_key, site_id))
        keys.write(self.data_dir, replace(self.key_file, pending=pending))
        self.engine.dispose()
        raw = engines.connect_raw(self.data_dir / DB_FILE_NAME, self.data_key)
        try:
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            raw.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
        finally:
            raw.close()
        self.key_file = keys.KeyFile(site_id, pending)
        keys.write(self.data_dir, self.key_file)
        keyring_store.forget(site_id)
        keyring_store.store(site_id, new_key)
        self.data_key = new_key
        self.engine = engines.create(self.data_dir / DB_FILE_NAME, new_key)
        return code


def _first_that_opens(db_path: Path, candidates: list[tuple[bytes, bool]]) -> tuple[bytes, bool]:
    """Usually one candidate; two only while a rekey was interrupted."""
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
        data_dir.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=data_dir, prefix=".harbour-probe-", delete=True)
        probe.close()
    except OSError as exc:
        raise SiteError(f"Harbour cannot write to {data_dir}: {exc.strerror or exc}.") from exc

