"""Rollup tables: built from the raw tables, and the per-account arithmetic they come from.

The balance and activity rollups need each account's day-by-day state ("latest snapshot as
of d" carries forward), so they are computed in account chunks with numpy; the daily activity
and recharge figures are summed in the same pass (it already knows each account's area and
category, so no join over the raw rows is needed). Rows are fetched as plain DBAPI tuples:
millions of SQLAlchemy Row objects cost more than the arithmetic. Everything is keyed by
(area, category) and joined to the hierarchy at query time.

``rebuild_rollups`` recomputes every table from all the raw rows (the first load, repairs);
``account_rollups`` computes the same rows for a subset of accounts only, which is what the
incremental maintenance in ``lib.data.rollup_delta`` subtracts and adds after a load.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import Date, Integer, Table, cast, delete, func, insert, literal, select
from sqlalchemy.engine import Connection

from lib.data import carry
from lib.data.contract import ACTIVITIES, DUES_BANDS
from lib.data.day_grid import (
    add_flat,
    as_patterns,
    balance_grid,
    cleared_bins,
    negative_bins,
    sign_chars,
)
from lib.data.engine import get_meta, set_meta
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
KINDS = ("balances", "activities", "recharges")  # the raw tables read account by account

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Span:
    """The days a rollup's day patterns cover: ``days`` days from ``day0``."""

    day0: date
    days: int

    @property
    def last(self) -> date:
        return self.day0 + timedelta(days=self.days - 1)

    def day(self, i: int) -> date:
        return self.day0 + timedelta(days=i)

    def covering(self, low: date | None, high: date | None, table: str) -> Span:
        """This span widened to take in ``low`` .. ``high`` (refused beyond MAX_SPAN_DAYS)."""
        if low is None:
            return self
        return span_of(min(self.day0, low), max(self.last, high), table)


def span_of(low: date, high: date, table: str) -> Span:
    """The span from ``low`` to ``high``, refused when it is longer than MAX_SPAN_DAYS."""
    span = (high - low).days + 1
    if span > MAX_SPAN_DAYS:
        raise SpanTooLong(f"{table} would span {low} to {high} ({span:,} days); the "
                          f"dashboard keeps at most {MAX_SPAN_DAYS} days from the first date. "
                          f"Check the dates in the file (a mistyped year?)")
    return Span(low, span)


class SpanTooLong(ValueError):
    """The dates of a table span more days than the rollups hold."""


def rebuild_rollups(conn: Connection, progress: Progress | None = None) -> None:
    """Recompute every rollup table from the raw tables, inside the caller's transaction."""
    arch = carry.archived(conn)
    for table in ROLLUP_TABLES:
        # archived days' daily rows stay: no raw row is left to recompute them from
        kept = arch is not None and table in (r_balance_daily, r_cleared_daily)
        conn.execute(delete(table).where(table.c.day >= arch.before) if kept else delete(table))
    rebuild_consumer_counts(conn, clear=False)
    bal, act = _day_range(conn, balances.c.as_of), _day_range(conn, activities.c.day)
    if arch is not None:
        bal = span_of(arch.day0, bal.last if bal else arch.before - timedelta(days=1), "balances")
    write_spans(conn, bal, act)
    for name, frame in account_rollups(conn, bal, act, progress=progress).items():
        insert_frame(conn, ROLLUP_BY_NAME[name], frame)


def rebuild_consumer_counts(conn: Connection, clear: bool = True) -> None:
    """``r_consumers`` from ``consumers``: one GROUP BY."""
    if clear:
        conn.execute(delete(r_consumers))
    conn.execute(insert(r_consumers).from_select(
        ["area_code", "category", "n"],
        select(consumers.c.area_code, consumers.c.category, func.count())
        .group_by(consumers.c.area_code, consumers.c.category)))


ROLLUP_BY_NAME = {t.name: t for t in ROLLUP_TABLES}


def write_spans(conn: Connection, bal: Span | None, act: Span | None) -> None:
    """Record where the day patterns start and how long they are (the figures read these)."""
    set_meta(conn, "balance_day0", bal.day0.isoformat() if bal else "")
    set_meta(conn, "balance_days", str(bal.days if bal else 0))
    set_meta(conn, "activity_day0", act.day0.isoformat() if act else "")
    set_meta(conn, "activity_days", str(act.days if act else 0))


def read_span(conn: Connection, prefix: str) -> Span | None | bool:
    """The span recorded for ``balance`` or ``activity`` rollups: None when there is none
    (no rows), False when nothing was ever recorded."""
    day0 = get_meta(conn, f"{prefix}_day0")
    if day0 is None:
        return False
    return Span(date.fromisoformat(day0), int(get_meta(conn, f"{prefix}_days", "0"))) \
        if day0 else None


def day_offset(conn: Connection, column, day0: date):
    """SQL expression: whole days from ``day0`` to the date ``column`` (portable)."""
    if conn.dialect.name == "sqlite":
        return cast(func.julianday(column) - func.julianday(day0.isoformat()), Integer)
    return cast(column - literal(day0, Date), Integer)


def _day_range(conn: Connection, column) -> Span | None:
    low, high = conn.execute(select(func.min(column), func.max(column))).one()
    if low is None:
        return None
    return span_of(as_date(low), as_date(high), column.table.name)


def as_date(value) -> date:
    """A date as either database returns it (PostgreSQL a date, SQLite text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


class Accounts:
    """Which accounts a pass reads: all of them, or those listed in a table ``subset`` (one
    ``account_no`` column), in chunks of consecutive account numbers."""

    def __init__(self, subset: Table | None = None) -> None:
        self.subset = subset

    def chunks(self, conn: Connection, size: int):
        """Yield (account numbers, areas, categories, lo, hi) per chunk, in key order."""
        c, last = consumers, None
        while True:
            query = select(c.c.account_no, c.c.area_code, c.c.category)
            if self.subset is not None:
                query = query.select_from(self.subset.join(
                    c, c.c.account_no == self.subset.c.account_no))
            if last is not None:
                query = query.where(c.c.account_no > last)
            rows = fetch(conn, query.order_by(c.c.account_no).limit(size))
            if not rows:
                return
            last = rows[-1][0]
            yield (*columns(rows, 3), rows[0][0], last)  # lo, hi in the database's collation

    def rows(self, table: Table, *cols):
        """SELECT cols FROM table, restricted (by a join) to the subset if there is one."""
        query = select(*cols)
        if self.subset is not None:
            query = query.select_from(self.subset.join(
                table, table.c.account_no == self.subset.c.account_no))
        return query

    def key(self, table: Table):
        """The account column to restrict, order and group ``table``'s rows by: the subset's
        when there is one (ordered by the real table's, SQLite would scan all of it)."""
        return table.c.account_no if self.subset is None else self.subset.c.account_no

    def within(self, table: Table, lo, hi):
        """The condition for one chunk's rows of ``table``."""
        return self.key(table).between(lo, hi)

    def total(self, conn: Connection) -> int:
        source = consumers if self.subset is None else self.subset
        return conn.execute(select(func.count()).select_from(source)).scalar() or 0


def account_rollups(conn: Connection, bal: Span | None, act: Span | None, *,
                    subset: Table | None = None, kinds=KINDS,
                    progress: Progress | None = None) -> dict[str, pd.DataFrame]:
    """The rows of the balance, activity and recharge rollups (those of ``kinds``) that the
    accounts (all, or those in ``subset``) contribute, over the spans given, as frames named
    after their tables; summed over accounts, as stored."""
    accounts = Accounts(subset)
    groups = Groups()
    parts = []
    if bal is not None and "balances" in kinds:
        parts.append(_BalanceAccumulator(bal, accounts, carry.archived(conn)))
    if act is not None and "activities" in kinds:
        parts.append(_ActivityAccumulator(act, accounts))
    if "recharges" in kinds:
        parts.append(_RechargeAccumulator(accounts))
    width = max(bal.days if bal else 1, (act.days if act else 1) * 4)
    total = max(accounts.total(conn), 1)
    done = 0
    for acc, areas, cats, lo, hi in accounts.chunks(conn, max(1_000, CHUNK_CELLS // width)):
        index = pd.Index(acc)
        group_idx = groups.index(areas, cats)
        for part in parts:
            part.add(conn, index, group_idx, lo, hi)
        done += len(acc)
        if progress:
            progress(min(done / total, 1.0), f"rollups: {done:,} of {total:,} accounts")
    frames: dict[str, pd.DataFrame] = {}
    for part in parts:
        frames.update(part.frames(groups))
    return frames


def fetch(conn: Connection, query) -> list[tuple]:
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


def columns(rows: list[tuple], width: int) -> list[np.ndarray]:
    """The columns of fetched rows as object arrays (one C-level pass, no per-row Python)."""
    if not rows:
        return [np.empty(0, dtype=object) for _ in range(width)]
    table = np.array(rows, dtype=object)
    return [table[:, i] for i in range(width)]


def owned(accounts: pd.Index, account_col: np.ndarray, grouped: bool = False
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


class Groups:
    """Dense integer ids for (area_code, category) pairs."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str], int] = {}

    def index(self, areas: np.ndarray, cats: np.ndarray) -> np.ndarray:
        """The id of each (area, category) pair, new pairs numbered as they come."""
        # A million accounts hold a few thousand pairs: number the distinct ones, not each row.
        area_codes, area_names = pd.factorize(areas)
        cat_codes, cat_names = pd.factorize(cats)
        codes, pairs = pd.factorize(area_codes * len(cat_names) + cat_codes)
        ids = self._ids
        known = np.fromiter((ids.setdefault(k, len(ids)) for k in zip(
            area_names[pairs // len(cat_names)], cat_names[pairs % len(cat_names)], strict=True)),
            dtype=np.int64, count=len(pairs))
        return known[codes]

    def __len__(self) -> int:
        return len(self._ids)

    def columns(self, g: np.ndarray) -> dict[str, np.ndarray]:
        """The area_code and category columns of group ids ``g``."""
        keys = list(self._ids)
        areas = np.array([k[0] for k in keys] or [""], dtype=object)
        cats = np.array([k[1] for k in keys] or [""], dtype=object)
        g = np.asarray(g, dtype=np.int64)
        return {"area_code": areas[g], "category": cats[g]}


def balance_frames(neg: np.ndarray, arrears: np.ndarray, cleared: np.ndarray, span: Span,
                   groups: Groups, day_shift: int = 0) -> dict[str, pd.DataFrame]:
    """The r_balance_daily and r_cleared_daily rows of flat per-(group, day[, band]) sums over
    ``span.days`` days from ``span.day(day_shift)``."""
    d, nb = span.days - day_shift, len(DUES_BANDS)
    flat = np.flatnonzero((neg != 0) | (arrears != 0))  # a change may keep the count
    g, rest = np.divmod(flat, d * nb)
    day, band = np.divmod(rest, nb)
    days = np.array([span.day(day_shift + i) for i in range(d)], dtype=object)
    daily = pd.DataFrame({"day": days[day], **groups.columns(g), "band": band + 1,
                          "n": np.rint(neg[flat]).astype(np.int64),
                          "arrears_paise": np.rint(arrears[flat]).astype(np.int64)})
    flat = np.flatnonzero(cleared)
    g, day = np.divmod(flat, d)
    done = pd.DataFrame({"day": days[day], **groups.columns(g),
                         "n": np.rint(cleared[flat]).astype(np.int64)})
    return {r_balance_daily.name: daily, r_cleared_daily.name: done}


class _BalanceAccumulator:
    """Negative counts, arrears by band, cleared counts and sign patterns, summed over chunks."""

    def __init__(self, span: Span, accounts: Accounts, arch: carry.Archived | None) -> None:
        self.span, self.accounts, self.arch = span, accounts, arch
        # with months archived, only the days held are computed, from the carried states
        self.shift = arch.days if arch else 0
        self.neg = self.arrears = self.cleared = None
        self.patterns: list[pd.DataFrame] = []

    def add(self, conn: Connection, accounts: pd.Index, group_idx: np.ndarray, lo: str,
            hi: str) -> None:
        """Fold in the balances of one chunk of accounts."""
        b, start, days = balances, self.span.day(self.shift), self.span.days - self.shift
        # In key order, so an account's rows are adjacent: one look-up per account, not per row.
        query = (self.accounts.rows(b, self.accounts.key(b), day_offset(conn, b.c.as_of, start),
                                    b.c.balance_paise)
                 .where(self.accounts.within(b, lo, hi))
                 .order_by(self.accounts.key(b), b.c.as_of))
        acc, day, bal = columns(fetch(conn, query), 3)
        pos, found = owned(accounts, acc, grouped=True)
        first = signs = None
        if self.arch is not None:
            first, signs = carry.carried(conn, carry.carry_rows(self.accounts).where(
                self.accounts.within(carry.balance_carry, lo, hi)), accounts, self.arch)
        grid = balance_grid(len(accounts), days, pos[found], day[found].astype(np.int64),
                            bal[found].astype(float), first=first)
        ngroups = int(group_idx.max()) + 1 if len(accounts) else 0
        held = grid if first is None else grid[:, 1:]  # the carried state's column is no day
        counts, sums = negative_bins(held, group_idx, ngroups)
        self.neg, self.arrears = add_flat(self.neg, counts), add_flat(self.arrears, sums)
        done = cleared_bins(grid, group_idx, ngroups)
        if first is not None:
            done = done.reshape(max(ngroups, 1), days + 1)[:, 1:].ravel()
        self.cleared = add_flat(self.cleared, done)
        chars = sign_chars(held) if signs is None else np.hstack([signs, sign_chars(held)])
        frame = pd.DataFrame({"g": group_idx, "pattern": as_patterns(chars)})
        self.patterns = _fold(self.patterns, frame.groupby(["g", "pattern"], as_index=False).size(),
                              ["g", "pattern"])

    def frames(self, groups: Groups) -> dict[str, pd.DataFrame]:
        """The balance rollups' rows."""
        out = balance_frames(_or_empty(self.neg), _or_empty(self.arrears),
                             _or_empty(self.cleared), self.span, groups, self.shift)
        out[r_neg_pattern.name] = pattern_frame(self.patterns, ["g", "pattern"], groups)
        return out


def pattern_frame(parts: list[pd.DataFrame], keys: list[str], groups: Groups) -> pd.DataFrame:
    """Counted patterns summed over chunks, as rows of a pattern table."""
    merged = (pd.concat(parts).groupby(keys, as_index=False)["size"].sum() if parts
              else pd.DataFrame({k: [] for k in [*keys, "size"]}))
    frame = pd.DataFrame({**groups.columns(merged["g"].to_numpy(dtype=np.int64))})
    if "a" in keys:
        frame["activity"] = np.array(ACTIVITIES, dtype=object)[merged["a"].to_numpy(dtype=np.int64)]
    frame["pattern"] = [p.decode() for p in merged["pattern"]]
    frame["n"] = merged["size"].to_numpy(dtype=np.int64)
    return frame


class _ActivityAccumulator:
    """Per activity, the days each account had it: distinct accounts per day, and patterns
    counted per (area, category)."""

    def __init__(self, span: Span, accounts: Accounts) -> None:
        self.span, self.accounts = span, accounts
        self.daily: np.ndarray | None = None
        self.patterns: list[pd.DataFrame] = []

    def add(self, conn: Connection, accounts: pd.Index, group_idx: np.ndarray, lo: str,
            hi: str) -> None:
        """Fold in the activities of one chunk of accounts."""
        a = activities
        query = (self.accounts.rows(a, self.accounts.key(a), a.c.activity,
                                    day_offset(conn, a.c.day, self.span.day0))
                 .where(self.accounts.within(a, lo, hi)).distinct()
                 .order_by(self.accounts.key(a)))
        acc, kind, day = columns(fetch(conn, query), 3)
        pos, found = owned(accounts, acc, grouped=True)
        if not found.any():
            return
        pos, day = pos[found], day[found].astype(np.int64)
        kind_idx = pd.Categorical(kind[found], categories=ACTIVITIES).codes.astype(np.int64)
        # (account, activity, day) rows are distinct, so counting rows counts accounts
        na, d = len(ACTIVITIES), self.span.days
        key = (group_idx[pos] * na + kind_idx) * d + day
        self.daily = add_flat(self.daily, np.bincount(key, minlength=(int(group_idx.max()) + 1) * na * d))
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

    def frames(self, groups: Groups) -> dict[str, pd.DataFrame]:
        """The activity rollups' rows."""
        na, d = len(ACTIVITIES), self.span.days
        daily = _or_empty(self.daily)
        flat = np.flatnonzero(daily)
        rest, day = np.divmod(flat, d)
        g, a = np.divmod(rest, na)
        days = np.array([self.span.day(i) for i in range(d)], dtype=object)
        return {r_activity_daily.name: pd.DataFrame({
                    "day": days[day], **groups.columns(g),
                    "activity": np.array(ACTIVITIES, dtype=object)[a],
                    "n": np.rint(daily[flat]).astype(np.int64)}),
                r_activity_pattern.name: pattern_frame(self.patterns, ["g", "a", "pattern"],
                                                       groups)}


class _RechargeAccumulator:
    """Recharge count and rupees per (day, area, category, channel), summed over chunks."""

    def __init__(self, accounts: Accounts) -> None:
        self.accounts = accounts
        self.parts: list[pd.DataFrame] = []

    def add(self, conn: Connection, accounts: pd.Index, group_idx: np.ndarray, lo: str,
            hi: str) -> None:
        """Fold in the recharges of one chunk of accounts."""
        r = recharges
        query = (self.accounts.rows(r, self.accounts.key(r), r.c.day, r.c.channel, func.count(),
                                    func.sum(r.c.amount_paise))
                 .where(self.accounts.within(r, lo, hi))
                 .group_by(self.accounts.key(r), r.c.day, r.c.channel))
        acc, day, channel, n, amount = columns(fetch(conn, query), 5)
        pos, found = owned(accounts, acc)
        if not found.any():
            return
        frame = pd.DataFrame({"g": group_idx[pos[found]], "day": day[found],
                              "channel": channel[found], "n": n[found].astype(np.int64),
                              "amount": amount[found].astype(np.int64)})
        self.parts = _fold(self.parts, frame.groupby(["g", "day", "channel"], as_index=False).sum(),
                           ["g", "day", "channel"])

    def frames(self, groups: Groups) -> dict[str, pd.DataFrame]:
        """The recharge rollup's rows."""
        merged = (pd.concat(self.parts).groupby(["g", "day", "channel"], as_index=False).sum()
                  if self.parts else pd.DataFrame({k: [] for k in ["g", "day", "channel", "n",
                                                                  "amount"]}))
        days = {v: as_date(v) for v in merged["day"].unique()}
        return {r_recharge_daily.name: pd.DataFrame({
            "day": np.array([days[v] for v in merged["day"]], dtype=object),
            **groups.columns(merged["g"].to_numpy(dtype=np.int64)),
            "channel": merged["channel"].to_numpy(dtype=object),
            "n": merged["n"].to_numpy(dtype=np.int64),
            "amount_paise": merged["amount"].to_numpy(dtype=np.int64)})}


def _fold(parts: list[pd.DataFrame], part: pd.DataFrame, keys: list[str]) -> list[pd.DataFrame]:
    """Append a chunk's counts; every FOLD_EVERY chunks, sum them into one frame, so memory
    follows the number of distinct keys rather than the number of consumers."""
    parts.append(part)
    if len(parts) < FOLD_EVERY:
        return parts
    return [pd.concat(parts).groupby(keys, as_index=False).sum()]


def _or_empty(values: np.ndarray | None) -> np.ndarray:
    return np.zeros(0) if values is None else values


def insert_frame(conn: Connection, table: Table, frame: pd.DataFrame) -> None:
    """Insert a frame's rows (columns named as the table's) in batches, as plain Python values."""
    if frame.empty:
        return
    names = [c.name for c in table.columns]
    values = [frame[name].tolist() for name in names]
    rows = [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]
    for start in range(0, len(rows), INSERT_BATCH):
        conn.execute(insert(table), rows[start:start + INSERT_BATCH])
