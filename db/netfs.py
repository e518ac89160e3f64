"""Is a folder on a network file system? (Then no SQLCipher file goes there.)

SQLite's own documentation: WAL "does not work over a network filesystem",
and network file locking is buggy enough to corrupt a database. Harbour runs
SQLCipher in WAL mode, so a data folder on SMB/CIFS or NFS (a UNC path or a
mapped network drive on Windows) is refused, pointing to the server back end.
"""

from __future__ import annotations

import os
from pathlib import Path

MOUNTS = Path("/proc/mounts")
NETWORK_FSTYPES = frozenset({"cifs", "smb3", "smbfs", "nfs", "nfs4", "ncpfs", "afs", "ceph", "glusterfs",
                             "fuse.sshfs", "davfs", "9p"})
DRIVE_REMOTE = 4  # GetDriveTypeW


def refusal(fstype: str) -> str:
    return (f"This data folder is on a network file system ({fstype}); Harbour's encrypted database file "
            "must be on this computer's own disk, because SQLite's locking over a network can corrupt it. "
            "For several workstations, put the site on a PostgreSQL server instead "
            "(harbour-admin server init, then harbour-admin connect on each workstation).")


def network_filesystem(folder: Path) -> str | None:
    """The network file system ``folder`` is on, or None for a local disk."""
    if os.name == "nt":
        return windows_network(folder)
    try:
        lines = MOUNTS.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None  # not Linux (macOS, BSD): no /proc/mounts to consult
    target = _existing_ancestor(folder)
    best, fstype = "", None
    for line in lines:
        fields = line.split()
        if len(fields) < 3:
            continue
        point = _unescape(fields[1])
        if _within(target, point) and len(point) >= len(best):
            best, fstype = point, fields[2]
    return fstype if fstype in NETWORK_FSTYPES else None


def windows_network(folder: Path) -> str | None:
    text = str(folder)
    if text.startswith(("\\\\", "//")):
        return "a UNC path"
    import ctypes

    root = os.path.splitdrive(str(folder.resolve()))[0] + "\\"
    if ctypes.windll.kernel32.GetDriveTypeW(root) == DRIVE_REMOTE:  # type: ignore[attr-defined]
        return "a mapped network drive"
    return None


def _existing_ancestor(folder: Path) -> str:
    """The folder may not exist yet (a new site): judge by where it would be."""
    path = Path(folder).absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return str(path.resolve())


def _within(path: str, mount_point: str) -> bool:
    return mount_point == "/" or path == mount_point or path.startswith(mount_point.rstrip("/") + "/")


def _unescape(field: str) -> str:
    """/proc/mounts writes a space as \\040 (and tab, newline, backslash likewise)."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field
