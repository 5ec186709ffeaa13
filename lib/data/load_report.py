"""What a load reports: every problem (counted, the first few listed, all spooled to the rejects
CSV), the result handed back to the caller, and the progress callback's type."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lib.data.contract import FILES, LOAD_ORDER
from lib.data.inert import inert
from lib.data.reasons import Reason, code_of

MAX_PROBLEMS = 50  # problems listed in the result; the rest are counted (and in the rejects CSV)

# Key columns of every file, in load order: the rejects CSV carries them after the reason.
REJECT_KEY_COLUMNS = tuple(dict.fromkeys(k for kind in LOAD_ORDER for k in FILES[kind].key))
REJECT_COLUMNS = ("file", "line", "column", "value", "reason") + REJECT_KEY_COLUMNS

ProgressFn = Callable[[float, str], None]


@dataclass
class Problem:
    """One reason a file or a row cannot be loaded: its English sentence, and its code and
    values (``lib.data.reasons``; no code for an unexpected error's text)."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    reason: str
    code: str | None = None
    values: dict[str, object] = field(default_factory=dict)

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
    warnings: list[str]  # each a lib.data.reasons.Reason
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


class Problems:
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
        reason = Reason(problem.code, problem.reason, **problem.values) if problem.code \
            else problem.reason
        self.add_frame(order, problem.file, reason_frame([{
            "line": problem.line, "column": problem.column, "value": problem.value,
            "reason": reason}]))
        if problem.line is None:
            self.fatal += 1

    def file_problem(self, name: str, reason: Reason, kind: str | None = None) -> None:
        """Record a problem with a whole file (it rejects the load, even with skip_invalid)."""
        order = LOAD_ORDER.index(kind) if kind in LOAD_ORDER else -1
        self.add(Problem(name, None, None, None, str(reason), *code_of(reason)), order)

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
            problem = Problem(file, line, column, value, str(row.reason), *code_of(row.reason))
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
        self._writer.writerows([[inert(v) for v in row] for row in zip(*cols, strict=True)])

    def problems(self) -> list[Problem]:
        """The first MAX_PROBLEMS problems, in load order, file by file, line by line."""
        return [p for _, p in self.first]

    def close(self) -> None:
        """Close the rejects CSV (it stays on disk)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def reason_frame(records: list[dict]) -> pd.DataFrame:
    """Problems as a frame, their reasons kept as Reason objects: pandas would make a column of
    them plain strings, which forget their codes."""
    frame = pd.DataFrame(records)
    frame["reason"] = reason_column([r["reason"] for r in records])
    return frame


def reason_column(reasons: object) -> pd.Series:
    """A column of Reason objects, kept as objects (see ``reason_frame``)."""
    return pd.Series(reasons, dtype=object)


def _line_key(line: object) -> int:
    """Sort file-level problems (no line) before the rows of their file."""
    return 0 if line is None or pd.isna(line) else int(line)
