"""One Harbour per data folder on a workstation.

A lock file in the data folder says "in use"; a local socket named after
the folder lets a second launch bring the first to the front instead of
opening the same database twice.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

LOCK_FILE_NAME = "harbour.lock"


class SingleInstance(QObject):
    #: Another launch asked this one to come to the front.
    activated = Signal()

    def __init__(self, data_dir: Path) -> None:
        super().__init__()
        self._data_dir = data_dir
        digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
        self._name = f"harbour-{digest}"
        self._lock: QLockFile | None = None
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        """True if this is the only instance; otherwise wake the other one."""
        self._data_dir.mkdir(parents=True, exist_ok=True)
        lock = QLockFile(str(self._data_dir / LOCK_FILE_NAME))
        lock.setStaleLockTime(0)
        if not lock.tryLock(200):
            socket = QLocalSocket()
            socket.connectToServer(self._name)
            if socket.waitForConnected(500):
                socket.write(b"raise")
                socket.waitForBytesWritten(500)
                socket.disconnectFromServer()
            return False
        self._lock = lock
        QLocalServer.removeServer(self._name)
        self._server = QLocalServer(self)
        self._server.newConnection.connect(self._wake)
        self._server.listen(self._name)
        return True

    def _wake(self) -> None:
        assert self._server is not None
        while (connection := self._server.nextPendingConnection()) is not None:
            connection.disconnectFromServer()
        self.activated.emit()

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
        if self._lock is not None:
            self._lock.unlock()
