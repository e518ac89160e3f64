"""The cold start to the sign-in window (DESIGN §6: ≤ 1.5 s), timed as a
workstation starts Harbour.

``measure(folder)`` starts fresh processes (``python -m bench.cold_start
FOLDER``). Each child runs the application's own start, ``ui.app.start``:
the process hardened, the QApplication with its look and keyboard rules, the
single-instance guard, then ``Harbour.start``, which opens the site from the
keyring on a worker thread, reads the service name and shows the sign-in
window. The keyring is the parent's (a ``MemoryKeyring`` holding the data
key, and for a server site the database password as ``harbour-admin
connect`` keeps it), handed over on stdin; the child first lets ``keyring``
look for the OS's backend, as the application's first look-up does, then
uses that one. The child stops at the sign-in window's first paint, prints
the wall-clock time and its own CPU time then, and exits at once; the
parent takes the time from just before it started the process (interpreter
start-up included, exit not). So ``valgrind --tool=callgrind python -m
bench.cold_start FOLDER < KEYRING.json`` counts the start's instructions,
which the machine's load does not move.

Bytecode: an installed Harbour runs from bytecode (the PyInstaller build,
``packaging/harbour.spec``, ships every module compiled), but this machine
sets ``PYTHONDONTWRITEBYTECODE``, so a checkout's own sources would be
compiled at every start. So the children get a ``PYTHONPYCACHEPREFIX`` in a
temporary folder, one untimed start fills it, and ``RUNS`` starts from it are
timed: their median is the reported cold start. As many starts that compile
Harbour's sources (no cache of their own; the installed packages still have
theirs) are timed in turn between them and reported beside it.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

RUNS = 5
#: A start that has not shown the sign-in window by then has failed.
TIMEOUT_S = 60


def measure(folder: Path, *, runs: int = RUNS) -> dict[str, Any]:
    """The median cold start from bytecode and compiling, with each run's
    wall and CPU time (ms) and the load average before and after."""
    import statistics  # the parent's imports: the child imports only what it times
    import tempfile

    import keyring

    from db import profile as profiles
    from db.server import save_password, saved_password

    if profiles.is_server_folder(folder):  # a connected workstation keeps the database password
        profile = profiles.read(folder)
        save_password(profile, saved_password(profile) or "")
    held = json.dumps(sorted(getattr(keyring.get_keyring(), "items", {}).items()))
    load_before = [round(x, 2) for x in os.getloadavg()]
    cached: list[tuple[float, float]] = []
    compiling: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory(prefix="harbour-bench-pycache-") as cache:
        from_cache = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        from_cache["PYTHONPYCACHEPREFIX"] = cache
        from_source = {k: v for k, v in os.environ.items() if k != "PYTHONPYCACHEPREFIX"}
        from_source["PYTHONDONTWRITEBYTECODE"] = "1"
        _start(folder, held, from_cache)  # compiles everything into the cache
        for _ in range(runs):
            cached.append(_start(folder, held, from_cache))
            compiling.append(_start(folder, held, from_source))
    return {
        "median ms (from bytecode, as installed)": round(statistics.median(w for w, _ in cached), 1),
        "median ms, compiling Harbour's sources": round(statistics.median(w for w, _ in compiling), 1),
        "median CPU ms (from bytecode)": round(statistics.median(c for _, c in cached), 1),
        "median CPU ms, compiling": round(statistics.median(c for _, c in compiling), 1),
        "runs (wall ms, CPU ms), from bytecode": cached,
        "runs (wall ms, CPU ms), compiling": compiling,
        "load average before, after": [load_before, [round(x, 2) for x in os.getloadavg()]],
    }


def _start(folder: Path, held: str, env: dict[str, str]) -> tuple[float, float]:
    import subprocess

    started = time.time()
    done = subprocess.run([sys.executable, "-m", "bench.cold_start", str(folder)], input=held.encode(), env=env,
                          check=True, capture_output=True, timeout=TIMEOUT_S * 2)
    shown = json.loads(done.stdout.decode().splitlines()[-1])
    return round((shown["at"] - started) * 1000, 1), round(shown["cpu_s"] * 1000, 1)


def main() -> int:
    import keyring

    from db.keyring_store import MemoryKeyring

    import ui.app  # first, as harbour's entry point imports it (its import order is part of the start)

    held = MemoryKeyring()
    held.items = {(service, name): secret for (service, name), secret in json.loads(sys.stdin.read())}
    keyring.get_keyring()  # the backend search the application's first keyring look-up makes
    keyring.set_keyring(held)

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QWidget

    from ui.shell.sign_in import SignInWindow

    shown: dict[str, float] = {}

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (event.type() == QEvent.Type.Paint and not shown and isinstance(watched, QWidget)
                    and isinstance(watched.window(), SignInWindow)):
                shown.update(at=time.time(), cpu_s=time.process_time())
                QTimer.singleShot(0, started.app.quit)
            return False

    started = ui.app.start(["--data-dir", sys.argv[1]])
    if started is None:
        print("Harbour is already open on this folder", file=sys.stderr)
        return 1
    watcher = FirstPaint()
    started.app.installEventFilter(watcher)
    QTimer.singleShot(TIMEOUT_S * 1000, started.app.quit)
    started.app.exec()
    started.guard.release()
    if not shown:
        print(f"no sign-in window within {TIMEOUT_S} s (the window shown: {started.harbour.window!r})",
              file=sys.stderr)
    print(json.dumps(shown), flush=True)
    os._exit(0 if shown else 1)  # at once: closing is no part of the start, and nothing was changed


if __name__ == "__main__":
    raise SystemExit(main())
