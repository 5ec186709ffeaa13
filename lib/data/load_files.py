"""Which files a load reads: paths resolved to one contract file per kind, each opened (format
and header checked) before any database work, and the table columns each provides."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Table

from lib.data import parse
from lib.data.contract import FILES, LOAD_ORDER
from lib.data.load_report import Problems
from lib.data.reasons import Reason

# Contract columns stored under another name, and the IST day stored beside each timestamp.
STORED_AS = {("balances", "balance_inr"): "balance_paise",
             ("recharges", "amount_inr"): "amount_paise"}
DAY_OF = {("activities", "occurred_at"): "day", ("recharges", "paid_at"): "day",
          ("complaints", "opened_at"): "opened_day", ("complaints", "resolved_at"): "resolved_day"}


@dataclass
class FileState:
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
    written: list[str] = field(default_factory=list)  # the tables (partitions) its rows went to

    def summary(self, landed: bool) -> dict:
        """Per-file counts for the result and the load log."""
        accepted = self.rows - self.rejected - self.duplicates if landed else 0
        return {"file": self.name, "kind": self.kind, "rows": self.rows, "accepted": accepted,
                "rejected": self.rejected, "duplicates": self.duplicates,
                "changed": self.changed if landed else 0}


def collect_files(paths: list[Path], problems: Problems, warnings: list[str]) -> list[FileState]:
    """Resolve folders and files to contract files, one per kind."""
    if not paths:
        problems.file_problem("", Reason("nothing_to_load"))
    found: list[tuple[str, Path]] = []
    for path in paths:
        if path.is_dir():
            found.extend(_folder_files(path, problems, warnings))
        elif path.is_file():
            if path.stem.lower() in FILES:
                found.append((path.stem.lower(), path))
            else:
                problems.file_problem(path.name, Reason("not_contract_name", name=path.name,
                                                        names=LOAD_ORDER))
        else:
            problems.file_problem(str(path), Reason("missing_path", path=str(path)))
    by_kind: dict[str, list[Path]] = {}
    for kind, path in dict.fromkeys((k, p.resolve()) for k, p in found):  # same file twice
        by_kind.setdefault(kind, []).append(path)
    files = []
    for kind in LOAD_ORDER:
        group = by_kind.get(kind, [])
        if len(group) > 1:
            problems.file_problem(group[0].name, Reason(
                "several_files", n=len(group), kind=kind,
                paths=", ".join(str(p) for p in group)), kind)
        elif group:
            files.append(FileState(kind, group[0].name, group[0]))
    return files


def _folder_files(path: Path, problems: Problems, warnings: list[str]
                  ) -> list[tuple[str, Path]]:
    """The contract files in a folder, as (kind, path); other data files are warned about."""
    inside = []
    for child in sorted(path.iterdir()):
        if not child.is_file() or child.name.startswith((".", "~$")):
            continue  # hidden files and Excel's lock files
        if child.stem.lower() in FILES:
            inside.append((child.stem.lower(), child))
        elif child.suffix.lower() in (".csv", ".xlsx", ".xls", ".tsv", ".txt"):
            warnings.append(Reason("folder_ignored", name=child.name, folder=str(path),
                                   names=LOAD_ORDER))
    if not inside:
        problems.file_problem(str(path), Reason("empty_folder", folder=str(path),
                                                names=LOAD_ORDER))
    return inside


def open_sources(files: list[FileState], problems: Problems, warnings: list[str]) -> None:
    """Check each file's format and header (before any database work)."""
    for fs in files:
        spec = FILES[fs.kind]
        try:
            fs.source = parse.open_source(fs.path, fs.name, fs.kind, spec.required,
                                          spec.optional, spec.kinds)
        except parse.FileError as exc:
            problems.file_problem(fs.name, exc.reason, fs.kind)
            continue
        except OSError as exc:
            problems.file_problem(fs.name, Reason("unreadable", name=fs.name, error=exc.strerror),
                                  fs.kind)
            continue
        warnings.extend(fs.source.warnings)
        fs.stored = stored_columns(fs.kind, list(fs.source.positions))


def stored_columns(kind: str, present: list[str]) -> list[str]:
    """The table columns a file with these contract columns provides."""
    out = []
    for col in present:
        out.append(STORED_AS.get((kind, col), col))
        if (kind, col) in DAY_OF:
            out.append(DAY_OF[(kind, col)])
    if kind == "complaints" and "resolved_at" in present:
        out.append("resolution_seconds")
    return out
