"""C1, M12, m14, m18: key operations as real processes, at the same time.

Before the site lock, two key operations at once made the site unopenable
in 12 of 20 trials of the review; here each round races several and then
checks that the passphrase and the recovery code reported last both open it.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from db import keys
from db.site_lock import LOCK_FILE_NAME, SiteLock
from tests.cli.helpers import (
    ADMIN_PASS,
    SITE_PASS,
    admin,
    new_site,
    opens,
    recovery_code,
    start,
)

NEW_PASS = "another long site passphrase 42"


@pytest.fixture(scope="module")
def cli_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    site = tmp_path_factory.mktemp("cli-site") / "site"
    return site, new_site(site)


def copy_of(cli_site: tuple[Path, str], tmp_path: Path, name: str = "copy") -> Path:
    target = tmp_path / name
    shutil.copytree(cli_site[0], target)
    return target


@pytest.mark.parametrize("round_", range(2))
def test_concurrent_key_operations_leave_the_last_reported_ways_in(cli_site: tuple[Path, str], tmp_path: Path,
                                                                   round_: int) -> None:
    site = copy_of(cli_site, tmp_path)
    d = ("--data-dir", str(site), "--passphrase-stdin")
    jobs = [("rekey", SITE_PASS), ("passphrase", f"{SITE_PASS}\n{NEW_PASS}"), ("rekey", SITE_PASS),
            ("recovery-code", SITE_PASS)]
    if round_ % 2:
        jobs.reverse()
    running = []
    for command, stdin in jobs:
        running.append((command, start(command, *d, stdin=stdin)))
        time.sleep(0.15 * round_)
    finished = []
    while running:
        for item in list(running):
            if item[1].poll() is not None:
                out, err = item[1].communicate()
                finished.append((item[0], item[1].returncode, out, err))
                running.remove(item)
        time.sleep(0.01)
    passphrase, code = SITE_PASS, cli_site[1]
    for command, rc, out, err in finished:  # in the order they ended
        if rc == 0:
            passphrase = NEW_PASS if command == "passphrase" else passphrase
            code = recovery_code(out) or code
        else:
            assert err.count("\n") == 1 and "Traceback" not in err, err
            assert "another key change is in progress" in err or "not right" in err, err
    assert any(rc == 0 for _, rc, _, _ in finished)
    assert opens(site, passphrase), "the last reported passphrase does not open the site"
    assert opens(site, code), "the last reported recovery code does not open the site"
    assert not (site / LOCK_FILE_NAME).exists()


def test_a_held_lock_refuses_key_operations_in_one_line(cli_site: tuple[Path, str], tmp_path: Path) -> None:
    site = copy_of(cli_site, tmp_path)
    with SiteLock(site):  # as the application holds it while open (m18)
        for command in ("rekey", "passphrase", "recovery-code"):
            rc, _, err = admin(command, "--data-dir", str(site), "--passphrase-stdin", stdin=f"{SITE_PASS}\n{NEW_PASS}")
            assert rc == 1 and err.count("\n") == 1 and "another key change is in progress" in err, err
    assert opens(site, SITE_PASS) and opens(site, cli_site[1])


def test_two_inits_at_once_give_one_site_that_opens(tmp_path: Path) -> None:
    """m14: before, both said "Site created" and neither passphrase opened it."""
    site = tmp_path / "new"
    procs = [start("init", "--data-dir", str(site), "--passphrase-stdin", stdin=f"{p}\n{ADMIN_PASS}\n")
             for p in (SITE_PASS, NEW_PASS)]
    results = [(p.wait(60), *p.communicate()) for p in procs]
    made = [(secret, recovery_code(out))
            for secret, (rc, out, _) in zip((SITE_PASS, NEW_PASS), results, strict=True) if rc == 0]
    assert len(made) == 1, results
    for _, _, err in results:
        assert "Traceback" not in err
    secret, code = made[0]
    assert opens(site, secret) and opens(site, code or "")


def test_rekey_killed_before_the_new_code_was_shown_keeps_the_old_code(cli_site: tuple[Path, str],
                                                                        tmp_path: Path) -> None:
    """M12: a rekey killed after the database changed key, before it printed the new
    recovery code, retired the old one without a word. Now the old code still opens
    the site, and the next key operation says what it finished."""
    from db.site import Site

    site_dir = copy_of(cli_site, tmp_path)
    site = Site.open_with_secret(site_dir, SITE_PASS)
    site.rekey(SITE_PASS)  # the database has the new key; the process "dies" before finish_rekey
    site.close()
    assert keys.read(site_dir).pending
    assert opens(site_dir, cli_site[1]), "the old recovery code was retired before the new one was shown"
    rc, out, err = admin("recovery-code", "--data-dir", str(site_dir), "--passphrase-stdin", stdin=cli_site[1])
    assert rc == 0 and "interrupted rekey was finished" in err, err
    assert opens(site_dir, recovery_code(out) or "") and opens(site_dir, SITE_PASS)
    assert not opens(site_dir, cli_site[1])  # a fresh code replaces the others


def test_the_applications_qlockfile_and_harbour_admin_respect_each_other(cli_site: tuple[Path, str],
                                                                         tmp_path: Path) -> None:
    """m18: the application holds harbour.lock with QLockFile; harbour-admin ignored it."""
    from PySide6.QtCore import QLockFile

    site = copy_of(cli_site, tmp_path)
    app_lock = QLockFile(str(site / LOCK_FILE_NAME))
    app_lock.setStaleLockTime(0)
    assert app_lock.tryLock(0)
    from db.site_lock import held_by_this_process

    assert held_by_this_process(site)  # so the application may finish an interrupted rekey on open
    try:
        rc, _, err = admin("rekey", "--data-dir", str(site), "--passphrase-stdin", stdin=SITE_PASS)
        assert rc == 1 and "another key change is in progress" in err
    finally:
        app_lock.unlock()
    with SiteLock(site):
        other = QLockFile(str(site / LOCK_FILE_NAME))
        other.setStaleLockTime(0)
        assert not other.tryLock(0)
