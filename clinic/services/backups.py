"""The automatic backup when Harbour closes (site settings backup.folder
and backup.keep_last), kept as a rolling set of encrypted files."""

from __future__ import annotations

from pathlib import Path

from clinic.clock import SITE_TZ
from clinic.uow import Clinic

PREFIX = "harbour-backup-"
SUFFIX = ".hbk"


def backup_on_close(clinic: Clinic) -> Path | None:
    """Write a backup if a folder is set; keep the newest ``keep_last``."""
    with clinic.unit_of_work() as uow:
        folder, keep = uow.settings["backup.folder"], uow.settings["backup.keep_last"]
    if not folder:
        return None
    target_dir = Path(folder).expanduser()
    target_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = clinic.clock.now().astimezone(SITE_TZ).strftime("%Y%m%d-%H%M%S")
    target = target_dir / f"{PREFIX}{stamp}{SUFFIX}"
    clinic.site.backup(target, overwrite=True)  # our own rolling file name
    with clinic.unit_of_work(write=True) as uow:
        uow.audit(None, "site.backed_up", "site", clinic.site.key_file.site_id)
    for old in sorted(target_dir.glob(f"{PREFIX}*{SUFFIX}"))[: -max(keep, 1)]:
        old.unlink()
    return target
