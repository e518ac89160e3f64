"""One fast bulk insert for every demo generator, and the indexes built
once after the load.

SQLAlchemy's per-row parameter handling costs more than SQLCipher's writes
at benchmark volume (a million appointments), and rows whose key sets
differ are split into one statement per key set. Here values go through
each column's own bind processor (once per distinct value in a call) and
straight to the driver's executemany, a batch at a time; a column a row leaves out gets its
scalar default, or NULL.

Kept up row by row, an index on a column in random order (an appointment's
person) touches a random page per row: once a table's indexes outgrow the
page cache (64 MiB: about 60,000 people's worth of appointments) every row
reads and rewrites pages through the cipher, and the load slows down as it
grows. :func:`drop_indexes` takes the schema's indexes away for the load and
:func:`create_indexes` builds each again from its own ``CREATE INDEX``, one
sort per index, in the same transaction.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from sqlalchemy.orm import Session

#: Rows per executemany: the converted values of one batch are held at a time.
BATCH = 50_000


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
    getters = list(zip([c.name for c in columns], fallback, strict=True))
    # a processor is a pure conversion: each distinct date or time (and its zone) is formatted once
    converted: list[tuple[int, Any, dict[Any, Any]]] = [(i, p, {}) for i, p in enumerate(procs) if p is not None]
    cursor = session.connection().connection.cursor()
    try:
        for first in range(0, len(rows), BATCH):
            data = []
            for row in rows[first:first + BATCH]:
                values = [row.get(n, d) for n, d in getters]
                for i, p, seen in converted:
                    v = values[i]
                    if isinstance(v, date | time):
                        key = (v, getattr(v, "tzinfo", None))
                        done = seen.get(key)
                        if done is None:
                            done = seen[key] = p(v)
                        values[i] = done
                    elif v is not None:
                        values[i] = p(v)
                data.append(values)
            cursor.executemany(sql, data)
    finally:
        cursor.close()


def drop_indexes(session: Session) -> list[str]:
    """Drop every index the schema created (not the automatic ones behind
    primary keys and unique constraints); return their ``CREATE INDEX``
    statements for :func:`create_indexes`."""
    conn = session.connection()
    found = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all()
    for name, _sql in found:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    return [sql for _name, sql in found]


def create_indexes(session: Session, statements: list[str]) -> None:
    conn = session.connection()
    for sql in statements:
        conn.exec_driver_sql(sql)
