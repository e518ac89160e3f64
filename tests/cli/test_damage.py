"""M7, M8, M9, M10, m1, m16, m19: damaged, missing and full -- one line naming the cause."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from sqlalchemy import func, select

from cli import admin as cli_admin
from clinic.clock import SystemClock
from clinic.services.people import records as people
from clinic.services.staff import actor_of
from clinic.uow import Clinic
from db import audit, keys
from db.site import DB_FILE_NAME, Site
from db.tables.people import Person
from db.tables.staff import Staff
from tests.cli.helpers import SITE_PASS, admin, new_site


@pytest.fixture(scope="module")
def base_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("damage-base") / "site"
    new_site(site)
    clinic = Clinic(Site.open_with_secret(site, SITE_PASS), SystemClock())
    for i in range(150):  # a few hundred KB, so there are pages to damage mid-file
        register(clinic, f"Damage{i:04d}")
    clinic.site.close()
    return site


@pytest.fixture
def site(base_site: Path, tmp_path: Path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(base_site, target)
    return target


def register(clinic: Clinic, surname: str, **extra: str) -> None:
    with clinic.unit_of_work(write=True) as uow:
        reception = actor_of(uow.session.execute(select(Staff).where(Staff.username == "reception")).scalar_one())
        people.register(uow, reception, people.PersonDetails(
            surname=surname, forename="Test", date_of_birth=date(1980, 1, 1), address_lines="1 Road\nTown",
            postcode="SW1A 1AA", **extra), confirmed_not_duplicate=True)


def run(*argv: str, stdin: str = SITE_PASS) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out), mock.patch("sys.stdin", io.StringIO(stdin)):
        code = cli_admin.main([*argv, "--passphrase-stdin"])
    return code, out.getvalue(), err.getvalue()


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("damage", ["missing", "empty", "folder"])
def test_missing_or_empty_database_is_named_never_replaced(site: Path, tmp_path: Path, damage: str) -> None:
    """M8: verify wrote a new empty schema into an empty file; backup wrote an empty backup, exit 0."""
    db = site / DB_FILE_NAME
    db.unlink()
    if damage == "empty":
        db.write_bytes(b"")
    elif damage == "folder":
        db.mkdir()
    (site / audit.ANCHOR_FILE_NAME).unlink()
    for argv in (("verify",), ("backup", "--to", str(tmp_path / "b.hbk")), ("demo", "--people", "1")):
        code, _, err = run(argv[0], "--data-dir", str(site), *argv[1:])
        assert code == 1 and err.count("\n") == 1 and DB_FILE_NAME in err and "Traceback" not in err, (argv, err)
    assert not (tmp_path / "b.hbk").exists()
    assert (not db.exists()) if damage == "missing" else (db.is_dir() or db.stat().st_size == 0)


def test_verify_is_read_only(site: Path, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    """m19: verify could migrate, promote pending slots, create the database and fill the keyring."""
    opened = Site.open_with_secret(site, SITE_PASS)
    opened.rekey(SITE_PASS)  # interrupted after the database changed key: pending slots remain
    opened.close()
    memory_keyring.items.clear()
    before = snapshot(site)
    code, _, err = run("verify", "--data-dir", str(site))
    assert code == 0, err
    assert snapshot(site) == before  # no file made, changed or removed (no -wal, no -shm)
    assert keys.read(site).pending and not memory_keyring.items


def test_damaged_page_gives_the_integrity_report_in_a_few_lines(site: Path) -> None:
    """M7: a damaged page mid-file crashed verify with a 94-170 line traceback."""
    size = (site / DB_FILE_NAME).stat().st_size
    with open(site / DB_FILE_NAME, "r+b") as fh:
        fh.seek(size // 2)
        fh.write(b"x" * 16)
    code, _, err = run("verify", "--data-dir", str(site))
    assert code == 1 and "Traceback" not in err and 1 <= err.count("\n") <= 12, err
    assert "encryption" in err or "integrity" in err
    # backup either refuses in one line or writes a copy that passed its own restore check
    # (sqlcipher_export rebuilds the damaged index pages from the tables)
    code, _, err = run("backup", "--data-dir", str(site), "--to", str(site.parent / "b.hbk"))
    assert (code == 0 and err == "") or (code == 1 and err.count("\n") == 1), err
    assert code == 0 or not (site.parent / "b.hbk").exists()


@pytest.mark.parametrize("damage", ["page1", "other-key-file"])
def test_sqlcipher_log_lines_never_reach_the_terminal(site: Path, tmp_path: Path, damage: str) -> None:
    """m1: three "ERROR CORE ... hmac check failed" lines came before Harbour's line."""
    if damage == "page1":
        with open(site / DB_FILE_NAME, "r+b") as fh:
            fh.seek(20)
            fh.write(os.urandom(16))
    else:
        other = tmp_path / "other"
        new_site(other)
        shutil.copy(other / keys.KEY_FILE_NAME, site / keys.KEY_FILE_NAME)
    code, _, err = admin("verify", "--data-dir", str(site), "--passphrase-stdin", stdin=SITE_PASS)
    assert code == 1 and "ERROR CORE" not in err and err.count("\n") == 1, err


def test_a_committed_write_is_never_reported_as_failed(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """M10: the anchor was written after the commit, so a full disk raised OSError for a saved record."""
    clinic = Clinic(Site.open_with_secret(site, SITE_PASS), SystemClock())

    def disk_full(*_a: object, **_k: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(keys.tempfile, "mkstemp", disk_full)
    register(clinic, "Committed")  # does not raise
    monkeypatch.undo()
    with clinic.unit_of_work() as uow:
        assert uow.session.execute(select(func.count()).where(Person.surname == "Committed")).scalar_one() == 1
    assert clinic.site.verify_audit().ok
    clinic.site.close()


def test_atomic_writes_use_unique_temporary_names(tmp_path: Path) -> None:
    """M10: two processes shared audit.anchor.tmp, and one crashed with FileNotFoundError."""
    names: list[str] = []
    real = keys.tempfile.mkstemp

    def spy(*a: object, **k: object) -> tuple[int, str]:
        fd, name = real(*a, **k)  # type: ignore[arg-type]
        names.append(name)
        return fd, name

    with mock.patch.object(keys.tempfile, "mkstemp", spy):
        keys.atomic_write(tmp_path / "f", b"1")
        keys.atomic_write(tmp_path / "f", b"2")
    assert len(set(names)) == 2 and [p.name for p in tmp_path.iterdir()] == ["f"]


# ---- a real full disk and a real read-only folder (a small tmpfs; needs root) ----

@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)],
                                           capture_output=True, check=False).returncode != 0:
        pytest.skip("needs root to mount a small tmpfs")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> None:
    subprocess.run(["dd", "if=/dev/zero", f"of={disk / 'fill'}", "bs=4k"], capture_output=True, check=False)


def test_full_disk_and_read_only_folder_are_named(site: Path, small_disk: Path, tmp_path: Path) -> None:
    """M9, m16: a full disk and a read-only folder were reported as a wrong key, a damaged
    backup, or a 54-line traceback."""
    target = small_disk / "site"
    shutil.copytree(site, target)
    fill(small_disk)
    assert run("verify", "--data-dir", str(target))[0] == 0  # verify only reads: it works on a full disk
    for argv in (("passphrase",), ("demo", "--people", "5"), ("backup", "--to", str(small_disk / "b.hbk"))):
        stdin = f"{SITE_PASS}\nanother long site passphrase 42" if argv[0] == "passphrase" else SITE_PASS
        code, _, err = run(argv[0], "--data-dir", str(target), *argv[1:], stdin=stdin)
        assert code == 1 and err.count("\n") == 1 and "Traceback" not in err, (argv, err)
        assert "full" in err and "key does not open" not in err, (argv, err)
    (small_disk / "fill").unlink()
    code, _, err = run("backup", "--data-dir", str(site), "--to", str(small_disk / "b.hbk"))
    assert code == 0, err  # a site of a few hundred KB fits
    subprocess.run(["umount", "-l", str(small_disk)], check=True)  # a fresh one: no file of ours open on it
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(small_disk)], check=True)
    shutil.copytree(site, target)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    code, _, err = run("verify", "--data-dir", str(target))
    assert code == 0, err  # verify works on read-only media
    code, _, err = run("demo", "--data-dir", str(target), "--people", "5")
    assert code == 1 and "read-only" in err and err.count("\n") == 1, err


def test_init_and_restore_on_a_full_disk_say_so_and_leave_nothing(small_disk: Path, tmp_path: Path,
                                                                   site: Path) -> None:
    """M9: init with little space said "may be damaged" and left a half-made site that blocked
    a second init (and verify called it OK); restore onto a full disk blamed the backup."""
    bundle = tmp_path / "b.hbk"
    assert run("backup", "--data-dir", str(site), "--to", str(bundle))[0] == 0
    fill(small_disk)
    subprocess.run(["truncate", "-s", "-300K", str(small_disk / "fill")], check=True)  # 300 KB left
    new = small_disk / "new"
    code, _, err = run("init", "--data-dir", str(new), stdin=f"{SITE_PASS}\nan admin password for the cli\n")
    assert code == 1 and err.count("\n") == 1 and "full" in err and "damaged" not in err, err
    assert [p.name for p in new.iterdir()] == []  # nothing half-made
    code, _, err = run("restore", "--data-dir", str(small_disk / "r"), "--from", str(bundle))
    assert code == 1 and err.count("\n") == 1 and "full" in err and "damaged" not in err, err
    (small_disk / "fill").unlink()
    code, _, err = run("init", "--data-dir", str(new), stdin=f"{SITE_PASS}\nan admin password for the cli\n")
    assert code == 0, err
