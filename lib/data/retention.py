"""Retention: the months of balances before a date archived to files and dropped from the
database (``python -m lib.cli archive --before YYYY-MM-DD``), every rollup left as it was.

In one transaction under the load lock: each account's state at the end of those months is
folded into ``balance_carry`` (its latest snapshot, and the sign of every archived day), each
month is written to ``DIR/YYYY-MM/balances.csv`` (the contract's format, loadable as is into
another database), then dropped: on a partitioned PostgreSQL its partition is dropped (a
catalogue change); elsewhere its rows are deleted. The rollups then read the carried states
instead of the archived rows (``lib.data.carry``), so loads, corrections and ``rebuild`` give
the figures a database that kept everything would give; ``rebuild`` keeps the archived days'
daily rows as they are, with nothing left to recompute them from.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from lib.data import audit, carry, partitions
from lib.data import rollups as R
from lib.data.audit import Actor
from lib.data.day_grid import balance_grid, sign_chars
from lib.data.engine import get_meta, set_meta
from lib.data.load_apply import lock
from lib.data.schema import balance_carry, balances

CSV_HEADER = ("account_no", "as_of", "balance_inr")


class NothingHeld(ValueError):
    """The archive cannot be made: no balances, or the month asked for is still in use."""


@dataclass
class Archive:
    """What one archive run did."""

    months: list[date] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    rows: int = 0
    accounts: int = 0  # accounts with a carried state


def archive(conn: Connection, before: date, folder: Path, actor: Actor,
            progress: R.Progress | None = None) -> Archive:
    """Archive every month of balances wholly before ``before``'s month (see the module
    docstring), inside the caller's transaction; the month of the last day held stays."""
    lock(conn)
    cut = partitions.month_start(before)
    span, prev = R.read_span(conn, "balance"), carry.archived(conn)
    if not span:
        raise NothingHeld("no balances are held; nothing to archive")
    if cut > partitions.month_start(span.last):
        raise NothingHeld(f"the last day held is {span.last}: its month stays; archive "
                          f"before {partitions.month_start(span.last)} at the latest")
    start = prev.before if prev else span.day0
    done = Archive()
    month = partitions.month_start(start)
    while month < cut:
        done.months.append(month)
        month = partitions.next_month(month)
    if not done.months:
        return done
    arch = carry.Archived(span.day0, cut)
    done.accounts = _carry(conn, prev, start, arch, progress)
    for month in done.months:
        path, rows = write_month(conn, month, folder)
        done.files.append(path)
        done.rows += rows
    if partitions.partitioned(conn):
        held = partitions.months(conn)
        for month in done.months:
            if month in held:
                partitions.drop_month(conn, month)
    else:
        conn.execute(delete(balances).where(balances.c.as_of < cut))
    set_meta(conn, "archived_before", cut.isoformat())
    set_meta(conn, "archived_day0", arch.day0.isoformat())
    # the account list reads raw rows: remembered figures are read again
    set_meta(conn, "data_version", str(int(get_meta(conn, "data_version", "0") or 0) + 1))
    names = ", ".join(m.strftime("%Y-%m") for m in done.months)
    audit.record(conn, actor, "archive", f"balances {names}: {done.rows:,} rows to {folder}")
    return done


def _carry(conn: Connection, prev: carry.Archived | None, start: date, arch: carry.Archived,
           progress: R.Progress | None) -> int:
    """Fold the days from ``start`` to the cut into every account's carried state, chunk by
    chunk of consumers; return how many accounts have one."""
    days, kept, n = (arch.before - start).days, 0, 0
    accounts = R.Accounts()
    b, k = balances, balance_carry
    count = max(accounts.total(conn), 1)
    for acc, _areas, _cats, lo, hi in accounts.chunks(conn, max(1_000, R.CHUNK_CELLS // days)):
        index = pd.Index(acc)
        got, day, value = R.columns(R.fetch(conn, select(
            b.c.account_no, R.day_offset(conn, b.c.as_of, start), b.c.balance_paise)
            .where(b.c.account_no.between(lo, hi), b.c.as_of < arch.before)
            .order_by(b.c.account_no, b.c.as_of)), 3)
        pos, found = R.owned(index, got, grouped=True)
        first = signs = None
        if prev is not None:
            first, signs = carry.carried(conn, select(k.c.account_no, k.c.balance_paise,
                                                      k.c.signs)
                                         .where(k.c.account_no.between(lo, hi)), index, prev)
        grid = balance_grid(len(acc), days, pos[found], day[found].astype(np.int64),
                            value[found].astype(float), first=first)
        held = grid if first is None else grid[:, 1:]
        chars = sign_chars(held) if signs is None else np.hstack([signs, sign_chars(held)])
        last = grid[:, -1]
        has = ~np.isnan(last)
        conn.execute(delete(k).where(k.c.account_no.between(lo, hi)))
        R.insert_frame(conn, k, pd.DataFrame({
            "account_no": acc[has], "balance_paise": last[has].astype(np.int64),
            "signs": [row.decode("ascii") for row in np.ascontiguousarray(chars[has])
                      .view(f"S{arch.days}").ravel()]}))
        kept, n = kept + int(has.sum()), n + len(acc)
        if progress:
            progress(0.5 * n / count, f"carried states: {n:,} of {count:,} accounts")
    return kept


def write_month(conn: Connection, month: date, folder: Path) -> tuple[Path, int]:
    """One month's balances as ``folder/YYYY-MM/balances.csv`` (contract format, rupees with
    paise, in key order); return the file and its rows. Written to a ``.part`` name first, so
    a file under the final name is always whole."""
    target = Path(folder) / month.strftime("%Y-%m") / "balances.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    b, rows = balances, 0
    query = (select(b.c.account_no, b.c.as_of, b.c.balance_paise)
             .where(b.c.as_of >= month, b.c.as_of < partitions.next_month(month))
             .order_by(b.c.account_no, b.c.as_of).execution_options(yield_per=50_000))
    with part.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_HEADER)
        for chunk in conn.execute(query).partitions():
            writer.writerows((acc, R.as_date(day).isoformat(), rupees(paise))
                             for acc, day, paise in chunk)
            rows += len(chunk)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(part, target)
    return target, rows


def rupees(paise: int) -> str:
    """Paise as the contract writes rupees: -1234.50."""
    sign = "-" if paise < 0 else ""
    whole, cents = divmod(abs(int(paise)), 100)
    return f"{sign}{whole}.{cents:02d}"

