"""Tests for db.dialect: each construct's spelling on each back end."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, create_engine, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from db.dialect import day_of, joined_text, starts_with

TABLE = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("at", DateTime),
              Column("name", String(20)))


@pytest.mark.parametrize(("construct", "on_sqlite", "on_postgres"), [
    (day_of(TABLE.c.at), "date(t.at)", "CAST(t.at AS DATE)"),
    (joined_text(TABLE.c.name), "group_concat(t.name, ',')", "string_agg(CAST(t.name AS TEXT), ',')"),
])
def test_each_back_end_gets_its_spelling(construct: object, on_sqlite: str, on_postgres: str) -> None:
    query = select(construct)  # type: ignore[call-overload]
    assert on_sqlite in str(query.compile(dialect=sqlite.dialect()))
    assert on_postgres in str(query.compile(dialect=postgresql.dialect()))


def test_the_constructs_run_on_sqlite() -> None:
    engine = create_engine("sqlite://")
    TABLE.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(TABLE), [{"at": datetime(2026, 11, 23, 10, 30), "name": "ann"},
                                     {"at": datetime(2026, 11, 23, 17, 0), "name": "bob"}])
        assert conn.execute(select(day_of(TABLE.c.at)).distinct()).scalars().all() == [date(2026, 11, 23)]
        assert conn.execute(select(joined_text(TABLE.c.name))).scalar() == "ann,bob"
        assert conn.execute(select(TABLE.c.name).where(starts_with(TABLE.c.name, "bo"))).scalars().all() == ["bob"]
