"""The benchmark's data and load: the sample set generated once per size, a fresh database
(SQLite file or PostgreSQL schema), and the load timed in a child ``python -m lib.cli load``."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lib.data.engine import normalise_url
from lib.tools.bench_common import median, run_child

SEED = 1


def sample_data(workdir: Path, consumers: int, days: int, say: Callable[[str], None]) -> dict:
    """Generate the sample set of this size, or reuse it; return its folder, row counts and time."""
    from lib.tools.sample import generate

    folder = workdir / f"{consumers}c-{days}d"
    marker = workdir / f"{consumers}c-{days}d.json"  # beside the folder: not a contract file
    if (folder / "consumers.csv").exists() and marker.exists():  # consumers.csv is written last
        info = json.loads(marker.read_text(encoding="utf-8"))
        say(f"reusing sample data in {folder} (generated in {info['seconds']:.1f} s)")
        return {**info, "folder": str(folder), "reused": True}
    say(f"generating {consumers:,} consumers x {days} days into {folder} ...")
    started = time.perf_counter()
    counts = generate(folder, consumers=consumers, seed=SEED, days=days)
    info = {"seconds": time.perf_counter() - started, "rows": counts,
            "total_rows": sum(counts.values()), "seed": SEED,
            "bytes": sum(p.stat().st_size for p in folder.glob("*.csv"))}
    marker.write_text(json.dumps(info), encoding="utf-8")
    return {**info, "folder": str(folder), "reused": False}


@dataclass
class Database:
    """The fresh database the benchmark loads: its URL, and how to drop it."""

    url: str
    backend: str
    schema: str | None = None
    admin_url: str | None = None
    path: Path | None = None

    def drop(self, keep_file: bool = True) -> None:
        """Drop the PostgreSQL schema; the SQLite file is kept for profiling unless told."""
        from lib.data.engine import dispose_engine

        dispose_engine(self.url)
        if self.schema and self.admin_url:
            from sqlalchemy import create_engine
            from sqlalchemy.schema import DropSchema

            admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(DropSchema(self.schema, cascade=True, if_exists=True))
            admin.dispose()
        if self.path and not keep_file:
            _remove_sqlite(self.path)


def _remove_sqlite(path: Path) -> None:
    """Delete a SQLite file and the journal files beside it."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def fresh_database(url: str | None, workdir: Path, consumers: int, days: int,
                   tag: str = "") -> Database:
    """A new SQLite file under workdir, or a new schema in the given PostgreSQL database."""
    if url and not url.startswith("sqlite"):
        from sqlalchemy import create_engine
        from sqlalchemy.schema import CreateSchema

        admin_url = normalise_url(url)
        schema = f"bench_{consumers}c_{days}d_{uuid.uuid4().hex[:6]}"
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(CreateSchema(schema))
        admin.dispose()
        joiner = "&" if "?" in url else "?"
        return Database(f"{url}{joiner}options=-csearch_path%3D{schema}", "postgresql", schema,
                        admin_url)
    if url:
        path = Path(url.split("sqlite:///", 1)[-1])
        if tag:
            path = path.with_name(f"{path.stem}{tag}{path.suffix}")
        if path.exists() and workdir.resolve() not in path.resolve().parents:
            raise SystemExit(f"{path} exists; the benchmark loads into a fresh database only "
                             f"(give a new file, or none for {workdir}/bench-*.db)")
    else:
        path = workdir / f"bench-{consumers}c-{days}d{tag}.db"
    _remove_sqlite(path)
    return Database(f"sqlite:///{path}", "sqlite", path=path)


LOADED_RE = re.compile(r"Loaded \(load \d+\): ([\d,]+) rows accepted")


def load_phases(lines: list[tuple[float, str]], total: float) -> dict[str, float]:
    """Seconds per load phase, from the load's time-stamped progress lines.

    "reading X: N rows" is printed after each chunk of X is staged, so the time before it was
    spent on X; "checking X", "writing" and "rollups" are printed as that work starts, so the
    time after them is theirs; "loaded" closes the last phase. The first stretch (interpreter
    start, imports, headers, the first small file) is "start-up".
    """
    phases: dict[str, float] = {}
    current, since = "start-up", 0.0

    def close(name: str, at: float) -> None:
        phases[name] = phases.get(name, 0.0) + at - since

    for at, text in lines:
        text = re.sub(r"^\s*[\d.]+%\s*", "", text)
        if text.startswith("reading "):  # work just done
            phase = text.split(":")[0]
            close("start-up" if current == "start-up" else phase, at)
            current, since = phase, at
            continue
        if text.startswith(("loaded", "rejected")):
            close(current, at)
            current, since = "exit", at
            continue
        if text.startswith("checking "):  # work starting now
            phase = text
        elif text.startswith(("rebuilding rollups", "rollups")):
            phase = "rollups (and commit)"
        elif text.startswith("writing"):
            phase = "writing (upserts)"
        else:
            continue
        if phase != current:
            close(current, at)
            current, since = phase, at
    close(current, total)
    return {k: round(v, 3) for k, v in phases.items()}


def measure_load(data: dict, db: Database, workdir: Path, runs: int,
                 fresh: Callable[[str], Database], say: Callable[[str], None]) -> dict:
    """Load the sample set into ``db``, and ``runs - 1`` more times into extra fresh databases
    (dropped at once); return the figures, the median time over the runs."""
    results = []
    for i in range(max(runs, 1)):
        target = fresh(f"-run{i + 1}") if i else db
        try:
            results.append(_load_once(data, target, workdir, say))
        finally:
            if i:
                target.drop(keep_file=False)
    seconds = median([r["seconds"] for r in results])
    rows = results[0]["rows"]
    return {"runs": len(results), "seconds": seconds, "seconds_runs": [r["seconds"] for r in results],
            "rows": rows, "rows_per_s": rows / seconds if seconds else 0.0,
            "max_rss_mb": max(r["max_rss_mb"] for r in results),
            "phases": results[0]["phases"]}


def _load_once(data: dict, db: Database, workdir: Path, say: Callable[[str], None]) -> dict:
    """One load of the sample folder in a child ``python -m lib.cli load``."""
    say(f"loading {data['folder']} into {db.backend} (child process) ...")
    res = run_child(["-m", "lib.cli", "load", data["folder"], "--db", db.url],
                    workdir / f"load-{db.backend}.log")
    if res.status != 0:
        raise RuntimeError(f"the load failed (exit {res.status}):\n{res.tail()}")
    found = LOADED_RE.search(res.log.read_text(encoding="utf-8")) if res.log else None
    return {"seconds": res.seconds, "max_rss_mb": res.max_rss_mb,
            "rows": int(found.group(1).replace(",", "")) if found else data["total_rows"],
            "phases": load_phases(res.lines, res.seconds)}
