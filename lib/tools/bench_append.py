"""The daily load, timed: one day's balances appended to a history of 1 day and of N days.

    python -m lib.cli bench --append-only --consumers N --days D [--db URL] [--runs R]
                            [--baseline DIR]

The sample set of D days is split once (under ``<workdir>/<N>c-<D>d-append/``): the history
holds every file of the sample with the balances of days 1 .. D-1 (``history-N``) or of day
D-1 only (``history-1``); ``day`` holds day D's balances alone, the normal daily file. Each
history is loaded once into a template database; each timed run starts from a copy of it
(SQLite: a file copy; PostgreSQL: the history loaded again into a fresh schema, untimed) and
times ``python -m lib.cli load day`` in a child process. With ``--baseline DIR`` (a checkout
of another commit, e.g. ``git archive b183011 | tar -x -C DIR``) the same run times that code
too, interleaved with this one, so both see the same machine load.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from lib.data.engine import ROOT
from lib.tools.bench_common import median, run_child
from lib.tools.bench_load import LOADED_RE, Database, fresh_database, load_phases


def split_days(data: dict, workdir: Path, say: Callable[[str], None]) -> dict[str, Path]:
    """The history folders and the last day's balances, written once per sample set."""
    source = Path(data["folder"])
    out = workdir / f"{source.name}-append"
    folders = {name: out / name for name in ("history-N", "history-1", "day")}
    if (folders["day"] / "balances.csv").exists():
        return folders
    say(f"splitting {source} into histories and the last day ...")
    balances = pd.read_csv(source / "balances.csv", dtype=str)
    days = sorted(balances["as_of"].unique())
    if len(days) < 2:
        raise SystemExit("the append figure needs a sample of at least 2 days (--days)")
    parts = {"history-N": balances[balances["as_of"] < days[-1]],
             "history-1": balances[balances["as_of"] == days[-2]],
             "day": balances[balances["as_of"] == days[-1]]}
    for name, folder in folders.items():
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        if name != "day":
            for path in source.glob("*.csv"):
                if path.name != "balances.csv":
                    shutil.copyfile(path, folder / path.name)
        parts[name].to_csv(folder / "balances.csv.part", index=False)
        (folder / "balances.csv.part").rename(folder / "balances.csv")
    return folders


def measure_append(data: dict, url: str | None, workdir: Path, runs: int, consumers: int,
                   days: int, baseline: Path | None, say: Callable[[str], None]) -> dict:
    """Seconds to load the last day onto each history, per code (this checkout, and the
    baseline's when given), medians over ``runs`` interleaved runs."""
    folders = split_days(data, workdir, say)
    codes = {"this": ROOT, **({"baseline": Path(baseline).resolve()} if baseline else {})}
    day_rows = sum(1 for _ in (folders["day"] / "balances.csv").open(encoding="utf-8")) - 1
    result: dict = {"history_days": {"history-1": 1, "history-N": days - 1}, "day_rows": day_rows,
                    "codes": {k: str(v) for k, v in codes.items()}, "seconds": {}, "runs": {},
                    "phases": {}}
    for history in ("history-1", "history-N"):
        template = fresh_database(url, workdir, consumers, days, f"-{history}")
        try:
            if template.path is not None:  # PostgreSQL loads the history into each run's schema
                say(f"loading {history} (untimed) ...")
                _load(folders[history], template, workdir, ROOT)
            for i in range(max(runs, 1)):
                for label, root in codes.items():
                    db = fresh_database(url, workdir, consumers, days, f"-{history}-{label}")
                    try:
                        _fill(db, template, workdir, folders[history])
                        say(f"{history} run {i + 1}: the day's balances with {label} code ...")
                        timed = _load(folders["day"], db, workdir, root)
                    finally:
                        db.drop(keep_file=False)
                    key = f"{label} {history}"
                    result["runs"].setdefault(key, []).append(timed["seconds"])
                    result["phases"][key] = timed["phases"]
        finally:
            template.drop(keep_file=False)
    result["seconds"] = {k: median(v) for k, v in result["runs"].items()}
    return result


def _fill(db: Database, template: Database, workdir: Path, history: Path) -> None:
    """Give ``db`` the template's rows: a file copy, or (PostgreSQL) the history loaded again
    (untimed; note that loads into one PostgreSQL database wait for each other's lock)."""
    if db.path is not None:
        shutil.copyfile(template.path, db.path)
    else:
        _load(history, db, workdir, ROOT)


def _load(folder: Path, db: Database, workdir: Path, root: Path) -> dict:
    res = run_child(["-m", "lib.cli", "load", str(folder), "--db", db.url],
                    workdir / f"append-{db.backend}.log", root=root)
    text = res.log.read_text(encoding="utf-8") if res.log else ""
    if res.status != 0 or not LOADED_RE.search(text):
        raise RuntimeError(f"the load of {folder} failed (exit {res.status}):\n{res.tail()}")
    return {"seconds": res.seconds, "phases": load_phases(res.lines, res.seconds)}


def render_append(result: dict) -> str:
    """The append figures as a table: one row per history, one column per code."""
    codes = list(result["codes"])
    lines = [f"Append one day ({result['day_rows']:,} balance rows), seconds "
             f"(median of {len(next(iter(result['runs'].values())))} runs):",
             "  history      " + "".join(f"{c:>12}" for c in codes)]
    for history, n in result["history_days"].items():
        cells = "".join(f"{result['seconds'][f'{c} {history}']:>12.2f}" for c in codes)
        lines.append(f"  {n:>3} day(s)   {cells}")
    for c in codes:
        one, many = (result["seconds"][f"{c} {h}"] for h in ("history-1", "history-N"))
        lines.append(f"  {c}: {result['history_days']['history-N']} days / 1 day = "
                     f"{many / one:.2f}x")
    return "\n".join(lines)
