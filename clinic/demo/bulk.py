"""One fast bulk insert for every demo generator.

SQLAlchemy's per-row parameter handling costs more than SQLCipher's writes
at benchmark volume (a million appointments), and rows whose key sets
differ are split into one statement per key set. Here values go through
each column's own bind processor once and straight to the driver's
executemany; a column a row leaves out gets its scalar default, or NULL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session


def bulk_insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    table = model.__table__
    columns = list(table.columns)
    dialect = session.get_bind().dialect
    procs = [c.type._cached_bind_processor(dialect) for c in columns]
    fallback = [c.default.arg if c.default is not None and c.default.is_scalar else None for c in columns]
    sql = (f"INSERT INTO {table.name} ({', '.join(c.name for c in columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    names = [c.name for c in columns]
    data = [
        tuple(p(v) if p and v is not None else v
              for v, p in zip((row.get(n, d) for n, d in zip(names, fallback, strict=False)), procs, strict=False))
        for row in rows
    ]
    cursor = session.connection().connection.cursor()
    try:
        cursor.executemany(sql, data)
    finally:
        cursor.close()
