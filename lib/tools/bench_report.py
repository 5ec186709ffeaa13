"""The benchmark's report: the machine and code measured, the figures against the targets of
the data size's tier, and the readable text printed at the end."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lib.data.engine import ROOT
from lib.tools.bench_common import MB, PERIODS, SCOPES
from lib.tools.bench_load import Database

# Targets for 2 cores on SQLite, by data size (8 days of snapshots); smaller sets are held to
# the 1M tier, anything above 1M to the 6M tier.
TARGETS: dict[str, dict[str, float]] = {
    "1M": {"load_s": 90, "overview_ms": 250, "page_ms": 500, "server_mb": 500},
    "6M": {"load_s": 480, "overview_ms": 400, "page_ms": 800, "server_mb": 800},
}
SPEEDUP_TARGET = 10.0  # the metrics layer at least this many times faster than pandas


def tier(consumers: int) -> str:
    """Which target tier a data size is held to."""
    return "1M" if consumers <= 1_000_000 else "6M"


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
    """The report's sign for a target met, missed, or not judged."""
    return {True: "✓", False: "✗", None: " "}[ok]


def _fmt(value: float | None, digits: int = 0) -> str:
    """A figure with thousands separators, or '-' for none."""
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
    lines += _metrics_lines(report)
    lines += _pages_lines(report["pages"], t)
    lines += _pandas_lines(report["pandas_vs_metrics"])
    lines += _targets_lines(report)
    return "\n".join(lines)


def _metrics_lines(report: dict) -> list[str]:
    """The report's metrics-layer table: one row per function, one column per scope/period."""
    cfg = report["config"]
    lines = ["", "METRICS LAYER (uncached, fresh engine; median ms)"]
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
    return lines


def _pages_lines(pages: dict, t: dict[str, float]) -> list[str]:
    """The report's page table (first view, filter change, cached rerun) and server memory."""
    lines = ["", "PAGES (AppTest in a child process = the server process; ms)",
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
    return lines


def _pandas_lines(pv: dict) -> list[str]:
    """The report's pandas-vs-metrics table, memory and verdicts, and any disagreement."""
    lines = ["", "PANDAS vs METRICS LAYER (headline KPIs per rerun for a new scope, both ways'"
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
    return lines


def _targets_lines(report: dict) -> list[str]:
    """The report's targets, each with its sign, and the errors of the run."""
    lines = ["", "TARGETS"]
    for c in report["checks"]:
        target = (">= " if c["higher_is_better"] else "<= ") + _fmt(c["target"], 1)
        lines.append(f"{_mark(c['ok'])} {c['name']:<50}{_fmt(c['value'], 1):>10} {c['unit']:<3}"
                     f"  target {target} {c['unit']}")
    if report.get("errors"):
        lines += ["", "ERRORS", *(f"  {e}" for e in report["errors"])]
    return lines
