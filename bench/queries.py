"""Each captured query against the floor (DESIGN §6: the ratio should stay at
or under 2x): plain sqlite3 on an unencrypted copy of the synthetic site
(``plain_copy``, made in a temporary folder and deleted afterwards).

On SQLCipher every SELECT the module benchmarks ran is timed again, as SQL,
on the same encrypted connection and on the plain copy. On PostgreSQL every
SELECT that back end ran is timed again on the server as SQL (the round
trip, as the application meets it) with the server's own execution time
from EXPLAIN ANALYZE; and the statement object the service built is run
through SQLAlchemy on both the server and the plain copy, so each query is
set against its floor however differently the two dialects render it.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine

from clinic.uow import Clinic
from db.site import Site

REPEATS = 5
#: Ratios of queries faster than this (ms) are noise, not findings.
NOISE_MS = 1.0


class QueryLog:
    """Collects the distinct SELECTs the benchmarks ran, with their first
    parameters and the statement object they were compiled from."""

    def __init__(self) -> None:
        self.queries: dict[str, tuple[Any, Any]] = {}

    def record(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, context: Any,
               _executemany: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            self.queries.setdefault(statement, (parameters, getattr(context, "invoked_statement", None)))


def plain_copy(data_dir: Path, key: bytes, path: Path) -> Path:
    """An unencrypted copy of the (synthetic) SQLCipher site at ``path``."""
    site = Site.open_with_key(data_dir, key)
    with site.engine.connect() as conn:
        raw = conn.connection.driver_connection
        raw.execute("ATTACH DATABASE ? AS plain KEY ''", (str(path),))
        raw.execute("SELECT sqlcipher_export('plain')")
        raw.execute("DETACH DATABASE plain")
    site.close()
    return path


def _median_ms(execute: Any, *args: Any) -> float:
    """Median time of ``execute(*args).fetchall()``."""
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        execute(*args).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)[len(times) // 2]


def compare_plain(clinic: Clinic, plain_path: Path, log: QueryLog) -> dict[str, Any]:
    """Time every logged query on the encrypted site and its plain copy."""
    with clinic.site.engine.connect() as conn:
        raw = conn.connection.driver_connection
        plain = sqlite3.connect(plain_path)
        plain.execute("PRAGMA cache_size = -65536")
        rows = []
        for statement, (params, _) in log.queries.items():
            encrypted_ms = _median_ms(raw.execute, statement, params)
            plain_ms = _median_ms(plain.execute, statement, params)
            rows.append((encrypted_ms / max(plain_ms, 0.001), encrypted_ms, plain_ms, statement))
        plain.close()
    rows.sort(reverse=True)
    return {
        "queries": len(rows),
        "over 2x": sum(1 for r in rows if r[0] > 2 and r[1] > NOISE_MS),
        "worst (ratio, encrypted ms, plain ms, query)": [
            (round(r, 2), round(e, 2), round(p, 2), _short(q)) for r, e, p, q in rows[:8]],
    }


def compare_server(clinic: Clinic, plain_path: Path, log: QueryLog) -> dict[str, Any]:
    """Time every query the server back end ran on the server, and its
    statement on the server and on the plain copy through SQLAlchemy."""
    plain_engine = create_engine(f"sqlite:///{plain_path}")
    rows, not_comparable = [], 0
    with clinic.site.engine.connect() as conn, plain_engine.connect() as plain:
        plain.exec_driver_sql("PRAGMA cache_size = -65536")
        raw = conn.connection.driver_connection
        for statement, (params, invoked) in log.queries.items():
            round_trip = _median_ms(raw.execute, statement, params)
            plan = raw.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, params).fetchone()[0]
            server_ms = float(plan[0]["Execution Time"])
            ratio = pg_ms = plain_ms = None
            if invoked is not None:
                try:
                    pg_ms = _median_ms(conn.execute, invoked)
                    plain_ms = _median_ms(plain.execute, invoked)
                    ratio = pg_ms / max(plain_ms, 0.001)
                except Exception:  # noqa: BLE001 - a server-only construct has no floor
                    conn.rollback()
                    plain.rollback()
            not_comparable += ratio is None
            rows.append((ratio, pg_ms, plain_ms, round_trip, server_ms, statement))
        conn.rollback()
    plain_engine.dispose()
    matched = sorted((r for r in rows if r[0] is not None), key=lambda r: r[0], reverse=True)
    slowest = sorted(rows, key=lambda r: r[3], reverse=True)
    return {
        "queries": len(rows),
        "compared with plain sqlite3": len(matched),
        "not comparable (no statement object, or the construct does not run on SQLite)": not_comparable,
        "over 2x plain sqlite3": sum(1 for r in matched if r[0] > 2 and r[1] > NOISE_MS),
        "worst (ratio, postgres ms, plain ms, query; both through SQLAlchemy)": [
            (round(r, 2), round(g, 2), round(p, 2), _short(q)) for r, g, p, _, _, q in matched[:8]],
        "slowest (round trip ms, server execution ms, query)": [
            (round(t, 2), round(s, 2), _short(q)) for *_, t, s, q in slowest[:8]],
    }


def _short(statement: str) -> str:
    return " ".join(statement.split())[:90]
