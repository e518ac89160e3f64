"""Tests for db.engine: raw-key open, pool, and transactions that really roll back."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.pool import QueuePool

from db import engine as engines
from db.keys import new_data_key
from tests.conftest import SQLITE_HEADER


@pytest.fixture
def eng(tmp_path: Path):  # type: ignore[no-untyped-def]
    e = engines.create(tmp_path / "t.db", new_data_key())
    with e.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    yield e
    e.dispose()


def test_savepoint_rollback_really_rolls_back(eng) -> None:  # type: ignore[no-untyped-def]
    with eng.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
        nested = conn.begin_nested()
        conn.execute(text("INSERT INTO t VALUES (2)"))
        nested.rollback()
    with eng.connect() as conn:
        assert conn.execute(text("SELECT x FROM t")).scalars().all() == [1]


def test_failed_transaction_leaves_nothing(eng) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), eng.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (3)"))
        raise RuntimeError("interrupted write")
    with eng.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 0


def test_pragmas_and_pool(eng) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(eng.pool, QueuePool)
    with eng.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -65536


def test_threads_get_their_own_connections(eng) -> None:  # type: ignore[no-untyped-def]
    seen: list[int] = []

    def work() -> None:
        with eng.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (7)"))
            seen.append(id(conn.connection.driver_connection))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with eng.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 4


def test_wrong_key_is_refused_and_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    e = engines.create(path, new_data_key())
    with e.begin() as conn:
        conn.execute(text("CREATE TABLE t (x)"))
    e.dispose()
    before = path.read_bytes()
    with pytest.raises(engines.DatabaseLocked):
        engines.connect_raw(path, new_data_key())
    assert path.read_bytes() == before


def test_file_is_not_plaintext_sqlite(eng, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    eng.dispose()
    assert not (tmp_path / "t.db").read_bytes().startswith(SQLITE_HEADER)


def test_integrity_check_passes_on_a_sound_file(eng) -> None:  # type: ignore[no-untyped-def]
    assert engines.check_integrity(eng).ok
