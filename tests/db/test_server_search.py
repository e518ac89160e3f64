"""The people search on the server walks an index (0017), as on SQLite.

The search compares prefixes bytewise on PostgreSQL
(``db.dialect.starts_with``); the test puts a few thousand people on the
register, captures the SQL the service really sends, and reads its plan.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, event, insert
from sqlalchemy.pool import NullPool

from clinic.clock import FixedClock
from clinic.names import fold
from clinic.permissions import Role
from clinic.services.people import search as people_search
from clinic.uow import Clinic
from db.server import ServerSite
from db.tables.people import Person
from tests.conftest import NOW
from tests.server_fixtures import PgServer, ServerTemplate, actor_on

PEOPLE = 3000
SURNAMES = ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Wright")
FORENAMES = ("Jo", "Sam", "Alex", "Robin", "Kim", "Lee", "Jamie", "Morgan")


def _fill(site: ServerSite) -> None:
    rows = []
    for n in range(PEOPLE):
        surname, forename = f"{SURNAMES[n % len(SURNAMES)]}{n:04d}", FORENAMES[n % len(FORENAMES)]
        rows.append(dict(surname=surname, forename=forename, search_surname=fold(surname),
                         search_forename=fold(forename), search_preferred="",
                         date_of_birth=date(1950, 1, 1) + timedelta(days=n)))
    with site.sessions()() as session, session.begin():
        session.execute(insert(Person), rows)


def _sent_sql(site: ServerSite, text: str) -> tuple[str, object]:
    """The statement and parameters ``people_search.search`` sends for ``text``."""
    sent: list[tuple[str, object]] = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        if "FROM people" in statement:
            sent.append((statement, parameters))

    clinic = Clinic(site, FixedClock(NOW))
    event.listen(site.engine, "before_cursor_execute", keep)
    try:
        with clinic.unit_of_work() as uow:
            hits = people_search.search(uow, actor_on(site, Role.RECEPTION), text)
    finally:
        event.remove(site.engine, "before_cursor_execute", keep)
    assert hits, "the search should find people"
    return sent[-1]


@pytest.mark.parametrize("typed", ["smi", "smith jo", "jo"])
def test_the_prefix_search_uses_the_pattern_indexes(
        server_site: ServerSite, pg_server: PgServer, server_template: ServerTemplate, typed: str) -> None:
    _fill(server_site)
    owner = create_engine(pg_server.admin_url(server_template.database), poolclass=NullPool)
    try:
        with owner.connect() as conn:
            conn.exec_driver_sql("ANALYZE people")
            conn.commit()
            statement, parameters = _sent_sql(server_site, typed)
            conn.exec_driver_sql("SET enable_seqscan = off")  # a small table would be read whole otherwise
            plan = "\n".join(conn.exec_driver_sql(f"EXPLAIN {statement}", parameters).scalars())
    finally:
        owner.dispose()
    assert "ix_people_search_surname_pattern" in plan, plan
    if typed != "smith jo":  # one word is tried as a given name too
        assert "ix_people_search_forename_pattern" in plan and "ix_people_search_preferred_pattern" in plan, plan
    assert "Seq Scan on people" not in plan, plan
