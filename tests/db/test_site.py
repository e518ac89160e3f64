"""Tests for db.site: opening, faults, backup/restore and rekey."""

from __future__ import annotations

import errno
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from db import engine as engines
from db import keys, migrate
from db.site import DB_FILE_NAME, Site, SiteError
from db.site_lock import SiteLock
from db.tables.staff import Staff
from tests.conftest import PASSPHRASE, SQLITE_HEADER, Template


def staff_count(site: Site) -> int:
    with site.sessions()() as s:
        return s.execute(select(func.count(Staff.id))).scalar_one()


def test_wrong_passphrase_says_so_and_changes_nothing(site_dir: Path) -> None:
    before = {p.name: p.read_bytes() for p in site_dir.iterdir()}
    with pytest.raises(SiteError, match="not right"):
        Site.open_with_secret(site_dir, "not the passphrase")
    assert {p.name: p.read_bytes() for p in site_dir.iterdir()} == before


def test_recovery_code_opens(site_dir: Path, template_site: Template) -> None:
    site = Site.open_with_secret(site_dir, template_site.recovery_code)
    assert staff_count(site) == 7
    site.close()


def test_keyring_opens_without_passphrase(site_dir: Path, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    assert Site.open_with_keyring(site_dir) is None  # fresh keyring: nothing there
    Site.open_with_secret(site_dir, PASSPHRASE, remember_key=True).close()  # the app's unlock remembers it
    site = Site.open_with_keyring(site_dir)
    assert site is not None
    site.close()


def test_locked_keyring_falls_back_to_passphrase(site_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.errors import KeyringLocked

    def locked(*_a: object) -> None:
        raise KeyringLocked("locked")

    monkeypatch.setattr(keyring, "get_password", locked)
    assert Site.open_with_keyring(site_dir) is None


def test_missing_key_file(site_dir: Path) -> None:
    (site_dir / keys.KEY_FILE_NAME).unlink()
    with pytest.raises(SiteError, match="missing"):
        Site.open_with_secret(site_dir, PASSPHRASE)


def test_key_file_from_another_site(site_dir: Path, tmp_path: Path) -> None:
    other, _ = Site.create(tmp_path / "other", PASSPHRASE)
    other.close()
    shutil.copy(tmp_path / "other" / keys.KEY_FILE_NAME, site_dir / keys.KEY_FILE_NAME)
    before = (site_dir / DB_FILE_NAME).read_bytes()
    with pytest.raises(SiteError, match="another site"):
        Site.open_with_secret(site_dir, PASSPHRASE)
    assert (site_dir / DB_FILE_NAME).read_bytes() == before


def test_truncated_database(site_dir: Path) -> None:
    db = site_dir / DB_FILE_NAME
    db.write_bytes(db.read_bytes()[:1500])
    with pytest.raises(SiteError, match="damaged"):
        Site.open_with_secret(site_dir, PASSPHRASE)


def test_refuses_to_create_over_an_existing_site(site_dir: Path) -> None:
    before = (site_dir / DB_FILE_NAME).read_bytes()
    with pytest.raises(SiteError, match="already holds"):
        Site.create(site_dir, PASSPHRASE)
    assert (site_dir / DB_FILE_NAME).read_bytes() == before


def test_unwritable_data_folder(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        if os.access(ro, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        with pytest.raises(SiteError, match="cannot write"):
            Site.create(ro / "site", PASSPHRASE)
    finally:
        ro.chmod(0o700)


def test_database_from_a_newer_version_is_refused(site_dir: Path, template_site: Template) -> None:
    site = Site.open_with_key(site_dir, template_site.data_key)
    with site.engine.begin() as conn:
        conn.execute(text("INSERT INTO alembic_version VALUES ('9999_future')"))
    site.close()
    with pytest.raises(SiteError, match="newer version"):
        Site.open_with_key(site_dir, template_site.data_key)


def test_backup_restore_round_trip(site_dir: Path, tmp_path: Path, template_site: Template) -> None:
    site = Site.open_with_key(site_dir, template_site.data_key)
    bundle = tmp_path / "site.hbk"
    site.backup(bundle)
    site.close()
    with zipfile.ZipFile(bundle) as zf:
        assert not zf.read(DB_FILE_NAME).startswith(SQLITE_HEADER)
    restored = Site.restore(bundle, tmp_path / "restored", PASSPHRASE)
    assert staff_count(restored) == 7
    assert restored.verify_audit().ok
    restored.close()


def test_restore_refuses_a_folder_that_is_not_empty(site_dir: Path, tmp_path: Path, template_site: Template) -> None:
    site = Site.open_with_key(site_dir, template_site.data_key)
    site.backup(tmp_path / "b.hbk")
    site.close()
    with pytest.raises(SiteError, match="not empty"):
        Site.restore(tmp_path / "b.hbk", site_dir, PASSPHRASE)


def test_restore_of_a_damaged_backup(tmp_path: Path) -> None:
    bad = tmp_path / "bad.hbk"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(SiteError, match=r"damaged|not a Harbour backup"):
        Site.restore(bad, tmp_path / "into", PASSPHRASE)
    assert not any((tmp_path / "into").iterdir())


def test_disk_full_during_backup_leaves_no_file(site_dir: Path, tmp_path: Path, template_site: Template,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    site = Site.open_with_key(site_dir, template_site.data_key)

    def full(*_a: object, **_k: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "write", full)
    with pytest.raises(SiteError, match="disk is full"):
        site.backup(tmp_path / "b.hbk")
    site.close()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("b.hbk")] == []


def test_rekey_keeps_data_and_retires_the_old_key(site_dir: Path, template_site: Template) -> None:
    site = Site.open_with_key(site_dir, template_site.data_key)
    code = site.rekey("a brand new passphrase")
    site.finish_rekey()
    site.close()
    with pytest.raises(engines.DatabaseLocked):
        engines.connect_raw(site_dir / DB_FILE_NAME, template_site.data_key)
    with pytest.raises(SiteError):
        Site.open_with_secret(site_dir, PASSPHRASE)
    for secret in ("a brand new passphrase", code):
        reopened = Site.open_with_secret(site_dir, secret)
        assert staff_count(reopened) == 7 and reopened.verify_audit().ok
        reopened.close()


def test_rekey_interrupted_after_the_database_changed(site_dir: Path, template_site: Template) -> None:
    """Power cut between rekeying the database and dropping the old slots (M12):
    every way in still opens, and the next open under the site lock finishes it."""
    site = Site.open_with_key(site_dir, template_site.data_key)
    site.rekey("a brand new passphrase")  # no finish_rekey: the process died here
    site.close()
    for secret in ("a brand new passphrase", template_site.recovery_code):
        reopened = Site.open_with_secret(site_dir, secret)  # without the lock: key file untouched
        assert staff_count(reopened) == 7 and reopened.notice is None
        reopened.close()
    assert keys.read(site_dir).pending
    with SiteLock(site_dir):
        reopened = Site.open_with_secret(site_dir, "a brand new passphrase")
    assert reopened.notice and "finished" in reopened.notice
    assert not keys.read(site_dir).pending and keys.read(site_dir).retained
    reopened.close()
    Site.open_with_secret(site_dir, template_site.recovery_code).close()  # still honoured


def test_rekey_interrupted_before_the_database_changed_is_undone(site_dir: Path, template_site: Template,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    site = Site.open_with_key(site_dir, template_site.data_key)

    def power_cut(*_a: object, **_k: object) -> None:
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(engines, "connect_raw", power_cut)
    with pytest.raises(KeyboardInterrupt):
        site.rekey("a brand new passphrase")
    monkeypatch.undo()
    with SiteLock(site_dir):
        reopened = Site.open_with_secret(site_dir, template_site.recovery_code)
    assert reopened.notice and "undone" in reopened.notice
    assert keys.read(site_dir) == keys.KeyFile(reopened.key_file.site_id, reopened.key_file.slots)
    reopened.close()
    Site.open_with_secret(site_dir, PASSPHRASE).close()


def test_migrations_are_current_after_open(clinic) -> None:  # type: ignore[no-untyped-def]
    assert migrate.is_current(clinic.site.engine)
    assert clinic.site.integrity().ok


def test_passphrase_change_and_new_recovery_code(site_dir: Path, template_site: Template) -> None:
    site = Site.open_with_key(site_dir, template_site.data_key)
    site.change_passphrase("a different site passphrase")
    code = site.new_recovery_code()
    site.close()
    for secret in ("a different site passphrase", code):
        Site.open_with_secret(site_dir, secret).close()
    for retired in (PASSPHRASE, template_site.recovery_code):
        with pytest.raises(SiteError, match="not right"):
            Site.open_with_secret(site_dir, retired)
