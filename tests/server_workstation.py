"""One simulated workstation for tests/db/test_server_concurrency.py: its own
engine, its own sessions, the same services as the application."""

from __future__ import annotations

import dataclasses
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from clinic.clock import FixedClock
from clinic.permissions import Actor
from clinic.services.people import records as people
from clinic.uow import Clinic
from db.server import ServerSite
from db.tables.people import Person
from tests.conftest import NOW

#: Seconds each workstation keeps writing once all have started.
WRITE_SECONDS = 6.0


def _letters(n: int) -> str:
    """A number as letters (names take no digits)."""
    text = ""
    while True:
        n, r = divmod(n, 26)
        text = "abcdefghijklmnopqrstuvwxyz"[r] + text
        if not n:
            return text


def workstation(folder: str, key: bytes, actor: Actor, shared_id: int, n: int, start: Any, out: Any) -> None:
    site = ServerSite.open_with_key(Path(folder), key, password="")
    clinic = Clinic(site, FixedClock(NOW))
    registered: list[tuple[int, str]] = []
    saved, conflicts, errors = 0, 0, []
    start.wait()
    stop = time.monotonic() + WRITE_SECONDS
    i = 0
    while time.monotonic() < stop:
        i += 1
        surname = f"Conc{_letters(n)}x{_letters(i)}"
        try:
            with clinic.unit_of_work(write=True) as uow:
                done = people.register(uow, actor, people.PersonDetails(
                    surname, "Sam", date_of_birth=date(1950, 1, 1) + timedelta(days=n * 2000 + i)))
            registered.append((done.person_id, surname))
            with clinic.unit_of_work() as uow:
                row = uow.session.get(Person, shared_id)
                version, details = row.version, people.details_of(row)
            time.sleep(0.005)  # the user types; another workstation may save meanwhile
            with clinic.unit_of_work(write=True) as uow:
                people.update(uow, actor, shared_id, version,
                              dataclasses.replace(details, phone=f"07700 9{n:02d}{i:03d}"))
            saved += 1
        except people.StaleRecord:
            conflicts += 1
        except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on any
            errors.append(f"{type(exc).__name__}: {exc}"[:300])
    site.close()
    out.put({"registered": registered, "saved": saved, "conflicts": conflicts, "errors": errors})
