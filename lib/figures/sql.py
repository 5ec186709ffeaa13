"""SQL building blocks the figures share: totals that are integers on both databases, rows
as frames, a query scoped to the hierarchy, and where the day patterns start."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import BigInteger, cast, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement

from lib.data.contract import LEVELS
from lib.data.engine import get_meta
from lib.data.schema import (
    hierarchy,
)
from lib.figures.scope import Scope


@dataclass(frozen=True)
class DayIndex:
    """Where a pattern's first character sits, and how long patterns are."""

    day0: date | None
    days: int = 0
    extra: dict = field(default_factory=dict)

    def at(self, d: date) -> int:
        return (d - self.day0).days if self.day0 else -1

    @property
    def last(self) -> date | None:
        return self.day0 + timedelta(days=self.days - 1) if self.day0 else None


def day_index(conn: Connection, prefix: str) -> DayIndex:
    """Where the day patterns of a rollup (``balance`` or ``activity``) start, from meta."""
    day0 = get_meta(conn, f"{prefix}_day0", "")
    if not day0:
        return DayIndex(None)
    return DayIndex(date.fromisoformat(day0), int(get_meta(conn, f"{prefix}_days", "0")))


def level_code(level: str):
    """The hierarchy column holding the code of a level."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    return hierarchy.c[f"{level}_code"]


def int_sum(col: ColumnElement) -> ColumnElement:
    """SUM of a column, 0 when no rows, as an integer on both databases."""
    # PostgreSQL's sum(bigint) is numeric; cast so both databases return integers.
    return cast(func.coalesce(func.sum(col), 0), BigInteger)


def rows_frame(conn: Connection, query, columns: Sequence[str]) -> pd.DataFrame:
    """The query's rows as a frame (built column by column: far cheaper than from Row objects)."""
    rows = conn.execute(query).all()
    values = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    return pd.DataFrame({name: list(col) for name, col in zip(columns, values, strict=True)},
                        columns=list(columns))


def scoped_query(table, scope: Scope, level: str | None, values: list, *, where: Sequence = (),
                 by: Sequence = (), categories: bool = True):
    """SELECT [unit code,] [by...,] values FROM table JOIN hierarchy WHERE scope GROUP BY ..."""
    group = ([level_code(level).label("g")] if level else []) + list(by)
    query = (select(*group, *values)
             .select_from(table.join(hierarchy, table.c.area_code == hierarchy.c.area_code))
             .where(*scope.hierarchy_conditions(), *where))
    if categories and scope.categories:
        query = query.where(table.c.category.in_(scope.categories))
    return query.group_by(*group) if group else query
