"""Copy a whole site from one database to another, table by table.

Used by ``harbour-admin move-to-server`` (SQLCipher file → PostgreSQL) and by
a server site's backup (PostgreSQL → a SQLCipher ``.hbk``). Both databases
are already at the current schema; the target holds no site yet (no staff,
no audit trail), and the rows its migrations seeded give way to the source's. Tables go in foreign-key order, in
batches, in one transaction on the target; the audit head row is set last,
and the row counts are compared before the transaction commits.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, Integer, Table, delete, func, insert, select, update

from db.tables import metadata
from db.tables.audit import AuditHead, AuditRow
from db.tables.server import SiteKeyFile
from db.tables.staff import Staff

BATCH_ROWS = 2_000
#: The head row is made by the migration and set last; the key file travels
#: as a file (``harbour.keys``) beside a SQLCipher database.
NOT_COPIED = frozenset({AuditHead.__tablename__, SiteKeyFile.__tablename__})


class TransferFailed(Exception):
    """The target is not empty, or the copy does not match the source."""


def copy_site(source: Engine, target: Engine, *, on_progress: Callable[[str], None] | None = None,
              before_commit: Callable[[Connection], None] | None = None) -> dict[str, int]:
    """Copy every row; return the row count per table (equal on both sides).

    ``before_commit`` runs on the target inside the same transaction (the
    move writes the key file and re-verifies the chain there)."""
    tables = [t for t in metadata.sorted_tables if t.name not in NOT_COPIED]
    with source.connect() as src, target.begin() as dst:
        occupied = [name for name in (AuditRow.__tablename__, Staff.__tablename__)
                    if _count(dst, metadata.tables[name])]
        if occupied:
            raise TransferFailed(f"the target database already holds a site ({' and '.join(occupied)} have rows)")
        for table in reversed(tables):  # the rows the migrations seeded: the source has its own
            if _count(dst, table):
                dst.execute(delete(table))
        counts = {}
        for table in tables:
            if on_progress:
                on_progress(table.name)
            _copy_table(src, dst, table)
            counts[table.name] = _count(src, table)
            if _count(dst, table) != counts[table.name]:
                raise TransferFailed(f"{table.name}: {counts[table.name]} rows in the source, "
                                     f"{_count(dst, table)} copied")
        head = src.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).one()
        dst.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=head.seq, hash=head.hash))
        if dst.dialect.name == "postgresql":
            restart_sequences(dst, tables)
        if before_commit is not None:
            before_commit(dst)
    return counts


def _copy_table(src: Connection, dst: Connection, table: Table) -> None:
    order = list(table.primary_key.columns) or list(table.columns)
    result = src.execution_options(yield_per=BATCH_ROWS).execute(select(table).order_by(*order))
    for batch in result.mappings().partitions(BATCH_ROWS):
        dst.execute(insert(table), [dict(row) for row in batch])


def _count(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def restart_sequences(dst: Connection, tables: list[Table]) -> None:
    """Rows came with their ids: move each id sequence past the highest."""
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        sequence = dst.exec_driver_sql(f"SELECT pg_get_serial_sequence('{table.name}', '{pk[0].name}')").scalar()
        if sequence is not None:
            dst.exec_driver_sql(f"SELECT setval('{sequence}', (SELECT COALESCE(MAX({pk[0].name}), 0) + 1 "
                                f"FROM {table.name}), false)")
