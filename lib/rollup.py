"""Rollup tables rebuilt inside the load transaction, so the dashboard never scans raw rows.

The balance and activity rollups need each account's day-by-day state ("latest snapshot as
of d" carries forward), so they are computed in account chunks with numpy and written back;
the rest are plain GROUP BYs in SQL. Everything is keyed by (area, category) and joined to
the hierarchy at query time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import Date, Integer, cast, delete, func, insert, literal, select
from sqlalchemy.engine import Connection

from lib.contract import ACTIVITIES, DUES_BANDS
from lib.db import set_meta
from lib.schema import (
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

Progress = Callable[[float, str], None]
_ACTIVITY_INDEX = {name: i for i, name in enumerate(ACTIVITIES)}


def rebuild_rollups(conn: Connection, progress: Progress | None = None) -> None:
    """Recompute every rollup table from the raw tables, inside the caller's transaction."""
    for table in ROLLUP_TABLES:
        conn.execute(delete(table))
    conn.execute(insert(r_consumers).from_select(
        ["area_code", "category", "n"],
        select(consumers.c.area_code, consumers.c.category, func.count())
        .group_by(consumers.c.area_code, consumers.c.category)))
    _recharge_daily(conn)
    _activity_daily(conn)
    _account_states(conn, progress)


def _recharge_daily(conn: Connection) -> None:
    cols = ["day", "area_code", "category", "channel", "n", "amount_paise"]
    query = (select(recharges.c.day, consumers.c.area_code, consumers.c.category,
                    recharges.c.channel, func.count(), func.sum(recharges.c.amount_paise))
             .join(consumers, consumers.c.account_no == recharges.c.account_no)
             .group_by(recharges.c.day, consumers.c.area_code, consumers.c.category,
                       recharges.c.channel))
    conn.execute(insert(r_recharge_daily).from_select(cols, query))


def _activity_daily(conn: Connection) -> None:
    cols = ["day", "area_code", "category", "activity", "n"]
    query = (select(activities.c.day, consumers.c.area_code, consumers.c.category,
                    activities.c.activity, func.count(activities.c.account_no.distinct()))
             .join(consumers, consumers.c.account_no == activities.c.account_no)
             .group_by(activities.c.day, consumers.c.area_code, consumers.c.category,
                       activities.c.activity))
    conn.execute(insert(r_activity_daily).from_select(cols, query))


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
    return low, (high - low).days + 1


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _account_states(conn: Connection, progress: Progress | None) -> None:
    """Balance and activity rollups from each account's day-by-day state, in account chunks."""
    bal_range = _day_range(conn, balances.c.as_of)
    act_range = _day_range(conn, activities.c.day)
    set_meta(conn, "balance_day0", bal_range[0].isoformat() if bal_range else "")
    set_meta(conn, "balance_days", str(bal_range[1] if bal_range else 0))
    set_meta(conn, "activity_day0", act_range[0].isoformat() if act_range else "")
    set_meta(conn, "activity_days", str(act_range[1] if act_range else 0))
    if bal_range is None and act_range is None:
        return
    groups = _Groups()
    bal = _BalanceAccumulator(*bal_range) if bal_range else None
    act = _ActivityAccumulator(*act_range) if act_range else None
    width = max(bal_range[1] if bal_range else 1, (act_range[1] if act_range else 1) * 4)
    chunk = max(1_000, CHUNK_CELLS // width)
    total = conn.execute(select(func.count()).select_from(consumers)).scalar() or 1
    done, last = 0, None
    while True:
        query = select(consumers.c.account_no, consumers.c.area_code, consumers.c.category)
        if last is not None:
            query = query.where(consumers.c.account_no > last)
        rows = conn.execute(query.order_by(consumers.c.account_no).limit(chunk)).all()
        if not rows:
            break
        lo, hi = rows[0][0], rows[-1][0]  # the range in the database's own collation
        accounts = np.array([r[0] for r in rows])
        group_idx = groups.index([r[1] for r in rows], [r[2] for r in rows])
        order = np.argsort(accounts)  # numpy's order, for searchsorted
        accounts, group_idx = accounts[order], group_idx[order]
        if bal is not None:
            bal.add(conn, accounts, group_idx, lo, hi)
        if act is not None:
            act.add(conn, accounts, group_idx, lo, hi)
        last, done = hi, done + len(rows)
        if progress:
            progress(min(done / total, 1.0), f"rollups: {done:,} of {total:,} accounts")
    keys = groups.keys()
    if bal is not None:
        bal.write(conn, keys)
    if act is not None:
        act.write(conn, keys)


class _Groups:
    """Dense integer ids for (area_code, category) pairs."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str], int] = {}

    def index(self, areas: list[str], cats: list[str]) -> np.ndarray:
        ids = self._ids
        return np.fromiter((ids.setdefault(k, len(ids)) for k in zip(areas, cats, strict=True)),
                           dtype=np.int64, count=len(areas))

    def keys(self) -> list[tuple[str, str]]:
        return list(self._ids)


def _positions(accounts: np.ndarray, found: list) -> np.ndarray:
    return np.searchsorted(accounts, np.array(found, dtype=accounts.dtype))


class _BalanceAccumulator:
    """Negative counts, arrears by band, cleared counts and sign patterns, summed over chunks."""

    def __init__(self, day0: date, days: int) -> None:
        self.day0, self.days = day0, days
        self.counts: dict[tuple[int, int, int], float] = {}
        self.neg = self.arrears = self.cleared = None
        self.patterns: list[pd.DataFrame] = []
        self.upper = np.array([b[2] if b[2] is not None else np.inf for b in DUES_BANDS])

    def add(self, conn, accounts, group_idx, lo, hi) -> None:
        off = day_offset(conn, balances.c.as_of, self.day0)
        rows = conn.execute(select(balances.c.account_no, off, balances.c.balance_paise)
                            .where(balances.c.account_no.between(lo, hi))).all()
        n, d = len(accounts), self.days
        grid = np.full((n, d), np.nan)
        if rows:
            acc, day, bal = zip(*rows, strict=True)
            grid[_positions(accounts, acc), np.array(day, dtype=np.int64)] = np.array(bal, dtype=float)
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
        self.patterns.append(frame.groupby(["g", "pattern"], as_index=False).size())

    def write(self, conn, keys) -> None:
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
    """Per activity, the days each account had it, as patterns counted per (area, category)."""

    def __init__(self, day0: date, days: int) -> None:
        self.day0, self.days = day0, days
        self.patterns: list[pd.DataFrame] = []

    def add(self, conn, accounts, group_idx, lo, hi) -> None:
        off = day_offset(conn, activities.c.day, self.day0)
        rows = conn.execute(select(activities.c.account_no, activities.c.activity, off)
                            .where(activities.c.account_no.between(lo, hi)).distinct()).all()
        if not rows:
            return
        acc, kind, day = zip(*rows, strict=True)
        pos = _positions(accounts, acc)
        kind_idx = np.array([_ACTIVITY_INDEX[k] for k in kind], dtype=np.int64)
        grid = np.full((len(accounts), len(ACTIVITIES), self.days), ord("0"), dtype=np.uint8)
        grid[pos, kind_idx, np.array(day, dtype=np.int64)] = ord("1")
        has = np.zeros((len(accounts), len(ACTIVITIES)), dtype=bool)
        has[pos, kind_idx] = True
        who, which = np.nonzero(has)
        pattern = np.ascontiguousarray(grid[who, which]).view(f"S{self.days}").ravel()
        frame = pd.DataFrame({"g": group_idx[who], "a": which, "pattern": pattern})
        self.patterns.append(frame.groupby(["g", "a", "pattern"], as_index=False).size())

    def write(self, conn, keys) -> None:
        if not self.patterns:
            return
        merged = pd.concat(self.patterns).groupby(["g", "a", "pattern"], as_index=False)["size"].sum()
        _insert(conn, r_activity_pattern, [
            {"area_code": keys[g][0], "category": keys[g][1], "activity": ACTIVITIES[a],
             "pattern": p.decode(), "n": int(s)}
            for g, a, p, s in merged.itertuples(index=False)])


def _add(total: np.ndarray | None, part: np.ndarray) -> np.ndarray:
    if total is None:
        return part.astype(float)
    if len(part) > len(total):
        total = np.pad(total, (0, len(part) - len(total)))
    elif len(part) < len(total):
        part = np.pad(part, (0, len(total) - len(part)))
    return total + part


def _insert(conn: Connection, table, rows: list[dict]) -> None:
    for start in range(0, len(rows), INSERT_BATCH):
        conn.execute(insert(table), rows[start:start + INSERT_BATCH])
