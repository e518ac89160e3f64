"""The server back end on a real PostgreSQL (tests/server_fixtures.py): the
connection rules, what the application role may not do, the audit head,
backups restorable to a SQLCipher file, models and migrations agreeing."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, String, Text, create_engine, func, select, text
from sqlalchemy.exc import DatabaseError

from clinic.clock import FixedClock
from clinic.errors import Unavailable
from clinic.permissions import Role
from clinic.services.people import records as people
from clinic.uow import Clinic
from db import audit, profile as profiles
from db.server import ServerSite, ServerUnavailable
from db.site import Site, SiteError
from db.tables import metadata
from db.tables.audit import AuditRow
from db.tables.people import Person
from db.tables.staff import Staff
from tests.conftest import NOW, PASSPHRASE, add_person
from tests.server_fixtures import PgServer, ServerTemplate, actor_on


def remote(**fields: object) -> profiles.ServerProfile:
    return profiles.ServerProfile(**({"host": "db.clinic.example", "database": "harbour", "user": "harbour_app"}
                                     | fields))  # type: ignore[arg-type]


def test_a_remote_server_without_verified_tls_is_refused_in_one_sentence(tmp_path: Path) -> None:
    for profile in (remote(sslmode="require", ca_path=str(tmp_path / "ca.pem")), remote(ca_path=None)):
        with pytest.raises(profiles.ProfileError) as refused:
            profile.check_safe()
        assert str(refused.value) == profiles.NOT_TLS and str(refused.value).count(". ") == 0
    with pytest.raises(profiles.ProfileError, match="only over TLS"):
        profiles.write(tmp_path / "ws", remote(sslmode="disable"))


def test_a_local_server_may_skip_tls_and_a_remote_one_is_verified_full(tmp_path: Path) -> None:
    for host in ("/run/postgresql", "localhost", "127.0.0.1", "::1"):
        remote(host=host, sslmode="disable").check_safe()
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n", encoding="ascii")
    url = remote(ca_path=str(ca)).url("secret")
    assert url.query["sslmode"] == "verify-full" and url.query["sslrootcert"] == str(ca)


def test_profile_round_trips_and_holds_no_password(tmp_path: Path) -> None:
    profile = remote(host="localhost", sslmode="disable")
    profiles.write(tmp_path, profile)
    assert profiles.read(tmp_path) == profile
    assert "password" not in (tmp_path / profiles.PROFILE_FILE_NAME).read_text(encoding="utf-8")


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log",
    "ALTER TABLE people ADD COLUMN x integer", "CREATE TABLE extra (id integer)", "DROP TABLE audit_log",
    "DELETE FROM audit_head", "UPDATE alembic_version SET version_num = 'x'",
])
def test_the_application_role_cannot_change_the_schema_or_the_trail(server_site: ServerSite, statement: str) -> None:
    with pytest.raises(DatabaseError, match=r"permission denied|must be owner"), server_site.engine.begin() as conn:
        conn.execute(text(statement))


def test_even_the_owner_meets_the_append_only_triggers(pg_server: PgServer, server_template: ServerTemplate) -> None:
    owner = create_engine(pg_server.admin_url(server_template.database))
    for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log",
                      "UPDATE audit_head SET seq = seq - 1"):
        with pytest.raises(DatabaseError, match=r"append-only|only moves forward"), owner.begin() as conn:
            conn.execute(text(statement))
    owner.dispose()


def test_the_head_row_follows_the_trail_and_catches_a_removed_tail(
        clinic: Clinic, backend: str, pg_server: PgServer, server_template: ServerTemplate) -> None:
    for n in range(3):
        add_person(clinic, surname=f"Head{'abc'[n]}")
        with clinic.unit_of_work() as uow:
            uow.audit(None, "test.row", "test", n)
    with clinic.unit_of_work() as uow:
        last = uow.session.execute(select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq.desc())).first()
        assert audit.stored_head(uow.session) == (last.seq, last.hash)
    if backend != "postgres":
        return
    owner = create_engine(pg_server.admin_url(server_template.database))
    with owner.begin() as conn:  # tampering around the triggers, as only the database owner could
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        conn.exec_driver_sql(f"DELETE FROM audit_log WHERE seq = {last.seq}")
    owner.dispose()
    report = clinic.site.verify_audit()
    assert not report.ok and "rows were removed" in report.problem


def test_a_server_backup_restores_to_a_sqlcipher_site(server_site: ServerSite, tmp_path: Path) -> None:
    clinic = Clinic(server_site, FixedClock(NOW))
    with clinic.unit_of_work(write=True) as uow:
        people.register(uow, actor_on(server_site, Role.RECEPTION),
                        people.PersonDetails("Backupson", "Robin", date_of_birth=_dob()))
    clinic.site.backup(tmp_path / "site.hbk")
    restored = Site.restore(tmp_path / "site.hbk", tmp_path / "restored", PASSPHRASE)
    try:
        assert restored.verify_audit().ok and restored.integrity().ok
        with restored.sessions()() as s:
            assert s.execute(select(func.count(Staff.id))).scalar_one() == 7
            assert s.execute(select(func.count()).select_from(AuditRow)).scalar_one() == clinic.site.verify_audit().rows
    finally:
        restored.close()


def _same_type(context, _inspected, _metadata_column, inspected_type, metadata_type):  # type: ignore[no-untyped-def]
    """A TEXT column declared String(n) in the model is the same column: the
    length is a rule the application checks on flush (clinic/validation.py),
    not one the table needs to hold. Anything else: Alembic's own comparison."""
    if isinstance(inspected_type, Text) and isinstance(metadata_type, String) and metadata_type.length:
        return False
    return None


def _on_this_back_end(dialect: str) -> MetaData:
    """The models as ``dialect`` has them: without what is declared for the
    other back end only (``Index(...).ddl_if(dialect=...)``, as 0017's search
    indexes on PostgreSQL)."""
    elsewhere = {index.name for table in metadata.sorted_tables for index in table.indexes
                 if getattr(getattr(index, "_ddl_if", None), "dialect", None) not in (None, dialect)}
    models = MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.sorted_tables:
        copy = table.to_metadata(models)  # (the copy does not keep ddl_if)
        for index in [i for i in copy.indexes if i.name in elsewhere]:
            copy.indexes.discard(index)
    return models


def test_models_and_migrations_agree(clinic: Clinic) -> None:
    with clinic.site.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": _same_type})
        diff = compare_metadata(context, _on_this_back_end(conn.dialect.name))
    assert diff == []


def _dob():  # type: ignore[no-untyped-def]
    from datetime import date

    return date(1980, 2, 3)


def _cut_connections(pg: PgServer, database: str) -> None:
    """What a server restart or a network cut does to the workstations' sessions."""
    owner = create_engine(pg.admin_url(database))
    with owner.begin() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = :db AND pid <> pg_backend_pid()"), {"db": database})
    owner.dispose()


def test_a_lost_server_says_so_lands_nothing_and_the_next_step_reconnects(
        server_site: ServerSite, pg_server: PgServer, server_template: ServerTemplate) -> None:
    clinic = Clinic(server_site, FixedClock(NOW))
    reception = actor_on(server_site, Role.RECEPTION)
    # The unit of work says it as a refusal the screens show by the form (clinic.errors.Unavailable).
    with (pytest.raises(Unavailable, match="nothing from this step was saved") as lost,
          clinic.unit_of_work(write=True) as uow):
        people.register(uow, reception, people.PersonDetails("Halfway", "Hana", _dob()))
        _cut_connections(pg_server, server_template.database)
        uow.audit(None, "test.after_the_cut", "test")
    assert isinstance(lost.value.__cause__, ServerUnavailable)
    _cut_connections(pg_server, server_template.database)  # idle pooled connections die too
    with clinic.unit_of_work(write=True) as uow:
        people.register(uow, reception, people.PersonDetails("Afterwards", "Alex", _dob()))
    with clinic.unit_of_work() as uow:
        surnames = set(uow.session.execute(select(Person.surname)).scalars())
    assert "Afterwards" in surnames and "Halfway" not in surnames
    assert clinic.site.verify_audit().ok


def test_a_database_not_prepared_by_server_init_says_who_prepares_it(pg_server: PgServer, tmp_path: Path) -> None:
    pg_server.create_database("harbour_unprepared")
    try:
        pg_server.connect_folder(tmp_path, "harbour_unprepared")
        with pytest.raises(SiteError, match="harbour-admin server init"):
            ServerSite.connect(tmp_path, "")
    finally:
        pg_server.drop_database("harbour_unprepared")
