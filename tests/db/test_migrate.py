"""Tests for db.migrate: one head, named in HEAD; a fresh database reaches it."""

from __future__ import annotations

from pathlib import Path

from db import engine as engines
from db import migrate
from db.keys import new_data_key


def test_head_constant_is_alembics_only_head() -> None:
    assert migrate.script().get_heads() == [migrate.HEAD]


def test_a_new_database_is_brought_to_head_with_sound_references(tmp_path: Path) -> None:
    engine = engines.create(tmp_path / "new.db", new_data_key())
    assert migrate.current_revisions(engine) == set()
    migrate.upgrade(engine)
    assert migrate.is_current(engine)
    assert engines.check_integrity(engine).ok
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA user_version").scalar() == migrate.SCHEMA_GENERATION
    engine.dispose()
