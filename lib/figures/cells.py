"""Cells: the additive parts of every KPI per area (and category, and day), from the rollups.

A filter change asks the same period about other units. Summing the period's cells (a few
thousand rows, remembered per data version) answers it without another round of queries; only
the median resolution time, which does not add up, is asked of the database per scope.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.engine import Connection, Engine

from lib.data.contract import ACTIVITIES
from lib.data.schema import (
    complaints,
    hierarchy,
    r_activity_daily,
    r_activity_pattern,
    r_balance_daily,
    r_cleared_daily,
    r_consumers,
    r_neg_pattern,
    r_recharge_daily,
)
from lib.figures.memo import part
from lib.figures.scope import Period
from lib.figures.sql import DayIndex, day_index, int_sum, rows_frame

CELL = ["area_code", "category"]


def cell_keys(split: bool) -> list[str]:
    """Cell keys: by area and category when a category filter needs them, else by area
    (six times fewer rows to fetch and sum)."""
    return CELL if split else ["area_code"]


PERIOD_PARTS = ("negative_balance", "arrears_paise", "negative_at_start", "negative_cleared",
                *ACTIVITIES, "otp_ever", "app_ever", "recharge_count", "recharge_paise",
                "app_paise")


COMPLAINT_PARTS = ("complaints_received", "complaints_resolved", "complaints_open")


BALANCE_PARTS = ("negative_balance", "arrears_paise")


def cell_query(table, values: list, *, where: Sequence = (), by: Sequence = (),
                category: bool = True):
    """SELECT area_code, [category,] by..., values FROM table WHERE ... GROUP BY the keys."""
    group = [table.c.area_code, *([table.c.category] if category else []), *by]
    return select(*group, *values).where(*where).group_by(*group)


def _joined(parts: list[pd.DataFrame], keys: list[str], columns: Sequence[str]) -> pd.DataFrame:
    """Outer-join parts on their keys; absent parts count 0."""
    frames = [p.astype({k: object for k in keys}).set_index(keys) for p in parts]
    out = pd.concat(frames, axis=1).reindex(columns=list(columns))
    out = out.fillna(0).astype("int64")
    out.index.names = keys
    return out.reset_index()


@part
def hierarchy_frame(engine: Engine) -> pd.DataFrame:
    """The hierarchy table, one row per area (by area code), with every level's codes and names."""
    with engine.connect() as conn:
        return rows_frame(conn, select(hierarchy).order_by(hierarchy.c.area_code),
                      [c.name for c in hierarchy.c])


@dataclass(frozen=True)
class Cells:
    """Additive parts per cell as arrays, ready to be summed for any scope (never changed)."""

    area: np.ndarray  # the row of the cell's area in hierarchy_frame
    category: np.ndarray | None  # the cell's category; None when cells are whole areas
    day: np.ndarray | None  # the cell's day as a position in the period; None: no days
    ndays: int
    parts: tuple[str, ...]
    values: np.ndarray  # int64, a column per part


def to_cells(engine: Engine, frame: pd.DataFrame, parts: Sequence[str],
           days: Sequence[date] | None = None) -> Cells:
    """Cells from a frame keyed by area_code [, category] [, day]."""
    area = pd.Index(hierarchy_frame(engine)["area_code"], dtype=object).get_indexer(
        frame["area_code"].astype(object))
    keep = area >= 0  # an area the hierarchy no longer holds belongs to no scope
    day = None
    if days is not None:
        day = pd.Index(list(days), dtype=object).get_indexer(frame["day"].astype(object))
        keep &= day >= 0
        day = day[keep]
    category = (frame["category"].to_numpy(dtype=object)[keep] if "category" in frame
                else None)
    values = frame[list(parts)].to_numpy(dtype=np.int64)[keep]
    return Cells(area[keep], category, day, len(days or ()), tuple(parts), values)


@part
def consumer_cells(engine: Engine, split: bool) -> Cells:
    """Consumers per area (and category)."""
    t = r_consumers
    with engine.connect() as conn:
        frame = rows_frame(conn, cell_query(t, [int_sum(t.c.n)], category=split),
                       [*cell_keys(split), "consumers"])
    return to_cells(engine, frame, ["consumers"])


@part
def balance_cells(engine: Engine, day: date, split: bool) -> Cells:
    """Negative-balance accounts and arrears (paise) per area (and category) on one day."""
    with engine.connect() as conn:
        frame = _negative_cells(conn, day_index(conn, "balance"), day, split)
    return to_cells(engine, frame, BALANCE_PARTS)


def _negative_cells(conn: Connection, idx: DayIndex, day: date, split: bool) -> pd.DataFrame:
    cols = [*cell_keys(split), *BALANCE_PARTS]
    if idx.day0 is None or day < idx.day0:
        return pd.DataFrame(columns=cols)
    t = r_balance_daily  # after the last snapshot every account keeps its state
    q = cell_query(t, [int_sum(t.c.n), int_sum(t.c.arrears_paise)],
                    where=[t.c.day == min(day, idx.last)], category=split)
    return rows_frame(conn, q, cols)


@part
def period_cells(engine: Engine, period: Period, split: bool) -> Cells:
    """Every additive part of the period's KPIs per area (and category)."""
    with engine.connect() as conn:
        bal_idx = day_index(conn, "balance")
        parts = [_negative_cells(conn, bal_idx, period.end, split),
                 _start_cleared_cells(conn, bal_idx, period, split),
                 _activity_cells(conn, period, split),
                 _recharge_cells(conn, period, split, by_day=False)]
    return to_cells(engine, _joined(parts, cell_keys(split), PERIOD_PARTS), PERIOD_PARTS)


def _has_one(pattern, first: int, last: int, days: int):
    """SQL: whether a day pattern has a '1' between day indexes ``first`` and ``last``.

    Indexes are clipped to the pattern (nothing before day 0, nothing after the last day), and
    the test is substr + LIKE, which SQLite and PostgreSQL evaluate alike.
    """
    first, last = max(first, 0), min(last, days - 1)
    if last < first:
        return None
    return func.substr(pattern, first + 1, last - first + 1).like("%1%")


def _sum_if(condition, value):
    return int_sum(case((condition, value), else_=0)) if condition is not None else int_sum(
        literal(0))


def _start_cleared_cells(conn: Connection, idx: DayIndex, period: Period,
                         split: bool) -> pd.DataFrame:
    """Accounts negative the day before the period, and those of them non-negative at its end."""
    cols = [*cell_keys(split), "negative_at_start", "negative_cleared"]
    if idx.day0 is None:
        return pd.DataFrame(columns=cols)
    t = r_neg_pattern
    before_i = idx.at(period.start - timedelta(days=1))
    end_i = min(idx.at(period.end), idx.days - 1)  # after the last day every state is kept
    before = (func.substr(t.c.pattern, min(before_i, idx.days - 1) + 1, 1) == "N"
              if before_i >= 0 else None)
    after = func.substr(t.c.pattern, end_i + 1, 1) == "P" if end_i >= 0 else None
    cleared = and_(before, after) if before is not None and after is not None else None
    values = [_sum_if(before, t.c.n), _sum_if(cleared, t.c.n)]
    return rows_frame(conn, cell_query(t, values, category=split), cols)


def _activity_cells(conn: Connection, period: Period, split: bool) -> pd.DataFrame:
    """Distinct accounts per activity in the period, and ever up to its end (for coverage)."""
    idx = day_index(conn, "activity")
    cols = [*cell_keys(split), *ACTIVITIES, "otp_ever", "app_ever"]
    if idx.day0 is None:
        return pd.DataFrame(columns=cols)
    t = r_activity_pattern
    in_period = _has_one(t.c.pattern, idx.at(period.start), idx.at(period.end), idx.days)
    ever = _has_one(t.c.pattern, 0, idx.at(period.end), idx.days)
    values = [_activity_sum(a, in_period) for a in ACTIVITIES]
    values += [_activity_sum("otp_verified", ever), _activity_sum("app_downloaded", ever)]
    return rows_frame(conn, cell_query(t, values, category=split), cols)


def _activity_sum(kind: str, condition):
    t = r_activity_pattern
    return _sum_if(None if condition is None else and_(t.c.activity == kind, condition), t.c.n)


def _recharge_cells(conn: Connection, period: Period, split: bool, by_day: bool
                    ) -> pd.DataFrame:
    """Recharges, rupees (paise) and Smart App rupees per area (and category) [and day]."""
    t = r_recharge_daily
    app = case((t.c.channel == "smart_app", t.c.amount_paise), else_=0)
    q = cell_query(t, [int_sum(t.c.n), int_sum(t.c.amount_paise), int_sum(app)],
                    by=[t.c.day] if by_day else [], category=split,
                    where=[t.c.day.between(period.start, period.end)])
    return rows_frame(conn, q, [*cell_keys(split), *(["day"] if by_day else []), "recharge_count",
                            "recharge_paise", "app_paise"])


def complaint_counts(period: Period) -> list:
    """SQL sums: tickets received and resolved in the period, and open at the end of its last day."""
    c = complaints
    received = int_sum(case((c.c.opened_day.between(period.start, period.end), 1), else_=0))
    resolved = int_sum(case((c.c.resolved_day.between(period.start, period.end), 1), else_=0))
    still_open = int_sum(case((and_(c.c.opened_day <= period.end,
                                 or_(c.c.resolved_day.is_(None), c.c.resolved_day > period.end)),
                            1), else_=0))
    return [received, resolved, still_open]


@part
def complaint_cells(engine: Engine, period: Period) -> Cells:
    """Complaints received, resolved and open at the end of the period, per area."""
    c = complaints
    q = cell_query(c, complaint_counts(period), category=False)
    with engine.connect() as conn:
        frame = rows_frame(conn, q, ["area_code", *COMPLAINT_PARTS])
    return to_cells(engine, frame, COMPLAINT_PARTS)


@part
def resolution_cells(engine: Engine, period: Period) -> pd.DataFrame:
    """Each complaint resolved in the period: its area's row in hierarchy_frame, its day's
    position in the period, and the seconds it took (medians are cut from these per scope)."""
    c = complaints
    q = (select(c.c.area_code, c.c.resolved_day, c.c.resolution_seconds)
         .where(c.c.resolved_day.between(period.start, period.end),
                c.c.resolution_seconds.is_not(None)))
    with engine.connect() as conn:
        frame = rows_frame(conn, q, ["area_code", "day", "seconds"])
    area = pd.Index(hierarchy_frame(engine)["area_code"], dtype=object).get_indexer(
        frame["area_code"].astype(object))
    day = pd.Index(period.days, dtype=object).get_indexer(frame["day"].astype(object))
    keep = area >= 0
    return pd.DataFrame({"area": area[keep], "day": day[keep],
                         "seconds": frame["seconds"].to_numpy(dtype=np.int64)[keep]})


@part
def day_cells(engine: Engine, period: Period, split: bool) -> Cells:
    """The parts of each day's KPIs (from = to = that day) per area (and category) and day."""
    days = period.days
    keys = [*cell_keys(split), "day"]
    with engine.connect() as conn:
        idx = day_index(conn, "balance")
        bal = _balance_days(conn, idx, [days[0] - timedelta(days=1), *days], split)
        start = (bal.assign(day=bal["day"] + timedelta(days=1)).drop(columns="arrears_paise")
                 .rename(columns={"negative_balance": "negative_at_start"}))
        t = r_cleared_daily
        cleared = rows_frame(conn, cell_query(t, [int_sum(t.c.n)], by=[t.c.day], category=split,
                                           where=[t.c.day.between(period.start, period.end)]),
                         [*keys, "negative_cleared"])
        t = r_activity_daily
        acts = rows_frame(conn, cell_query(t, [int_sum(t.c.n)], by=[t.c.day, t.c.activity],
                                        category=split,
                                        where=[t.c.day.between(period.start, period.end)]),
                      [*keys, "activity", "n"])
        acts = acts.set_index([*keys, "activity"])["n"].unstack("activity").reset_index()
        ever = _coverage_days(conn, days, split)
        rech = _recharge_cells(conn, period, split, by_day=True)
    # each day's parts are the period parts of that one day
    return to_cells(engine, _joined([bal, start, cleared, acts, ever, rech], keys, PERIOD_PARTS),
                  PERIOD_PARTS, days)


def _balance_days(conn: Connection, idx: DayIndex, days: list[date], split: bool
                  ) -> pd.DataFrame:
    """Negative count and arrears per cell for each of ``days`` (none before the first snapshot)."""
    cols = [*cell_keys(split), "day", *BALANCE_PARTS]
    effective = {d: min(d, idx.last) for d in days if idx.day0 is not None and d >= idx.day0}
    if not effective:
        return pd.DataFrame(columns=cols)
    t = r_balance_daily
    q = cell_query(t, [int_sum(t.c.n), int_sum(t.c.arrears_paise)], by=[t.c.day], category=split,
                    where=[t.c.day.in_(sorted(set(effective.values())))])
    found = rows_frame(conn, q, [*cell_keys(split), "on", *BALANCE_PARTS])
    wanted = pd.DataFrame({"on": list(effective.values()), "day": list(effective)})
    return found.merge(wanted, on="on")[cols]


def _coverage_days(conn: Connection, days: list[date], split: bool) -> pd.DataFrame:
    """Accounts ever OTP-verified / ever with the app, up to each day (one query, a column a day)."""
    idx = day_index(conn, "activity")
    keys = cell_keys(split)
    cols = [*keys, "day", "otp_ever", "app_ever"]
    k = len(keys)
    if idx.day0 is None:
        return pd.DataFrame(columns=cols)
    t = r_activity_pattern
    values = []
    for d in days:
        ever = _has_one(t.c.pattern, 0, idx.at(d), idx.days)
        values += [_activity_sum("otp_verified", ever), _activity_sum("app_downloaded", ever)]
    wide = conn.execute(cell_query(t, values, category=split)).all()
    frames = [pd.DataFrame([(*r[:k], d, r[k + 2 * i], r[k + 1 + 2 * i]) for r in wide],
                           columns=cols) for i, d in enumerate(days)]
    return pd.concat(frames, ignore_index=True)


@part
def complaint_day_cells(engine: Engine, period: Period) -> Cells:
    """Complaints received, resolved, and open at the end of each day of the period, per area."""
    c = complaints
    days = period.days

    def per_day(day_col, name: str) -> pd.Series:
        q = cell_query(c, [func.count()], by=[day_col], category=False,
                        where=[day_col.between(period.start, period.end)])
        return rows_frame(conn, q, ["area_code", "day", name]).set_index(["area_code", "day"])[name]

    def before(day_col) -> pd.Series:
        q = cell_query(c, [func.count()], category=False, where=[day_col < period.start])
        return rows_frame(conn, q, ["area_code", "n"]).set_index("area_code")["n"]

    with engine.connect() as conn:
        received = per_day(c.c.opened_day, "complaints_received")
        resolved = per_day(c.c.resolved_day, "complaints_resolved")
        opened_before, resolved_before = before(c.c.opened_day), before(c.c.resolved_day)
    areas = sorted(set(received.index.get_level_values(0)) | set(resolved.index.get_level_values(0))
                   | set(opened_before.index) | set(resolved_before.index))
    grid = pd.MultiIndex.from_product([areas, days], names=["area_code", "day"])
    out = pd.DataFrame({"complaints_received": received.reindex(grid, fill_value=0),
                        "complaints_resolved": resolved.reindex(grid, fill_value=0)},
                       index=grid).astype("int64")
    area = out.index.get_level_values(0)
    # open at the end of d = opened up to d minus resolved up to d (resolved never precedes opened)
    opened = (out.groupby(level=0)["complaints_received"].cumsum()
              + opened_before.reindex(area, fill_value=0).to_numpy())
    closed = (out.groupby(level=0)["complaints_resolved"].cumsum()
              + resolved_before.reindex(area, fill_value=0).to_numpy())
    out["complaints_open"] = (opened - closed).astype("int64")
    return to_cells(engine, out.reset_index(), COMPLAINT_PARTS, days)
