"""Staging a load: every file streamed, chunk by chunk, into a TEMPORARY table of its own (COPY
on PostgreSQL, multi-row INSERTs on SQLite), each chunk in key order, invalid rows flagged
``bad`` beside the valid ones, with the next chunk read and checked in a background thread
meanwhile."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, Column, Integer, MetaData, Table, bindparam, insert
from sqlalchemy.engine import Connection

from lib.data import parse
from lib.data.contract import FILES, LOAD_ORDER
from lib.data.engine import is_postgres
from lib.data.load_files import FileState
from lib.data.load_report import Problems, ProgressFn
from lib.data.load_rows import validate_chunk
from lib.data.reasons import Reason
from lib.data.schema import metadata

T = TypeVar("T")

SQLITE_MAX_ROWS_PER_INSERT = 500  # multi-row VALUES: much faster than executemany on SQLite


def stage_all(conn: Connection, staging: MetaData, files: list[FileState], problems: Problems,
              progress: ProgressFn) -> list[FileState]:
    """Stream every readable file into its staging table, checking values on the way."""
    readable = [fs for fs in files if fs.source is not None]
    total = sum(max(fs.path.stat().st_size, 1) for fs in readable) or 1
    done = 0
    staged = []
    for fs in sorted(readable, key=lambda f: LOAD_ORDER.index(f.kind)):
        fs.stage = staging_table(staging, fs.kind)
        fs.stage.create(conn)
        writer = StageWriter(conn, fs.stage, fs.stored + ["line", "bad"])
        size = max(fs.path.stat().st_size, 1)
        checked = (_checked(fs, chunk) for chunk in fs.source.chunks())
        try:
            for chunk, stage, found, bad in ahead(checked):
                fs.rows += len(chunk.lines)
                fs.rejected += int(bad.sum())
                problems.add_frame(LOAD_ORDER.index(fs.kind), fs.name, found)
                writer.write(stage)
                progress(0.8 * (done + chunk.position * size) / total,
                         f"reading {fs.name}: {fs.rows:,} rows")
        except parse.FileError as exc:
            problems.file_problem(fs.name, exc.reason, fs.kind)
            continue
        finally:
            done += size
        if fs.rows == 0:
            problems.file_problem(fs.name, Reason("no_rows", name=fs.name), fs.kind)
            continue
        staged.append(fs)
    return staged


def _checked(fs: FileState, chunk: parse.Chunk
             ) -> tuple[parse.Chunk, pd.DataFrame, pd.DataFrame, np.ndarray]:
    """One chunk checked (in the reading thread): its staged rows with line and bad flag, in
    key order, the problems found, and which rows are bad."""
    stage, found, bad = validate_chunk(fs, chunk)
    stage["line"] = pd.Series(chunk.lines, dtype="int64")
    stage["bad"] = pd.Series(bad.astype(np.int64))
    # Files come in any order (a day's balances by meter route); staged in runs of key order,
    # every read of the staging table by its key index (the checks, the upsert, the rollups'
    # appended days) walks its rows nearly in sequence instead of one random seek per row:
    # at a million balances 3x faster reads and index build.
    return chunk, _in_key_order(stage, FILES[fs.kind].key), found, bad


def _in_key_order(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.DataFrame:
    """The rows sorted by ``key`` (stable, missing values last), by Arrow: in C++ and 3x
    faster than pandas' sort of string columns."""
    import pyarrow as pa
    import pyarrow.compute as pc

    keys = pa.table({k: pa.array(frame[k]) for k in key})
    order = pc.sort_indices(keys, sort_keys=[(k, "ascending") for k in key])
    return frame.take(order.to_numpy()).reset_index(drop=True)


def staging_table(staging: MetaData, kind: str) -> Table:
    """A TEMPORARY copy of the file's table without constraints, plus line and bad flag."""
    real = metadata.tables[kind]
    return Table(f"_stage_{kind}", staging,
                 *[Column(c.name, c.type) for c in real.columns],
                 Column("line", BigInteger), Column("bad", Integer),
                 prefixes=["TEMPORARY"])


class StageWriter:
    """Bulk writes into a staging table: COPY on PostgreSQL, multi-row INSERTs on SQLite."""

    def __init__(self, conn: Connection, table: Table, columns: list[str]) -> None:
        """Write ``columns`` of ``table`` on ``conn``."""
        self.conn, self.table = conn, table
        # In the table's order: that is the order Core renders (and binds) the columns in.
        self.columns = [c.name for c in table.columns if c.name in set(columns)]
        self.postgres = is_postgres(conn)
        self._sql: dict[int, str] = {}

    def write(self, frame: pd.DataFrame) -> None:
        """Append the rows of ``frame`` (columns as in ``self.columns``)."""
        if frame.empty:
            return
        if self.postgres:
            self._copy(frame)
        else:
            self._insert(frame)

    def _copy(self, frame: pd.DataFrame) -> None:
        """PostgreSQL: the chunk as CSV text (written by Arrow, in C) through COPY."""
        import pyarrow as pa
        import pyarrow.csv as pa_csv
        from psycopg import sql as pgsql

        buffer = pa.BufferOutputStream()
        pa_csv.write_csv(pa.Table.from_pandas(frame[self.columns], preserve_index=False), buffer,
                         pa_csv.WriteOptions(include_header=False))
        raw = self.conn.connection.driver_connection  # same connection, same transaction
        # In CSV, an unquoted empty field is NULL and a quoted one ("") an empty string.
        statement = pgsql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(
            pgsql.Identifier(self.table.name),
            pgsql.SQL(", ").join(pgsql.Identifier(c) for c in self.columns))
        with raw.cursor() as cur, cur.copy(statement) as copy:
            copy.write(buffer.getvalue().to_pybytes())

    def _insert(self, frame: pd.DataFrame) -> None:
        """SQLite: multi-row INSERTs of up to SQLITE_MAX_ROWS_PER_INSERT rows, straight on the
        DBAPI cursor (same connection and transaction; SQLAlchemy's per-statement bookkeeping
        cost about a second per ten million staged rows)."""
        width = len(self.columns)
        # One object matrix, flattened row by row, then sliced per statement.
        flat = np.column_stack([_objects(frame[c]) for c in self.columns]).ravel().tolist()
        per = max(1, min(SQLITE_MAX_ROWS_PER_INSERT, 30_000 // width))
        rows = len(frame)
        cursor = self.conn.connection.dbapi_connection.cursor()
        try:
            for start in range(0, rows, per):
                count = min(per, rows - start)
                cursor.execute(self._statement(count),
                               tuple(flat[start * width:(start + count) * width]))
        finally:
            cursor.close()

    def _statement(self, nrows: int) -> str:
        """The Core INSERT of one row, compiled once, with its VALUES group repeated ``nrows``
        times (compiling a 500-row Core statement costs more than the rows it inserts)."""
        if nrows not in self._sql:
            single = insert(self.table).values(
                {c: bindparam(c) for c in self.columns}).compile(dialect=self.conn.dialect)
            head, values, group = single.string.partition(" VALUES ")
            if list(single.positiontup) != self.columns or not values:
                raise RuntimeError("unexpected form of the staging INSERT")
            self._sql[nrows] = head + values + ", ".join([group] * nrows)
        return self._sql[nrows]


def _objects(values: pd.Series) -> np.ndarray:
    """A column as Python objects for the driver: str, int, float, or None where missing."""
    if isinstance(values.dtype, pd.StringDtype):
        import pyarrow as pa

        return pa.array(values).to_numpy(zero_copy_only=False)  # Arrow -> str/None, in C
    if values.dtype == object:
        out = values.to_numpy(dtype=object)
        missing = pd.isna(out)
        if missing.any():
            out = out.copy()
            out[missing] = None
        return out
    return values.to_numpy(dtype=object, na_value=None)


_END = object()


def ahead(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """Yield from ``items`` computed in a background thread, up to ``depth`` ahead.

    Reading and checking the next chunk (pandas' tokenizer and Arrow's string kernels release
    the GIL) then overlaps with writing this one (so does SQLite), which uses both cores.
    Exceptions in the thread are re-raised here; stopping early stops the thread.
    """
    slots: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: tuple) -> bool:
        """Queue an item, giving up when the consumer has stopped."""
        while not stop.is_set():
            try:
                slots.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        """The thread: run the iterator into the queue, then an end marker."""
        try:
            for item in items:
                if not put((item, None)):
                    return
            put((_END, None))
        except BaseException as exc:  # handed to the consumer, which re-raises it
            put((_END, exc))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()  # the generator's file handles close in this thread

    thread = threading.Thread(target=work, name="importer-read", daemon=True)
    thread.start()
    try:
        while True:
            item, exc = slots.get()
            if item is _END:
                if exc is not None:
                    raise exc
                return
            yield item
    finally:
        stop.set()


def sqlite_bulk_mode(conn: Connection, bulk: bool) -> None:
    """Switch a SQLite connection into (or back out of) bulk-load settings.

    Both pragmas only take effect outside a transaction, so they go straight to the driver
    connection (SQLAlchemy would open a transaction first). Staging can be millions of rows:
    temporary tables go to a file (through the page cache) instead of all into memory. Foreign
    keys are not enforced row by row during the load because the load checks every reference
    itself, in the same transaction and under the write lock, before it writes anything.
    """
    raw = conn.connection.driver_connection
    raw.execute("PRAGMA temp_store=FILE" if bulk else "PRAGMA temp_store=MEMORY")
    raw.execute("PRAGMA foreign_keys=OFF" if bulk else "PRAGMA foreign_keys=ON")


def sqlite_file(conn: Connection) -> bool:
    """Say whether a SQLite connection is to a file (an in-memory database lives only as long
    as its connection, so that one must never be closed)."""
    database = conn.engine.url.database or ""
    return database not in ("", ":memory:") and "mode=memory" not in database


def analyze(conn: Connection, table: Table) -> None:
    """PostgreSQL never auto-analyses temporary tables; without row counts the planner picks
    nested loops over million-row staging tables."""
    if is_postgres(conn):
        conn.exec_driver_sql("ANALYZE " + conn.dialect.identifier_preparer.format_table(table))
