"""Load contract files: validate every file, then apply the whole load in one transaction.

How a load runs (``load_paths`` / ``load_uploads``):

1. The paths are resolved to contract files (a folder contributes the files named after the
   contract: ``balances.csv``, ``hierarchy.xlsx`` ...), and each file's format and header are
   checked (``lib.data.parse.open_source``); a file that cannot be read gets one sentence.
2. Inside one transaction, every file is streamed in chunks, its values checked and normalised
   with vectorised pandas operations (``lib.data.parse``), and the rows copied into a TEMPORARY
   staging table per file (COPY on PostgreSQL, multi-row INSERTs on SQLite). Invalid rows are
   staged too, flagged ``bad``, so their keys still count for duplicate and reference checks.
3. In SQL, per file in ``LOAD_ORDER``: keys repeated within the load (exact repeats are loaded
   once with a warning; the same key with different values makes every such row invalid), then
   references (area, account, campaign, target code) against the real table and the staged rows.
4. Any problem rejects the whole load (rolled back; the attempt is still recorded in ``loads``),
   unless ``skip_invalid``: then the invalid rows (and rows whose parent was rejected) are
   dropped and written to a rejects CSV. The staged rows are upserted (``ON CONFLICT ... DO
   UPDATE``, touching only rows whose values change, so a repeated load changes nothing), the
   rollups rebuilt, the load recorded and ``data_version`` bumped, all before the one commit.

Columns a file does not have at all (optional ones) are left as they are on existing rows; a
column that is present but empty is stored as NULL.
"""

from __future__ import annotations

import csv
import getpass
import json
import logging
import os
import queue
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from itertools import chain
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Index,
    Integer,
    MetaData,
    Table,
    and_,
    bindparam,
    case,
    delete,
    distinct,
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
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.exc import IntegrityError

from lib.data import parse
from lib.data.contract import FILES, LEVELS, LOAD_ORDER, VOCABULARIES
from lib.data.engine import DATA_DIR, get_engine, get_meta, is_postgres, set_meta
from lib.data.schema import loads, meta, metadata

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_PROBLEMS = 50  # problems listed in the result; the rest are counted (and in the rejects CSV)
IST = timezone(timedelta(hours=5, minutes=30))  # India has no daylight saving
PG_LOCK_KEY = 0x5EED_10AD  # advisory lock that serialises loads on PostgreSQL
PG_MEMORY = {"work_mem": "64MB", "maintenance_work_mem": "256MB"}  # SET LOCAL during a load
SQLITE_MAX_ROWS_PER_INSERT = 500  # multi-row VALUES: much faster than executemany on SQLite

# Contract columns stored under another name, and the IST day stored beside each timestamp.
STORED_AS = {("balances", "balance_inr"): "balance_paise",
             ("recharges", "amount_inr"): "amount_paise"}
DAY_OF = {("activities", "occurred_at"): "day", ("recharges", "paid_at"): "day",
          ("complaints", "opened_at"): "opened_day", ("complaints", "resolved_at"): "resolved_day"}

# (column, parent file, parent column, what the reason calls it)
REFERENCES = {
    "consumers": [("area_code", "hierarchy", "area_code", "area_code: not in the hierarchy")],
    "complaints": [("area_code", "hierarchy", "area_code", "area_code: not in the hierarchy")],
    "balances": [("account_no", "consumers", "account_no", "account: not among the consumers")],
    "activities": [("account_no", "consumers", "account_no", "account: not among the consumers")],
    "recharges": [("account_no", "consumers", "account_no", "account: not among the consumers")],
    "targets": [("campaign_id", "campaigns", "campaign_id", "campaign_id: not among the campaigns")],
}
REFERENCE_SUFFIX = " (already loaded or in this load)"

# Key columns of every file, in load order: the rejects CSV carries them after the reason.
REJECT_KEY_COLUMNS = tuple(dict.fromkeys(k for kind in LOAD_ORDER for k in FILES[kind].key))
REJECT_COLUMNS = ("file", "line", "column", "value", "reason") + REJECT_KEY_COLUMNS


@dataclass
class Problem:
    """One reason a file or a row cannot be loaded."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        """'file line N, column C, value 'V': reason', or the sentence of a file-level problem."""
        if self.line is None and self.column is None and self.value is None:
            return self.reason  # file-level problems are whole sentences naming the file
        text = self.file
        if self.line is not None:
            text += f" line {self.line}"
        if self.column:
            text += f", column {self.column}"
        if self.value is not None:
            shown = self.value if len(self.value) <= 80 else self.value[:77] + "..."
            text += f", value '{shown}'"
        return f"{text}: {self.reason}"


@dataclass
class LoadResult:
    """What a load did: landed or rejected, per-file counts, problems and warnings."""

    ok: bool
    status: str  # "loaded" | "rejected"
    load_id: int | None
    files: list[dict]
    problems: list[Problem]
    problem_count: int
    warnings: list[str]
    rows_accepted: int
    rows_rejected: int
    rejects_path: Path | None

    def report(self) -> str:
        """A readable multi-line summary for the command line and the upload page."""
        out = []
        if self.ok:
            head = f"Loaded (load {self.load_id}): {self.rows_accepted:,} rows accepted"
            if self.rows_rejected:
                head += f", {self.rows_rejected:,} rejected"
            out.append(head + f", from {len(self.files)} file(s).")
        else:
            ident = f" (load {self.load_id})" if self.load_id is not None else ""
            out.append(f"Rejected{ident}: nothing was loaded; the database is unchanged. "
                       f"{self.problem_count:,} problem(s).")
        for f in self.files:
            line = (f"  {f['file']} ({f['kind']}): {_count(f['rows'], 'row')}, {f['accepted']:,} "
                    f"accepted, {f['rejected']:,} rejected, "
                    f"{_count(f['duplicates'], 'exact duplicate')}")
            if self.ok:
                line += f"; {f.get('changed', 0):,} new or changed in the database"
            out.append(line)
        if self.warnings:
            out.append("Warnings:")
            out.extend(f"  - {w}" for w in self.warnings)
        if self.problems:
            out.append("Problems:" if self.ok is False else "Rejected rows:")
            out.extend(f"  - {p}" for p in self.problems)
            rest = self.problem_count - len(self.problems)
            if rest > 0:
                out.append(f"  ... and {rest:,} more")
        if self.rejects_path:
            out.append(f"Every rejected row, with its reason, is in {self.rejects_path}")
        return "\n".join(out)


def _count(n: int, noun: str) -> str:
    """'1 row', '2 rows'."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


ProgressFn = Callable[[float, str], None]


def load_paths(paths: Sequence[Path], url: str | None = None, *, skip_invalid: bool = False,
               rejects_path: Path | None = None, loaded_by: str | None = None,
               progress: ProgressFn | None = None) -> LoadResult:
    """Load contract files from folders and/or files (see the module docstring)."""
    if isinstance(paths, str | Path):
        paths = [paths]
    paths = [Path(p) for p in paths]
    source = "; ".join(str(p) for p in paths)
    return _Load(url, skip_invalid, rejects_path, loaded_by, progress).run(paths, source)


def load_uploads(files: Sequence[tuple[str, bytes]], url: str | None = None, *,
                 skip_invalid: bool = False, rejects_path: Path | None = None,
                 loaded_by: str | None = None, progress: ProgressFn | None = None) -> LoadResult:
    """Load uploaded (file name, content) pairs: written to a temporary folder, then loaded."""
    # Never trust a path from a browser (some send C:\fakepath\name): keep the base name.
    names = [Path(name.replace("\\", "/")).name for name, _ in files]
    loader = _Load(url, skip_invalid, rejects_path, loaded_by, progress)
    with tempfile.TemporaryDirectory(prefix="upload-") as tmp:
        paths = []
        for (_, content), name in zip(files, names, strict=True):
            target = Path(tmp) / name
            if not name:
                loader.file_problem("", "An uploaded file has no name")
                continue
            if target.exists():
                loader.file_problem(name, f"{name} was uploaded twice; upload each file once")
                continue
            target.write_bytes(content)
            paths.append(target)
        return loader.run(paths, "upload: " + ", ".join(names))


def now_ist() -> datetime:
    """The current time as a naive IST datetime (how every timestamp is stored)."""
    return datetime.now(IST).replace(tzinfo=None)


class _Rejected(Exception):
    """Raised inside the load transaction to roll it back when the load is rejected."""


@dataclass
class _FileState:
    """One contract file of the load and what became of its rows."""

    kind: str
    name: str
    path: Path
    source: parse.Source | None = None
    stage: Table | None = None
    stored: list[str] = field(default_factory=list)  # table columns the file provides
    rows: int = 0
    rejected: int = 0
    duplicates: int = 0
    changed: int = 0

    def summary(self, landed: bool) -> dict:
        """Per-file counts for the result and the load log."""
        accepted = self.rows - self.rejected - self.duplicates if landed else 0
        return {"file": self.name, "kind": self.kind, "rows": self.rows, "accepted": accepted,
                "rejected": self.rejected, "duplicates": self.duplicates,
                "changed": self.changed if landed else 0}


class _Problems:
    """Every problem: counted, the first MAX_PROBLEMS kept in file and line order, and (when
    asked) all of them streamed to a rejects CSV so memory stays bounded."""

    def __init__(self, spool: Path) -> None:
        """Collect problems; ``spool`` is where every one of them is written as it comes."""
        self.count = 0
        self.fatal = 0  # file-level problems: they reject the load even with skip_invalid
        self.first: list[tuple[tuple, Problem]] = []
        self.spool = spool
        self._fh = None
        self._writer = None

    def add(self, problem: Problem, order: int) -> None:
        """Record one problem (order = the file's position in LOAD_ORDER)."""
        self.add_frame(order, problem.file, pd.DataFrame({
            "line": [problem.line], "column": [problem.column], "value": [problem.value],
            "reason": [problem.reason]}))
        if problem.line is None:
            self.fatal += 1

    def add_frame(self, order: int, file: str, frame: pd.DataFrame) -> None:
        """Record many problems of one file: columns line, column, value, reason and key columns."""
        if frame.empty:
            return
        self.count += len(frame)
        self._spool(file, frame)
        if len(self.first) >= MAX_PROBLEMS and (order, _line_key(frame["line"].min())) >= \
                self.first[-1][0][:2]:
            return
        head = frame.sort_values("line", kind="stable").head(MAX_PROBLEMS)
        for seq, row in enumerate(head.itertuples(index=False)):
            line = None if pd.isna(row.line) else int(row.line)
            value = None if row.value is None or pd.isna(row.value) else str(row.value)
            column = None if row.column is None or pd.isna(row.column) else str(row.column)
            problem = Problem(file, line, column, value, str(row.reason))
            self.first.append(((order, _line_key(line), self.count, seq), problem))
        self.first.sort(key=lambda item: item[0])
        del self.first[MAX_PROBLEMS:]

    def _spool(self, file: str, frame: pd.DataFrame) -> None:
        """Append problems to the rejects CSV (opened on the first one)."""
        if self._writer is None:
            self.spool.parent.mkdir(parents=True, exist_ok=True)
            # UTF-8 with BOM so Excel shows Hindi names correctly.
            self._fh = self.spool.open("w", encoding="utf-8-sig", newline="")
            self._writer = csv.writer(self._fh)
            self._writer.writerow(REJECT_COLUMNS)
        n = len(frame)
        cols = []
        for name in REJECT_COLUMNS:
            if name == "file":
                cols.append([file] * n)
            elif name in frame:
                values = frame[name].astype(object).to_numpy()
                cols.append(["" if v is None or (isinstance(v, float) and np.isnan(v))
                             else (str(int(v)) if name == "line" else str(v)) for v in values])
            else:
                cols.append([""] * n)
        self._writer.writerows(zip(*cols, strict=True))

    def problems(self) -> list[Problem]:
        """The first MAX_PROBLEMS problems, in load order, file by file, line by line."""
        return [p for _, p in self.first]

    def close(self) -> None:
        """Close the rejects CSV (it stays on disk)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def _line_key(line: object) -> int:
    """Sort file-level problems (no line) before the rows of their file."""
    return 0 if line is None or pd.isna(line) else int(line)


class _Load:
    """One load attempt: collects files, validates, and lands or rejects them."""

    def __init__(self, url: str | None, skip_invalid: bool, rejects_path: Path | None,
                 loaded_by: str | None, progress: ProgressFn | None) -> None:
        """Remember the options; nothing is read or written yet."""
        self.url = url
        self.skip_invalid = skip_invalid
        self.rejects_path = Path(rejects_path) if rejects_path else None
        self.loaded_by = loaded_by or _os_user()
        self.progress_fn = progress
        self.started = now_ist()
        spool_dir = self.rejects_path.parent if self.rejects_path else DATA_DIR / "rejects"
        self.problems = _Problems(spool_dir / f".load-{uuid.uuid4().hex}.csv.part")
        self.warnings: list[str] = []
        self.files: list[_FileState] = []
        self.staging = MetaData()

    # --- entry --------------------------------------------------------------------------

    def file_problem(self, name: str, sentence: str, kind: str | None = None) -> None:
        """Record a problem with a whole file (it rejects the load, even with skip_invalid)."""
        order = LOAD_ORDER.index(kind) if kind in LOAD_ORDER else -1
        self.problems.add(Problem(name, None, None, None, sentence), order)

    def run(self, paths: list[Path], source: str) -> LoadResult:
        """Validate and apply the load; never raises for bad input or a failed transaction."""
        load_id = None
        try:
            self._collect(paths)
            self._open_sources()
            load_id = self._transaction(get_engine(self.url), source)
        except Exception as exc:  # a crash mid-load: the transaction was rolled back
            log.exception("load failed")
            self.problems.add(Problem("", None, None, None,
                                      f"The load failed and nothing was loaded "
                                      f"({type(exc).__name__}: {parse.first_line(exc)})"), -1)
        try:
            result = self._finish(source, load_id)
        except Exception:  # e.g. the database went away: report without a load id
            log.exception("could not record the load")
            result = self._result(load_id, landed=load_id is not None, rejects=None)
        finally:
            self.problems.close()
            if self.problems.spool.exists():
                self.problems.spool.unlink()
        self._progress(1.0, "loaded" if result.ok else "rejected")
        return result

    # --- 1. which files -------------------------------------------------------------------

    def _collect(self, paths: list[Path]) -> None:
        """Resolve folders and files to contract files, one per kind."""
        if not paths:
            self.file_problem("", "Nothing to load: give a folder or contract files")
        contract_names = ", ".join(LOAD_ORDER)
        found: list[tuple[str, Path]] = []
        for path in paths:
            if path.is_dir():
                inside = []
                for child in sorted(path.iterdir()):
                    if not child.is_file() or child.name.startswith((".", "~$")):
                        continue  # hidden files and Excel's lock files
                    if child.stem.lower() in FILES:
                        inside.append((child.stem.lower(), child))
                    elif child.suffix.lower() in (".csv", ".xlsx", ".xls", ".tsv", ".txt"):
                        self.warnings.append(f"{child.name} in {path} was ignored: not a contract "
                                             f"file name ({contract_names})")
                if not inside:
                    self.file_problem(str(path), f"The folder {path} holds no contract files "
                                      f"(expected files named {contract_names}, .csv or .xlsx)")
                found.extend(inside)
            elif path.is_file():
                if path.stem.lower() in FILES:
                    found.append((path.stem.lower(), path))
                else:
                    self.file_problem(path.name, f"{path.name} is not a contract file: its name "
                                      f"must be one of {contract_names} (.csv or .xlsx)")
            else:
                self.file_problem(str(path), f"{path} does not exist")
        by_kind: dict[str, list[Path]] = {}
        for kind, path in dict.fromkeys((k, p.resolve()) for k, p in found):  # same file twice
            by_kind.setdefault(kind, []).append(path)
        for kind in LOAD_ORDER:
            group = by_kind.get(kind, [])
            if len(group) > 1:
                self.file_problem(group[0].name, f"There are {len(group)} files for {kind} "
                                  f"({', '.join(str(p) for p in group)}); load one at a time", kind)
            elif group:
                self.files.append(_FileState(kind, group[0].name, group[0]))

    def _open_sources(self) -> None:
        """Check each file's format and header (before any database work)."""
        for fs in self.files:
            spec = FILES[fs.kind]
            try:
                fs.source = parse.open_source(fs.path, fs.name, fs.kind, spec.required,
                                              spec.optional, spec.kinds)
            except parse.FileError as exc:
                self.file_problem(fs.name, str(exc), fs.kind)
                continue
            except OSError as exc:
                self.file_problem(fs.name, f"{fs.name} could not be read ({exc.strerror})", fs.kind)
                continue
            self.warnings.extend(fs.source.warnings)
            fs.stored = _stored_columns(fs.kind, list(fs.source.positions))

    # --- 2-4. the transaction -------------------------------------------------------------

    def _transaction(self, engine: Engine, source: str) -> int | None:
        """Stage, check and (unless rejected) apply the load; return the new load id."""
        with engine.connect() as conn:
            sqlite = not is_postgres(conn)
            # A file database's connection is closed after the load instead of dropping the
            # staging tables: closing discards SQLite's temporary database at once, while
            # DROP TABLE walks every page of it (2.5 s for ten million staged rows).
            discard = sqlite and _sqlite_file(conn)
            if sqlite:
                _sqlite_bulk_mode(conn, True)
            try:
                with conn.begin():
                    self._lock(conn)
                    staged = self._stage_all(conn)
                    self._check_all(conn, staged)
                    if self.problems.fatal or (self.problems.count and not self.skip_invalid):
                        raise _Rejected
                    self._progress(0.90, "writing")
                    for fs in staged:
                        fs.changed = _upsert(conn, fs)
                    if not discard:
                        self.staging.drop_all(conn, checkfirst=False)  # SQLite keeps temp tables
                    load_id = self._record(conn, source, landed=True)
                    self._progress(0.95, "rebuilding rollups")
                    from lib.data.rollups import (
                        rebuild_rollups,  # written alongside; import when used
                    )

                    rebuild_rollups(conn, progress=lambda f, m: self._progress(0.95 + 0.04 * f, m))
                    if is_postgres(conn):
                        # fresh statistics: without them the planner scans every balance row
                        # for one area's account list (2.2 s -> 0.7 s at 1M consumers)
                        conn.exec_driver_sql("ANALYZE")
                    version = int(get_meta(conn, "data_version", "0") or 0) + 1
                    set_meta(conn, "data_version", str(version))
                    set_meta(conn, "last_load_at", now_ist().isoformat(sep=" ", timespec="seconds"))
                    return load_id
            except _Rejected:
                return None
            finally:
                if discard and not conn.invalidated:
                    conn.invalidate()
                elif sqlite and not conn.invalidated:
                    _sqlite_bulk_mode(conn, False)

    def _lock(self, conn: Connection) -> None:
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

    def _stage_all(self, conn: Connection) -> list[_FileState]:
        """Stream every readable file into its staging table, checking values on the way."""
        staging = self.staging = MetaData()
        readable = [fs for fs in self.files if fs.source is not None]
        total = sum(max(fs.path.stat().st_size, 1) for fs in readable) or 1
        done = 0
        staged = []
        for fs in sorted(readable, key=lambda f: LOAD_ORDER.index(f.kind)):
            fs.stage = _staging_table(staging, fs.kind)
            fs.stage.create(conn)
            writer = _StageWriter(conn, fs.stage, fs.stored + ["line", "bad"])
            size = max(fs.path.stat().st_size, 1)
            checked = ((chunk, *_validate_chunk(fs, chunk)) for chunk in fs.source.chunks())
            try:
                for chunk, stage, problems, bad in _ahead(checked):
                    fs.rows += len(chunk.lines)
                    fs.rejected += int(bad.sum())
                    self.problems.add_frame(LOAD_ORDER.index(fs.kind), fs.name, problems)
                    stage["line"] = pd.Series(chunk.lines, dtype="int64")
                    stage["bad"] = pd.Series(bad.astype(np.int64))
                    writer.write(stage)
                    self._progress(0.8 * (done + chunk.position * size) / total,
                                   f"reading {fs.name}: {fs.rows:,} rows")
            except parse.FileError as exc:
                self.file_problem(fs.name, str(exc), fs.kind)
                continue
            finally:
                done += size
            if fs.rows == 0:
                self.file_problem(fs.name, f"{fs.name} has a header but no data rows", fs.kind)
                continue
            staged.append(fs)
        return staged

    def _check_all(self, conn: Connection, staged: list[_FileState]) -> None:
        """Keys, then references, file by file in load order (parents before children)."""
        by_kind = {fs.kind: fs for fs in staged}
        broken = {fs.kind for fs in self.files if fs not in staged}
        for i, fs in enumerate(staged):
            self._progress(0.8 + 0.1 * i / len(staged), f"checking {fs.name}")
            _analyze(conn, fs.stage)
            if not _index_keys(conn, fs.stage, FILES[fs.kind].key):
                self._check_keys(conn, fs)
            for col, parent, parent_col, label in REFERENCES.get(fs.kind, []):
                if parent in broken:
                    continue  # its file already failed; every row would just repeat that
                parent_stage = by_kind[parent].stage if parent in by_kind else None
                if col == FILES[fs.kind].key[0] and not _any_unknown(conn, fs.stage, col, parent,
                                                                     parent_col, parent_stage):
                    continue
                unknown = _unknown(fs.stage.c[col], parent, parent_col, parent_stage)
                self._reject_where(conn, fs, unknown, col, lambda _row, label=label:
                                   "unknown " + label + REFERENCE_SUFFIX)
            if fs.kind == "targets" and "hierarchy" not in broken:
                parent_stage = by_kind["hierarchy"].stage if "hierarchy" in by_kind else None
                self._reject_where(conn, fs, _unknown_target_code(fs.stage, parent_stage), "code",
                                   lambda row: f"unknown {row.level} code: not a {row.level}_code "
                                   "in the hierarchy" + REFERENCE_SUFFIX)
            if self.skip_invalid and conn.execute(
                    delete(fs.stage).where(fs.stage.c.bad == 1)).rowcount:
                _analyze(conn, fs.stage)

    def _check_keys(self, conn: Connection, fs: _FileState) -> None:
        """Within-load repeats of a key: exact ones loaded once, conflicting ones all invalid."""
        stg, key = fs.stage, list(FILES[fs.kind].key)
        dup = Table(stg.name + "_dup", stg.metadata,
                    *[Column(k, stg.c[k].type) for k in key],
                    Column("first_line", BigInteger), Column("exact", Integer),
                    prefixes=["TEMPORARY"])
        dup.create(conn)
        values = [c for c in fs.stored if c not in key]
        same = [or_(func.count(stg.c[c]) == 0,
                    and_(func.count(stg.c[c]) == func.count(), func.count(distinct(stg.c[c])) == 1))
                for c in values]
        exact = case((and_(func.max(stg.c.bad) == 0, *same), 1), else_=0)
        groups = (select(*[stg.c[k] for k in key], func.min(stg.c.line), exact)
                  .where(and_(*[stg.c[k].is_not(None) for k in key]))
                  .group_by(*[stg.c[k] for k in key]).having(func.count() > 1))
        conn.execute(insert(dup).from_select(key + ["first_line", "exact"], groups))
        match = and_(*[dup.c[k] == stg.c[k] for k in key])
        repeat = and_(match, dup.c.exact == 1, stg.c.line > dup.c.first_line)
        sample = conn.execute(select(stg.c.line, dup.c.first_line).where(repeat)
                              .order_by(stg.c.line).limit(5)).all()
        if sample:
            fs.duplicates = conn.execute(delete(stg).where(exists().where(repeat))).rowcount
            shown = ", ".join(f"line {a} repeats line {b}" for a, b in sample)
            more = ", ..." if fs.duplicates > len(sample) else ""
            self.warnings.append(f"{fs.name}: {fs.duplicates:,} row(s) repeat an earlier row exactly "
                                 f"and count once ({shown}{more})")
        conflict = and_(match, dup.c.exact == 0)
        rows = conn.execute(select(stg.c.line, stg.c.bad, *[stg.c[k] for k in key])
                            .where(conflict).order_by(*[stg.c[k] for k in key], stg.c.line)
                            .execution_options(yield_per=50_000))
        found: list[dict] = []
        group: list = []
        conflicting = 0
        for row in chain(rows, [None]):
            if group and (row is None or tuple(row[2:]) != tuple(group[0][2:])):
                lines = [g[0] for g in group]
                for g in group:
                    if g[1]:
                        continue  # already invalid for its own values
                    others = [str(x) for x in lines if x != g[0]]
                    listed = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
                    found.append({"line": g[0], "column": ", ".join(key),
                                  "value": ", ".join(str(v) for v in g[2:]),
                                  "reason": f"the same {' and '.join(key)} as line"
                                            f"{'s' if len(others) > 1 else ''} {listed} "
                                            "but different values",
                                  **dict(zip(key, (str(v) for v in g[2:]), strict=True))})
                group = []
                if len(found) >= 50_000 or row is None:  # bounded memory, however many
                    conflicting += len(found)
                    self.problems.add_frame(LOAD_ORDER.index(fs.kind), fs.name,
                                            pd.DataFrame(found))
                    found = []
            if row is not None:
                group.append(tuple(row))
        if conflicting:
            fs.rejected += conflicting
            conn.execute(update(stg).where(stg.c.bad == 0, exists().where(conflict))
                         .values(bad=1))

    def _reject_where(self, conn: Connection, fs: _FileState, condition: ColumnElement[bool],
                      column: str, reason: Callable[[Row], str]) -> None:
        """Report the staged rows matching ``condition`` and flag them invalid."""
        stg, key = fs.stage, list(FILES[fs.kind].key)
        cols = list(dict.fromkeys(["line", "bad", column] + key))
        rows = conn.execute(select(*[stg.c[c] for c in cols]).where(condition)
                            .order_by(stg.c.line).execution_options(yield_per=50_000))
        batch: list[dict] = []
        newly = 0
        for row in rows:
            newly += 0 if row.bad else 1
            batch.append({"line": row.line, "column": column, "value": str(row._mapping[column]),
                          "reason": reason(row),
                          **{k: str(row._mapping[k]) for k in key}})
            if len(batch) >= 50_000:
                self.problems.add_frame(LOAD_ORDER.index(fs.kind), fs.name, pd.DataFrame(batch))
                batch = []
        if batch:
            self.problems.add_frame(LOAD_ORDER.index(fs.kind), fs.name, pd.DataFrame(batch))
        if newly:
            fs.rejected += newly
            conn.execute(update(stg).where(stg.c.bad == 0, condition).values(bad=1))

    # --- recording ----------------------------------------------------------------------

    def _record(self, conn: Connection, source: str, landed: bool) -> int:
        """Write the load-log row; return its id."""
        files = [fs.summary(landed) for fs in self.files]
        accepted = sum(f["accepted"] for f in files)
        rejected = sum(fs.rejected for fs in self.files)
        if landed:
            message = f"loaded {accepted:,} rows from {len(files)} file(s)"
            if rejected:
                message += f"; {rejected:,} invalid rows skipped"
        else:
            first = self.problems.problems()
            message = (f"rejected: {self.problems.count:,} problem(s)"
                       + (f"; first: {first[0]}" if first else ""))
        result = conn.execute(insert(loads).values(
            started_at=self.started, finished_at=now_ist(), loaded_by=self.loaded_by,
            source=source, files=json.dumps(files, ensure_ascii=False),
            status="loaded" if landed else "rejected", rows_accepted=accepted,
            rows_rejected=rejected, message=message))
        return int(result.inserted_primary_key[0])

    def _finish(self, source: str, load_id: int | None) -> LoadResult:
        """Record a rejected load (own small transaction) and place the rejects file."""
        landed = load_id is not None
        if not landed:
            with get_engine(self.url).begin() as conn:
                load_id = self._record(conn, source, landed=False)
        rejects = None
        self.problems.close()
        wanted = self.skip_invalid or self.rejects_path is not None \
            or self.problems.count > MAX_PROBLEMS
        rows_problems = any(fs.rejected for fs in self.files)
        if self.problems.spool.exists() and wanted and rows_problems:
            rejects = self.rejects_path or DATA_DIR / "rejects" / f"load-{load_id}.csv"
            rejects.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.problems.spool, rejects)
        return self._result(load_id, landed, rejects)

    def _result(self, load_id: int | None, landed: bool, rejects: Path | None) -> LoadResult:
        """Assemble the LoadResult."""
        files = [fs.summary(landed) for fs in self.files]
        return LoadResult(
            ok=landed, status="loaded" if landed else "rejected", load_id=load_id, files=files,
            problems=self.problems.problems(), problem_count=self.problems.count,
            warnings=self.warnings, rows_accepted=sum(f["accepted"] for f in files),
            rows_rejected=sum(fs.rejected for fs in self.files), rejects_path=rejects)

    def _progress(self, fraction: float, message: str) -> None:
        """Report progress to the caller, if it asked."""
        if self.progress_fn is not None:
            self.progress_fn(min(max(fraction, 0.0), 1.0), message)


def _sqlite_bulk_mode(conn: Connection, bulk: bool) -> None:
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


def _sqlite_file(conn: Connection) -> bool:
    """Say whether a SQLite connection is to a file (an in-memory database lives only as long
    as its connection, so that one must never be closed)."""
    database = conn.engine.url.database or ""
    return database not in ("", ":memory:") and "mode=memory" not in database


_END = object()


def _ahead(items: Iterator[T], depth: int = 2) -> Iterator[T]:
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
        thread.join()


def _os_user() -> str:
    """Who runs the load, by default: the operating-system user."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (some containers)
        return "unknown"


def _analyze(conn: Connection, table: Table) -> None:
    """PostgreSQL never auto-analyses temporary tables; without row counts the planner picks
    nested loops over million-row staging tables."""
    if is_postgres(conn):
        conn.exec_driver_sql("ANALYZE " + conn.dialect.identifier_preparer.format_table(table))


# --- values -> stored columns ------------------------------------------------------------


def _stored_columns(kind: str, present: list[str]) -> list[str]:
    """The table columns a file with these contract columns provides."""
    out = []
    for col in present:
        out.append(STORED_AS.get((kind, col), col))
        if (kind, col) in DAY_OF:
            out.append(DAY_OF[(kind, col)])
    if kind == "complaints" and "resolved_at" in present:
        out.append("resolution_seconds")
    return out


def _max_length(kind: str, column: str) -> int | None:
    """The declared length of a text column (PostgreSQL enforces it, so the load checks it)."""
    col = metadata.tables[kind].c.get(column)
    return getattr(col.type, "length", None) if col is not None else None


def _validate_chunk(fs: _FileState, chunk: parse.Chunk
                    ) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Check and normalise one chunk: stored values, the problems found, and which rows are bad."""
    kind, spec, data = fs.kind, FILES[fs.kind], chunk.data
    index = data.index
    stored: dict[str, pd.Series] = {}
    found: list[tuple[str | None, pd.Series]] = []  # (column, reasons)
    timestamps: dict[str, pd.Series] = {}
    for col in fs.source.positions:
        raw = data[col]
        how = spec.kinds.get(col, "text")
        if how == "account":
            values, reasons = parse.parse_account(raw)
        elif how == "date":
            values, reasons = parse.parse_date(raw)
        elif how == "timestamp":
            ts, reasons = parse.parse_timestamp(raw)
            timestamps[col] = ts
            values = parse.format_timestamp(ts)
            stored[DAY_OF[(kind, col)]] = parse.format_day(ts)
        elif how == "amount":
            values, reasons = parse.parse_amount(raw)
        elif how == "int":
            values, reasons = parse.parse_whole(raw)
        elif how == "number":
            values, reasons = parse.parse_number(raw)
        elif how.startswith("vocab:"):
            values, reasons = parse.parse_vocab(raw, VOCABULARIES[how.split(":", 1)[1]])
        else:
            values, reasons = parse.parse_text(raw, _max_length(kind, col))
        if col in spec.required:
            reasons = parse.reasons_where(index, (raw == "").to_numpy(),
                                           "required value is empty", reasons)
        stored[STORED_AS.get((kind, col), col)] = values
        if reasons is not None:
            found.append((col, reasons))

    # Rules across columns.
    if kind == "recharges":
        amount = stored["amount_paise"]
        nonpositive = amount.notna().to_numpy() & (amount.fillna(1).astype("int64") <= 0).to_numpy()
        _add(found, index, "amount_inr", nonpositive, "amount must be more than zero")
    if kind == "campaigns":
        start, end = stored["start_date"], stored["end_date"]
        both = start.notna().to_numpy() & end.notna().to_numpy()
        before = both & (end.fillna("").to_numpy() < start.fillna("").to_numpy())
        if before.any():
            _add(found, index, "end_date", before,
                 "end_date is before start_date " + start.astype(object).fillna("").astype(str))
    if kind == "complaints" and "resolved_at" in timestamps:
        opened, resolved = timestamps["opened_at"], timestamps["resolved_at"]
        seconds = ((resolved - opened).dt.total_seconds())
        early = (seconds < 0).to_numpy()
        if early.any():
            _add(found, index, "resolved_at", early, "resolved_at is before opened_at " +
                 parse.format_timestamp(opened).astype(object).fillna("").astype(str).str[:19])
        stored["resolution_seconds"] = pd.Series(
            np.floor(seconds.to_numpy()), index=index).astype("Int64")

    bad = np.zeros(len(data), dtype=bool)
    frames = []
    for col, reasons in found:
        mask = reasons.notna().to_numpy()
        if not mask.any():
            continue
        bad |= mask
        # An invalid value is staged as NULL; the row is flagged and reported.
        stored[STORED_AS.get((kind, col), col)] = _blank(stored[STORED_AS.get((kind, col), col)],
                                                         mask)
        frames.append(pd.DataFrame({"line": chunk.lines[mask], "column": col,
                                    "value": data[col].to_numpy()[mask],
                                    "reason": reasons.to_numpy()[mask]}))
        if (kind, col) in DAY_OF:
            stored[DAY_OF[(kind, col)]] = _blank(stored[DAY_OF[(kind, col)]], mask)
        if kind == "complaints" and col in ("opened_at", "resolved_at") \
                and "resolution_seconds" in stored:
            stored["resolution_seconds"] = _blank(stored["resolution_seconds"], mask)
    if chunk.overflow is not None:
        over = chunk.overflow > 0
        bad |= over
        width = len(fs.source.header)
        frames.append(pd.DataFrame({"line": chunk.lines[over], "column": None, "value": None,
                                    "reason": [f"has {n} values but the header has {width} "
                                               "columns; a value that contains a comma must be "
                                               "in double quotes" for n in chunk.overflow[over]]}))
    problems = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if frames:
        positions = np.searchsorted(chunk.lines, problems["line"].to_numpy())
        for k in spec.key:
            if k in data:
                problems[k] = data[k].to_numpy()[positions]
        problems = problems.sort_values("line", kind="stable")
    return pd.DataFrame({c: stored[c] for c in fs.stored}), problems, bad


def _add(found: list, index: pd.Index, column: str, mask: np.ndarray,
         reason: str | pd.Series) -> None:
    """Add a cross-column problem to the column's reasons."""
    reasons = pd.Series(None, index=index, dtype=object)
    reasons[mask] = reason[mask] if isinstance(reason, pd.Series) else reason
    found.append((column, reasons))


def _blank(values: pd.Series, mask: np.ndarray) -> pd.Series:
    """The values with the rows of ``mask`` missing (same dtype)."""
    return values.mask(mask)


# --- staging -----------------------------------------------------------------------------


def _staging_table(staging: MetaData, kind: str) -> Table:
    """A TEMPORARY copy of the file's table without constraints, plus line and bad flag."""
    real = metadata.tables[kind]
    return Table(f"_stage_{kind}", staging,
                 *[Column(c.name, c.type) for c in real.columns],
                 Column("line", BigInteger), Column("bad", Integer),
                 prefixes=["TEMPORARY"])


class _StageWriter:
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


def _index_keys(conn: Connection, stage: Table, key: tuple[str, ...]) -> bool:
    """Index the staging key; return True when a UNIQUE index builds (no key repeats, the usual
    case), so the slower duplicate analysis only runs when there is something to find."""
    cols = [stage.c[k] for k in key]
    try:
        with conn.begin_nested():
            Index(f"{stage.name}_ukey", *cols, unique=True).create(conn)
        return True
    except IntegrityError:
        Index(f"{stage.name}_key", *cols).create(conn)
        return False


def _unknown(value: ColumnElement, parent: str, parent_column: str,
             parent_stage: Table | None) -> ColumnElement[bool]:
    """Condition: ``value`` names no row of ``parent``, in the database or staged."""
    real = metadata.tables[parent]
    conditions = [value.is_not(None), not_(exists().where(real.c[parent_column] == value))]
    if parent_stage is not None:
        conditions.append(not_(exists().where(parent_stage.c[parent_column] == value)))
    return and_(*conditions)


def _any_unknown(conn: Connection, stage: Table, column: str, parent: str, parent_column: str,
                 parent_stage: Table | None) -> bool:
    """Check the distinct values of an indexed column first (8 balances per account share one
    look-up); only when one is unknown are the rows themselves searched."""
    values = select(stage.c[column]).distinct().subquery()
    probe = select(values.c[column]).where(
        _unknown(values.c[column], parent, parent_column, parent_stage)).limit(1)
    return conn.execute(probe).first() is not None


def _unknown_target_code(stage: Table, hierarchy_stage: Table | None) -> ColumnElement[bool]:
    """Targets whose code is not a code of their level in the hierarchy."""
    real = metadata.tables["hierarchy"]
    known = []
    for level in LEVELS:
        col = f"{level}_code"
        found = [exists().where(real.c[col] == stage.c.code)]
        if hierarchy_stage is not None:
            found.append(exists().where(hierarchy_stage.c[col] == stage.c.code))
        known.append(and_(stage.c.level == level, or_(*found)))
    return and_(stage.c.code.is_not(None), stage.c.level.is_not(None), not_(or_(*known)))


def _upsert(conn: Connection, fs: _FileState) -> int:
    """Staged rows into the real table; only new rows and rows whose values change are written.
    Return how many."""
    real, stg, key = metadata.tables[fs.kind], fs.stage, list(FILES[fs.kind].key)
    cols = [c.name for c in real.columns if c.name in fs.stored]
    values = [c for c in cols if c not in key]
    if is_postgres(conn):
        return _update_then_insert(conn, real, stg, key, cols, values)
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
    return written


def _update_then_insert(conn: Connection, real: Table, stg: Table, key: list[str],
                        cols: list[str], values: list[str]) -> int:
    """PostgreSQL: UPDATE ... FROM for changed rows, then a plain INSERT of the new ones.

    INSERT ... ON CONFLICT inserts row by row speculatively, about five times slower than
    this join; it is safe here because loads are serialised by an advisory lock and the
    staged keys are unique by now (repeats were removed or rejected).
    """
    match = and_(*[real.c[k] == stg.c[k] for k in key])
    changed = 0
    if values:
        changed += conn.execute(
            update(real).where(match, or_(*[real.c[c].is_distinct_from(stg.c[c])
                                            for c in values]))
            .values({c: stg.c[c] for c in values})).rowcount
    new_rows = select(*[stg.c[c] for c in cols]).where(not_(exists().where(match)))
    inserted = conn.execute(insert(real).from_select(cols, new_rows)
                            .execution_options(preserve_rowcount=True)).rowcount
    return changed + max(inserted, 0)


__all__ = ["LoadResult", "Problem", "load_paths", "load_uploads"]
