"""PostgreSQL: ``balances`` range-partitioned by ``as_of``, one partition a month.

A partitioned ``balances`` is made by ``create_all`` in a new database; the load that first
brings a month creates its partition (``ensure_months``) inside its transaction, under the load
lock, before its rows are written, so no row can lack one. There is no DEFAULT partition: a
month's partition could then only be added after scanning the default one for its rows. A
database made before partitioning keeps its plain table until ``migrate`` (``python -m
lib.cli partition``) copies it into a partitioned one. SQLite has one table, as before.

Names and bounds in the DDL are built from ``date`` values (DDL takes no bound parameters).
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import column, func, insert, select, table, text
from sqlalchemy.engine import Connection

from lib.data.engine import is_postgres
from lib.data.schema import balances

PARENT = balances.name
BOUND_RE = re.compile(r"FROM \('(\d{4}-\d{2}-\d{2})'\) TO \('(\d{4}-\d{2}-\d{2})'\)")


def month_start(day: date) -> date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def next_month(month: date) -> date:
    """The first day of the month after ``month``'s."""
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def partition_name(month: date) -> str:
    """The partition holding ``month``: balances_2026_02."""
    return f"{PARENT}_{month.year:04d}_{month.month:02d}"


def partitioned(conn: Connection) -> bool:
    """Say whether this database's ``balances`` (in the current schema) is partitioned."""
    if not is_postgres(conn):
        return False
    return conn.execute(text(
        "SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relname = :name AND n.nspname = current_schema()"),
        {"name": PARENT}).first() is not None


def months(conn: Connection) -> dict[date, str]:
    """The partitions of ``balances``: each one's first day -> its name, in month order."""
    rows = conn.execute(text(
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
        "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent "
        "JOIN pg_namespace n ON n.oid = p.relnamespace "
        "WHERE p.relname = :name AND n.nspname = current_schema()"), {"name": PARENT}).all()
    out = {}
    for name, bound in rows:
        found = BOUND_RE.search(bound or "")
        if found:
            out[date.fromisoformat(found.group(1))] = name
    return dict(sorted(out.items()))


def ensure_months(conn: Connection, low: date | None, high: date | None) -> list[str]:
    """Create the partitions for every month from ``low``'s to ``high``'s that has none;
    return their names. Each is made as a table of its own, then attached: ATTACH takes a
    lock that lets the dashboard go on reading ``balances`` (CREATE ... PARTITION OF would
    lock it out until the load commits)."""
    if low is None or not partitioned(conn):
        return []
    held, made = months(conn), []
    quote = conn.dialect.identifier_preparer.quote
    month = month_start(low)
    while month <= high:
        if month not in held:
            name = quote(partition_name(month))
            conn.exec_driver_sql(f"CREATE TABLE {name} (LIKE {quote(PARENT)} INCLUDING ALL)")
            conn.exec_driver_sql(f"ALTER TABLE {quote(PARENT)} ATTACH PARTITION {name} FOR "
                                 f"VALUES FROM ('{month.isoformat()}') TO "
                                 f"('{next_month(month).isoformat()}')")
            made.append(partition_name(month))
        month = next_month(month)
    return made


def ensure_for(conn: Connection, low, high) -> list[str]:
    """Create the partitions staged balances from day ``low`` to ``high`` need
    (``ensure_months``) and return the tables the rows go to: those partitions, or
    ``balances`` when unpartitioned."""
    if not partitioned(conn):
        return [PARENT]
    if low is None:
        return []
    ensure_months(conn, low, high)
    held, low, high = months(conn), month_start(low), month_start(high)
    return [name for month, name in held.items() if low <= month <= high]


def drop_month(conn: Connection, month: date) -> None:
    """Drop a month's partition (its rows go with it: a catalogue change, no row deleted)."""
    name = months(conn)[month]
    quote = conn.dialect.identifier_preparer.quote
    conn.exec_driver_sql(f"ALTER TABLE {quote(PARENT)} DETACH PARTITION {quote(name)}")
    conn.exec_driver_sql(f"DROP TABLE {quote(name)}")


def migrate(conn: Connection) -> int:
    """Copy a plain ``balances`` into a new partitioned one (inside the caller's transaction,
    which should hold the load lock); return the rows copied, or -1 when already partitioned."""
    if partitioned(conn):
        return -1
    quote = conn.dialect.identifier_preparer.quote
    old_name = f"{PARENT}_unpartitioned"
    old = quote(old_name)
    conn.exec_driver_sql(f"ALTER TABLE {quote(PARENT)} RENAME TO {old}")
    # the new table's primary key would take the old one's name
    conn.exec_driver_sql(f"ALTER INDEX IF EXISTS {quote(PARENT + '_pkey')} "
                         f"RENAME TO {quote(PARENT + '_unpartitioned_pkey')}")
    balances.create(conn)
    cols = [c.name for c in balances.columns]
    source = table(old_name, *[column(c) for c in cols])  # the renamed table, as Core sees it
    low, high = conn.execute(select(func.min(source.c.as_of), func.max(source.c.as_of))).one()
    ensure_months(conn, low, high)
    copied = conn.execute(insert(balances).from_select(cols, select(*source.c))
                          .execution_options(preserve_rowcount=True)).rowcount
    conn.exec_driver_sql(f"DROP TABLE {old}")
    return max(copied, 0)
