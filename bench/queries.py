"""Each captured query, timed in SQLCipher and in plain sqlite3 on an
unencrypted copy (DESIGN.md §6: the ratio should stay at or under 2x)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from clinic.uow import Clinic

REPEATS = 5


class QueryLog:
    """Collects the distinct SELECTs the benchmarks ran, with their first parameters."""

    def __init__(self) -> None:
        self.queries: dict[str, Any] = {}

    def record(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
               _executemany: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            self.queries.setdefault(statement, parameters)


def _median_ms(conn: Any, statement: str, params: Any) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        conn.execute(statement, params).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)[len(times) // 2]


def compare_plain(clinic: Clinic, plain_path: Path, log: QueryLog) -> dict[str, Any]:
    """Export a plaintext copy (synthetic data, temporary folder), then time
    every logged query on both. Returns the slowest ratios and a summary."""
    with clinic.site.engine.connect() as conn:
        raw = conn.connection.driver_connection
        raw.execute("ATTACH DATABASE ? AS plain KEY ''", (str(plain_path),))
        raw.execute("SELECT sqlcipher_export('plain')")
        raw.execute("DETACH DATABASE plain")
        plain = sqlite3.connect(plain_path)
        plain.execute("PRAGMA cache_size = -65536")
        rows = []
        for statement, params in log.queries.items():
            encrypted_ms = _median_ms(raw, statement, params)
            plain_ms = _median_ms(plain, statement, params)
            rows.append((encrypted_ms / max(plain_ms, 0.001), encrypted_ms, plain_ms, " ".join(statement.split())[:90]))
        plain.close()
    rows.sort(reverse=True)
    return {
        "queries": len(rows),
        "over 2x": sum(1 for r in rows if r[0] > 2 and r[1] > 1),
        "worst (ratio, encrypted ms, plain ms, query)": [
            (round(r, 2), round(e, 2), round(p, 2), q) for r, e, p, q in rows[:8]],
    }
