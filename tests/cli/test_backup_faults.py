"""C2, M11, m13: backups taken while others write, and where a backup may go."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path
from unittest import mock

import pytest

from cli import admin as cli_admin
from db.site import DB_FILE_NAME, Site, SiteError
from tests.cli.helpers import SITE_PASS, admin, committed, new_site, start_writer


@pytest.fixture(scope="module")
def base_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("backup-base") / "site"
    new_site(site)
    return site


@pytest.fixture
def site(base_site: Path, tmp_path: Path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(base_site, target)
    return target


def backup(site: Path, to: Path, *extra: str) -> tuple[int, str, str]:
    return admin("backup", "--data-dir", str(site), "--to", str(to), "--passphrase-stdin", *extra, stdin=SITE_PASS)


def backup_here(site: Path, to: Path, *extra: str) -> tuple[int, str]:
    """The same command in this process (no interpreter start-up): exit code and stderr."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()), \
            mock.patch("sys.stdin", io.StringIO(SITE_PASS)):
        code = cli_admin.main(["backup", "--data-dir", str(site), "--to", str(to), "--passphrase-stdin", *extra])
    return code, err.getvalue()


def test_backup_while_another_process_writes_restores(site: Path, tmp_path: Path) -> None:
    """C2: 6 of 9 such backups could not be restored ("rows were removed")."""
    writer = start_writer(site, 400, "Q")
    assert writer.stdout is not None and writer.stdout.readline().strip() == "READY"
    try:
        for n in range(2):
            bundle = tmp_path / f"during-{n}.hbk"
            code, _, err = backup(site, bundle)
            assert code == 0, err
            target = tmp_path / f"restored-{n}"
            code, out, err = admin("restore", "--data-dir", str(target), "--from", str(bundle), "--passphrase-stdin",
                                   stdin=SITE_PASS)
            assert code == 0, err
    finally:
        out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    assert len(committed(out)) == 400
    assert not list(tmp_path.glob(".harbour-backup-*"))


def test_backup_refuses_any_path_inside_the_data_folder(site: Path) -> None:
    """M11: --to <data-dir>/harbour.db replaced the live database, exit 0."""
    (site / "sub").mkdir()
    before = (site / DB_FILE_NAME).read_bytes()
    for inside in (DB_FILE_NAME, "harbour.keys", "audit.anchor", "sub/b.hbk", ".", "sub/../x.hbk"):
        code, err = backup_here(site, site / inside)
        assert code == 1 and err.count("\n") == 1 and "data folder" in err, (inside, err)
    assert (site / DB_FILE_NAME).read_bytes() == before
    Site.open_with_secret(site, SITE_PASS, read_only=True).close()


def test_backup_to_a_missing_folder_or_an_existing_file(site: Path, tmp_path: Path) -> None:
    """m13: a missing folder was a traceback; an existing backup was overwritten silently."""
    code, err = backup_here(site, tmp_path / "nowhere" / "b.hbk")
    assert code == 1 and err.count("\n") == 1 and "does not exist" in err, err
    bundle = tmp_path / "b.hbk"
    bundle.write_bytes(b"an older backup")
    code, err = backup_here(site, bundle)
    assert code == 1 and err.count("\n") == 1 and "already exists" in err and "--overwrite" in err, err
    assert bundle.read_bytes() == b"an older backup"
    code, err = backup_here(site, bundle, "--overwrite")
    assert code == 0, err
    assert bundle.stat().st_size > 1000 and bundle.stat().st_mode & 0o777 == 0o600


def test_a_killed_backups_work_folder_is_tidied_by_the_next(site: Path, tmp_path: Path) -> None:
    abandoned = tmp_path / ".harbour-backup-999999999-x"  # a pid that cannot be running
    abandoned.mkdir()
    (abandoned / DB_FILE_NAME).write_bytes(b"partial")
    assert backup_here(site, tmp_path / "b.hbk")[0] == 0
    assert not list(tmp_path.glob(".harbour-backup-*"))


def test_a_failed_backup_leaves_nothing(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bundle that does not check out is never reported as written."""
    def fails_its_check(*_a: object) -> None:
        raise SiteError("The backup just written fails its integrity check; nothing was restored.")

    monkeypatch.setattr(Site, "_check_bundle", fails_its_check)
    code, err = backup_here(site, tmp_path / "b.hbk")
    assert code == 1 and "integrity" in err
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_database_from_a_newer_generation_is_refused_on_open_and_restore(site: Path, tmp_path: Path) -> None:
    """m15: SCHEMA_GENERATION (user_version) was stamped but never checked: a bundle stamped 7 restored."""
    import zipfile

    from db import engine as engines
    from db import keys

    bundle = tmp_path / "b.hbk"
    assert backup_here(site, bundle)[0] == 0
    work = tmp_path / "unzipped"
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(work)
    data_key = keys.unwrap(keys.read(work), SITE_PASS)[0][0]
    conn = engines.connect_raw(work / DB_FILE_NAME, data_key)
    conn.execute("PRAGMA user_version = 7")
    conn.close()
    doctored = tmp_path / "newer.hbk"
    with zipfile.ZipFile(doctored, "w") as zf:
        for name in (DB_FILE_NAME, "harbour.keys", "audit.anchor"):
            zf.write(work / name, name)
    code, _, err = admin("restore", "--data-dir", str(tmp_path / "r"), "--from", str(doctored), "--passphrase-stdin",
                         stdin=SITE_PASS)
    assert code == 1 and "newer version of Harbour" in err and err.count("\n") == 1, err
    assert not (tmp_path / "r" / DB_FILE_NAME).exists()
    with pytest.raises(SiteError, match="newer version"):
        Site.open_with_secret(work, SITE_PASS)
