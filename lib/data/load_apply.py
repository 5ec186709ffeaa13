"""Applying a checked load: loads serialised, staged rows upserted into the real tables, the
load recorded in the load log, the rollups brought up to date (incrementally, see
``lib.data.rollup_delta``) and ``data_version`` bumped, all inside the load's one transaction."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import (
    Table,
    and_,
    delete,
    exists,
    false,
    func,
    insert,
    not_,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from lib.data import audit, carry, partitions, rollup_delta, rollups
from lib.data.audit import Actor
from lib.data.contract import FILES, now_ist
from lib.data.engine import get_meta, is_postgres, set_meta
from lib.data.load_files import FileState
from lib.data.load_report import Problems, ProgressFn
from lib.data.schema import ROLLUP_TABLES, loads, meta, metadata

PG_LOCK_KEY = 0x5EED_10AD  # advisory lock that serialises loads on PostgreSQL
PG_MEMORY = {"work_mem": "64MB", "maintenance_work_mem": "256MB"}  # SET LOCAL during a load


def lock(conn: Connection) -> None:
    """Serialise loads: they read what they then write (references, data_version)."""
    if is_postgres(conn):
        conn.execute(select(func.pg_advisory_xact_lock(PG_LOCK_KEY)))
        # For this transaction only: sorts (index builds) and hash joins over staging tables
        # of millions of rows stay in memory instead of spilling in 4 MB batches.
        for name, value in PG_MEMORY.items():
            conn.execute(select(func.set_config(name, value, True)))
    else:
        # A no-op write takes SQLite's write lock now, before any read, so a concurrent load
        # waits here instead of failing later when this transaction upgrades to writing.
        conn.execute(delete(meta).where(false()))


def upsert(conn: Connection, fs: FileState) -> int:
    """Staged rows into the real table; only new rows and rows whose values change are written.
    Return how many."""
    real, stg, key = metadata.tables[fs.kind], fs.stage, list(FILES[fs.kind].key)
    cols = [c.name for c in real.columns if c.name in fs.stored]
    values = [c for c in cols if c not in key]
    # A file that replaces its table (users): whoever the new file lacks is removed.
    gone = conn.execute(delete(real).where(not_(exists().where(
        and_(*[real.c[k] == stg.c[k] for k in key]))))).rowcount \
        if FILES[fs.kind].replaces else 0
    if fs.kind == "balances":
        low = high = None  # the staged days' span, read only where something needs it
        if partitions.partitioned(conn) or carry.archived(conn):
            low, high = conn.execute(select(func.min(stg.c.as_of), func.max(stg.c.as_of))).one()
        carry.refuse_archived(conn, low)
        fs.written = partitions.ensure_for(conn, low, high)  # every month, before the rows
    else:
        fs.written = [fs.kind]
    if is_postgres(conn):
        return gone + _update_then_insert(conn, real, stg, key, cols, values,
                                          _after_last_day(conn, fs))
    # WHERE true: SQLite needs it to parse INSERT ... SELECT ... ON CONFLICT; the key order
    # turns the inserts into an append-like walk of the primary-key index.
    rows = select(*[stg.c[c] for c in cols]).where(true()).order_by(*[stg.c[k] for k in key])
    stmt = sqlite_insert(real).from_select(cols, rows)
    if values:
        stmt = stmt.on_conflict_do_update(
            index_elements=key, set_={c: stmt.excluded[c] for c in values},
            where=or_(*[real.c[c].is_distinct_from(stmt.excluded[c]) for c in values]))
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=key)
    # Into an empty table, secondary indexes are built once after the rows (a sort) instead of
    # row by row in random order; in SQLite the DDL is part of the load's transaction, and
    # readers keep seeing the committed (empty) table. Not on PostgreSQL, where DROP INDEX
    # would lock the table against every reader until the load commits.
    rebuild = list(real.indexes) if conn.execute(select(true()).select_from(real).limit(1)
                                                 ).first() is None else []
    for index in rebuild:
        index.drop(conn, checkfirst=True)  # a database older than the schema may lack one
    # preserve_rowcount: SQLAlchemy 2.1 only fetches an INSERT's row count when asked.
    written = max(conn.execute(stmt.execution_options(preserve_rowcount=True)).rowcount, 0)
    for index in rebuild:
        index.create(conn, checkfirst=True)
    return gone + written


def _after_last_day(conn: Connection, fs: FileState):
    """For balances: the staged rows after the last day held (from the rollups' span, kept in
    the same transaction as every load), which no held row can conflict with; else None."""
    if fs.kind != "balances":
        return None
    span = rollups.read_span(conn, "balance")
    return fs.stage.c.as_of > span.last if span else None


def _update_then_insert(conn: Connection, real: Table, stg: Table, key: list[str],
                        cols: list[str], values: list[str], fresh=None) -> int:
    """PostgreSQL: UPDATE ... FROM for changed rows, then a plain INSERT of the new ones.

    INSERT ... ON CONFLICT inserts row by row speculatively, about five times slower than
    this join; it is safe here because loads are serialised by an advisory lock and the
    staged keys are unique by now (repeats were removed or rejected). Staged rows matching
    ``fresh`` (a day's balances after the last day held) are inserted without looking for
    their keys: the join would otherwise scan the whole history (13 s instead of 1 s for a
    day of 200,000 balances onto 30 days).
    """
    inserted = 0
    if fresh is not None:
        inserted = max(conn.execute(insert(real).from_select(
            cols, select(*[stg.c[c] for c in cols]).where(fresh))
            .execution_options(preserve_rowcount=True)).rowcount, 0)
    held = [not_(fresh)] if fresh is not None else []
    match = and_(*[real.c[k] == stg.c[k] for k in key])
    changed = 0
    if values:
        changed += conn.execute(
            update(real).where(match, *held, or_(*[real.c[c].is_distinct_from(stg.c[c])
                                                   for c in values]))
            .values({c: stg.c[c] for c in values})).rowcount
    new_rows = select(*[stg.c[c] for c in cols]).where(*held, not_(exists().where(match)))
    inserted += max(conn.execute(insert(real).from_select(cols, new_rows)
                                 .execution_options(preserve_rowcount=True)).rowcount, 0)
    return changed + inserted


def record_load(conn: Connection, files: list[FileState], problems: Problems, *, source: str,
                landed: bool, started: datetime, loaded_by: Actor) -> int:
    """Write the load-log row and its audit row; return the load id."""
    summaries = [fs.summary(landed) for fs in files]
    accepted = sum(f["accepted"] for f in summaries)
    rejected = sum(fs.rejected for fs in files)
    if landed:
        message = f"loaded {accepted:,} rows from {len(summaries)} file(s)"
        if rejected:
            message += f"; {rejected:,} invalid rows skipped"
    else:
        first = problems.problems()
        message = (f"rejected: {problems.count:,} problem(s)"
                   + (f"; first: {first[0]}" if first else ""))
    result = conn.execute(insert(loads).values(
        started_at=started, finished_at=now_ist(), loaded_by=loaded_by.label,
        source=source, files=json.dumps(summaries, ensure_ascii=False),
        status="loaded" if landed else "rejected", rows_accepted=accepted,
        rows_rejected=rejected, message=message))
    load_id = int(result.inserted_primary_key[0])
    names = ", ".join(f["file"] for f in summaries)
    audit.record(conn, loaded_by, "load", f"load {load_id} ({names}): {message}")
    return load_id


ROLLUP_SOURCES = rollup_delta.SOURCES


def plan_rollups(conn: Connection, files: list[FileState], progress: ProgressFn
                 ) -> rollup_delta.Plan | None:
    """Before the upserts: what the load's rollup maintenance will do (``rollup_delta.plan``)."""
    progress(0.90, "rollups: what the load touches")
    return rollup_delta.plan(conn, files)


def rebuild_and_bump_version(conn: Connection, progress: ProgressFn,
                             files: list[FileState] | None = None,
                             plan: rollup_delta.Plan | None = None) -> str:
    """Bring the rollups up to date with the written rows, then bump ``data_version`` and the
    load time; return what was done: "unchanged", "version", "incremental" or "rebuilt".

    A load that wrote no row (a file loaded again) changes nothing: no rollup work, same data
    version, so no remembered figure is dropped. A load that wrote only rows no rollup reads
    (hierarchy, complaints, campaigns, targets: rollups are keyed by area, joined to the
    hierarchy at query time) bumps the version without touching the rollups. With a ``plan``
    (made by ``plan_rollups`` before the upserts) the rollups are maintained incrementally, or
    rebuilt when the plan says so; without one (``full_rebuild``) they are rebuilt."""
    set_meta(conn, "last_load_at", now_ist().isoformat(sep=" ", timespec="seconds"))
    if files is not None:
        changed = {fs.kind for fs in files if fs.changed}
        if not changed:
            if plan is not None:
                rollup_delta.drop(conn, plan)
            return "unchanged"
        if not changed & ROLLUP_SOURCES:
            if plan is not None:
                rollup_delta.drop(conn, plan)
            _bump(conn)
            return "version"
    step = lambda f, m: progress(0.95 + 0.04 * f, m)  # noqa: E731
    if plan is not None:
        progress(0.95, "rollups: " + plan.summary())
        done = rollup_delta.apply(conn, plan, step)
    else:
        rollups.rebuild_rollups(conn, progress=step)
        done = "rebuilt"
    if is_postgres(conn):
        _analyze(conn, files if done == "incremental" else None)
    _bump(conn)
    return done


def _analyze(conn: Connection, files: list[FileState] | None) -> None:
    """Fresh statistics (without them the planner scans every balance row for one area's
    account list: 2.2 s -> 0.7 s at 1M consumers): of the whole database after a rebuild; after
    an incremental load, of the rollups and the tables (for balances, the month partitions)
    the load wrote, so the cost stays the day's, not the history's."""
    if files is None:
        conn.exec_driver_sql("ANALYZE")
        return
    names = [t.name for t in ROLLUP_TABLES]
    for fs in files:
        if fs.changed:
            names += fs.written
    quote = conn.dialect.identifier_preparer.quote
    conn.exec_driver_sql("ANALYZE " + ", ".join(quote(n) for n in dict.fromkeys(names)))


def full_rebuild(conn: Connection, progress: ProgressFn) -> None:
    """Recompute every rollup from the raw tables (a repair), serialised with loads."""
    lock(conn)
    rebuild_and_bump_version(conn, progress)


def _bump(conn: Connection) -> None:
    """Increment ``data_version``: every remembered figure is read again."""
    version = int(get_meta(conn, "data_version", "0") or 0) + 1
    set_meta(conn, "data_version", str(version))
