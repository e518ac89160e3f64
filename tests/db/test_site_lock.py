"""The site lock (db/site_lock.py): exclusive, re-entrant for its holder, stale locks taken over."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from db import site_lock
from db.site_lock import LOCK_FILE_NAME, SiteBusy, SiteLock


def test_second_holder_is_refused_and_the_file_goes_on_release(tmp_path: Path) -> None:
    with SiteLock(tmp_path):
        assert site_lock.held_by_this_process(tmp_path)
        with pytest.raises(SiteBusy, match="another key change is in progress"):
            SiteLock(tmp_path).acquire()
        assert (tmp_path / LOCK_FILE_NAME).stat().st_mode & 0o777 == 0o600
    assert not (tmp_path / LOCK_FILE_NAME).exists()
    assert not site_lock.held_by_this_process(tmp_path)


def test_lock_held_by_another_live_process_is_respected(tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from db.site_lock import SiteLock; l = SiteLock(sys.argv[1]); l.acquire();"
        "print('held', flush=True); time.sleep(30)"), str(tmp_path)],
        cwd=Path(__file__).resolve().parents[2], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(SiteBusy, match=f"process {holder.pid}"):
            SiteLock(tmp_path).acquire()
    finally:
        holder.kill()
        holder.communicate()
    with SiteLock(tmp_path):  # its holder died (kill -9): the lock is stale and taken over
        pass


def test_lock_left_by_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / LOCK_FILE_NAME).write_text(f"{dead.pid}\npython3\nhost\n")
    with SiteLock(tmp_path):
        assert (tmp_path / LOCK_FILE_NAME).read_text().startswith(f"{os.getpid()}\n")
