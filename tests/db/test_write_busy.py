"""A writer kept waiting past the lock wait hears one sentence, on both back
ends: two real connections to the same database, the first holding the
write lock, the second with its wait cut to under a second."""

from __future__ import annotations

import time
from datetime import date

import pytest
from sqlalchemy import select

from clinic.permissions import Role
from clinic.services.people import records as people
from clinic.uow import Clinic
from db import engine as engines, server
from db.server import ServerSite
from db.tables.people import Person

SHORT_WAIT_MS = 800


def _second_workstation(clinic: Clinic, monkeypatch: pytest.MonkeyPatch) -> Clinic:
    """The same site opened again with its own engine and a short wait."""
    monkeypatch.setattr(engines, "BUSY_TIMEOUT_MS", SHORT_WAIT_MS)
    monkeypatch.setattr(server, "LOCK_TIMEOUT_MS", SHORT_WAIT_MS)
    site = clinic.site
    opened = type(site).open_with_key(site.data_dir, site.data_key)
    return Clinic(opened, clinic.clock)


def test_a_writer_kept_waiting_is_told_another_workstation_is_saving(
        clinic: Clinic, actors: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    reception = actors[Role.RECEPTION]
    other = _second_workstation(clinic, monkeypatch)
    try:
        with clinic.unit_of_work(write=True) as holder:
            people.register(holder, reception, people.PersonDetails("Holder", "Hana", date(1980, 1, 1)))
            started = time.monotonic()
            with pytest.raises(engines.WriterBusy) as busy, other.unit_of_work(write=True) as uow:
                people.register(uow, reception, people.PersonDetails("Waiter", "Wyn", date(1981, 1, 1)))
            assert time.monotonic() - started < 3
        assert str(busy.value) == engines.BUSY and str(busy.value).count(". ") == 0
        assert isinstance(busy.value, ValueError)  # what every screen shows as it is
        with other.unit_of_work(write=True) as uow:  # the lock is free again: the next try saves
            people.register(uow, reception, people.PersonDetails("Later", "Lee", date(1982, 1, 1)))
        with other.unit_of_work() as uow:
            surnames = set(uow.session.execute(select(Person.surname)).scalars())
        assert {"Holder", "Later"} <= surnames and "Waiter" not in surnames
        assert other.site.verify_audit().ok
    finally:
        other.site.close()


def test_the_server_waits_ten_seconds_by_default(clinic: Clinic, backend: str) -> None:
    if not isinstance(clinic.site, ServerSite):
        assert engines.BUSY_TIMEOUT_MS == 10_000
        return
    with clinic.site.engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW lock_timeout").scalar() == "10s"
