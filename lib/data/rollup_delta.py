"""Incremental rollup maintenance: a load costs the accounts and days it touches, not the history.

Every rollup row is a sum over accounts of what each contributes, so after a load

    rollups = extended(rollups before) - contribution before (touched) + contribution after (touched)

where *extended* widens the stored rows to the load's new day span the way carrying each
account's last state forward would (``extend``), and the touched accounts are those whose rows
changed. Two kinds of touch:

* **recomputed whole** (``Plan.fix``): accounts whose consumer row changed area or category
  (or is new), balances that change a day already held, and every changed activity or
  recharge (with the account it had before). Their contribution is computed over all their
  days twice, before the upserts and after; the cost is their own history.
* **appended** (``Plan.append``): accounts whose only changed balances fall after the last day
  held, the normal daily file. Nothing before that day changes for them, so only the new days
  are computed, from each account's last state (the latest snapshot as of the last day, one
  index seek) and the new rows (read from the staging table). Their day patterns change only
  where the new days' sign differs from the carried one; only those accounts' histories are
  read, to move them from their old pattern to the new one.

A full rebuild (``lib.data.rollups.rebuild_rollups``) is done instead when a kind of data is
loaded for the first time, when nothing was ever recorded, when the accounts to recompute
whole exceed ``FULL_SHARE`` of the consumers (recomputing them twice would cost more), or
when a changed activity moves the first or last activity day (the span would shrink).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
import pandas as pd
from sqlalchemy import (
    Column,
    Date,
    MetaData,
    String,
    Table,
    and_,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    union,
    update,
)
from sqlalchemy.engine import Connection

from lib.data import carry
from lib.data import day_grid as G
from lib.data import rollups as R
from lib.data.contract import DUES_BANDS
from lib.data.load_files import FileState
from lib.data.schema import (
    ROLLUP_TABLES,
    activities,
    balances,
    consumers,
    r_activity_pattern,
    r_balance_daily,
    r_neg_pattern,
    recharges,
)

SOURCES = frozenset({"consumers", *R.KINDS})
FULL_SHARE = 1 / 3  # recompute-whole accounts beyond this share of consumers: rebuild instead
# What each raw table's rollups read of a row, beside its key.
READ = {"consumers": ("area_code", "category"), "balances": ("balance_paise",),
        "activities": ("account_no", "activity", "day"),
        "recharges": ("account_no", "day", "channel", "amount_paise")}


@dataclass
class Plan:
    """What a load's rollup maintenance does, worked out before its rows are written."""

    full: str | None = None  # why a full rebuild is done instead (None: incremental)
    old_bal: R.Span | None = None
    old_act: R.Span | None = None
    bal: R.Span | None = None  # spans after the load
    act: R.Span | None = None
    fix: dict[str, Table] = field(default_factory=dict)  # kind -> accounts recomputed whole
    append: int = 0  # accounts whose balances were only appended
    consumers_changed: bool = False
    counts: dict[str, int] = field(default_factory=dict)  # kind -> accounts in fix
    deltas: list[dict[str, pd.DataFrame]] = field(default_factory=list)
    temp: MetaData = field(default_factory=MetaData)

    def summary(self) -> str:
        if self.full:
            return f"full rebuild ({self.full})"
        fixed = ", ".join(f"{k} {n:,}" for k, n in self.counts.items())
        return f"incremental: {self.append:,} accounts appended; recomputed whole: {fixed or 'none'}"


def plan(conn: Connection, staged: list[FileState]) -> Plan | None:
    """Before the upserts: the spans after the load, the touched accounts, their contribution
    as it stands, and the appended days' changes. None when no rollup reads the load."""
    files = {fs.kind: fs for fs in staged if fs.kind in SOURCES}
    if not files:
        return None
    old_bal, old_act = R.read_span(conn, "balance"), R.read_span(conn, "activity")
    if old_bal is False or old_act is False:
        return Plan(full="no rollups recorded yet")
    p = Plan(old_bal=old_bal, old_act=old_act, bal=old_bal, act=old_act)
    for kind, prefix, column in (("balances", "bal", "as_of"), ("activities", "act", "day")):
        if kind not in files:
            continue
        old = getattr(p, f"old_{prefix}")
        stage = files[kind].stage
        low, high = conn.execute(select(func.min(stage.c[column]),
                                        func.max(stage.c[column]))).one()
        if old is None:
            return Plan(full=f"the first {kind}")
        if low is not None:
            setattr(p, prefix, old.covering(R.as_date(low), R.as_date(high), kind))
    changed_cons = _changed_accounts(conn, files.get("consumers"))
    p.consumers_changed = changed_cons is not None and _any(conn, changed_cons)
    for kind in R.KINDS:
        sources = ([changed_cons] if p.consumers_changed else []) + _changed(files.get(kind), p)
        if sources:
            p.fix[kind] = _account_table(conn, p.temp, f"_rd_fix_{kind}", sources)
    total = conn.execute(select(func.count()).select_from(consumers)).scalar() or 0
    p.counts = {kind: _count(conn, t) for kind, t in p.fix.items()}
    if any(n > FULL_SHARE * total for n in p.counts.values()):
        drop(conn, p)
        return Plan(full="more than a third of the accounts recomputed")
    for kind, table in p.fix.items():
        before = R.account_rollups(conn, p.bal, p.act, subset=table, kinds=(kind,))
        p.deltas.append({name: _negated(frame) for name, frame in before.items()})
    if "balances" in files and p.bal.last > p.old_bal.last:
        p.deltas.append(_append_delta(conn, files["balances"].stage, p))
    return p


def apply(conn: Connection, p: Plan, progress: R.Progress | None = None) -> str:
    """After the upserts: bring the rollups up to date; return "incremental" or "rebuilt"."""
    if not p.full and p.act is not None and _indexed_span(conn) != p.act:
        p.full = "an activity moved off the first or last activity day"
    if p.full:
        drop(conn, p)
        R.rebuild_rollups(conn, progress=progress)
        return "rebuilt"
    for kind, table in p.fix.items():
        p.deltas.append(R.account_rollups(conn, p.bal, p.act, subset=table, kinds=(kind,)))
    extend(conn, p.old_bal, p.bal, p.old_act, p.act)
    for table in ROLLUP_TABLES:
        frames = [d[table.name] for d in p.deltas if table.name in d and not d[table.name].empty]
        if frames:
            add_rows(conn, table, pd.concat(frames, ignore_index=True), p.temp)
    if p.consumers_changed:
        R.rebuild_consumer_counts(conn)
    R.write_spans(conn, p.bal, p.act)
    drop(conn, p)
    return "incremental"


def drop(conn: Connection, p: Plan) -> None:
    """Drop the plan's temporary tables."""
    for table in reversed(p.temp.sorted_tables):
        table.drop(conn, checkfirst=True)
    p.temp.clear()


# --- which accounts -----------------------------------------------------------------------


def _changed_accounts(conn: Connection, fs: FileState | None):
    """Consumers whose area or category is new or changes: a SELECT of their accounts."""
    if fs is None:
        return None
    s, r = fs.stage, consumers
    same = exists().where(r.c.account_no == s.c.account_no,
                          *[r.c[c] == s.c[c] for c in READ["consumers"]])
    return select(s.c.account_no).where(~same)


def _changed(fs: FileState | None, p: Plan) -> list:
    """SELECTs of the accounts whose rows of this file change what a rollup reads, except
    balances appended after the last day held (those are ``_appended``)."""
    if fs is None:
        return []
    s = fs.stage
    if fs.kind == "balances":
        b = balances
        same = exists().where(b.c.account_no == s.c.account_no, b.c.as_of == s.c.as_of,
                              b.c.balance_paise == s.c.balance_paise)
        return [select(s.c.account_no).where(s.c.as_of <= p.old_bal.last, ~same)]
    real = activities if fs.kind == "activities" else recharges
    key = real.primary_key.columns.values()[0].name
    match = real.c[key] == s.c[key]
    same = exists().where(match, *[real.c[c] == s.c[c] for c in READ[fs.kind]])
    moved = or_(*[real.c[c] != s.c[c] for c in READ[fs.kind]])
    return [select(s.c.account_no).where(~same),  # the row as it will be ...
            select(real.c.account_no).select_from(real.join(s, match)).where(moved)]  # ... was


def _appended(s: Table, p: Plan):
    """Staged balances after the last day held, of accounts with none changed before it."""
    after = s.c.as_of > p.old_bal.last
    fixed = p.fix.get("balances")
    return after if fixed is None else \
        and_(after, ~exists().where(fixed.c.account_no == s.c.account_no))


def _account_table(conn: Connection, temp: MetaData, name: str, selects: list) -> Table:
    """A temporary table of the distinct accounts the SELECTs give."""
    table = Table(name, temp, Column("account_no", String(20), primary_key=True),
                  prefixes=["TEMPORARY"])
    table.create(conn)
    source = selects[0] if len(selects) == 1 else union(*selects)
    conn.execute(insert(table).from_select(["account_no"],
                                           select(source.subquery().c[0]).distinct()))
    return table


def _count(conn: Connection, table: Table) -> int:
    return conn.execute(select(func.count()).select_from(table)).scalar() or 0


def _any(conn: Connection, query) -> bool:
    return conn.execute(query.limit(1)).first() is not None


def _indexed_span(conn: Connection) -> R.Span | None:
    """The activity days' span from the day index (two look-ups: SQLite uses an index for a
    lone min() or max() only)."""
    low = conn.execute(select(func.min(activities.c.day))).scalar()
    high = conn.execute(select(func.max(activities.c.day))).scalar()
    return None if low is None else R.span_of(R.as_date(low), R.as_date(high), "activities")


# --- the appended days ------------------------------------------------------------------------


def _append_delta(conn: Connection, stage: Table, p: Plan) -> dict[str, pd.DataFrame]:
    """What the appended balances change: the new days' negative counts, arrears and cleared
    counts (against each account's last state carried into them), and the day patterns of the
    accounts whose sign on a new day differs from the carried one."""
    k = (p.bal.last - p.old_bal.last).days
    groups = R.Groups()
    neg = arrears = cleared = None
    moves: list[pd.DataFrame] = []
    for row_acc, areas, cats, before, day, value in _appended_rows(
            conn, stage, p, max(1_000, R.CHUNK_CELLS // (k + 1))):
        starts = np.flatnonzero(np.concatenate(([True], row_acc[1:] != row_acc[:-1])))
        acc = row_acc[starts]  # an account's rows are adjacent: its first row stands for it
        p.append += len(acc)
        group_idx = groups.index(areas[starts], cats[starts])
        ngroups = len(groups)
        first = np.array(before[starts], dtype=float)  # None (no snapshot yet) becomes NaN
        pos = np.repeat(np.arange(len(acc)), np.diff(np.append(starts, len(row_acc))))
        grid = G.balance_grid(len(acc), k, pos, day.astype(np.int64), value.astype(float),
                              first=first)
        carried = np.repeat(first[:, None], k, axis=1)
        n_new, a_new = G.negative_bins(grid[:, 1:], group_idx, ngroups)
        n_old, a_old = G.negative_bins(carried, group_idx, ngroups)
        neg, arrears = G.add_flat(neg, n_new - n_old), G.add_flat(arrears, a_new - a_old)
        done = G.cleared_bins(grid, group_idx, ngroups).reshape(max(ngroups, 1), k + 1)[:, 1:]
        cleared = G.add_flat(cleared, done.ravel())
        chars_new, chars_old = G.sign_chars(grid[:, 1:]), G.sign_chars(carried)
        moved = np.flatnonzero((chars_new != chars_old).any(axis=1))
        if len(moved):
            moves.append(_pattern_moves(conn, p, acc[moved], group_idx[moved],
                                        chars_old[moved], chars_new[moved]))
    ngroups = max(len(groups), 1)
    shape = ngroups * k * len(DUES_BANDS)
    out = R.balance_frames(_padded(neg, shape), _padded(arrears, shape),
                           _padded(cleared, ngroups * k), p.bal, groups,
                           day_shift=p.bal.days - k)
    moves_frame = (pd.concat(moves).groupby(["g", "pattern"], as_index=False)["size"].sum()
                   if moves else pd.DataFrame({"g": [], "pattern": [], "size": []}))
    out[r_neg_pattern.name] = R.pattern_frame([moves_frame], ["g", "pattern"], groups)
    return out


def _appended_rows(conn: Connection, stage: Table, p: Plan, size: int):
    """The appended balances in key order, about ``size`` rows and whole accounts at a time:
    per row its account, area, category, last state (the latest balance as of the last day
    held, one index seek; None if none), new day (0 = the day after) and balance, as columns.

    One query per chunk straight from the staging table (no table of the appended accounts
    first): its key index gives the rows in account order, so the consumer and last-state
    look-ups walk their tables in order too."""
    s, b, c, last_day = stage, balances, consumers, p.old_bal.last
    latest = (select(b.c.balance_paise)
              .where(b.c.account_no == s.c.account_no, b.c.as_of <= last_day)
              .order_by(b.c.as_of.desc()).limit(1).scalar_subquery())
    if carry.archived(conn) is not None:  # else the latest snapshot is an archived one
        kept = carry.balance_carry
        latest = func.coalesce(latest, select(kept.c.balance_paise).where(
            kept.c.account_no == s.c.account_no).scalar_subquery())
    query = (select(s.c.account_no, c.c.area_code, c.c.category, latest,
                    R.day_offset(conn, s.c.as_of, last_day + timedelta(days=1)),
                    s.c.balance_paise)
             .select_from(s.join(c, c.c.account_no == s.c.account_no))
             .where(_appended(s, p)))
    after = None
    while True:
        chunk = query if after is None else query.where(s.c.account_no > after)
        rows = R.fetch(conn, chunk.order_by(s.c.account_no, s.c.as_of).limit(size))
        if not rows:
            return
        if len(rows) == size:  # the last account's rows may go on: it starts the next chunk
            cut = len(rows) - 1  # (an account has fewer rows than ``size``: MAX_SPAN_DAYS)
            while cut and rows[cut - 1][0] == rows[-1][0]:
                cut -= 1
            rows = rows[:cut]
        after = rows[-1][0]
        yield R.columns(rows, 6)


def _pattern_moves(conn: Connection, p: Plan, acc: np.ndarray, group_idx: np.ndarray,
                   old_tail: np.ndarray, new_tail: np.ndarray) -> pd.DataFrame:
    """Accounts leaving their old day pattern (history then the carried state: -1) for the
    new one (history then the new days: +1), from their balances up to the last day held."""
    table = Table(f"_rd_moved_{len(p.temp.tables)}", p.temp,
                  Column("account_no", String(20), primary_key=True), prefixes=["TEMPORARY"])
    table.create(conn)
    R.insert_frame(conn, table, pd.DataFrame({"account_no": acc}))
    arch = carry.archived(conn)
    start = arch.before if arch else p.bal.day0  # the archived days' signs are carried
    b, index = balances, pd.Index(acc)
    got, day, value = R.columns(R.fetch(conn, select(
        b.c.account_no, R.day_offset(conn, b.c.as_of, start), b.c.balance_paise)
        .select_from(table.join(b, b.c.account_no == table.c.account_no))
        .where(b.c.as_of <= p.old_bal.last)
        .order_by(table.c.account_no, b.c.as_of)), 3)  # by b's column SQLite scans b
    pos, found = R.owned(index, got, grouped=True)
    first = signs = None
    if arch is not None:
        first, signs = carry.carried(conn, carry.carry_rows(R.Accounts(table)), index, arch)
    grid = G.balance_grid(len(acc), (p.old_bal.last - start).days + 1, pos[found],
                          day[found].astype(np.int64), value[found].astype(float), first=first)
    history = G.sign_chars(grid) if first is None else np.hstack([signs,
                                                                  G.sign_chars(grid[:, 1:])])
    return pd.DataFrame({
        "g": np.concatenate([group_idx, group_idx]),
        "pattern": np.concatenate([G.as_patterns(np.hstack([history, old_tail])),
                                   G.as_patterns(np.hstack([history, new_tail]))]),
        "size": np.concatenate([-np.ones(len(acc), np.int64), np.ones(len(acc), np.int64)])})


def _padded(values: np.ndarray | None, size: int) -> np.ndarray:
    out = np.zeros(size)
    if values is not None:
        out[:len(values)] = values
    return out


# --- writing --------------------------------------------------------------------------------


def extend(conn: Connection, old_bal: R.Span | None, bal: R.Span | None,
           old_act: R.Span | None, act: R.Span | None) -> None:
    """Widen the stored rollups to the new spans as if every account's rows were unchanged:
    day patterns get '.' (no snapshot yet) or '0' before, the last state or '0' after, and
    each new day's negative counts are the last day's (every state carried forward)."""
    if old_bal is not None and bal != old_bal:
        _pad_patterns(conn, r_neg_pattern, (old_bal.day0 - bal.day0).days, ".",
                      (bal.last - old_bal.last).days, None)
        t = r_balance_daily
        for i in range(1, (bal.last - old_bal.last).days + 1):
            day = literal(old_bal.last + timedelta(days=i), Date).label("day")
            conn.execute(insert(t).from_select(
                [c.name for c in t.columns],
                select(day, *[c for c in t.columns if c.name != "day"])
                .where(t.c.day == old_bal.last)))
    if old_act is not None and act != old_act:
        _pad_patterns(conn, r_activity_pattern, (old_act.day0 - act.day0).days, "0",
                      (act.last - old_act.last).days, "0")


def _pad_patterns(conn: Connection, table: Table, before: int, before_char: str, after: int,
                  after_char: str | None) -> None:
    """Prefix ``before`` characters and suffix ``after`` (None: the pattern's last character)."""
    pattern = table.c.pattern
    value = pattern
    if after:
        tail = (literal(after_char * after, String) if after_char else
                func.replace(literal("x" * after, String), "x",
                             func.substr(pattern, func.length(pattern), 1), type_=String))
        value = value + tail
    if before:
        value = literal(before_char * before, String) + value
    conn.execute(update(table).values(pattern=value))


def add_rows(conn: Connection, table: Table, rows: pd.DataFrame, temp: MetaData) -> None:
    """Add signed rows to a rollup table: matching keys summed, new keys inserted, rows whose
    count becomes zero deleted."""
    keys = [c.name for c in table.primary_key.columns]
    values = [c.name for c in table.columns if c.name not in keys]
    rows = rows.groupby(keys, as_index=False)[values].sum()
    rows = rows[(rows[values] != 0).any(axis=1)]
    if rows.empty:
        return
    delta = Table(f"_rd_add_{table.name}", temp,
                  *[Column(c.name, c.type, primary_key=c.primary_key) for c in table.columns],
                  prefixes=["TEMPORARY"])
    delta.create(conn)
    R.insert_frame(conn, delta, rows)
    match = and_(*[table.c[k] == delta.c[k] for k in keys])
    conn.execute(update(table).where(match).values({v: table.c[v] + delta.c[v] for v in values}))
    conn.execute(insert(table).from_select(
        [c.name for c in table.columns],
        select(*[delta.c[c.name] for c in table.columns]).where(~exists().where(match))))
    conn.execute(table.delete().where(table.c.n == 0, exists().where(match)))
    delta.drop(conn)
    temp.remove(delta)


def _negated(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for name in ("n", "arrears_paise", "amount_paise"):
        if name in out:
            out[name] = -out[name]
    return out
