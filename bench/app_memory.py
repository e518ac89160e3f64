"""Child process of the benchmark: the application's resident memory after a
nurse has visited every page and opened a record on the large site.

Reads the data key (hex) from stdin; prints the peak resident set in MB.

The peak is the kernel's high-water mark of this process's own memory
(``VmHWM``), not ``getrusage``'s ``ru_maxrss``: Linux carries that over from
the parent through fork and exec, so a child of the benchmark that has just
built a 50,000-person site reported the builder's 430 MB as its own.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from sqlalchemy import select

from bench.backends import open_with_key
from clinic.services.staff import actor_of
from db.tables.people import Person
from db.tables.staff import Staff
from ui import ops
from ui.context import AppContext
from ui.shell.main_window import MainWindow


def peak_resident_mb() -> int:
    """This process's peak resident set since it was started (``VmHWM``), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    raise RuntimeError("no VmHWM in /proc/self/status")


def settle(app: QApplication) -> None:
    for _ in range(5):
        ops.wait_for_all()
        app.processEvents()
        time.sleep(0.05)


def main() -> None:
    app = QApplication(sys.argv[:1])
    key = bytes.fromhex(sys.stdin.read().strip())
    clinic = open_with_key(Path(sys.argv[1]), key)
    with clinic.unit_of_work() as uow:
        nurse = actor_of(uow.session.execute(select(Staff).where(Staff.username == "nurse")).scalar_one())
        person = uow.session.execute(select(Person.id).limit(1)).scalar_one()
    window = MainWindow(AppContext(clinic, nurse), site_name="Benchmark", idle_minutes=60)
    window.show()
    for row in range(window.nav.count()):
        window.page(window.nav.item(row).text())
        settle(app)
    window.open_person(person)
    settle(app)
    print(peak_resident_mb())
    window.close()
    clinic.site.close()


if __name__ == "__main__":
    main()
