"""Tests for clinic.services.backups: the rolling backup written on close."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from clinic.clock import FixedClock
from clinic.permissions import Actor, Role
from clinic.services import site_settings
from clinic.services.backups import backup_on_close
from clinic.uow import Clinic
from db.site import Site
from tests.conftest import PASSPHRASE


def test_nothing_is_written_without_a_folder(clinic: Clinic) -> None:
    assert backup_on_close(clinic) is None


def test_keeps_the_newest_n_and_each_opens(clinic: Clinic, clock: FixedClock, actors: dict[Role, Actor],
                                           tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    with clinic.unit_of_work(write=True) as uow:
        site_settings.change(uow, actors[Role.ADMIN], {"backup.folder": str(folder), "backup.keep_last": 2})
    written = []
    for _ in range(3):
        written.append(backup_on_close(clinic))
        clock.advance(timedelta(minutes=1))
    kept = sorted(folder.iterdir())
    assert kept == written[1:]
    restored = Site.restore(kept[-1], tmp_path / "restored", PASSPHRASE)
    assert restored.verify_audit().ok
    restored.close()

