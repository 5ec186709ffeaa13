"""The benchmark: load time and memory, metrics-layer latency, page reruns, and pandas side by side.

    python -m lib.cli bench --consumers N [--days D] [--db URL] [--runs R] [--json FILE]

1. load: sample data of the size (generated once under ``data/bench/<N>c-<D>d/``, reused
   after) is loaded into a fresh database by a child ``python -m lib.cli load``, so its wall
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

This module runs the parts in order and writes the report; each part has its module beside it:
``bench_load`` (1), ``bench_figures`` (2 and 4), ``bench_pages`` (3), ``bench_report`` (the
machine, the targets, the printed text) and ``bench_common`` (timing, memory, children).
Children are this module run as ``python -m lib.tools.bench child SPEC OUT`` (JSON in, JSON out).
Every figure is a median of ``runs`` where repeating makes sense; the load runs once per
fresh database (``load_runs`` to repeat it). Targets (2 cores, SQLite) are printed beside
each figure with ✓/✗; a missed target does not fail the run, a wrong number or a crash does.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from lib.data.engine import DATA_DIR
from lib.tools.bench_append import measure_append, render_append
from lib.tools.bench_browser import render_browser, run_browser_bench
from lib.tools.bench_common import PERIODS, SCOPES, pick_units
from lib.tools.bench_figures import (
    PANDAS_KPIS,
    RUPEE_TOLERANCE,
    compare_values,
    kpis_child,
    measure_metrics,
    measure_pandas_vs_metrics,
)
from lib.tools.bench_load import fresh_database, load_phases, measure_load, sample_data
from lib.tools.bench_pages import app_pages, filter_sequence, measure_pages, pages_child
from lib.tools.bench_report import (
    SPEEDUP_TARGET,
    TARGETS,
    Check,
    checks,
    code_state,
    machine_info,
    render,
    tier,
)

# The names callers (the CLI, tests/test_bench.py) know the benchmark by, wherever they live.
__all__ = ["PANDAS_KPIS", "PERIODS", "RUPEE_TOLERANCE", "SCOPES", "Check", "app_pages",
           "compare_values", "filter_sequence", "fresh_database", "load_phases", "measure_load",
           "run_append", "run_bench", "run_browser", "sample_data", "tier"]

BENCH_DIR = DATA_DIR / "bench"


def say(message: str) -> None:
    """A time-stamped progress line on stderr (the report goes to stdout)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- entry point --------------------------------------------------------------------------------


def run_bench(consumers: int = 100_000, days: int = 8, url: str | None = None, runs: int = 5,
              json_out: Path | None = None, *, workdir: Path | None = None, load_runs: int = 1,
              out: TextIO | None = None) -> int:
    """Run the whole benchmark, print the report and write the JSON; 0 when every part ran and
    pandas and the metrics layer agree (missed targets are reported, not failed)."""
    out = out or sys.stdout
    workdir = Path(workdir or BENCH_DIR)
    workdir.mkdir(parents=True, exist_ok=True)

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


def run_append(consumers: int = 100_000, days: int = 8, url: str | None = None, runs: int = 3,
               baseline: Path | None = None, json_out: Path | None = None, *,
               workdir: Path | None = None, out: TextIO | None = None) -> int:
    """Time only the daily load (``bench_append``): print the table, write the JSON; 0."""
    out = out or sys.stdout
    workdir = Path(workdir or BENCH_DIR)
    workdir.mkdir(parents=True, exist_ok=True)

    data = sample_data(workdir, consumers, days, say)
    result = measure_append(data, url, workdir, runs, consumers, days, baseline, say)
    result["config"] = {"consumers": consumers, "days": days, "runs": runs,
                        "backend": "sqlite" if not url or url.startswith("sqlite") else "postgresql"}
    result["machine"] = {"cores": os.cpu_count(), "code": code_state()}
    print(render_append(result), file=out)
    if json_out:
        Path(json_out).parent.mkdir(parents=True, exist_ok=True)
        Path(json_out).write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    return 0


def run_browser(consumers: int = 100_000, days: int = 8, url: str | None = None,
                changes: int = 10, json_out: Path | None = None, *,
                workdir: Path | None = None, out: TextIO | None = None) -> int:
    """Time only what a director feels in the browser (``bench_browser``); 0 without error
    elements."""
    out = out or sys.stdout
    workdir = Path(workdir or BENCH_DIR)
    workdir.mkdir(parents=True, exist_ok=True)

    result = run_browser_bench(url, consumers, days, changes, say, workdir)
    result["machine"] = {"cores": os.cpu_count(), "code": code_state()}
    print(render_browser(result), file=out)
    if json_out:
        Path(json_out).parent.mkdir(parents=True, exist_ok=True)
        Path(json_out).write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    return 1 if any(r["error_elements"] for r in result["pages"]) else 0


def _child_main(argv: list[str]) -> int:
    """``python -m lib.tools.bench child SPEC OUT``: run one child role, write its JSON report."""
    if len(argv) != 3 or argv[0] != "child":
        print("usage: python -m lib.tools.bench child SPEC.json OUT.json "
              "(the benchmark itself: python -m lib.cli bench)", file=sys.stderr)
        return 2
    spec = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    roles: dict[str, Callable[[dict], dict]] = {"pages": pages_child, "kpis": kpis_child}
    report = roles[spec["role"]](spec)
    Path(argv[2]).write_text(json.dumps(report, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
