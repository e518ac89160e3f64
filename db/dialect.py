"""The few SQL constructs that SQLite and PostgreSQL spell differently.

Services build one query; each construct here compiles to the right SQL for
the connection it runs on, so ``clinic/`` never asks which back end it has.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Date, String, and_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Boolean


def _spelled(construct: type[FunctionElement[Any]], *, sqlite: str, elsewhere: str) -> None:
    """Compile ``construct`` from one template per back end, ``{}`` standing
    for its arguments."""

    def compile_with(template: str) -> Callable[..., str]:
        def compile_(element: FunctionElement[Any], compiler: Any, **kw: Any) -> str:
            return template.format(compiler.process(element.clauses, **kw))
        return compile_

    compiles(construct, "sqlite")(compile_with(sqlite))
    compiles(construct)(compile_with(elsewhere))


class day_of(FunctionElement[Any]):  # noqa: N801 - reads as SQL
    """The calendar day of a (wall-clock) timestamp, as a date."""

    type = Date()
    inherit_cache = True
    name = "day_of"


_spelled(day_of, sqlite="date({})", elsewhere="CAST({} AS DATE)")


class joined_text(FunctionElement[Any]):  # noqa: N801 - reads as SQL
    """The group's values as text joined with commas (SQLite's group_concat)."""

    type = String()
    inherit_cache = True
    name = "joined_text"


_spelled(joined_text, sqlite="group_concat({}, ',')", elsewhere="string_agg(CAST({} AS TEXT), ',')")


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
