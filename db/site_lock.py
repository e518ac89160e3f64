"""The site's exclusive lock: ``harbour.lock`` in the data folder (C1, m14, m18).

The application takes this file with Qt's ``QLockFile``
(``ui/shell/single_instance.py``) for as long as it is open; ``harbour-admin``
takes the same file, in the same way, around every operation that rewrites
the key file (init, rekey, passphrase, recovery-code, restore). So one key
change runs at a time, and none runs while the application has the site open.

The protocol is QLockFile's, so each side respects the other: the file is
created with ``O_CREAT | O_EXCL``, locked with ``flock`` while held, and holds
``pid``, the program name and the host name, one a line. A file left by a
process that has died (its pid is gone and nobody holds the ``flock``) is
stale and is taken over. Data folders on network shares are refused
elsewhere (DESIGN.md §2), so the pid check is always on this machine.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
import time
from pathlib import Path
from typing import Self

LOCK_FILE_NAME = "harbour.lock"
#: A lock file with no pid yet is being written; after this long its owner died.
UNWRITTEN_GRACE_S = 10

try:
    import fcntl
except ImportError:  # Windows: the O_EXCL file alone serialises
    fcntl = None  # type: ignore[assignment]


class SiteBusy(Exception):
    """Another key change, or the application, holds the site's lock."""


class SiteLock:
    """``with SiteLock(data_dir):`` — held for the block, released after."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / LOCK_FILE_NAME
        self._fd: int | None = None

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def acquire(self) -> None:
        for _attempt in range(3):
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                if not _remove_if_stale(self.path):
                    raise SiteBusy(_busy_message(self.path)) from None
                continue
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:  # someone took it over between create and lock
                    os.close(fd)
                    raise SiteBusy(_busy_message(self.path)) from None
            try:
                os.write(fd, _contents())
                os.fsync(fd)
            except OSError:  # a full disk: leave no lock file behind
                os.close(fd)
                self.path.unlink(missing_ok=True)
                raise
            self._fd = fd
            return
        raise SiteBusy(_busy_message(self.path))

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        finally:
            os.close(self._fd)
            self._fd = None


def held_by_this_process(data_dir: Path) -> bool:
    """True if this process (the application, through QLockFile, or a
    ``SiteLock``) holds the site's lock: then it may rewrite the key file."""
    info = _read(Path(data_dir) / LOCK_FILE_NAME)
    return info is not None and info[0] == os.getpid()


def _contents() -> bytes:
    return f"{os.getpid()}\n{_program_name()}\n{socket.gethostname()}\n".encode()


def _program_name() -> str:
    """What QLockFile writes and checks: the name of this process's executable."""
    try:
        return Path(os.readlink("/proc/self/exe")).name
    except OSError:
        return Path(sys.executable).name


def _read(path: Path) -> tuple[int, str] | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        return int(lines[0]), lines[1] if len(lines) > 1 else ""
    except (OSError, ValueError, IndexError):
        return None


def _busy_message(path: Path) -> str:
    info = _read(path)
    who = f" (process {info[0]})" if info else ""
    return (f"another key change is in progress, or Harbour is open on this site{who}; "
            "nothing was changed: try again when it has finished")


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError as exc:
        return exc.errno != errno.ESRCH
    return True


def _remove_if_stale(path: Path) -> bool:
    """Remove a lock left by a dead process; False if someone holds it."""
    info = _read(path)
    try:
        if info is None and time.time() - path.stat().st_mtime < UNWRITTEN_GRACE_S:
            return False  # just created: its owner is still writing it
    except FileNotFoundError:
        return True  # released meanwhile: try again
    if info is not None and pid_alive(info[0]):
        return False
    try:
        fd = os.open(path, os.O_WRONLY)
    except FileNotFoundError:
        return True
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False
        if os.fstat(fd).st_ino == path.stat().st_ino:  # still the file we judged stale
            path.unlink()
        return True
    except FileNotFoundError:
        return True
    finally:
        os.close(fd)
