"""The few SQL constructs that SQLite and PostgreSQL spell differently.

Services build one query; each construct here compiles to the right SQL for
the connection it runs on, so ``clinic/`` never asks which back end it has.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, String, and_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Boolean


class day_of(FunctionElement[Any]):  # noqa: N801 - reads as SQL
    """The calendar day of a (wall-clock) timestamp, as a date."""

    type = Date()
    inherit_cache = True
    name = "day_of"


@compiles(day_of, "sqlite")
def _day_of_sqlite(element: day_of, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(day_of)
def _day_of_default(element: day_of, compiler: Any, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS DATE)"


class joined_text(FunctionElement[Any]):  # noqa: N801 - reads as SQL
    """The group's values as text joined with commas (SQLite's group_concat)."""

    type = String()
    inherit_cache = True
    name = "joined_text"


@compiles(joined_text, "sqlite")
def _joined_sqlite(element: joined_text, compiler: Any, **kw: Any) -> str:
    return f"group_concat({compiler.process(element.clauses, **kw)}, ',')"


@compiles(joined_text)
def _joined_default(element: joined_text, compiler: Any, **kw: Any) -> str:
    return f"string_agg(CAST({compiler.process(element.clauses, **kw)} AS TEXT), ',')"


class starts_with(ColumnElement[bool]):  # noqa: N801 - reads as SQL
    """``column`` begins with ``text`` (lower-case folded names), as a
    half-open range an index serves.

    On SQLite the range uses the column's own index (its ordering is
    bytewise). PostgreSQL orders text by the database's collation, where a
    range is not a prefix, so there it compares bytewise with the pattern
    operators ``~>=~`` / ``~<~``, which the ``text_pattern_ops`` indexes of
    migration 0017 serve.
    """

    type = Boolean()
    #: Its bound values are made at compile time, so it must not be cached.
    inherit_cache = False

    def __init__(self, column: ColumnElement[str], text: str) -> None:
        self.column = column
        self.text = text

    def range(self, *, bytewise_operators: bool) -> ColumnElement[bool]:
        upper = self.text[:-1] + chr(ord(self.text[-1]) + 1)
        if bytewise_operators:
            return and_(self.column.op("~>=~", is_comparison=True)(self.text),
                        self.column.op("~<~", is_comparison=True)(upper))
        return and_(self.column >= self.text, self.column < upper)


@compiles(starts_with, "postgresql")
def _starts_postgres(element: starts_with, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.range(bytewise_operators=True), **kw))


@compiles(starts_with)
def _starts_default(element: starts_with, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.range(bytewise_operators=False), **kw))
