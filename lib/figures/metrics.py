"""The metrics layer: one function per question; a scope and a period in, a DataFrame out.

Every definition follows docs/data-contract.md. Figures come from the rollup tables
(lib.data.rollups), aggregated in SQL and joined to the small hierarchy table, so a question never
touches raw consumer or balance rows; patterns of days (see lib.data.schema) turn "distinct accounts
in a period" and "negative at start, cleared by the end" into sums over a few hundred rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, and_, case, cast, func, literal, or_, select
from sqlalchemy.engine import Connection, Engine

from lib.data.contract import ACTIVITIES, LEVELS
from lib.data.engine import get_meta
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
from lib.figures.memo import figure, part

# The KPI keys, in the order the CLI and the tiles show them.
KPI_KEYS = (
    "consumers", "negative_balance", "arrears_inr", "negative_at_start", "negative_cleared",
    "otp_verified", "app_downloaded", "app_trained", "contacted", "verification_coverage",
    "app_coverage", "recharge_count", "recharge_inr", "app_recharge_share",
    "complaints_received", "complaints_resolved", "complaints_open", "resolution_hours_median",
)
RATIO_KEYS = ("verification_coverage", "app_coverage", "app_recharge_share")
RUPEE_KEYS = ("arrears_inr", "recharge_inr")
FLOAT_KEYS = RATIO_KEYS + RUPEE_KEYS + ("resolution_hours_median",)
COUNT_KEYS = tuple(k for k in KPI_KEYS if k not in FLOAT_KEYS)


@dataclass(frozen=True)
class Scope:
    """Hierarchy and category filters: OR within a level, AND across levels; empty = all."""

    zones: tuple[str, ...] = ()
    circles: tuple[str, ...] = ()
    divisions: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    @classmethod
    def of(cls, zones: Iterable[str] = (), circles: Iterable[str] = (),
           divisions: Iterable[str] = (), areas: Iterable[str] = (),
           categories: Iterable[str] = ()) -> Scope:
        """Build a scope from any iterables (sorted, de-duplicated, categories lower-case)."""
        return cls(tuple(sorted(set(zones))), tuple(sorted(set(circles))),
                   tuple(sorted(set(divisions))), tuple(sorted(set(areas))),
                   tuple(sorted({c.lower() for c in categories})))

    def hierarchy_conditions(self) -> list:
        """WHERE conditions on the hierarchy table."""
        conds = []
        for values, col in ((self.zones, hierarchy.c.zone_code),
                            (self.circles, hierarchy.c.circle_code),
                            (self.divisions, hierarchy.c.division_code),
                            (self.areas, hierarchy.c.area_code)):
            if values:
                conds.append(col.in_(values))
        return conds

    def narrowed(self, level: str, code: str) -> Scope:
        """The same scope narrowed to one unit of a level (for drill-downs)."""
        field_name = {"zone": "zones", "circle": "circles", "division": "divisions",
                      "area": "areas"}[level]
        return Scope(**{**self.__dict__, field_name: (code,)})


@dataclass(frozen=True)
class Period:
    """An inclusive range of IST days."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> list[date]:
        """Every day of the period."""
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


@dataclass(frozen=True)
class _DayIndex:
    """Where a pattern's first character sits, and how long patterns are."""

    day0: date | None
    days: int = 0
    extra: dict = field(default_factory=dict)

    def at(self, d: date) -> int:
        return (d - self.day0).days if self.day0 else -1

    @property
    def last(self) -> date | None:
        return self.day0 + timedelta(days=self.days - 1) if self.day0 else None


def _day_index(conn: Connection, prefix: str) -> _DayIndex:
    day0 = get_meta(conn, f"{prefix}_day0", "")
    if not day0:
        return _DayIndex(None)
    return _DayIndex(date.fromisoformat(day0), int(get_meta(conn, f"{prefix}_days", "0")))


def level_code(level: str):
    """The hierarchy column holding the code of a level."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    return hierarchy.c[f"{level}_code"]


def _sum(col):
    # PostgreSQL's sum(bigint) is numeric; cast so both databases return integers.
    return cast(func.coalesce(func.sum(col), 0), BigInteger)


def _frame(conn: Connection, query, columns: Sequence[str]) -> pd.DataFrame:
    """The query's rows as a frame (built column by column: far cheaper than from Row objects)."""
    rows = conn.execute(query).all()
    values = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    return pd.DataFrame({name: list(col) for name, col in zip(columns, values, strict=True)},
                        columns=list(columns))


def _scoped(table, scope: Scope, level: str | None, values: list, *, where: Sequence = (),
            by: Sequence = (), categories: bool = True):
    """SELECT [unit code,] [by...,] values FROM table JOIN hierarchy WHERE scope GROUP BY ..."""
    group = ([level_code(level).label("g")] if level else []) + list(by)
    query = (select(*group, *values)
             .select_from(table.join(hierarchy, table.c.area_code == hierarchy.c.area_code))
             .where(*scope.hierarchy_conditions(), *where))
    if categories and scope.categories:
        query = query.where(table.c.category.in_(scope.categories))
    return query.group_by(*group) if group else query


def kpis(engine: Engine, scope: Scope, period: Period) -> dict:
    """The headline KPI object of the contract: JSON-ready (ints, floats, None)."""
    row = headline(engine, scope, period).iloc[0]
    return {key: _plain(row[key], key) for key in KPI_KEYS}


def _plain(value, key: str):
    if value is None or pd.isna(value):
        return None
    return float(value) if key in FLOAT_KEYS else int(value)


# --- cells: the additive parts per (area, category) that every scope is cut from -----------
# A filter change asks the same period about other units. Summing the period's cells (a few
# thousand rows, remembered per data version) answers it without another round of queries;
# only the median resolution time, which does not add up, is asked of the database per scope.

CELL = ["area_code", "category"]


def _keys(split: bool) -> list[str]:
    """Cell keys: by area and category when a category filter needs them, else by area
    (six times fewer rows to fetch and sum)."""
    return CELL if split else ["area_code"]
PERIOD_PARTS = ("negative_balance", "arrears_paise", "negative_at_start", "negative_cleared",
                *ACTIVITIES, "otp_ever", "app_ever", "recharge_count", "recharge_paise",
                "app_paise")
COMPLAINT_PARTS = ("complaints_received", "complaints_resolved", "complaints_open")
BALANCE_PARTS = ("negative_balance", "arrears_paise")


def _cell_query(table, values: list, *, where: Sequence = (), by: Sequence = (),
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
        return _frame(conn, select(hierarchy).order_by(hierarchy.c.area_code),
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


def _cells(engine: Engine, frame: pd.DataFrame, parts: Sequence[str],
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
        frame = _frame(conn, _cell_query(t, [_sum(t.c.n)], category=split),
                       [*_keys(split), "consumers"])
    return _cells(engine, frame, ["consumers"])


@part
def balance_cells(engine: Engine, day: date, split: bool) -> Cells:
    """Negative-balance accounts and arrears (paise) per area (and category) on one day."""
    with engine.connect() as conn:
        frame = _negative_cells(conn, _day_index(conn, "balance"), day, split)
    return _cells(engine, frame, BALANCE_PARTS)


def _negative_cells(conn: Connection, idx: _DayIndex, day: date, split: bool) -> pd.DataFrame:
    cols = [*_keys(split), *BALANCE_PARTS]
    if idx.day0 is None or day < idx.day0:
        return pd.DataFrame(columns=cols)
    t = r_balance_daily  # after the last snapshot every account keeps its state
    q = _cell_query(t, [_sum(t.c.n), _sum(t.c.arrears_paise)],
                    where=[t.c.day == min(day, idx.last)], category=split)
    return _frame(conn, q, cols)


@part
def period_cells(engine: Engine, period: Period, split: bool) -> Cells:
    """Every additive part of the period's KPIs per area (and category)."""
    with engine.connect() as conn:
        bal_idx = _day_index(conn, "balance")
        parts = [_negative_cells(conn, bal_idx, period.end, split),
                 _start_cleared_cells(conn, bal_idx, period, split),
                 _activity_cells(conn, period, split),
                 _recharge_cells(conn, period, split, by_day=False)]
    return _cells(engine, _joined(parts, _keys(split), PERIOD_PARTS), PERIOD_PARTS)


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
    return _sum(case((condition, value), else_=0)) if condition is not None else _sum(
        literal(0))


def _start_cleared_cells(conn: Connection, idx: _DayIndex, period: Period,
                         split: bool) -> pd.DataFrame:
    """Accounts negative the day before the period, and those of them non-negative at its end."""
    cols = [*_keys(split), "negative_at_start", "negative_cleared"]
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
    return _frame(conn, _cell_query(t, values, category=split), cols)


def _activity_cells(conn: Connection, period: Period, split: bool) -> pd.DataFrame:
    """Distinct accounts per activity in the period, and ever up to its end (for coverage)."""
    idx = _day_index(conn, "activity")
    cols = [*_keys(split), *ACTIVITIES, "otp_ever", "app_ever"]
    if idx.day0 is None:
        return pd.DataFrame(columns=cols)
    t = r_activity_pattern
    in_period = _has_one(t.c.pattern, idx.at(period.start), idx.at(period.end), idx.days)
    ever = _has_one(t.c.pattern, 0, idx.at(period.end), idx.days)
    values = [_activity_sum(a, in_period) for a in ACTIVITIES]
    values += [_activity_sum("otp_verified", ever), _activity_sum("app_downloaded", ever)]
    return _frame(conn, _cell_query(t, values, category=split), cols)


def _activity_sum(kind: str, condition):
    t = r_activity_pattern
    return _sum_if(None if condition is None else and_(t.c.activity == kind, condition), t.c.n)


def _recharge_cells(conn: Connection, period: Period, split: bool, by_day: bool
                    ) -> pd.DataFrame:
    """Recharges, rupees (paise) and Smart App rupees per area (and category) [and day]."""
    t = r_recharge_daily
    app = case((t.c.channel == "smart_app", t.c.amount_paise), else_=0)
    q = _cell_query(t, [_sum(t.c.n), _sum(t.c.amount_paise), _sum(app)],
                    by=[t.c.day] if by_day else [], category=split,
                    where=[t.c.day.between(period.start, period.end)])
    return _frame(conn, q, [*_keys(split), *(["day"] if by_day else []), "recharge_count",
                            "recharge_paise", "app_paise"])


def complaint_counts(period: Period) -> list:
    """SQL sums: tickets received and resolved in the period, and open at the end of its last day."""
    c = complaints
    received = _sum(case((c.c.opened_day.between(period.start, period.end), 1), else_=0))
    resolved = _sum(case((c.c.resolved_day.between(period.start, period.end), 1), else_=0))
    still_open = _sum(case((and_(c.c.opened_day <= period.end,
                                 or_(c.c.resolved_day.is_(None), c.c.resolved_day > period.end)),
                            1), else_=0))
    return [received, resolved, still_open]


@part
def complaint_cells(engine: Engine, period: Period) -> Cells:
    """Complaints received, resolved and open at the end of the period, per area."""
    c = complaints
    q = _cell_query(c, complaint_counts(period), category=False)
    with engine.connect() as conn:
        frame = _frame(conn, q, ["area_code", *COMPLAINT_PARTS])
    return _cells(engine, frame, COMPLAINT_PARTS)


# --- cutting a scope from the cells ----------------------------------------------------------


@part
def _scoping(engine: Engine, scope: Scope, level: str | None) -> tuple[list, np.ndarray]:
    """The units of a level in scope (sorted codes; '*' without a level) and, for each row of
    hierarchy_frame, the position of its unit among them (-1: outside the scope)."""
    hier = hierarchy_frame(engine)
    inside = np.ones(len(hier), dtype=bool)
    for values, col in ((scope.zones, "zone_code"), (scope.circles, "circle_code"),
                        (scope.divisions, "division_code"), (scope.areas, "area_code")):
        if values:
            inside &= hier[col].isin(values).to_numpy()
    if level is None:
        return ["*"], np.where(inside, 0, -1)
    of_area = hier[f"{level}_code"].to_numpy(dtype=object)
    codes = sorted(set(of_area[inside]))
    position = {code: i for i, code in enumerate(codes)}
    unit = np.array([position[c] if ok else -1 for c, ok in zip(of_area, inside, strict=True)],
                    dtype=np.int64)
    return codes, unit


@part
def unit_names(engine: Engine, level: str) -> pd.DataFrame:
    """Every unit of a level: code, name, Hindi name (and the zone's CE, or the unit's zone)."""
    extra = {"zone": ("chief_engineer", "chief_engineer")}.get(level, ("zone_code", "zone_code"))
    out = (hierarchy_frame(engine).groupby(f"{level}_code", sort=True)
           .agg(name=(f"{level}_name", "min"), name_hi=(f"{level}_name_hi", "min"),
                **{extra[0]: (extra[1], "min")})
           .rename_axis("code").reset_index())
    return out.astype({"code": object})


def areas_in(engine: Engine, scope: Scope) -> frozenset[str]:
    """The area codes inside a scope (the same rule every figure is cut by)."""
    inside = _scoping(engine, scope, None)[1] >= 0
    return frozenset(hierarchy_frame(engine)["area_code"].to_numpy()[inside])


def _cut(cells: Cells, scoping: tuple[list, np.ndarray], scope: Scope,
         categories: bool = True) -> dict[str, np.ndarray]:
    """Each part summed over the cells in scope: an array per part, one value per unit (per
    unit and day, unit-major, for cells with days)."""
    codes, unit = scoping
    of_cell = unit[cells.area]
    keep = of_cell >= 0
    if categories and scope.categories and cells.category is not None:
        keep &= np.isin(cells.category, scope.categories)
    slot, size = of_cell[keep], len(codes)
    if cells.day is not None:
        slot, size = slot * cells.ndays + cells.day[keep], size * cells.ndays
    sums = np.zeros((size, len(cells.parts)), dtype=np.int64)
    np.add.at(sums, slot, cells.values[keep])
    return dict(zip(cells.parts, sums.T, strict=True))


def _median_resolution(conn, scope, level, where, by: Sequence = ()) -> pd.DataFrame:
    """Median hours from opened to resolved per group, computed in SQL with window functions."""
    c = complaints
    group = ([level_code(level).label("g")] if level else []) + list(by)
    partition = [g for g in group]
    inner = (select(*group, c.c.resolution_seconds.label("s"),
                    func.row_number().over(partition_by=partition or None,
                                           order_by=c.c.resolution_seconds).label("rn"),
                    func.count().over(partition_by=partition or None).label("cnt"))
             .select_from(c.join(hierarchy, c.c.area_code == hierarchy.c.area_code))
             .where(*scope.hierarchy_conditions(), *where)).subquery()
    outer_group = [inner.c[g.name] for g in group]
    middle = or_(inner.c.rn == (inner.c.cnt + 1) // 2, inner.c.rn == (inner.c.cnt + 2) // 2)
    q = select(*outer_group, func.avg(inner.c.s)).where(middle)
    if outer_group:
        q = q.group_by(*outer_group)
    names = [g.name for g in group] + ["resolution_hours_median"]
    df = _frame(conn, q, names)
    df["resolution_hours_median"] = df["resolution_hours_median"].astype(float) / 3600.0
    if level is None and not by:
        df.insert(0, "g", "*")
        if df.empty:
            df.loc[0] = ["*", None]
    return df


def _ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """top / bottom, NaN where bottom is 0."""
    out = np.full(len(top), np.nan)
    np.divide(top, bottom, out=out, where=bottom > 0)
    return out


def _figures(cols: dict[str, np.ndarray], medians: np.ndarray, keys: dict) -> pd.DataFrame:
    """The KPI frame from summed parts: rupees from paise, the ratios, the medians."""
    out = {**keys, **{k: cols[k] for k in COUNT_KEYS}}
    out["arrears_inr"] = cols["arrears_paise"] / 100.0
    out["recharge_inr"] = cols["recharge_paise"] / 100.0
    out["verification_coverage"] = _ratio(cols["otp_ever"], cols["consumers"])
    out["app_coverage"] = _ratio(cols["app_ever"], cols["consumers"])
    out["app_recharge_share"] = _ratio(cols["app_paise"], cols["recharge_paise"])
    out["resolution_hours_median"] = medians
    return pd.DataFrame(out, columns=[*keys, *KPI_KEYS])


@part
def resolution_cells(engine: Engine, period: Period) -> pd.DataFrame:
    """Each complaint resolved in the period: its area's row in hierarchy_frame, its day's
    position in the period, and the seconds it took (medians are cut from these per scope)."""
    c = complaints
    q = (select(c.c.area_code, c.c.resolved_day, c.c.resolution_seconds)
         .where(c.c.resolved_day.between(period.start, period.end),
                c.c.resolution_seconds.is_not(None)))
    with engine.connect() as conn:
        frame = _frame(conn, q, ["area_code", "day", "seconds"])
    area = pd.Index(hierarchy_frame(engine)["area_code"], dtype=object).get_indexer(
        frame["area_code"].astype(object))
    day = pd.Index(period.days, dtype=object).get_indexer(frame["day"].astype(object))
    keep = area >= 0
    return pd.DataFrame({"area": area[keep], "day": day[keep],
                         "seconds": frame["seconds"].to_numpy(dtype=np.int64)[keep]})


def _medians(engine: Engine, scoping: tuple[list, np.ndarray], period: Period,
             by_day: bool) -> np.ndarray:
    """Median resolution hours per unit (per unit and day, unit-major): the mean of the two
    middle values for an even count, as the contract's median; NaN where none was resolved."""
    cells = resolution_cells(engine, period)
    of_cell = scoping[1][cells["area"].to_numpy()]
    keep = of_cell >= 0
    slot, size = of_cell[keep], len(scoping[0])
    if by_day:
        ndays = len(period.days)
        slot, size = slot * ndays + cells["day"].to_numpy()[keep], size * ndays
    seconds = cells["seconds"].to_numpy()[keep]
    order = np.lexsort((seconds, slot))
    slot, seconds = slot[order], seconds[order]
    first = np.searchsorted(slot, np.arange(size))
    count = np.searchsorted(slot, np.arange(size), side="right") - first
    out = np.full(size, np.nan)
    has = count > 0
    low, high = first + (count - 1) // 2, first + count // 2
    out[has] = (seconds[low[has]] + seconds[high[has]]) / 2 / 3600.0
    return out


def _period_figures(engine: Engine, scope: Scope, period: Period,
                    level: str | None) -> pd.DataFrame:
    """Every KPI for the period, one row per unit of ``level`` in scope (or one row '*')."""
    split = bool(scope.categories)
    scoping = _scoping(engine, scope, level)
    cols = {**_cut(consumer_cells(engine, split), scoping, scope),
            **_cut(period_cells(engine, period, split), scoping, scope),
            **_cut(complaint_cells(engine, period), scoping, scope, categories=False)}
    codes = scoping[0]
    medians = _medians(engine, scoping, period, by_day=False)
    return _figures(cols, medians, {"code": np.array(codes, dtype=object)})


@figure
def headline(engine: Engine, scope: Scope, period: Period) -> pd.DataFrame:
    """One row with every KPI for the scope and period."""
    return _period_figures(engine, scope, period, None)


@figure
def by_unit(engine: Engine, scope: Scope, period: Period, level: str) -> pd.DataFrame:
    """Every KPI per unit of a level (zone, circle, division, area), with the unit's names."""
    level_code(level)  # an unknown level is an error, not an empty table
    figures = _period_figures(engine, scope, period, level)
    names = unit_names(engine, level)
    # both are sorted by code: join by position, not by a merge (the dearest step here)
    names = names[names["code"].isin(figures["code"])].reset_index(drop=True)
    return pd.concat([names, figures.drop(columns="code")], axis=1)


def negative_on(engine: Engine, scope: Scope, day: date, level: str | None) -> pd.DataFrame:
    """Negative-balance accounts and arrears on one day (latest snapshot as of that day).

    Columns: g (unit code, or '*' without a level), negative_balance, arrears_inr.
    """
    scoping = _scoping(engine, scope, level)
    sums = _cut(balance_cells(engine, day, bool(scope.categories)), scoping, scope)
    return pd.DataFrame({"g": np.array(scoping[0], dtype=object),
                         "negative_balance": sums["negative_balance"],
                         "arrears_inr": sums["arrears_paise"] / 100.0})


# --- day by day ------------------------------------------------------------------------------

@part
def day_cells(engine: Engine, period: Period, split: bool) -> Cells:
    """The parts of each day's KPIs (from = to = that day) per area (and category) and day."""
    days = period.days
    keys = [*_keys(split), "day"]
    with engine.connect() as conn:
        idx = _day_index(conn, "balance")
        bal = _balance_days(conn, idx, [days[0] - timedelta(days=1), *days], split)
        start = (bal.assign(day=bal["day"] + timedelta(days=1)).drop(columns="arrears_paise")
                 .rename(columns={"negative_balance": "negative_at_start"}))
        t = r_cleared_daily
        cleared = _frame(conn, _cell_query(t, [_sum(t.c.n)], by=[t.c.day], category=split,
                                           where=[t.c.day.between(period.start, period.end)]),
                         [*keys, "negative_cleared"])
        t = r_activity_daily
        acts = _frame(conn, _cell_query(t, [_sum(t.c.n)], by=[t.c.day, t.c.activity],
                                        category=split,
                                        where=[t.c.day.between(period.start, period.end)]),
                      [*keys, "activity", "n"])
        acts = acts.set_index([*keys, "activity"])["n"].unstack("activity").reset_index()
        ever = _coverage_days(conn, days, split)
        rech = _recharge_cells(conn, period, split, by_day=True)
    # each day's parts are the period parts of that one day
    return _cells(engine, _joined([bal, start, cleared, acts, ever, rech], keys, PERIOD_PARTS),
                  PERIOD_PARTS, days)


def _balance_days(conn: Connection, idx: _DayIndex, days: list[date], split: bool
                  ) -> pd.DataFrame:
    """Negative count and arrears per cell for each of ``days`` (none before the first snapshot)."""
    cols = [*_keys(split), "day", *BALANCE_PARTS]
    effective = {d: min(d, idx.last) for d in days if idx.day0 is not None and d >= idx.day0}
    if not effective:
        return pd.DataFrame(columns=cols)
    t = r_balance_daily
    q = _cell_query(t, [_sum(t.c.n), _sum(t.c.arrears_paise)], by=[t.c.day], category=split,
                    where=[t.c.day.in_(sorted(set(effective.values())))])
    found = _frame(conn, q, [*_keys(split), "on", *BALANCE_PARTS])
    wanted = pd.DataFrame({"on": list(effective.values()), "day": list(effective)})
    return found.merge(wanted, on="on")[cols]


def _coverage_days(conn: Connection, days: list[date], split: bool) -> pd.DataFrame:
    """Accounts ever OTP-verified / ever with the app, up to each day (one query, a column a day)."""
    idx = _day_index(conn, "activity")
    keys = _keys(split)
    cols = [*keys, "day", "otp_ever", "app_ever"]
    k = len(keys)
    if idx.day0 is None:
        return pd.DataFrame(columns=cols)
    t = r_activity_pattern
    values = []
    for d in days:
        ever = _has_one(t.c.pattern, 0, idx.at(d), idx.days)
        values += [_activity_sum("otp_verified", ever), _activity_sum("app_downloaded", ever)]
    wide = conn.execute(_cell_query(t, values, category=split)).all()
    frames = [pd.DataFrame([(*r[:k], d, r[k + 2 * i], r[k + 1 + 2 * i]) for r in wide],
                           columns=cols) for i, d in enumerate(days)]
    return pd.concat(frames, ignore_index=True)


@part
def complaint_day_cells(engine: Engine, period: Period) -> Cells:
    """Complaints received, resolved, and open at the end of each day of the period, per area."""
    c = complaints
    days = period.days

    def per_day(day_col, name: str) -> pd.Series:
        q = _cell_query(c, [func.count()], by=[day_col], category=False,
                        where=[day_col.between(period.start, period.end)])
        return _frame(conn, q, ["area_code", "day", name]).set_index(["area_code", "day"])[name]

    def before(day_col) -> pd.Series:
        q = _cell_query(c, [func.count()], category=False, where=[day_col < period.start])
        return _frame(conn, q, ["area_code", "n"]).set_index("area_code")["n"]

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
    return _cells(engine, out.reset_index(), COMPLAINT_PARTS, days)


@figure
def daily(engine: Engine, scope: Scope, period: Period, level: str | None = None) -> pd.DataFrame:
    """Every KPI for each day of the period (from = to = that day), optionally per unit."""
    split, days = bool(scope.categories), period.days
    scoping = _scoping(engine, scope, level)
    cols = {**_cut(day_cells(engine, period, split), scoping, scope),
            **_cut(complaint_day_cells(engine, period), scoping, scope, categories=False)}
    cols["consumers"] = np.repeat(_cut(consumer_cells(engine, split), scoping, scope)["consumers"],
                                  len(days))
    codes = np.repeat(np.array(scoping[0], dtype=object), len(days))
    on = np.array(days * len(scoping[0]), dtype=object)
    medians = _medians(engine, scoping, period, by_day=True)
    keys = {"day": on} if level is None else {"code": codes, "day": on}
    return _figures(cols, medians, keys)
