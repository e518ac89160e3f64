"""Eight workstations at once on one server database, through the services.

Each process registers new people and keeps editing one shared record from
the version it last read, for a bounded time. Afterwards every committed
write is there, every lost race was a ``StaleRecord`` (the conflict the
screen shows), nothing else failed, and the audit chain verifies: no fork.
"""

from __future__ import annotations

import multiprocessing

from sqlalchemy import func, select

from clinic.clock import FixedClock
from clinic.permissions import Role
from clinic.uow import Clinic
from db.server import ServerSite
from db.tables.audit import AuditRow
from db.tables.people import Person
from tests.conftest import NOW, add_person
from tests.server_fixtures import actor_on
from tests.server_workstation import workstation

WORKERS = 8


def test_eight_workstations_at_once_lose_nothing_and_never_fork_the_chain(server_site: ServerSite) -> None:
    clinic = Clinic(server_site, FixedClock(NOW))
    reception = actor_on(server_site, Role.RECEPTION)
    shared = add_person(clinic, "Shared", "Sam")
    with clinic.unit_of_work() as uow:
        first_version = uow.session.get(Person, shared).version
    # fork: the workstations start in milliseconds with the modules already
    # imported (spawn took ~40 s for eight on two busy cores); the pool is
    # emptied first so no process shares a connection.
    server_site.engine.dispose()
    ctx = multiprocessing.get_context("fork")
    start, out = ctx.Barrier(WORKERS), ctx.Queue()
    workers = [ctx.Process(target=workstation, args=(str(server_site.data_dir), server_site.data_key,
                                                       reception, shared, n, start, out))
               for n in range(WORKERS)]
    for w in workers:
        w.start()
    results = [out.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(timeout=30)

    assert [r["errors"] for r in results] == [[]] * WORKERS
    registered = [pair for r in results for pair in r["registered"]]
    saved, conflicts = sum(r["saved"] for r in results), sum(r["conflicts"] for r in results)
    assert registered and saved and conflicts, (len(registered), saved, conflicts)
    with clinic.unit_of_work() as uow:
        stored = dict(uow.session.execute(select(Person.id, Person.surname).where(
            Person.id.in_([pid for pid, _ in registered]))).all())
        assert stored == dict(registered)
        assert uow.session.get(Person, shared).version == first_version + saved
        updates = uow.session.execute(select(func.count()).select_from(AuditRow).where(
            AuditRow.action == "person.updated", AuditRow.person_id == shared)).scalar_one()
        assert updates == saved
    report = server_site.verify_audit()
    assert report.ok, report.problem
