"""The benchmark: load time and memory, metrics-layer latency, page reruns, and pandas side by side.

    python -m lib.tools.cli bench --consumers N [--days D] [--db URL] [--runs R] [--json FILE]

1. load: sample data of the size (generated once under ``data/bench/<N>c-<D>d/``, reused
   after) is loaded into a fresh database by a child ``python -m lib.tools.cli load``, so its wall
   time and peak memory (max RSS, from ``wait4``) are the load's own; its progress lines are
   time-stamped to split the time into phases.
2. metrics: each function the pages call, uncached (called directly on a fresh engine), for
   the whole DISCOM, the largest zone and the largest area, on one day and over the campaign.
3. pages: every page of the app in ``AppTest`` in a child process (the "server process"),
   timed as a filter change triggers it: the zone filter set to a scope not seen before, so
   every figure of that scope is a cache miss. Its max RSS is the server's memory.
4. pandas vs metrics: the Overview's headline KPIs computed the way a typical Streamlit app
   would (CSVs read into pandas once, then filtered and grouped per rerun) and through the
   metrics layer, each in its own child process with the same imports, so time and memory
   compare like for like; both must give the same numbers. A rerun for a new scope finds each
   way's cache warm (the pandas frames; the metrics layer's cells for the period); the cold
   first call of each way (for the metrics layer: the cells built too) is reported beside it.

Children are this module run as ``python -m lib.tools.bench child SPEC OUT`` (JSON in, JSON out).
Every figure is a median of ``runs`` where repeating makes sense; the load runs once per
fresh database (``load_runs`` to repeat it). Targets (2 cores, SQLite) are printed beside
each figure with ✓/✗; a missed target does not fail the run, a wrong number or a crash does.
"""

from __future__ import annotations

import ast
import codecs
import gc
import itertools
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from lib.data.engine import DATA_DIR, ROOT, normalise_url

BENCH_DIR = DATA_DIR / "bench"
SEED = 1
MB = 1024 * 1024

# Targets for 2 cores on SQLite, by data size (8 days of snapshots); smaller sets are held to
# the 1M tier, anything above 1M to the 6M tier.
TARGETS: dict[str, dict[str, float]] = {
    "1M": {"load_s": 90, "overview_ms": 250, "page_ms": 500, "server_mb": 500},
    "6M": {"load_s": 480, "overview_ms": 400, "page_ms": 800, "server_mb": 800},
}
SPEEDUP_TARGET = 10.0  # the metrics layer at least this many times faster than pandas

SCOPES = ("discom", "zone", "area")
PERIODS = ("day", "campaign")
# The KPIs compared with pandas: the Overview's headline figures a typical app would compute.
PANDAS_KPIS = ("consumers", "negative_balance", "arrears_inr", "negative_at_start",
               "negative_cleared", "otp_verified", "app_downloaded", "recharge_count",
               "recharge_inr", "complaints_received", "complaints_resolved", "complaints_open")
RUPEE_TOLERANCE = 0.01  # pandas sums float rupees, the metrics layer integer paise
# --- small helpers -------------------------------------------------------------------------


def median(values: list[float]) -> float | None:
    """The median, or None for no values."""
    return statistics.median(values) if values else None


def timed(fn: Callable[[], Any], runs: int, before: Callable[[], Any] | None = None
          ) -> tuple[list[float], Any]:
    """Call ``fn`` ``runs`` times (``before`` untimed ahead of each); return each call's
    milliseconds and the last result."""
    times, result = [], None
    for _ in range(max(runs, 1)):
        if before:
            before()
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def proc_status_mb(field_name: str) -> float | None:
    """A memory figure of this process from /proc/self/status (VmRSS, VmHWM) in MB."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    if field_name == "VmHWM":  # not Linux: the peak from getrusage (KB on Linux, bytes on macOS)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (MB if sys.platform == "darwin" else 1024)
    return None


def clear_memos() -> None:
    """Empty the app's in-process memos, so the next figure is computed."""
    from lib.figures.memo import clear_all

    clear_all()


def tier(consumers: int) -> str:
    """Which target tier a data size is held to."""
    return "1M" if consumers <= 1_000_000 else "6M"


def app_pages() -> list[str]:
    """The page scripts of the app, read from dashboard.PAGES (importing it would run the app)."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PAGES"
                                                for t in node.targets):
            return [entry[1] for entry in ast.literal_eval(node.value)]
    raise RuntimeError("dashboard.py has no PAGES list")


# --- child processes ------------------------------------------------------------------------


@dataclass
class ChildResult:
    """How a child process went: exit status, wall time, peak memory, time-stamped stderr."""

    status: int
    seconds: float
    max_rss_mb: float
    lines: list[tuple[float, str]] = field(default_factory=list)
    log: Path | None = None

    def tail(self, n: int = 15) -> str:
        """The last lines the child wrote (for error messages)."""
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log else ""
        return "\n".join(text.splitlines()[-n:])


def run_child(argv: list[str], log: Path, env: dict[str, str] | None = None) -> ChildResult:
    """Run ``python argv`` from the project root; its stdout and stderr go to ``log``.

    The child is reaped with ``wait4`` so its max RSS is its own (RUSAGE_CHILDREN would give
    the largest of every child so far); stderr lines are time-stamped as they arrive, since
    the load reports its progress there.
    """
    child_env = {**os.environ, **(env or {}),
                 "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                             os.environ.get("PYTHONPATH")]))}
    log.parent.mkdir(parents=True, exist_ok=True)
    lines: list[tuple[float, str]] = []
    log.write_text("", encoding="utf-8")
    # Append mode: the child writes stdout through the same file, its stderr comes via us.
    with log.open("a", encoding="utf-8") as out:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, *argv], cwd=ROOT, env=child_env, stdout=out,
                                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        reader = threading.Thread(target=_read_stderr, args=(proc.stderr, started, lines, out),
                                  daemon=True)
        reader.start()
        _, wait_status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(wait_status)  # reaped here, not by Popen
        reader.join()
        proc.stderr.close()
    # ru_maxrss is in KB on Linux, bytes on macOS
    max_rss = usage.ru_maxrss / (MB if sys.platform == "darwin" else 1024)
    return ChildResult(proc.returncode, seconds, max_rss, lines, log)


def _read_stderr(stream, started: float, lines: list[tuple[float, str]], out: TextIO) -> None:
    """Collect a child's stderr as (seconds since start, line). Progress is written as
    "\\r<message>" with no end, so a line is time-stamped when its first byte arrives,
    not when the next line completes it."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")  # chunks split characters
    buffer, buffer_at = "", 0.0
    for chunk in iter(lambda: stream.read1(65536), b""):
        now = time.perf_counter() - started
        *complete, rest = re.split(r"[\r\n]", buffer + decoder.decode(chunk))
        for i, line in enumerate(complete):
            if line.strip():
                lines.append((buffer_at if i == 0 and buffer else now, line.strip()))
                out.write(line.strip() + "\n")
        buffer_at = now if complete or not buffer else buffer_at
        buffer = rest
        out.flush()  # the log can be followed while the child runs
    if buffer.strip():
        lines.append((buffer_at, buffer.strip()))
        out.write(buffer.strip() + "\n")


def child_call(role: str, spec: dict, workdir: Path, env: dict[str, str] | None = None
               ) -> tuple[ChildResult, dict]:
    """Run one role of this module in a child process; return how it ran and what it reported."""
    tag = f"{role}-{uuid.uuid4().hex[:8]}"
    spec_path, out_path = workdir / f"{tag}.spec.json", workdir / f"{tag}.out.json"
    spec_path.write_text(json.dumps({**spec, "role": role}, default=str), encoding="utf-8")
    try:
        result = run_child(["-m", "lib.tools.bench", "child", str(spec_path), str(out_path)],
                           workdir / f"{tag}.log", env)
        report = (json.loads(out_path.read_text(encoding="utf-8"))
                  if result.status == 0 and out_path.exists() else {})
    finally:
        spec_path.unlink(missing_ok=True)
        out_path.unlink(missing_ok=True)
    if result.status == 0 and result.log:
        result.log.unlink(missing_ok=True)  # keep the log only when something went wrong
        result.log = None
    return result, report


# --- 1. data and load ------------------------------------------------------------------------


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
    """One load of the sample folder in a child ``python -m lib.tools.cli load``."""
    say(f"loading {data['folder']} into {db.backend} (child process) ...")
    res = run_child(["-m", "lib.tools.cli", "load", data["folder"], "--db", db.url],
                    workdir / f"load-{db.backend}.log")
    if res.status != 0:
        raise RuntimeError(f"the load failed (exit {res.status}):\n{res.tail()}")
    found = LOADED_RE.search(res.log.read_text(encoding="utf-8")) if res.log else None
    return {"seconds": res.seconds, "max_rss_mb": res.max_rss_mb,
            "rows": int(found.group(1).replace(",", "")) if found else data["total_rows"],
            "phases": load_phases(res.lines, res.seconds)}


# --- what to measure on -----------------------------------------------------------------------


@dataclass(frozen=True)
class Picks:
    """The units, campaign and periods the benchmark asks about."""

    zone: str
    area: str
    zones: tuple[str, ...]
    campaign_id: str
    day: date
    start: date
    end: date

    def period(self, name: str):
        """The Period called ``name`` ("day": the campaign's last day with data; "campaign")."""
        from lib.figures.metrics import Period

        return Period(self.day, self.day) if name == "day" else Period(self.start, self.end)

    def scope(self, name: str):
        """The Scope called ``name`` (whole DISCOM, the largest zone, the largest area)."""
        from lib.figures.metrics import Scope

        return {"discom": Scope(), "zone": Scope.of(zones=[self.zone]),
                "area": Scope.of(areas=[self.area])}[name]

    def scope_codes(self, name: str) -> dict[str, list[str]]:
        """The scope as plain lists (for the child processes)."""
        return {"zones": [self.zone] if name == "zone" else [],
                "areas": [self.area] if name == "area" else []}


def pick_units(url: str) -> Picks:
    """The largest zone and area by consumers (worst cases), the latest campaign and its dates."""
    from sqlalchemy import func, select

    from lib.data.engine import get_engine
    from lib.data.schema import hierarchy, r_consumers
    from lib.figures.lookups import campaign_list, data_as_of

    engine = get_engine(url)
    with engine.connect() as conn:
        per_area = conn.execute(
            select(hierarchy.c.zone_code, hierarchy.c.area_code, func.sum(r_consumers.c.n))
            .join(r_consumers, r_consumers.c.area_code == hierarchy.c.area_code)
            .group_by(hierarchy.c.zone_code, hierarchy.c.area_code)).all()
        zones = tuple(sorted(conn.execute(select(hierarchy.c.zone_code).distinct()).scalars()))
    by_zone: dict[str, int] = {}
    for zone, _, n in per_area:
        by_zone[zone] = by_zone.get(zone, 0) + int(n)
    campaigns = campaign_list(engine)
    start, end = campaigns["start_date"].iloc[0], campaigns["end_date"].iloc[0]
    as_of = data_as_of(engine) or end
    return Picks(zone=max(by_zone, key=lambda z: (by_zone[z], z)),
                 area=max(per_area, key=lambda r: (int(r[2]), r[1]))[1], zones=zones,
                 campaign_id=campaigns["campaign_id"].iloc[0], day=min(end, as_of),
                 start=start, end=end)


# --- 2. the metrics layer ---------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One timed call of a metrics-layer function."""

    function: str
    scope: str
    period: str
    call: Callable[[], Any]


def metric_cases(engine, p: Picks) -> list[Case]:
    """Every function the pages call × scope × period (with the arguments the pages pass)."""
    from lib.figures import breakdowns, metrics, targets, tiles

    cases = []
    for s in SCOPES:
        scope = p.scope(s)
        for q in PERIODS:
            period = p.period(q)
            calls = {
                "headline": partial(metrics.headline, engine, scope, period),
                "by_unit zone": partial(metrics.by_unit, engine, scope, period, "zone"),
                "by_unit circle": partial(metrics.by_unit, engine, scope, period, "circle"),
                "by_unit area": partial(metrics.by_unit, engine, scope, period, "area"),
                "daily": partial(metrics.daily, engine, scope, period),
                "daily per zone": partial(metrics.daily, engine, scope, period, "zone"),
                "dues_bands": partial(breakdowns.dues_bands, engine, scope, period.end),
                "recharge_channels": partial(breakdowns.recharge_channels, engine, scope, period),
                "help_desks": partial(breakdowns.help_desks, engine, scope, period),
                "league zone": partial(targets.league, engine, scope, period, p.campaign_id,
                                       "zone"),
                "attention_list circle": partial(targets.attention_list, engine, scope, period,
                                                 p.campaign_id, "circle"),
                "tile_figures": partial(tiles.tile_figures, engine, scope, period,
                                        p.campaign_id),
            }
            cases.extend(Case(name, s, q, call) for name, call in calls.items())
        cases.append(Case("achievement", s, "campaign",
                          partial(targets.achievement, engine, scope, p.campaign_id)))
    for q in PERIODS:  # one area's list is what the page shows; the scope is that area
        cases.append(Case("negative_accounts", "area", q,
                          partial(breakdowns.negative_accounts, engine, p.area, p.period(q).end)))
    return cases


def measure_metrics(url: str, p: Picks, runs: int, say: Callable[[str], None]) -> list[dict]:
    """Median ms of every metrics-layer case on a fresh engine: no Streamlit cache, and the
    app's in-process memos emptied before every call."""
    from lib.data.engine import dispose_engine, get_engine
    from lib.figures.metrics import headline

    dispose_engine(url)
    engine = get_engine(url)
    headline(engine, p.scope("discom"), p.period("day"))  # open the pool's connection once
    clear_memos()
    cases = metric_cases(engine, p)
    say(f"timing {len(cases)} metrics-layer calls x {runs} runs ...")
    out = []
    for case in cases:
        row = {"function": case.function, "scope": case.scope, "period": case.period}
        try:
            times, result = timed(case.call, runs, before=clear_memos)
        except Exception as exc:  # a crash is a finding: report it and time the rest
            out.append({**row, "ms": None, "ms_runs": [],
                        "error": f"{type(exc).__name__}: {exc}"})
            continue
        out.append({**row, "ms": median(times), "ms_runs": [round(t, 2) for t in times],
                    "rows": len(result) if hasattr(result, "__len__") else None})
    dispose_engine(url)
    return out


# --- 3. page runs (child) -------------------------------------------------------------------


def filter_sequence(zones: tuple[str, ...], n: int) -> list[list[str]]:
    """``n`` different zone selections: single zones first, then pairs (each a new cache key)."""
    choices = [[z] for z in zones] + [list(pair) for pair in itertools.combinations(zones, 2)]
    if not choices:
        return [[] for _ in range(n)]
    return [choices[i % len(choices)] for i in range(n)]


def instrument_figures() -> dict[str, float]:
    """Wrap every figure function lib.figures.current calls, so the page child can say which
    figures a rerun waited for: returns the dict the wrappers add milliseconds to (outermost
    calls only: attention_list calling league counts once)."""
    from lib.figures import current

    spent: dict[str, float] = {}
    depth = [0]
    text = (ROOT / "lib" / "figures" / "current.py").read_text(encoding="utf-8")
    for alias, name in sorted(set(re.findall(r"return (\w+)\.(\w+)\(_engine\(\)", text))):
        module = getattr(current, alias)
        # lib.figures.current looks the function up on its module at each call
        setattr(module, name, _timing_wrapper(getattr(module, name), f"{alias}.{name}",
                                              spent, depth))
    return spent


def _timing_wrapper(fn: Callable, key: str, spent: dict[str, float], depth: list[int]
                    ) -> Callable:
    """``fn``, adding its milliseconds to ``spent[key]`` when it is not called by another one."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        depth[0] += 1
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            depth[0] -= 1
            if not depth[0]:
                spent[key] = spent.get(key, 0.0) + (time.perf_counter() - started) * 1000

    return wrapper


def zone_filter(at: Any) -> Any:
    """The sidebar's zone multiselect in an AppTest (keyed "zone", or "zone__<lang>")."""
    for widget in at.multiselect:
        if widget.key == "zone" or (widget.key or "").startswith("zone__"):
            return widget
    raise LookupError(f"no zone filter among {[w.key for w in at.multiselect]}")


def pages_child(spec: dict) -> dict:
    """In the child: time every page's first view and its reruns after a zone change."""
    os.environ["DATABASE_URL"] = spec["url"]
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    # AppTest resets PagesManager.uses_pages_directory before every run, and with a pages/
    # folder beside dashboard.py a rerun on a page then executes that page script alone,
    # without the frame (no sidebar filters: the zone widget disappears). A real server
    # turns the flag off for good at the first st.navigation call; do the same here so
    # every rerun runs the frame and then the page, as in the browser.
    original_init = PagesManager.__init__

    def init_without_pages_folder(self, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init_without_pages_folder
    spent = instrument_figures()

    def run_timed(run: Callable[[], Any]) -> tuple[float, dict[str, float]]:
        spent.clear()
        ms = timed(run, 1)[0][0]
        return ms, dict(spent)

    script = str(ROOT / "dashboard.py")
    timeout = spec.get("timeout", 600)
    rss_start = proc_status_mb("VmRSS")
    # One throwaway run: imports and first-run set-up belong to server start, not to a page.
    warm = AppTest.from_file(script, default_timeout=timeout).run()
    out: dict[str, Any] = {"rss_after_imports_mb": rss_start,
                           "rss_after_first_run_mb": proc_status_mb("VmRSS"), "pages": []}
    if warm.exception:
        out["error"] = [e.value for e in warm.exception]
        return out
    sequence = filter_sequence(tuple(spec["zones"]), spec["runs"])
    at = warm  # one session, as a user going from page to page
    for page in spec["pages"]:
        row: dict[str, Any] = {"page": page, "errors": [], "first_view_ms": None,
                               "first_view_figures_ms": {}, "filter_change_ms": None,
                               "filter_change_runs": [], "filter_change_figures_ms": {},
                               "cached_rerun_ms": None, "cached_rerun_runs": []}
        try:
            time_page(at, page, sequence, spec["runs"], run_timed, row)
        except Exception as exc:  # a page that breaks the session: report it, go on afresh
            row["errors"].append(f"{type(exc).__name__}: {exc}")
            at = AppTest.from_file(script, default_timeout=timeout).run()
        row.update(rss_mb=proc_status_mb("VmRSS"), hwm_mb=proc_status_mb("VmHWM"),
                   errors=sorted(set(row["errors"])))
        out["pages"].append(row)
    return out


def time_page(at: Any, page: str, sequence: list[list[str]], runs: int,
              run_timed: Callable[[Callable[[], Any]], tuple[float, dict[str, float]]],
              row: dict[str, Any]) -> None:
    """Time one page in the session ``at``: first view, zone changes, cached reruns (into row)."""
    from lib.figures import current

    current.clear()  # nothing cached from the pages before: every figure below is a miss
    clear_memos()
    zone_filter(at).set_value([])
    at.switch_page(page)
    # First view of the page: the whole DISCOM over the campaign's dates, all misses.
    row["first_view_ms"], row["first_view_figures_ms"] = run_timed(at.run)
    row["errors"] += [str(e.value) for e in at.exception]
    changes, figures = [], []
    for zones in sequence:
        ms, waited = run_timed(zone_filter(at).set_value(zones).run)
        changes.append(ms)
        figures.append(waited)
        row["errors"] += [str(e.value) for e in at.exception]
    # The same selection again: every figure a hit, what is left is drawing the page.
    cached = timed(at.run, runs)[0]
    row["errors"] += [str(e.value) for e in at.exception]
    names = sorted({name for waited in figures for name in waited})
    row.update(filter_change_ms=median(changes), filter_change_runs=changes,
               filter_change_figures_ms={name: median([w.get(name, 0.0) for w in figures])
                                         for name in names},
               cached_rerun_ms=median(cached), cached_rerun_runs=cached,
               title=at.title[0].value if len(at.title) else None, elements=len(list(at.main)))


def measure_pages(db: Database, p: Picks, runs: int, workdir: Path,
                  say: Callable[[str], None]) -> dict:
    """Run the page child and return its figures with its max RSS (the server's memory)."""
    pages = app_pages()
    say(f"timing {len(pages)} pages in AppTest (child process): first view, {runs} filter "
        f"changes, {runs} cached reruns each ...")
    res, report = child_call("pages", {"url": db.url, "runs": runs, "zones": list(p.zones),
                                       "pages": pages}, workdir)
    if res.status != 0 or "pages" not in report:
        raise RuntimeError(f"the page child failed (exit {res.status}):\n{res.tail()}")
    report["max_rss_mb"] = res.max_rss_mb
    report["seconds"] = res.seconds
    return report


# --- 4. pandas vs the metrics layer (children) -------------------------------------------------


def read_frames(folder: Path) -> dict:
    """The CSVs as a typical app reads them (once, then kept, like st.cache_resource): the
    columns the KPIs need, account numbers as text, timestamps parsed and their day derived."""
    import pandas as pd

    def read(name: str, columns: list[str], dates: tuple[str, ...] = ()) -> pd.DataFrame:
        df = pd.read_csv(folder / f"{name}.csv", usecols=columns,
                         dtype={c: str for c in columns if c not in dates and c not in
                                ("balance_inr", "amount_inr")})
        for col in dates:
            df[col] = pd.to_datetime(df[col])
        return df

    frames = {
        "hierarchy": read("hierarchy", ["zone_code", "circle_code", "division_code", "area_code"]),
        "consumers": read("consumers", ["account_no", "area_code", "category"]),
        "balances": read("balances", ["account_no", "as_of", "balance_inr"], ("as_of",)),
        "activities": read("activities", ["account_no", "activity", "occurred_at"],
                           ("occurred_at",)),
        "recharges": read("recharges", ["account_no", "paid_at", "amount_inr"], ("paid_at",)),
        "complaints": read("complaints", ["area_code", "opened_at", "resolved_at"],
                           ("opened_at", "resolved_at")),
    }
    # Sorted by day once, so "latest snapshot as of d" is the last row per account.
    frames["balances"] = frames["balances"].sort_values("as_of", kind="stable",
                                                        ignore_index=True)
    frames["activities"]["day"] = frames["activities"]["occurred_at"].dt.normalize()
    frames["recharges"]["day"] = frames["recharges"]["paid_at"].dt.normalize()
    frames["complaints"]["opened_day"] = frames["complaints"]["opened_at"].dt.normalize()
    frames["complaints"]["resolved_day"] = frames["complaints"]["resolved_at"].dt.normalize()
    return frames


def pandas_kpis(frames: dict, zones: list[str], areas: list[str], start: date, end: date) -> dict:
    """The headline KPIs per rerun the pandas way: filter the frames to the scope, then group."""
    import pandas as pd

    h = frames["hierarchy"]
    scoped = bool(zones or areas)
    if zones:
        h = h[h["zone_code"].isin(zones)]
    if areas:
        h = h[h["area_code"].isin(areas)]
    cons = frames["consumers"]
    if scoped:
        cons = cons[cons["area_code"].isin(h["area_code"])]

    def in_scope(df: pd.DataFrame) -> pd.DataFrame:
        return df[df["account_no"].isin(cons["account_no"])] if scoped else df

    bal = in_scope(frames["balances"])
    first, last = pd.Timestamp(start), pd.Timestamp(end)

    def latest(day: pd.Timestamp) -> pd.DataFrame:
        return bal[bal["as_of"] <= day].drop_duplicates("account_no", keep="last")

    now = latest(last)
    negative = now[now["balance_inr"] < 0]
    before = latest(first - pd.Timedelta(days=1))
    owed_before = before.loc[before["balance_inr"] < 0, "account_no"]
    cleared = now[now["account_no"].isin(owed_before) & (now["balance_inr"] >= 0)]

    acts = in_scope(frames["activities"])
    acts = acts[acts["day"].between(first, last)]
    rech = in_scope(frames["recharges"])
    rech = rech[rech["day"].between(first, last)]
    comp = frames["complaints"]
    if scoped:
        comp = comp[comp["area_code"].isin(h["area_code"])]
    still_open = (comp["opened_day"] <= last) & (comp["resolved_day"].isna()
                                                  | (comp["resolved_day"] > last))
    return {
        "consumers": len(cons),
        "negative_balance": len(negative),
        "arrears_inr": round(float(-negative["balance_inr"].sum()), 2),
        "negative_at_start": len(owed_before),
        "negative_cleared": len(cleared),
        "otp_verified": acts.loc[acts["activity"] == "otp_verified", "account_no"].nunique(),
        "app_downloaded": acts.loc[acts["activity"] == "app_downloaded", "account_no"].nunique(),
        "recharge_count": len(rech),
        "recharge_inr": round(float(rech["amount_inr"].sum()), 2),
        "complaints_received": int(comp["opened_day"].between(first, last).sum()),
        "complaints_resolved": int(comp["resolved_day"].between(first, last).sum()),
        "complaints_open": int(still_open.sum()),
    }


def kpis_child(spec: dict) -> dict:
    """In the child: compute the headline KPIs per case ``runs`` times, the pandas way or
    through the metrics layer, with memory before and after."""
    import pandas as pd  # noqa: F401  (both ways import the same libraries: same baseline)

    from lib.data.engine import get_engine
    from lib.figures.memo import forget_figures
    from lib.figures.metrics import Period, Scope, kpis

    gc.collect()
    out: dict[str, Any] = {"way": spec["way"], "rss_baseline_mb": proc_status_mb("VmRSS")}
    if spec["way"] == "pandas":
        started = time.perf_counter()
        frames = read_frames(Path(spec["folder"]))
        out["read_s"] = time.perf_counter() - started
        out["frames_mb"] = sum(df.memory_usage(deep=True).sum() for df in frames.values()) / MB

        def compute(c: dict) -> dict:
            return pandas_kpis(frames, c["zones"], c["areas"], c["start"], c["end"])

        def between() -> None:
            pass
    else:
        engine = get_engine(spec["url"])

        def compute(c: dict) -> dict:
            values = kpis(engine, Scope.of(zones=c["zones"], areas=c["areas"]),
                          Period(c["start"], c["end"]))
            return {k: values[k] for k in PANDAS_KPIS}

        def between() -> None:
            # a rerun for another scope: the period's cells stay, as the frames do for pandas
            forget_figures(keep_parts=True)
    gc.collect()
    out["rss_loaded_mb"] = proc_status_mb("VmRSS")
    cases = []
    for c in spec["cases"]:
        c = {**c, "start": date.fromisoformat(c["start"]), "end": date.fromisoformat(c["end"])}
        # The first call is the cold one (for the metrics layer, the period's cells are built
        # too); the timed reruns then find the pandas frames and the cells warm alike.
        clear_memos()
        first = timed(lambda c=c: compute(c), 1)[0][0]
        times, values = timed(lambda c=c: compute(c), spec["runs"], before=between)
        cases.append({"scope": c["scope"], "period": c["period"], "ms": median(times),
                      "ms_runs": times, "first_ms": first, "values": values})
    out["cases"] = cases
    gc.collect()
    out["rss_end_mb"] = proc_status_mb("VmRSS")
    out["hwm_mb"] = proc_status_mb("VmHWM")
    return out


def compare_values(pandas_values: dict, metric_values: dict) -> list[str]:
    """Every KPI where the two ways disagree, as 'key: pandas X != metrics Y'."""
    wrong = []
    for key in PANDAS_KPIS:
        a, b = pandas_values.get(key), metric_values.get(key)
        if key.endswith("_inr"):
            same = a is not None and b is not None and abs(float(a) - float(b)) <= RUPEE_TOLERANCE
        else:
            same = a == b
        if not same:
            wrong.append(f"{key}: pandas {a} != metrics {b}")
    return wrong


def measure_pandas_vs_metrics(db: Database, data: dict, p: Picks, runs: int, workdir: Path,
                              say: Callable[[str], None]) -> dict:
    """Run both ways in children with the same cases; compare their numbers, time and memory."""
    cases = [{"scope": s, "period": q, **p.scope_codes(s),
              "start": p.period(q).start.isoformat(), "end": p.period(q).end.isoformat()}
             for s in SCOPES for q in PERIODS]
    spec = {"cases": cases, "runs": runs, "url": db.url, "folder": data["folder"]}
    say("pandas way (child process): reading the CSVs, then the headline KPIs per rerun ...")
    pd_res, pd_out = child_call("kpis", {**spec, "way": "pandas"}, workdir)
    say("metrics layer (child process): the same KPIs ...")
    mx_res, mx_out = child_call("kpis", {**spec, "way": "metrics"}, workdir)
    for res, report, way in ((pd_res, pd_out, "pandas"), (mx_res, mx_out, "metrics")):
        if res.status != 0 or "cases" not in report:
            raise RuntimeError(f"the {way} child failed (exit {res.status}):\n{res.tail()}")
    rows, mismatches = [], []
    for a, b in zip(pd_out["cases"], mx_out["cases"], strict=True):
        wrong = compare_values(a["values"], b["values"])
        mismatches += [f"{a['scope']}/{a['period']}: {w}" for w in wrong]
        rows.append({"scope": a["scope"], "period": a["period"], "pandas_ms": a["ms"],
                     "metrics_ms": b["ms"], "speedup": a["ms"] / b["ms"] if b["ms"] else None,
                     "pandas_first_ms": a.get("first_ms"), "metrics_first_ms": b.get("first_ms"),
                     "match": not wrong, "pandas": a["values"], "metrics": b["values"]})
    speedups = [r["speedup"] for r in rows if r["speedup"]]
    pandas_mem = {"max_rss_mb": pd_res.max_rss_mb, "baseline_mb": pd_out["rss_baseline_mb"],
                  "holding_frames_mb": pd_out["rss_loaded_mb"] - pd_out["rss_baseline_mb"],
                  "frames_deep_mb": pd_out["frames_mb"], "end_rss_mb": pd_out["rss_end_mb"]}
    metrics_mem = {"max_rss_mb": mx_res.max_rss_mb, "baseline_mb": mx_out["rss_baseline_mb"],
                   "holding_mb": mx_out["rss_end_mb"] - mx_out["rss_baseline_mb"],
                   "end_rss_mb": mx_out["rss_end_mb"]}
    return {"cases": rows, "match": not mismatches, "mismatches": mismatches,
            "pandas_read_s": pd_out["read_s"], "pandas_memory": pandas_mem,
            "metrics_memory": metrics_mem,
            "speedup_min": min(speedups) if speedups else None,
            "speedup_median": median(speedups),
            "memory_ratio": pd_res.max_rss_mb / mx_res.max_rss_mb if mx_res.max_rss_mb else None}


# --- machine and report -------------------------------------------------------------------------


def machine_info(db: Database, load_average: tuple[float, ...] | None) -> dict:
    """Cores, memory, CPU, load average, and the Python / library / database versions."""
    import sqlite3

    import pandas as pd
    import sqlalchemy
    import streamlit

    info: dict[str, Any] = {
        "cores": os.cpu_count(), "cores_usable": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "platform": platform.platform(), "python": platform.python_version(),
        "pandas": pd.__version__, "sqlalchemy": sqlalchemy.__version__,
        "streamlit": streamlit.__version__, "sqlite": sqlite3.sqlite_version,
        "load_average": load_average,  # other work on the machine when the benchmark began
    }
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            info["memory_gb"] = round(int(fh.readline().split()[1]) / 1024 / 1024, 1)
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            info["cpu"] = next((ln.split(":", 1)[1].strip() for ln in fh
                                if ln.startswith("model name")), None)
    except OSError:
        pass
    if db.backend == "postgresql":
        from sqlalchemy import text

        from lib.data.engine import get_engine

        with get_engine(db.url).connect() as conn:
            info["postgresql"] = conn.execute(text("SHOW server_version")).scalar()
    return info


def code_state() -> dict:
    """Which code was measured: the commit, the files changed since, and a hash of the sources
    (others edit the app while benchmarks run; runs compare only on the same hash)."""
    import hashlib

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                                  timeout=30).stdout.rstrip()
        except (OSError, subprocess.SubprocessError):
            return ""

    digest = hashlib.sha1()
    for path in sorted([ROOT / "dashboard.py", *ROOT.glob("lib/**/*.py"), *ROOT.glob("pages/*.py")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return {"commit": git("rev-parse", "--short", "HEAD").strip(),
            "changed": [line[3:] for line in git("status", "--porcelain").splitlines()
                        if line.strip()],
            "sources_sha1": digest.hexdigest()[:12]}


@dataclass
class Check:
    """One figure against its target."""

    name: str
    value: float | None
    target: float | None
    unit: str
    higher_is_better: bool = False

    @property
    def ok(self) -> bool | None:
        """Whether the target is met (None: no target, or no value)."""
        if self.value is None or self.target is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    def as_dict(self) -> dict:
        """JSON form."""
        return {"name": self.name, "value": self.value, "target": self.target, "unit": self.unit,
                "higher_is_better": self.higher_is_better, "ok": self.ok}


def checks(report: dict) -> list[Check]:
    """The headline figures against the targets of the data size's tier."""
    t = TARGETS[report["config"]["tier"]]
    pages = {r["page"]: r for r in report["pages"]["pages"]}
    changes = [r["filter_change_ms"] for r in pages.values() if r["filter_change_ms"] is not None]
    overview = next((r for name, r in pages.items() if "overview" in name), None)
    pv = report["pandas_vs_metrics"]
    return [
        Check("load wall time", report["load"]["seconds"], t["load_s"], "s"),
        Check("Overview rerun after a filter change",
              overview["filter_change_ms"] if overview else None, t["overview_ms"], "ms"),
        Check("slowest page rerun after a filter change", max(changes) if changes else None,
              t["page_ms"], "ms"),
        Check("server process memory (max RSS)", report["pages"]["max_rss_mb"], t["server_mb"],
              "MB"),
        Check("metrics layer vs pandas, slowest case (x faster)", pv["speedup_min"],
              SPEEDUP_TARGET, "x", higher_is_better=True),
        Check("pandas memory / metrics memory (max RSS)", pv["memory_ratio"], 1.0, "x",
              higher_is_better=True),
    ]


def _mark(ok: bool | None) -> str:
    return {True: "✓", False: "✗", None: " "}[ok]


def _fmt(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def render(report: dict) -> str:
    """The readable report: load, metrics, pages, pandas-vs-metrics, then the targets."""
    cfg, load, gen = report["config"], report["load"], report["generate"]
    t = TARGETS[cfg["tier"]]
    lines = [f"Benchmark: {cfg['consumers']:,} consumers x {cfg['days']} days on "
             f"{cfg['backend']}, median of {cfg['runs']} run(s); targets: {cfg['tier']} tier "
             f"(2 cores, SQLite). Machine: {report['machine'].get('cores')} cores, Python "
             f"{report['machine']['python']}, load average at start "
             f"{_fmt(report['machine']['load_average'][0], 2) if report['machine'].get('load_average') else '-'}.",
             f"Code: commit {report['code']['commit'] or '-'}, sources {report['code']['sources_sha1']}"
             f" ({len(report['code']['changed'])} file(s) changed since the commit).",
             "", "LOAD",
             f"  sample data: {gen['total_rows']:,} rows, {gen['bytes'] / MB:,.0f} MB of CSV, "
             f"generated in {gen['seconds']:.1f} s{' (reused)' if gen['reused'] else ''}",
             f"  {_mark(load['seconds'] <= t['load_s'])} wall time  {load['seconds']:8.1f} s   "
             f"(target <= {t['load_s']:.0f} s; {load['runs']} run(s))",
             f"    rows/s     {load['rows_per_s']:10,.0f}   ({load['rows']:,} rows)",
             f"    max RSS    {load['max_rss_mb']:8.0f} MB",
             "    phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in load["phases"].items())]

    lines += ["", "METRICS LAYER (uncached, fresh engine; median ms)"]
    columns = [(s, q) for s in SCOPES for q in PERIODS]
    lines.append(f"  {'function':<24}" + "".join(f"{s + '/' + q:>16}" for s, q in columns))
    table: dict[str, dict[tuple[str, str], str]] = {}
    for row in report["metrics"]:
        cell = "ERROR" if row.get("error") else _fmt(row["ms"], 1)
        table.setdefault(row["function"], {})[(row["scope"], row["period"])] = cell
    for function, cells in table.items():
        lines.append(f"  {function:<24}" + "".join(f"{cells.get(c, '-'):>16}" for c in columns))
    lines.append(f"  (zone = {cfg['picks']['zone']}, area = {cfg['picks']['area']}; day = "
                 f"{cfg['picks']['day']}, campaign = {cfg['picks']['start']}..{cfg['picks']['end']})")

    pages = report["pages"]
    lines += ["", "PAGES (AppTest in a child process = the server process; ms)",
              f"  {'page':<28}{'first view':>12}{'filter change':>15}{'cached rerun':>14}"
              f"{'target':>9}"]
    for r in pages["pages"]:
        target = t["overview_ms"] if "overview" in r["page"] else t["page_ms"]
        ok = None if r["filter_change_ms"] is None else r["filter_change_ms"] <= target
        errors = f"   ERRORS: {'; '.join(r['errors'])[:200]}" if r["errors"] else ""
        lines.append(f"{_mark(ok)} {Path(r['page']).stem:<28}{_fmt(r['first_view_ms']):>12}"
                     f"{_fmt(r['filter_change_ms']):>15}{_fmt(r['cached_rerun_ms']):>14}"
                     f"{'<= ' + str(int(target)):>9}{errors}")
        waits = sorted(r.get("filter_change_figures_ms", {}).items(), key=lambda kv: -kv[1])
        if waits:
            lines.append("      computing figures: " + ", ".join(
                f"{name} {ms:,.0f}" for name, ms in waits[:4] if ms >= 1))
    lines.append(f"{_mark(pages['max_rss_mb'] <= t['server_mb'])} server process max RSS "
                 f"{pages['max_rss_mb']:.0f} MB (target <= {t['server_mb']:.0f} MB; "
                 f"{pages['rss_after_imports_mb']:.0f} MB after imports). AppTest runs the "
                 "scripts without the web server, so a real server holds a little more.")

    pv = report["pandas_vs_metrics"]
    lines += ["", "PANDAS vs METRICS LAYER (headline KPIs per rerun for a new scope, both ways'"
              " caches warm: the frames / the period's cells; median ms. 'first': the cold call)",
              f"  {'scope/period':<20}{'pandas':>10}{'metrics':>10}{'x faster':>10}"
              f"{'pandas first':>14}{'metrics first':>15}  same numbers"]
    for r in pv["cases"]:
        lines.append(f"  {r['scope'] + '/' + r['period']:<20}{_fmt(r['pandas_ms'], 1):>10}"
                     f"{_fmt(r['metrics_ms'], 1):>10}{_fmt(r['speedup'], 1):>10}"
                     f"{_fmt(r.get('pandas_first_ms'), 1):>14}"
                     f"{_fmt(r.get('metrics_first_ms'), 1):>15}  "
                     f"{'yes' if r['match'] else 'NO'}")
    pm, mm = pv["pandas_memory"], pv["metrics_memory"]
    lines += [f"  pandas: CSVs read in {pv['pandas_read_s']:.1f} s; frames hold "
              f"{pm['holding_frames_mb']:.0f} MB RSS ({pm['frames_deep_mb']:.0f} MB by pandas' "
              f"count); process max RSS {pm['max_rss_mb']:.0f} MB",
              f"  metrics layer: process max RSS {mm['max_rss_mb']:.0f} MB "
              f"(+{mm['holding_mb']:.0f} MB over its imports)",
              f"{_mark(pv['speedup_min'] >= SPEEDUP_TARGET if pv['speedup_min'] else None)} "
              f"metrics layer faster: x{_fmt(pv['speedup_min'], 1)} in the slowest case, "
              f"x{_fmt(pv['speedup_median'], 1)} median (target >= x{SPEEDUP_TARGET:.0f})",
              f"{_mark(pv['memory_ratio'] > 1 if pv['memory_ratio'] else None)} memory: pandas "
              f"process x{_fmt(pv['memory_ratio'], 1)} the metrics process (target: less memory)"]
    if pv["mismatches"]:
        lines += ["", "!!! PANDAS AND THE METRICS LAYER DISAGREE !!!",
                  *(f"  {m}" for m in pv["mismatches"])]

    lines += ["", "TARGETS"]
    for c in report["checks"]:
        target = (">= " if c["higher_is_better"] else "<= ") + _fmt(c["target"], 1)
        lines.append(f"{_mark(c['ok'])} {c['name']:<50}{_fmt(c['value'], 1):>10} {c['unit']:<3}"
                     f"  target {target} {c['unit']}")
    if report.get("errors"):
        lines += ["", "ERRORS", *(f"  {e}" for e in report["errors"])]
    return "\n".join(lines)


# --- entry point --------------------------------------------------------------------------------


def run_bench(consumers: int = 100_000, days: int = 8, url: str | None = None, runs: int = 5,
              json_out: Path | None = None, *, workdir: Path | None = None, load_runs: int = 1,
              out: TextIO | None = None) -> int:
    """Run the whole benchmark, print the report and write the JSON; 0 when every part ran and
    pandas and the metrics layer agree (missed targets are reported, not failed)."""
    out = out or sys.stdout
    workdir = Path(workdir or BENCH_DIR)
    workdir.mkdir(parents=True, exist_ok=True)

    def say(message: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    load_average = os.getloadavg() if hasattr(os, "getloadavg") else None
    data = sample_data(workdir, consumers, days, say)
    db = fresh_database(url, workdir, consumers, days)
    try:
        load = measure_load(data, db, workdir, load_runs,
                            lambda tag: fresh_database(url, workdir, consumers, days, tag), say)
        machine = machine_info(db, load_average)
        picks = pick_units(db.url)
        report: dict[str, Any] = {
            "config": {"consumers": consumers, "days": days, "runs": runs,
                       "backend": db.backend, "tier": tier(consumers), "workdir": str(workdir),
                       "database": db.url if db.backend == "sqlite" else f"schema {db.schema}",
                       "picks": {k: v for k, v in picks.__dict__.items()}},
            "targets": {"tier": TARGETS[tier(consumers)], "speedup": SPEEDUP_TARGET},
            "machine": machine, "code": code_state(), "generate": data, "load": load,
        }
        report["metrics"] = measure_metrics(db.url, picks, runs, say)
        report["pages"] = measure_pages(db, picks, runs, workdir, say)
        report["pandas_vs_metrics"] = measure_pandas_vs_metrics(db, data, picks, runs, workdir,
                                                                say)
        report["machine"]["load_average_end"] = os.getloadavg() if hasattr(os, "getloadavg") \
            else None
    finally:
        db.drop()
    report["checks"] = [c.as_dict() for c in checks(report)]
    errors = [f"metrics {r['function']} ({r['scope']}/{r['period']}): {r['error']}"
              for r in report["metrics"] if r.get("error")]
    errors += [f"{r['page']}: {e}" for r in report["pages"]["pages"] for e in r["errors"]]
    errors += [f"pandas and the metrics layer disagree: {m}"
               for m in report["pandas_vs_metrics"]["mismatches"]]
    report["errors"] = errors
    report["ok"] = not errors
    print(render(report), file=out)
    if json_out:
        Path(json_out).parent.mkdir(parents=True, exist_ok=True)
        Path(json_out).write_text(json.dumps(report, indent=2, default=str, ensure_ascii=False),
                                  encoding="utf-8")
        print(f"\nJSON written to {json_out}", file=out)
    return 0 if report["ok"] else 1


def _child_main(argv: list[str]) -> int:
    """``python -m lib.tools.bench child SPEC OUT``: run one child role, write its JSON report."""
    if len(argv) != 3 or argv[0] != "child":
        print("usage: python -m lib.tools.bench child SPEC.json OUT.json "
              "(the benchmark itself: python -m lib.tools.cli bench)", file=sys.stderr)
        return 2
    spec = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    roles: dict[str, Callable[[dict], dict]] = {"pages": pages_child, "kpis": kpis_child}
    report = roles[spec["role"]](spec)
    Path(argv[2]).write_text(json.dumps(report, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
