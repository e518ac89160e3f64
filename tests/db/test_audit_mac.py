"""M6: the keyed chain and the authenticated anchor, against someone without the key.

The review's 16 tampering scenarios caught 8; the 8 it missed are here. Each
tamper is made as someone holding the database (not the chain key) would:
plain SHA-256 is all they can compute.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from clinic.clock import FixedClock
from clinic.uow import Clinic
from db import audit
from db import engine as engines
from db.site import DB_FILE_NAME, Site
from tests.conftest import NOW, Template
from tests.db.test_audit import DROP, raw_sql, write_rows

#: The keyed chain of a SQLCipher file and its anchor file; the server's head row: tests/db/test_server.py.
pytestmark = pytest.mark.sqlcipher_only


def plain_hash(prev: str, at: str, fields: dict[str, object]) -> str:
    return hashlib.sha256((prev + audit.canonical({"at": at, **fields})).encode()).hexdigest()


def recompute_plain(site_dir: Path, key: bytes, from_seq: int, *before: str, after: tuple[str, ...] = ()) -> None:
    """Run ``before``, then rewrite every hash from ``from_seq`` with plain SHA-256 and the
    anchor to the new head -- all on a raw connection, as a tamperer would."""
    conn = engines.connect_raw(site_dir / DB_FILE_NAME, key)
    try:
        conn.execute("BEGIN")
        for stmt in before:
            conn.execute(stmt)
        rows = conn.execute("SELECT seq, at, actor_id, action, entity, entity_id, person_id, changes, hash "
                            "FROM audit_log ORDER BY seq").fetchall()
        prev = audit.GENESIS
        for seq, at, actor_id, action, entity, entity_id, person_id, changes, digest in rows:
            if seq >= from_seq:
                fields = {"actor_id": actor_id, "action": action, "entity": entity, "entity_id": entity_id,
                          "person_id": person_id, "changes": changes}
                digest = plain_hash(prev, at, fields)
                conn.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, seq))
            prev = digest
        for stmt in after:
            conn.execute(stmt)
        conn.execute("COMMIT")
    finally:
        conn.close()
    (site_dir / audit.ANCHOR_FILE_NAME).write_text(json.dumps({"seq": len(rows), "hash": prev}))


def verify(site_dir: Path, key: bytes) -> audit.ChainReport:
    site = Site.open_with_key(site_dir, key, read_only=True)
    try:
        return site.verify_audit()
    finally:
        site.close()


@pytest.fixture
def trail(clinic: Clinic, template_site: Template) -> tuple[Path, bytes]:
    write_rows(clinic, 30)
    clinic.site.close()
    return clinic.site.data_dir, template_site.data_key


def test_the_chain_is_keyed_and_verifies(trail: tuple[Path, bytes]) -> None:
    report = verify(*trail)
    assert report.ok and report.keyed and report.rows >= 31
    anchor = audit.read_anchor(trail[0])
    assert anchor is not None and anchor.mac and anchor.keyed_from


TRUNCATE = (*DROP, "DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log)")


def test_truncation_with_the_anchor_deleted_is_caught(trail: tuple[Path, bytes]) -> None:
    raw_sql(*trail, *TRUNCATE)
    (trail[0] / audit.ANCHOR_FILE_NAME).unlink()
    assert "missing" in verify(*trail).problem


def test_truncation_with_the_anchor_rewritten_to_the_new_head_is_caught(trail: tuple[Path, bytes]) -> None:
    raw_sql(*trail, *TRUNCATE)
    site = Site.open_with_key(trail[0], trail[1], read_only=True)
    with site.engine.connect() as conn:
        seq, digest = conn.execute(text("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")).one()
    site.close()
    old = json.loads((trail[0] / audit.ANCHOR_FILE_NAME).read_text())
    (trail[0] / audit.ANCHOR_FILE_NAME).write_text(json.dumps({**old, "seq": seq, "hash": digest}))
    assert "not this site's" in verify(*trail).problem


@pytest.mark.parametrize("forged", [{"seq": 0, "hash": audit.GENESIS}, {"seq": 0, "hash": audit.GENESIS, "mac": "0"}])
def test_truncation_with_an_anchor_of_seq_0_is_caught(trail: tuple[Path, bytes], forged: dict[str, object]) -> None:
    raw_sql(*trail, *TRUNCATE)
    (trail[0] / audit.ANCHOR_FILE_NAME).write_text(json.dumps(forged))
    assert not verify(*trail).ok


def test_a_forged_row_with_a_plain_hash_is_caught(trail: tuple[Path, bytes]) -> None:
    site = Site.open_with_key(trail[0], trail[1], read_only=True)
    with site.engine.connect() as conn:
        seq, digest = conn.execute(text("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")).one()
    site.close()
    fields = {"actor_id": None, "action": "forged", "entity": "x", "entity_id": None, "person_id": None,
              "changes": "{}"}
    at = "2026-11-23T10:00:00.000000+00:00"
    raw_sql(*trail, "INSERT INTO audit_log (seq, at, actor_id, action, entity, entity_id, person_id, changes, "
            f"prev_hash, hash) VALUES ({seq + 1}, '{at}', NULL, 'forged', 'x', NULL, NULL, '{{}}', '{digest}', "
            f"'{plain_hash(digest, at, fields)}')")
    assert f"row {seq + 1} has been altered" in verify(*trail).problem


def test_an_edit_with_the_chain_and_anchor_recomputed_is_caught(trail: tuple[Path, bytes]) -> None:
    raw_sql(*trail, *DROP, "UPDATE audit_log SET changes = '{}' WHERE seq = 10")
    recompute_plain(*trail, from_seq=10)
    assert not verify(*trail).ok


def test_a_deleted_row_renumbered_and_recomputed_is_caught(trail: tuple[Path, bytes]) -> None:
    raw_sql(*trail, *DROP, "DELETE FROM audit_log WHERE seq = 10", "UPDATE audit_log SET seq = seq - 1 WHERE seq > 10")
    recompute_plain(*trail, from_seq=10)
    assert not verify(*trail).ok


def test_dropped_triggers_are_caught(trail: tuple[Path, bytes]) -> None:
    raw_sql(*trail, DROP[0])
    assert "audit_log_no_update" in verify(*trail).problem


def test_an_anchor_from_another_site_is_caught(trail: tuple[Path, bytes], tmp_path: Path,
                                               template_site: Template) -> None:
    other = Site.create(tmp_path / "other", "another site's passphrase", remember_key=False)[0]
    other.close()  # keyed on creation: its anchor holds the marker row
    shutil.copy(tmp_path / "other" / audit.ANCHOR_FILE_NAME, trail[0] / audit.ANCHOR_FILE_NAME)
    assert not verify(*trail).ok


def test_a_plain_chain_from_before_is_kept_and_keyed_on_first_open(site_dir: Path, template_site: Template) -> None:
    """A landed chain stays verifiable: its rows stay plain, the keyed chain starts at a marker."""
    recompute_plain(site_dir, template_site.data_key, 1, *DROP, "DROP TRIGGER audit_chain_no_delete",
                    "DELETE FROM audit_chain", "DELETE FROM audit_log WHERE action = 'audit.chain_keyed'",
                    "UPDATE audit_log SET seq = seq - 1",  # as an older Harbour left it: no marker
                    after=("UPDATE audit_head SET seq = (SELECT max(seq) FROM audit_log), "  # as 0011 seeded it
                           "hash = (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1)",
                           "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
                           " BEGIN SELECT RAISE(ABORT, 'x'); END",
                           "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
                           " BEGIN SELECT RAISE(ABORT, 'x'); END"))
    plain_report = verify(site_dir, template_site.data_key)
    assert plain_report.ok and not plain_report.keyed
    site = Site.open_with_key(site_dir, template_site.data_key)  # the first writable open keys the chain
    write_rows(Clinic(site, FixedClock(NOW)), 3)
    site.close()
    report = verify(site_dir, template_site.data_key)
    assert report.ok and report.keyed and report.rows == plain_report.rows + 4
