"""Tests for db.audit: append-only rows and tamper detection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from clinic.uow import Clinic
from db import audit
from db.site import Site
from tests.conftest import Template


def write_rows(clinic: Clinic, n: int) -> None:
    for i in range(n):
        with clinic.unit_of_work(write=True) as uow:
            uow.audit(None, "test.action", "thing", i, person_id=1, changes={"field": [i, i + 1]})


def raw_sql(site_dir: Path, key: bytes, *statements: str) -> None:
    """Tamper as someone holding the key would: triggers dropped first."""
    site = Site.open_with_key(site_dir, key)
    with site.engine.begin() as conn:
        for stmt in statements:
            conn.execute(text(stmt))
    site.close()


def test_chain_verifies(clinic: Clinic) -> None:
    write_rows(clinic, 5)
    report = clinic.site.verify_audit()
    assert report.ok and report.rows >= 5


def test_update_and_delete_are_rejected_by_trigger(clinic: Clinic) -> None:
    write_rows(clinic, 1)
    for stmt in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
        # On a server the application role has no such grant to begin with.
        with pytest.raises(DatabaseError, match=r"append-only|permission denied"), clinic.site.engine.begin() as conn:
            conn.execute(text(stmt))


DROP = ("DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete")


@pytest.mark.sqlcipher_only  # the server's tampering: tests/db/test_server_audit.py
@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        ((*DROP, "UPDATE audit_log SET changes = '{}' WHERE seq = 3"), "altered"),
        ((*DROP, "DELETE FROM audit_log WHERE seq = 3"), "missing"),
        ((*DROP, "UPDATE audit_log SET seq = seq + 1000 WHERE seq = 2", "UPDATE audit_log SET seq = 2 WHERE seq = 3",
          "UPDATE audit_log SET seq = 3 WHERE seq = 1002"), "altered"),
        ((*DROP, "DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 2 FROM audit_log)"), "removed"),
    ],
    ids=["modify", "delete", "reorder", "truncate"],
)
def test_tampering_is_detected(clinic: Clinic, template_site: Template, tamper: tuple[str, ...], problem: str) -> None:
    write_rows(clinic, 6)
    site_dir = clinic.site.data_dir
    clinic.site.close()
    raw_sql(site_dir, template_site.data_key, *tamper)
    site = Site.open_with_key(site_dir, template_site.data_key)
    report = site.verify_audit()
    site.close()
    assert not report.ok
    assert problem in report.problem
    assert report.first_bad_seq is not None


def test_rows_hold_changed_fields_only(clinic: Clinic) -> None:
    write_rows(clinic, 1)
    with clinic.site.engine.connect() as conn:
        changes = conn.execute(text("SELECT changes FROM audit_log ORDER BY seq DESC LIMIT 1")).scalar_one()
    assert json.loads(changes) == {"field": [0, 1]}


def test_anchor_moves_forward_only(tmp_path: Path) -> None:
    audit.write_anchor(tmp_path, 5, "a" * 64)
    audit.write_anchor(tmp_path, 3, "b" * 64)
    anchor = audit.read_anchor(tmp_path)
    assert anchor is not None and (anchor.seq, anchor.hash) == (5, "a" * 64)


def test_rows_in_one_unit_of_work_read_the_head_once_and_verify(clinic: Clinic) -> None:
    """A batch (200 probation letters, 2 rows each) read the head once per
    row; the unit of work's last row is the head, so it is read once per batch.
    A row taken back by a savepoint is not chained onto."""
    from sqlalchemy import event
    heads: list[str] = []

    def count(_c, _cur, statement, *_rest) -> None:  # type: ignore[no-untyped-def]
        if "FROM audit_log ORDER BY audit_log.seq DESC" in " ".join(statement.split()):
            heads.append(statement)

    event.listen(clinic.site.engine, "before_cursor_execute", count)
    try:
        with clinic.unit_of_work(write=True) as uow:
            for i in range(5):
                uow.audit(None, "test.action", "thing", i, person_id=1, changes={"field": [i, i + 1]})
            nested = uow.session.begin_nested()
            uow.audit(None, "test.undone", "thing", 9, person_id=1)
            nested.rollback()
            uow.audit(None, "test.action", "thing", 6, person_id=1)
    finally:
        event.remove(clinic.site.engine, "before_cursor_execute", count)
    assert len(heads) <= 2  # the first row, and again after the savepoint took its row back
    report = clinic.site.verify_audit()
    assert report.ok, report.problem
