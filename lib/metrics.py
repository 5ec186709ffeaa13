"""The metrics layer: one function per question; a scope and a period in, a DataFrame out.

Every definition follows ../shared/spec/data-contract.md. Figures come from the rollup tables
(lib.rollup), aggregated in SQL and joined to the small hierarchy table, so a question never
touches raw consumer or balance rows; patterns of days (see lib.schema) turn "distinct accounts
in a period" and "negative at start, cleared by the end" into sums over a few hundred rows.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import BigInteger, and_, case, cast, func, literal, or_, select
from sqlalchemy.engine import Connection, Engine

from lib.contract import ACTIVITIES, LEVELS
from lib.db import get_meta
from lib.schema import (
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
    return pd.DataFrame(conn.execute(query).all(), columns=list(columns))


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


# --- the period figures --------------------------------------------------------------------

_MEMO: OrderedDict = OrderedDict()
_MEMO_SIZE = 128
_MEMO_LOCK = threading.Lock()


def _memoized(fn: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
    """Remember a figure per (database, data version, arguments) within the process.

    One page asks for the same headline or unit table more than once (tiles, targets, league);
    the data version (bumped by every landed load) keeps a remembered figure from going stale.
    """

    @functools.wraps(fn)
    def wrapper(engine: Engine, *args):
        with engine.connect() as conn:
            version = get_meta(conn, "data_version", "0")
        key = (fn.__name__, str(engine.url), version, args)
        with _MEMO_LOCK:
            hit = _MEMO.get(key)
            if hit is not None:
                _MEMO.move_to_end(key)
                return hit.copy()
        value = fn(engine, *args)
        with _MEMO_LOCK:
            _MEMO[key] = value
            while len(_MEMO) > _MEMO_SIZE:
                _MEMO.popitem(last=False)
        return value.copy()

    return wrapper


def kpis(engine: Engine, scope: Scope, period: Period) -> dict:
    """The headline KPI object of the contract: JSON-ready (ints, floats, None)."""
    row = headline(engine, scope, period).iloc[0]
    return {key: _plain(row[key], key) for key in KPI_KEYS}


def _plain(value, key: str):
    if value is None or pd.isna(value):
        return None
    return float(value) if key in FLOAT_KEYS else int(value)


def forget_figures() -> None:
    """Empty the per-process memo of figures."""
    with _MEMO_LOCK:
        _MEMO.clear()


@_memoized
def headline(engine: Engine, scope: Scope, period: Period) -> pd.DataFrame:
    """One row with every KPI for the scope and period."""
    with engine.connect() as conn:
        return _period_metrics(conn, scope, period, None).reset_index(drop=True)


@_memoized
def by_unit(engine: Engine, scope: Scope, period: Period, level: str) -> pd.DataFrame:
    """Every KPI per unit of a level (zone, circle, division, area), with the unit's names."""
    with engine.connect() as conn:
        units = _units(conn, scope, level)
        figures = _period_metrics(conn, scope, period, level)
    return _merge(units, figures, on="code").pipe(_fill_counts)


def _units(conn: Connection, scope: Scope, level: str) -> pd.DataFrame:
    """The units of a level in scope: code, name, Hindi name (and CE and zone for zones)."""
    code = level_code(level)
    cols = [code.label("code"), func.min(hierarchy.c[f"{level}_name"]).label("name"),
            func.min(hierarchy.c[f"{level}_name_hi"]).label("name_hi")]
    if level != "zone":
        cols.append(func.min(hierarchy.c.zone_code).label("zone_code"))
    if level in ("zone",):
        cols.append(func.min(hierarchy.c.chief_engineer).label("chief_engineer"))
    query = select(*cols).where(*scope.hierarchy_conditions()).group_by(code).order_by(code)
    return pd.DataFrame(conn.execute(query).mappings().all(),
                        columns=[c.name for c in cols])


def _fill_counts(df: pd.DataFrame) -> pd.DataFrame:
    for key in COUNT_KEYS:
        if key in df:
            df[key] = df[key].fillna(0).astype("int64")
    for key in RUPEE_KEYS:
        if key in df:
            df[key] = df[key].fillna(0.0)
    return df


def _period_metrics(conn: Connection, scope: Scope, period: Period,
                    level: str | None) -> pd.DataFrame:
    """Every KPI for the period, one row per unit of ``level`` (or one row), keyed by 'code'."""
    parts = [
        _consumer_counts(conn, scope, level),
        negative_on(conn, scope, period.end, level),
        _negative_start_cleared(conn, scope, period, level),
        _activities_in(conn, scope, period, level),
        _recharges_in(conn, scope, period, level),
        _complaints_in(conn, scope, period, level),
    ]
    out = pd.concat([part.astype({"g": object}).set_index("g") for part in parts], axis=1)
    out = out.rename_axis("g").reset_index()
    out = _fill_counts(out)
    _ratios(out)
    out = out.rename(columns={"g": "code"})
    return out[["code", *KPI_KEYS]]


def _merge(left: pd.DataFrame, right: pd.DataFrame, on, how: str = "left") -> pd.DataFrame:
    """Merge on unit code (and day); an empty result frame has float keys, so align to object."""
    keys = [on] if isinstance(on, str) else list(on)
    return left.astype({k: object for k in keys}).merge(
        right.astype({k: object for k in keys}), on=on, how=how)


def _ratios(df: pd.DataFrame) -> None:
    consumers_ = df["consumers"].where(df["consumers"] > 0)
    df["verification_coverage"] = df["otp_ever"] / consumers_
    df["app_coverage"] = df["app_ever"] / consumers_
    rupees = df["recharge_inr"].where(df["recharge_inr"] > 0)
    df["app_recharge_share"] = df["app_inr"] / rupees


def _one(level: str | None, df: pd.DataFrame) -> pd.DataFrame:
    """Give the single-row (whole scope) result the same key column as grouped ones."""
    if level is None:
        df.insert(0, "g", "*")
    return df


def _consumer_counts(conn, scope, level) -> pd.DataFrame:
    q = _scoped(r_consumers, scope, level, [_sum(r_consumers.c.n).label("consumers")])
    return _one(level, _frame(conn, q, (["g"] if level else []) + ["consumers"]))


def negative_on(conn: Connection, scope: Scope, day: date, level: str | None) -> pd.DataFrame:
    """Negative-balance accounts and arrears on one day (latest snapshot as of that day)."""
    idx = _day_index(conn, "balance")
    cols = (["g"] if level else []) + ["negative_balance", "arrears_inr"]
    if idx.day0 is None or day < idx.day0:
        return _one(level, pd.DataFrame([[0, 0.0]] if not level else [], columns=cols[-2:]))
    effective = min(day, idx.last)  # after the last snapshot, every account keeps its state
    q = _scoped(r_balance_daily, scope, level,
                [_sum(r_balance_daily.c.n), _sum(r_balance_daily.c.arrears_paise)],
                where=[r_balance_daily.c.day == effective])
    df = _frame(conn, q, cols)
    df["arrears_inr"] = df["arrears_inr"] / 100.0
    return _one(level, df)


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


def _negative_start_cleared(conn, scope, period: Period, level) -> pd.DataFrame:
    """Accounts negative the day before the period, and those of them non-negative at its end."""
    idx = _day_index(conn, "balance")
    cols = _cols(level, "negative_at_start", "negative_cleared")
    if idx.day0 is None:
        return _one(level, pd.DataFrame([[0, 0]] if level is None else [], columns=cols[-2:]))
    t = r_neg_pattern
    before_i = idx.at(period.start - timedelta(days=1))
    end_i = min(idx.at(period.end), idx.days - 1)  # after the last day every state is kept
    before = (func.substr(t.c.pattern, min(before_i, idx.days - 1) + 1, 1) == "N"
              if before_i >= 0 else None)
    after = func.substr(t.c.pattern, end_i + 1, 1) == "P" if end_i >= 0 else None
    cleared = and_(before, after) if before is not None and after is not None else None
    q = _scoped(t, scope, level, [_sum_if(before, t.c.n), _sum_if(cleared, t.c.n)])
    return _one(level, _frame(conn, q, cols))


def _activities_in(conn, scope, period: Period, level) -> pd.DataFrame:
    """Distinct accounts per activity in the period, and ever up to its end (for coverage)."""
    idx = _day_index(conn, "activity")
    names = [*ACTIVITIES, "otp_ever", "app_ever"]
    if idx.day0 is None:
        return _one(level, pd.DataFrame([[0] * len(names)] if level is None else [],
                                        columns=names))
    t = r_activity_pattern
    start, end = idx.at(period.start), idx.at(period.end)
    in_period = _has_one(t.c.pattern, start, end, idx.days)
    ever = _has_one(t.c.pattern, 0, end, idx.days)

    def of(kind, condition):
        return _sum_if(None if condition is None else and_(t.c.activity == kind, condition),
                       t.c.n)

    values = [of(a, in_period) for a in ACTIVITIES]
    values += [of("otp_verified", ever), of("app_downloaded", ever)]
    return _one(level, _frame(conn, _scoped(t, scope, level, values), _cols(level, *names)))


def _recharges_in(conn, scope, period: Period, level) -> pd.DataFrame:
    t = r_recharge_daily
    app = case((t.c.channel == "smart_app", t.c.amount_paise), else_=0)
    q = _scoped(t, scope, level, [_sum(t.c.n), _sum(t.c.amount_paise), _sum(app)],
                where=[t.c.day.between(period.start, period.end)])
    df = _frame(conn, q, (["g"] if level else []) + ["recharge_count", "recharge_inr", "app_inr"])
    df["recharge_inr"] = df["recharge_inr"] / 100.0
    df["app_inr"] = df["app_inr"] / 100.0
    return _one(level, df)


def complaint_counts(period: Period) -> list:
    """SQL sums: tickets received and resolved in the period, and open at the end of its last day."""
    c = complaints
    received = _sum(case((c.c.opened_day.between(period.start, period.end), 1), else_=0))
    resolved = _sum(case((c.c.resolved_day.between(period.start, period.end), 1), else_=0))
    still_open = _sum(case((and_(c.c.opened_day <= period.end,
                                 or_(c.c.resolved_day.is_(None), c.c.resolved_day > period.end)),
                            1), else_=0))
    return [received, resolved, still_open]


def _complaints_in(conn, scope, period: Period, level) -> pd.DataFrame:
    c = complaints
    q = _scoped(c, scope, level, complaint_counts(period), categories=False)
    cols = (["g"] if level else []) + ["complaints_received", "complaints_resolved",
                                       "complaints_open"]
    counts = _one(level, _frame(conn, q, cols))
    medians = _median_resolution(conn, scope, level, [c.c.resolved_day.between(period.start,
                                                                               period.end)])
    return _merge(counts, medians, on="g")


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


# --- day by day ------------------------------------------------------------------------------


@_memoized
def daily(engine: Engine, scope: Scope, period: Period, level: str | None = None) -> pd.DataFrame:
    """Every KPI for each day of the period (from = to = that day), optionally per unit."""
    with engine.connect() as conn:
        return _daily_metrics(conn, scope, period, level)


def _daily_metrics(conn, scope, period: Period, level) -> pd.DataFrame:
    days = period.days
    keys = ["g", "day"]
    grid_units = (_units(conn, scope, level)["code"].tolist() if level else ["*"])
    out = pd.MultiIndex.from_product([grid_units, days], names=keys).to_frame(index=False)

    cons = _consumer_counts(conn, scope, level)
    out = _merge(out, cons, on="g", how="left")

    # negative on d and on d-1, carrying the last snapshot forward
    idx = _day_index(conn, "balance")
    bal = _balance_days(conn, scope, level, idx, [days[0] - timedelta(days=1), *days])
    out = _merge(out, bal, on=keys, how="left")
    prev = bal.assign(day=bal["day"] + timedelta(days=1)).rename(
        columns={"negative_balance": "negative_at_start"}).drop(columns="arrears_inr")
    out = _merge(out, prev, on=keys, how="left")

    t = r_cleared_daily
    q = _scoped(t, scope, level, [_sum(t.c.n)], by=[t.c.day],
                where=[t.c.day.between(period.start, period.end)])
    cleared = _frame(conn, q, _cols(level, "day", "negative_cleared"))
    out = _merge(out, _one(level, cleared) if level is None else cleared, on=keys)

    t = r_activity_daily
    q = _scoped(t, scope, level, [_sum(t.c.n)], by=[t.c.day, t.c.activity],
                where=[t.c.day.between(period.start, period.end)])
    acts = _frame(conn, q, _cols(level, "day", "activity", "n"))
    acts = _one(level, acts) if level is None else acts
    wide = (acts.pivot_table(index=keys, columns="activity", values="n", aggfunc="sum")
            .reindex(columns=list(ACTIVITIES)).reset_index().rename_axis(columns=None))
    out = _merge(out, wide, on=keys, how="left")
    out = _merge(out, _coverage_days(conn, scope, level, days), on=keys, how="left")

    t = r_recharge_daily
    app = case((t.c.channel == "smart_app", t.c.amount_paise), else_=0)
    q = _scoped(t, scope, level, [_sum(t.c.n), _sum(t.c.amount_paise), _sum(app)], by=[t.c.day],
                where=[t.c.day.between(period.start, period.end)])
    rech = _frame(conn, q, _cols(level, "day", "recharge_count", "recharge_inr", "app_inr"))
    rech = _one(level, rech) if level is None else rech
    rech[["recharge_inr", "app_inr"]] = rech[["recharge_inr", "app_inr"]] / 100.0
    out = _merge(out, rech, on=keys, how="left")

    out = _merge(out, _complaint_days(conn, scope, level, period), on=keys, how="left")
    out = _fill_counts(out)
    out["app_inr"] = out["app_inr"].fillna(0.0)
    _ratios(out)
    out = out.rename(columns={"g": "code"})
    cols = ["day", *KPI_KEYS] if level is None else ["code", "day", *KPI_KEYS]
    return out[cols].sort_values(cols[:2] if level else ["day"]).reset_index(drop=True)


def _cols(level, *names: str) -> list[str]:
    return (["g"] if level else []) + list(names)


def _balance_days(conn, scope, level, idx: _DayIndex, days: list[date]) -> pd.DataFrame:
    """Negative count and arrears for each of ``days`` (0 before the first snapshot)."""
    keys = ["g", "day"]
    if idx.day0 is None:
        return pd.DataFrame(columns=[*keys, "negative_balance", "arrears_inr"])
    effective = {d: min(d, idx.last) for d in days if d >= idx.day0}
    t = r_balance_daily
    q = _scoped(t, scope, level, [_sum(t.c.n), _sum(t.c.arrears_paise)], by=[t.c.day],
                where=[t.c.day.in_(sorted(set(effective.values())))]) if effective else None
    found = (_frame(conn, q, _cols(level, "day", "negative_balance", "arrears_inr"))
             if q is not None else pd.DataFrame(columns=_cols(level, "day", "negative_balance",
                                                               "arrears_inr")))
    found = _one(level, found) if level is None else found
    rows = []
    for d, eff in effective.items():
        rows.append(found[found["day"] == eff].assign(day=d))
    df = pd.concat(rows) if rows else found.iloc[0:0]
    df["arrears_inr"] = df["arrears_inr"].astype(float) / 100.0
    return df


def _coverage_days(conn, scope, level, days: list[date]) -> pd.DataFrame:
    """Accounts ever OTP-verified / ever with the app, up to each day (one query, a column a day)."""
    idx = _day_index(conn, "activity")
    keys = ["g", "day"]
    if idx.day0 is None:
        return pd.DataFrame(columns=[*keys, "otp_ever", "app_ever"])
    t = r_activity_pattern
    values, names = [], []
    for i, d in enumerate(days):
        ever = _has_one(t.c.pattern, 0, idx.at(d), idx.days)
        for kind, name in (("otp_verified", "otp_ever"), ("app_downloaded", "app_ever")):
            values.append(_sum_if(None if ever is None else and_(t.c.activity == kind, ever),
                                  t.c.n))
            names.append(f"{name}|{i}")
    wide = _one(level, _frame(conn, _scoped(t, scope, level, values), _cols(level, *names)))
    long = wide.melt(id_vars="g", var_name="col", value_name="n")
    long[["kind", "i"]] = long["col"].str.split("|", expand=True)
    long["day"] = [days[int(i)] for i in long["i"]]
    out = long.pivot_table(index=keys, columns="kind", values="n", aggfunc="sum").reset_index()
    return out.rename_axis(columns=None)


def _complaint_days(conn, scope, level, period: Period) -> pd.DataFrame:
    """Complaints received, resolved, open at the end of, and median resolution, per day."""
    c = complaints
    keys = ["g", "day"]

    def per_day(day_col, name):
        q = _scoped(c, scope, level, [func.count()], by=[day_col.label("day")],
                    where=[day_col.between(period.start, period.end)], categories=False)
        df = _frame(conn, q, _cols(level, "day", name))
        return _one(level, df) if level is None else df

    def before(day_col, name):
        q = _scoped(c, scope, level, [func.count()], where=[day_col < period.start],
                    categories=False)
        df = _frame(conn, q, _cols(level, name))
        return _one(level, df) if level is None else df

    units = _units(conn, scope, level)["code"].tolist() if level else ["*"]
    grid = pd.MultiIndex.from_product([units, period.days], names=keys).to_frame(index=False)
    grid = _merge(grid, per_day(c.c.opened_day, "complaints_received"), on=keys, how="left")
    grid = _merge(grid, per_day(c.c.resolved_day, "complaints_resolved"), on=keys, how="left")
    grid = _merge(grid, before(c.c.opened_day, "opened_before"), on="g", how="left")
    grid = _merge(grid, before(c.c.resolved_day, "resolved_before"), on="g", how="left")
    counts = ["complaints_received", "complaints_resolved", "opened_before", "resolved_before"]
    grid[counts] = grid[counts].fillna(0).astype("int64")  # empty results come back as object
    grid = grid.sort_values(keys)
    # open at the end of d = opened up to d minus resolved up to d (resolved never precedes opened)
    opened = grid.groupby("g")["complaints_received"].cumsum() + grid["opened_before"]
    closed = grid.groupby("g")["complaints_resolved"].cumsum() + grid["resolved_before"]
    grid["complaints_open"] = (opened - closed).astype("int64")
    med = _median_resolution(conn, scope, level,
                             [c.c.resolved_day.between(period.start, period.end)],
                             by=[c.c.resolved_day.label("day")])
    if level is None:
        med.insert(0, "g", "*")
    grid = _merge(grid, med, on=keys, how="left")
    return grid[[*keys, "complaints_received", "complaints_resolved", "complaints_open",
                 "resolution_hours_median"]]
