"""Rollup tables rebuilt inside the load transaction, so the dashboard never scans raw rows.

The balance and activity rollups need each account's day-by-day state ("latest snapshot as
of d" carries forward), so they are computed in account chunks with numpy and written back;
the daily activity and recharge figures are summed in the same pass (it already knows each
account's area and category, so no join over the raw rows is needed). Rows are fetched as plain
DBAPI tuples: millions of SQLAlchemy Row objects cost more than the arithmetic. Everything is
keyed by (area, category) and joined to the hierarchy at query time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import Date, Integer, cast, delete, func, insert, literal, select
from sqlalchemy.engine import Connection

from lib.data.contract import ACTIVITIES, DUES_BANDS
from lib.data.engine import set_meta
from lib.data.schema import (
    ROLLUP_TABLES,
    activities,
    balances,
    consumers,
    r_activity_daily,
    r_activity_pattern,
    r_balance_daily,
    r_cleared_daily,
    r_consumers,
    r_neg_pattern,
    r_recharge_daily,
    recharges,
)

CHUNK_CELLS = 1_000_000  # accounts x days held at once: bounds memory at any size
INSERT_BATCH = 20_000
FOLD_EVERY = 16  # chunks of per-chunk counts kept before they are summed into one frame
# Day patterns and daily balance rollups follow the calendar span from the first to the last
# date, so one mistyped year (2036) would make years of rows: a load spanning more is refused.
MAX_SPAN_DAYS = 731

Progress = Callable[[float, str], None]


def rebuild_rollups(conn: Connection, progress: Progress | None = None) -> None:
    """Recompute every rollup table from the raw tables, inside the caller's transaction."""
    for table in ROLLUP_TABLES:
        conn.execute(delete(table))
    conn.execute(insert(r_consumers).from_select(
        ["area_code", "category", "n"],
        select(consumers.c.area_code, consumers.c.category, func.count())
        .group_by(consumers.c.area_code, consumers.c.category)))
    _account_states(conn, progress)


def day_offset(conn: Connection, column, day0: date):
    """SQL expression: whole days from ``day0`` to the date ``column`` (portable)."""
    if conn.dialect.name == "sqlite":
        return cast(func.julianday(column) - func.julianday(day0.isoformat()), Integer)
    return cast(column - literal(day0, Date), Integer)


def _day_range(conn: Connection, column) -> tuple[date, int] | None:
    low, high = conn.execute(select(func.min(column), func.max(column))).one()
    if low is None:
        return None
    low, high = _as_date(low), _as_date(high)
    span = (high - low).days + 1
    if span > MAX_SPAN_DAYS:
        raise SpanTooLong(f"{column.table.name} would span {low} to {high} ({span:,} days); the "
                          f"dashboard keeps at most {MAX_SPAN_DAYS} days from the first date. "
                          f"Check the dates in the file (a mistyped year?)")
    return low, span


class SpanTooLong(ValueError):
    """The dates of a table span more days than the rollups hold."""


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _account_states(conn: Connection, progress: Progress | None) -> None:
    """Balance, activity and recharge rollups from each account's rows, in account chunks."""
    bal_range = _day_range(conn, balances.c.as_of)
    act_range = _day_range(conn, activities.c.day)
    set_meta(conn, "balance_day0", bal_range[0].isoformat() if bal_range else "")
    set_meta(conn, "balance_days", str(bal_range[1] if bal_range else 0))
    set_meta(conn, "activity_day0", act_range[0].isoformat() if act_range else "")
    set_meta(conn, "activity_days", str(act_range[1] if act_range else 0))
    groups = _Groups()
    bal = _BalanceAccumulator(*bal_range) if bal_range else None
    act = _ActivityAccumulator(*act_range) if act_range else None
    rch = _RechargeAccumulator()
    width = max(bal_range[1] if bal_range else 1, (act_range[1] if act_range else 1) * 4)
    chunk = max(1_000, CHUNK_CELLS // width)
    total = conn.execute(select(func.count()).select_from(consumers)).scalar() or 1
    done, last = 0, None
    while True:
        query = select(consumers.c.account_no, consumers.c.area_code, consumers.c.category)
        if last is not None:
            query = query.where(consumers.c.account_no > last)
        rows = _fetch(conn, query.order_by(consumers.c.account_no).limit(chunk))
        if not rows:
            break
        lo, hi = rows[0][0], rows[-1][0]  # the range in the database's own collation
        cols = _columns(rows, 3)
        accounts = pd.Index(cols[0])
        group_idx = groups.index(cols[1], cols[2])
        if bal is not None:
            bal.add(conn, accounts, group_idx, lo, hi)
        if act is not None:
            act.add(conn, accounts, group_idx, lo, hi)
        rch.add(conn, accounts, group_idx, lo, hi)
        last, done = hi, done + len(rows)
        if progress:
            progress(min(done / total, 1.0), f"rollups: {done:,} of {total:,} accounts")
    keys = groups.keys()
    if bal is not None:
        bal.write(conn, keys)
    if act is not None:
        act.write(conn, keys)
    rch.write(conn, keys)


def _fetch(conn: Connection, query) -> list[tuple]:
    """Run a Core SELECT on the DBAPI cursor of ``conn`` and return plain tuples of raw values
    (same connection and transaction; building a Row per raw row costs more than the rollup)."""
    compiled = query.compile(dialect=conn.dialect)
    params = compiled.params
    if compiled.positiontup is not None:
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(compiled.string, params)
        return cursor.fetchall()
    finally:
        cursor.close()


def _columns(rows: list[tuple], width: int) -> list[np.ndarray]:
    """The columns of fetched rows as object arrays (one C-level pass, no per-row Python)."""
    if not rows:
        return [np.empty(0, dtype=object) for _ in range(width)]
    table = np.array(rows, dtype=object)
    return [table[:, i] for i in range(width)]


def _owned(accounts: pd.Index, account_col: np.ndarray, grouped: bool = False
           ) -> tuple[np.ndarray, np.ndarray]:
    """Each fetched row's position among the chunk's accounts, and which rows have one (a row
    of an account that is no consumer counts nowhere, as an inner join would have it).
    ``grouped``: each account's rows are adjacent, so only the first of each is looked up."""
    if grouped and len(account_col):
        starts = np.flatnonzero(np.concatenate(([True], account_col[1:] != account_col[:-1])))
        pos = np.repeat(accounts.get_indexer(account_col[starts]),
                        np.diff(np.append(starts, len(account_col))))
    else:
        pos = accounts.get_indexer(account_col)
    return pos, pos >= 0


class _Groups:
    """Dense integer ids for (area_code, category) pairs."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str], int] = {}

    def index(self, areas: np.ndarray, cats: np.ndarray) -> np.ndarray:
        """The id of each (area, category) pair, new pairs numbered as they come."""
        ids = self._ids
        return np.fromiter((ids.setdefault(k, len(ids)) for k in zip(areas, cats, strict=True)),
                           dtype=np.int64, count=len(areas))

    def keys(self) -> list[tuple[str, str]]:
        """The (area, category) pair of every id, in id order."""
        return list(self._ids)


class _BalanceAccumulator:
    """Negative counts, arrears by band, cleared counts and sign patterns, summed over chunks."""

    def __init__(self, day0: date, days: int) -> None:
        self.day0, self.days = day0, days
        self.neg = self.arrears = self.cleared = None
        self.patterns: list[pd.DataFrame] = []
        self.upper = np.array([b[2] if b[2] is not None else np.inf for b in DUES_BANDS])

    def add(self, conn: Connection, accounts: pd.Index, group_idx: np.ndarray, lo: str,
            hi: str) -> None:
        """Fold in the balances of one chunk of accounts."""
        off = day_offset(conn, balances.c.as_of, self.day0)
        # In key order, so an account's rows are adjacent: one look-up per account, not per row.
        acc, day, bal = _columns(_fetch(conn, select(balances.c.account_no, off,
                                                     balances.c.balance_paise)
                                        .where(balances.c.account_no.between(lo, hi))
                                        .order_by(balances.c.account_no, balances.c.as_of)), 3)
        n, d = len(accounts), self.days
        grid = np.full((n, d), np.nan)
        if len(acc):
            pos, found = _owned(accounts, acc, grouped=True)
            grid[pos[found], day[found].astype(np.int64)] = bal[found].astype(float)
            grid = pd.DataFrame(grid).ffill(axis=1).to_numpy()  # latest snapshot carries forward
        negative = grid < 0
        band = np.searchsorted(self.upper, -grid, side="left")  # 0-based band of the arrears
        ngroups = int(group_idx.max()) + 1 if n else 0
        size = max(ngroups, 1) * d * len(DUES_BANDS)
        key = ((group_idx[:, None] * d + np.arange(d)[None, :]) * len(DUES_BANDS) + band)[negative]
        counts = np.bincount(key, minlength=size)
        sums = np.bincount(key, weights=-grid[negative], minlength=size)
        self.neg = _add(self.neg, counts)
        self.arrears = _add(self.arrears, sums)
        if d > 1:
            cleared = negative[:, :-1] & (grid[:, 1:] >= 0)
            ckey = (group_idx[:, None] * d + np.arange(1, d)[None, :])[cleared]
            self.cleared = _add(self.cleared, np.bincount(ckey, minlength=max(ngroups, 1) * d))
        chars = np.where(negative, ord("N"), np.where(np.isnan(grid), ord("."), ord("P")))
        pattern = np.ascontiguousarray(chars.astype(np.uint8)).view(f"S{d}").ravel()
        frame = pd.DataFrame({"g": group_idx, "pattern": pattern})
        self.patterns = _fold(self.patterns, frame.groupby(["g", "pattern"], as_index=False).size(),
                              ["g", "pattern"])

    def write(self, conn: Connection, keys: list[tuple[str, str]]) -> None:
        """Insert the balance rollups."""
        d, nb = self.days, len(DUES_BANDS)
        days = [self.day0 + timedelta(days=i) for i in range(d)]
        rows = []
        if self.neg is not None:
            for flat in np.flatnonzero(self.neg):
                g, rest = divmod(int(flat), d * nb)
                day, band = divmod(rest, nb)
                rows.append({"day": days[day], "area_code": keys[g][0], "category": keys[g][1],
                             "band": band + 1, "n": int(self.neg[flat]),
                             "arrears_paise": int(round(self.arrears[flat]))})
        _insert(conn, r_balance_daily, rows)
        rows = []
        if self.cleared is not None:
            for flat in np.flatnonzero(self.cleared):
                g, day = divmod(int(flat), d)
                rows.append({"day": days[day], "area_code": keys[g][0], "category": keys[g][1],
                             "n": int(self.cleared[flat])})
        _insert(conn, r_cleared_daily, rows)
        if self.patterns:
            merged = pd.concat(self.patterns).groupby(["g", "pattern"], as_index=False)["size"].sum()
            _insert(conn, r_neg_pattern, [
                {"area_code": keys[g][0], "category": keys[g][1], "pattern": p.decode(), "n": int(s)}
                for g, p, s in merged.itertuples(index=False)])


class _ActivityAccumulator:
    """Per activity, the days each account had it: distinct accounts per day, and patterns
    counted per (area, category)."""

    def __init__(self, day0: date, days: int) -> None:
        self.day0, self.days = day0, days
        self.daily: np.ndarray | None = None
        self.patterns: list[pd.DataFrame] = []

    def add(self, conn: Connection, accounts: pd.Index, group_idx: np.ndarray, lo: str,
            hi: str) -> None:
        """Fold in the activities of one chunk of accounts."""
        off = day_offset(conn, activities.c.day, self.day0)
        acc, kind, day = _columns(_fetch(conn, select(activities.c.account_no,
                                                      activities.c.activity, off)
                                         .where(activities.c.account_no.between(lo, hi))
                                         .distinct()
                                         .order_by(activities.c.account_no)), 3)
        pos, found = _owned(accounts, acc, grouped=True)
        if not found.any():
            return
        pos, day = pos[found], day[found].astype(np.int64)
        kind_idx = pd.Categorical(kind[found], categories=ACTIVITIES).codes.astype(np.int64)
        # (account, activity, day) rows are distinct, so counting rows counts accounts
        na, d = len(ACTIVITIES), self.days
        key = (group_idx[pos] * na + kind_idx) * d + day
        self.daily = _add(self.daily, np.bincount(key, minlength=(int(group_idx.max()) + 1) * na * d))
        grid = np.full((len(accounts), na, d), ord("0"), dtype=np.uint8)
        grid[pos, kind_idx, day] = ord("1")
        has = np.zeros((len(accounts), na), dtype=bool)
        has[pos, kind_idx] = True
        who, which = np.nonzero(has)
        pattern = np.ascontiguousarray(grid[who, which]).view(f"S{d}").ravel()
        frame = pd.DataFrame({"g": group_idx[who], "a": which, "pattern": pattern})
        self.patterns = _fold(self.patterns,
                              frame.groupby(["g", "a", "pattern"], as_index=False).size(),
                              ["g", "a", "pattern"])

    def write(self, conn: Connection, keys: list[tuple[str, str]]) -> None:
        """Insert the activity rollups."""
        na, d = len(ACTIVITIES), self.days
        days = [self.day0 + timedelta(days=i) for i in range(d)]
        rows = []
        if self.daily is not None:
            for flat in np.flatnonzero(self.daily):
                rest, day = divmod(int(flat), d)
                g, a = divmod(rest, na)
                rows.append({"day": days[day], "area_code": keys[g][0], "category": keys[g][1],
                             "activity": ACTIVITIES[a], "n": int(self.daily[flat])})
        _insert(conn, r_activity_daily, rows)
        if not self.patterns:
            return
        merged = pd.concat(self.patterns).groupby(["g", "a", "pattern"], as_index=False)["size"].sum()
        _insert(conn, r_activity_pattern, [
            {"area_code": keys[g][0], "category": keys[g][1], "activity": ACTIVITIES[a],
             "pattern": p.decode(), "n": int(s)}
            for g, a, p, s in merged.itertuples(index=False)])


class _RechargeAccumulator:
    """Recharge count and rupees per (day, area, category, channel), summed over chunks."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(self, conn: Connection, accounts: pd.Index, group_idx: np.ndarray, lo: str,
            hi: str) -> None:
        """Fold in the recharges of one chunk of accounts."""
        query = (select(recharges.c.account_no, recharges.c.day, recharges.c.channel,
                        func.count(), func.sum(recharges.c.amount_paise))
                 .where(recharges.c.account_no.between(lo, hi))
                 .group_by(recharges.c.account_no, recharges.c.day, recharges.c.channel))
        acc, day, channel, n, amount = _columns(_fetch(conn, query), 5)
        pos, found = _owned(accounts, acc)
        if not found.any():
            return
        frame = pd.DataFrame({"g": group_idx[pos[found]], "day": day[found],
                              "channel": channel[found], "n": n[found].astype(np.int64),
                              "amount": amount[found].astype(np.int64)})
        self.parts = _fold(self.parts, frame.groupby(["g", "day", "channel"], as_index=False).sum(),
                           ["g", "day", "channel"])

    def write(self, conn: Connection, keys: list[tuple[str, str]]) -> None:
        """Insert the recharge rollup."""
        if not self.parts:
            return
        merged = pd.concat(self.parts).groupby(["g", "day", "channel"], as_index=False).sum()
        days = {v: _as_date(v) for v in merged["day"].unique()}
        _insert(conn, r_recharge_daily, [
            {"day": days[day], "area_code": keys[g][0], "category": keys[g][1],
             "channel": channel, "n": int(n), "amount_paise": int(amount)}
            for g, day, channel, n, amount in merged.itertuples(index=False)])


def _fold(parts: list[pd.DataFrame], part: pd.DataFrame, keys: list[str]) -> list[pd.DataFrame]:
    """Append a chunk's counts; every FOLD_EVERY chunks, sum them into one frame, so memory
    follows the number of distinct keys rather than the number of consumers."""
    parts.append(part)
    if len(parts) < FOLD_EVERY:
        return parts
    return [pd.concat(parts).groupby(keys, as_index=False).sum()]


def _add(total: np.ndarray | None, part: np.ndarray) -> np.ndarray:
    """Element-wise sum of two flat arrays of different lengths (the shorter one padded)."""
    if total is None:
        return part.astype(float)
    if len(part) > len(total):
        total = np.pad(total, (0, len(part) - len(total)))
    elif len(part) < len(total):
        part = np.pad(part, (0, len(total) - len(part)))
    return total + part


def _insert(conn: Connection, table, rows: list[dict]) -> None:
    """Insert rows in batches."""
    for start in range(0, len(rows), INSERT_BATCH):
        conn.execute(insert(table), rows[start:start + INSERT_BATCH])
