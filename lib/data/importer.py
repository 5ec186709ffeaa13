"""Load contract files: validate every file, then apply the whole load in one transaction.

How a load runs (``load_paths`` / ``load_uploads``):

1. The paths are resolved to contract files (a folder contributes the files named after the
   contract: ``balances.csv``, ``hierarchy.xlsx`` ...), and each file's format and header are
   checked (``lib.data.parse.open_source``); a file that cannot be read gets one sentence.
2. Inside one transaction, every file is streamed in chunks, its values checked and normalised
   with vectorised pandas operations (``lib.data.parse_values``), and the rows copied into a
   TEMPORARY staging table per file (COPY on PostgreSQL, multi-row INSERTs on SQLite). Invalid
   rows are staged too, flagged ``bad``, so their keys still count for duplicate and reference
   checks.
3. In SQL, per file in ``LOAD_ORDER``: keys repeated within the load (exact repeats are loaded
   once with a warning; the same key with different values makes every such row invalid), then
   references (area, account, campaign, target code) against the real table and the staged rows.
4. Any problem rejects the whole load (rolled back; the attempt is still recorded in ``loads``),
   unless ``skip_invalid``: then the invalid rows (and rows whose parent was rejected) are
   dropped and written to a rejects CSV. What the load touches is worked out for the rollups
   (``load_apply.plan_rollups``), the staged rows are upserted (``ON CONFLICT ... DO UPDATE``,
   touching only rows whose values change, so a repeated load changes nothing), the rollups
   brought up to date for what changed, the load recorded and ``data_version`` bumped, all
   before the one commit.

Columns a file does not have at all (optional ones) are left as they are on existing rows; a
column that is present but empty is stored as NULL.

This module runs the steps; each job is a module of its own: ``load_files`` (1),
``load_rows`` and ``load_staging`` (2), ``load_checks`` (3), ``load_apply`` (4) and
``load_report`` (the problems and the result).
"""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import MetaData
from sqlalchemy.engine import Connection, Engine

from lib.data import parse
from lib.data.audit import Actor, os_actor
from lib.data.engine import DATA_DIR, get_engine, is_postgres
from lib.data.load_apply import (
    lock,
    now_ist,
    plan_rollups,
    rebuild_and_bump_version,
    record_load,
)
from lib.data.load_apply import upsert as _upsert  # tests replace importer._upsert to crash a load
from lib.data.load_checks import check_all
from lib.data.load_files import FileState, collect_files, open_sources
from lib.data.load_report import MAX_PROBLEMS, LoadResult, Problem, Problems, ProgressFn
from lib.data.load_staging import sqlite_bulk_mode, sqlite_file, stage_all
from lib.data.reasons import Reason

log = logging.getLogger(__name__)


def load_paths(paths: Sequence[Path], url: str | None = None, *, skip_invalid: bool = False,
               rejects_path: Path | None = None, loaded_by: Actor | str | None = None,
               progress: ProgressFn | None = None) -> LoadResult:
    """Load contract files from folders and/or files (see the module docstring); the load is
    recorded as made by ``loaded_by`` (by default the operating-system user)."""
    if isinstance(paths, str | Path):
        paths = [paths]
    paths = [Path(p) for p in paths]
    source = "; ".join(str(p) for p in paths)
    return _Load(url, skip_invalid, rejects_path, loaded_by, progress).run(paths, source)


def load_uploads(files: Sequence[tuple[str, bytes]], url: str | None = None, *,
                 skip_invalid: bool = False, rejects_path: Path | None = None,
                 loaded_by: Actor | str | None = None,
                 progress: ProgressFn | None = None) -> LoadResult:
    """Load uploaded (file name, content) pairs: written to a temporary folder, then loaded."""
    # Never trust a path from a browser (some send C:\fakepath\name): keep the base name.
    names = [Path(name.replace("\\", "/")).name for name, _ in files]
    loader = _Load(url, skip_invalid, rejects_path, loaded_by, progress)
    with tempfile.TemporaryDirectory(prefix="upload-") as tmp:
        paths = []
        for (_, content), name in zip(files, names, strict=True):
            target = Path(tmp) / name
            if not name:
                loader.problems.file_problem("", Reason("no_name"))
                continue
            if target.exists():
                loader.problems.file_problem(name, Reason("uploaded_twice", name=name))
                continue
            target.write_bytes(content)
            paths.append(target)
        return loader.run(paths, "upload: " + ", ".join(names))


def _failure(exc: Exception) -> Problem:
    """The problem of a load that failed: the exception in English, or a refusal the code
    raised with a Reason (an archived month) said in the page's language too."""
    said = Reason("load_failed", error=f"{type(exc).__name__}: {parse.first_line(exc)}")
    cause = exc.args[0] if exc.args and isinstance(exc.args[0], Reason) else None
    if cause is None:
        return Problem("", None, None, None, str(said), said.code, said.values)
    return Problem("", None, None, None, str(said), cause.code, dict(cause.values))


class _Rejected(Exception):
    """Raised inside the load transaction to roll it back when the load is rejected."""


class _Load:
    """One load attempt: collects files, validates, and lands or rejects them."""

    def __init__(self, url: str | None, skip_invalid: bool, rejects_path: Path | None,
                 loaded_by: Actor | str | None, progress: ProgressFn | None) -> None:
        """Remember the options; nothing is read or written yet."""
        self.url = url
        self.skip_invalid = skip_invalid
        self.rejects_path = Path(rejects_path) if rejects_path else None
        self.loaded_by = Actor(loaded_by) if isinstance(loaded_by, str) else \
            loaded_by or os_actor()
        self.progress_fn = progress
        self.started = now_ist()
        spool_dir = self.rejects_path.parent if self.rejects_path else DATA_DIR / "rejects"
        self.problems = Problems(spool_dir / f".load-{uuid.uuid4().hex}.csv.part")
        self.warnings: list[str] = []
        self.files: list[FileState] = []

    def run(self, paths: list[Path], source: str) -> LoadResult:
        """Validate and apply the load; never raises for bad input or a failed transaction."""
        load_id = None
        try:
            self.files = collect_files(paths, self.problems, self.warnings)
            open_sources(self.files, self.problems, self.warnings)
            load_id = self._transaction(get_engine(self.url), source)
        except Exception as exc:  # a crash mid-load: the transaction was rolled back
            log.exception("load failed")
            self.problems.add(_failure(exc), -1)
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

    def _transaction(self, engine: Engine, source: str) -> int | None:
        """Stage, check and (unless rejected) apply the load; return the new load id."""
        with engine.connect() as conn:
            sqlite = not is_postgres(conn)
            # A file database's connection is closed after the load instead of dropping the
            # staging tables: closing discards SQLite's temporary database at once, while
            # DROP TABLE walks every page of it (2.5 s for ten million staged rows).
            discard = sqlite and sqlite_file(conn)
            if sqlite:
                sqlite_bulk_mode(conn, True)
            try:
                with conn.begin():
                    lock(conn)
                    staging = MetaData()
                    staged = stage_all(conn, staging, self.files, self.problems, self._progress)
                    check_all(conn, staged, self.files, self.problems, self.warnings,
                              skip_invalid=self.skip_invalid, progress=self._progress)
                    if self.problems.fatal or (self.problems.count and not self.skip_invalid):
                        raise _Rejected
                    plan = plan_rollups(conn, staged, self._progress)
                    self._progress(0.90, "writing")
                    for fs in staged:
                        fs.changed = _upsert(conn, fs)
                    if not discard:
                        staging.drop_all(conn, checkfirst=False)  # SQLite keeps temp tables
                    load_id = self._record(conn, source, landed=True)
                    self._progress(0.95, "rebuilding rollups")
                    rebuild_and_bump_version(conn, self._progress, staged, plan)
                    return load_id
            except _Rejected:
                return None
            finally:
                if discard and not conn.invalidated:
                    conn.invalidate()
                elif sqlite and not conn.invalidated:
                    sqlite_bulk_mode(conn, False)

    def _record(self, conn: Connection, source: str, landed: bool) -> int:
        """Write the load-log row; return its id."""
        return record_load(conn, self.files, self.problems, source=source, landed=landed,
                           started=self.started, loaded_by=self.loaded_by)

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


__all__ = ["MAX_PROBLEMS", "LoadResult", "Problem", "load_paths", "load_uploads"]
