"""Index-backed prefix search on PostgreSQL.

The people search compares folded names as half-open ranges
(``db.dialect.starts_with``). SQLite orders text bytewise, so its plain
``ix_people_search_*`` indexes serve the ranges. PostgreSQL orders text by
the database's collation, where a range is not a prefix, so there the ranges
are compared bytewise (the ``~>=~`` and ``~<~`` operators), which those
indexes cannot serve: these ``text_pattern_ops`` indexes can. Nothing
changes on SQLite.

Revision ID: 0017_server_search_index
Revises: 0016_join_session2
"""

from __future__ import annotations

from alembic import op

revision = "0017_server_search_index"
down_revision = "0016_join_session2"
branch_labels = None
depends_on = None

_COLUMNS = ("search_surname", "search_forename", "search_preferred")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in _COLUMNS:
        op.create_index(f"ix_people_{column}_pattern", "people", [column],
                        postgresql_ops={column: "text_pattern_ops"})


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in _COLUMNS:
        op.drop_index(f"ix_people_{column}_pattern", table_name="people")
