"""Command line: generate sample data, load files, print KPIs, run the benchmark.

    python -m lib.cli generate --out DIR --consumers N --seed S [--days D]
    python -m lib.cli load PATH [PATH ...] [--db URL] [--skip-invalid] [--rejects FILE]
    python -m lib.cli kpis [--db URL] --from YYYY-MM-DD --to YYYY-MM-DD [--zone CODE ...] ... [--json]
    python -m lib.cli demo [--db URL] [--consumers N]
    python -m lib.cli bench --consumers N [--days D] [--db URL] [--json FILE]
    python -m lib.cli bench --append-only --consumers N --days D [--runs R] [--baseline DIR]
    python -m lib.cli rebuild [--db URL]
    python -m lib.cli archive --before YYYY-MM-DD [--to DIR] [--db URL]
    python -m lib.cli partition [--db URL]
    python -m lib.cli watch INBOX [--db URL] [--once] [--interval SECONDS]
    python -m lib.cli loadtest [--consumers N | --db URL] [--sessions 20] [--browsers 2]
        [--seconds 300] [--think MIN MAX] [--port 8570] [--json FILE]
    python -m lib.cli brief --from YYYY-MM-DD --to YYYY-MM-DD [--zone CODE ...] ... [--lang en|hi]
        [--campaign ID] [--db URL] --out FILE.pdf [--png FILE.png]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from datetime import date
from pathlib import Path

from lib.data.engine import DATA_DIR


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one command; return the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # anything unexpected: one line, never a traceback
        logging.getLogger("lib.tools").debug("%s failed", args.command, exc_info=True)
        text = " ".join(str(exc).split())[:300] or type(exc).__name__
        print(f"error: {args.command} failed: {text} ({type(exc).__name__})", file=sys.stderr)
        return 1


def build_parser() -> argparse.ArgumentParser:
    """Declare every command and its options."""
    parser = argparse.ArgumentParser(prog="python -m lib.cli", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(required=True, dest="command")

    gen = sub.add_parser("generate", help="write contract CSVs of sample data")
    gen.add_argument("--out", type=Path, required=True)
    gen.add_argument("--consumers", type=int, default=20_000)
    gen.add_argument("--seed", type=int, default=1)
    gen.add_argument("--days", type=int, default=8, help="days of balance snapshots from 2026-02-01")
    gen.set_defaults(func=cmd_generate)

    load = sub.add_parser("load", help="validate and load contract files (a folder or files)")
    load.add_argument("paths", type=Path, nargs="+")
    load.add_argument("--db", help="database URL (default: DATABASE_URL, secrets, or data/campaign.db)")
    load.add_argument("--skip-invalid", action="store_true",
                      help="load the valid rows and write the invalid ones to a rejects CSV")
    load.add_argument("--rejects", type=Path, help="where to write rejected rows")
    load.add_argument("--by", default=None, help="who is loading (recorded in the load log)")
    load.set_defaults(func=cmd_load)

    kpis = sub.add_parser("kpis", help="print the headline KPIs for a scope and period")
    kpis.add_argument("--db")
    kpis.add_argument("--from", dest="start", type=date.fromisoformat, required=True)
    kpis.add_argument("--to", dest="end", type=date.fromisoformat, required=True)
    for level in ("zone", "circle", "division", "area", "category"):
        kpis.add_argument(f"--{level}", action="append", default=[], metavar="CODE")
    kpis.add_argument("--json", action="store_true", help="print one JSON object")
    kpis.set_defaults(func=cmd_kpis)

    demo = sub.add_parser("demo", help="generate and load sample data if the database is empty")
    demo.add_argument("--db")
    demo.add_argument("--consumers", type=int, default=20_000)
    demo.add_argument("--out", type=Path, default=DATA_DIR / "sample",
                      help="where the sample CSVs are written (default data/sample)")
    demo.set_defaults(func=cmd_demo)

    bench = sub.add_parser("bench", help="measure load, metrics and page latency and memory")
    bench.add_argument("--consumers", type=int, default=100_000)
    bench.add_argument("--days", type=int, default=8)
    bench.add_argument("--db")
    bench.add_argument("--runs", type=int, default=5)
    bench.add_argument("--json", type=Path, dest="json_out")
    bench.add_argument("--append-only", action="store_true",
                       help="time only the daily load: the last day appended to 1 and to "
                            "DAYS-1 days of history (lib/tools/bench_append.py)")
    bench.add_argument("--baseline", type=Path,
                       help="with --append-only: a checkout of another commit, timed side by side")
    bench.add_argument("--browser-only", action="store_true",
                       help="time only what a director feels in Chromium: zone changes to idle "
                            "(RUNS of them per page) and the first view after a load "
                            "(lib/tools/bench_browser.py)")
    bench.set_defaults(func=cmd_bench)

    brief = sub.add_parser("brief", help="write the campaign brief: an A4 PDF (and PNG of page 1)")
    brief.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    brief.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
    for level in ("zone", "circle", "division", "area", "category"):
        brief.add_argument(f"--{level}", action="append", default=[], metavar="CODE")
    brief.add_argument("--campaign", help="campaign ID (default: the latest)")
    brief.add_argument("--lang", choices=("en", "hi"), default="en")
    brief.add_argument("--db")
    brief.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    brief.add_argument("--png", type=Path, metavar="FILE.png")
    brief.set_defaults(func=cmd_brief)
    _operations(sub)
    return parser


def _operations(sub) -> None:
    """Declare the operator's commands: rebuild, archive, partition, watch and loadtest."""
    rebuild = sub.add_parser("rebuild", help="recompute every rollup from the raw tables (repair)")
    rebuild.add_argument("--db")
    rebuild.set_defaults(func=cmd_rebuild)

    archive = sub.add_parser("archive", help="write the months of balances before a date to "
                             "files and drop them from the database (rollups unchanged)")
    archive.add_argument("--before", type=date.fromisoformat, required=True,
                         metavar="YYYY-MM-DD", help="archive the months wholly before this day")
    archive.add_argument("--to", type=Path, default=DATA_DIR / "archive", dest="folder",
                         help="where each month's balances.csv goes (default data/archive)")
    archive.add_argument("--db")
    archive.set_defaults(func=cmd_archive)

    partition = sub.add_parser("partition", help="PostgreSQL: copy a balances table made "
                               "before partitioning into monthly partitions (once)")
    partition.add_argument("--db")
    partition.set_defaults(func=cmd_partition)

    watch = sub.add_parser("watch", help="load files and folders dropped into an inbox folder")
    watch.add_argument("inbox", type=Path)
    watch.add_argument("--db")
    watch.add_argument("--once", action="store_true", help="process what is there, then exit")
    watch.add_argument("--interval", type=float, default=10.0,
                       help="seconds between polls (default 10)")
    watch.set_defaults(func=cmd_watch)

    load = sub.add_parser("loadtest", help="concurrent sessions on one streamlit server: "
                          "click-to-idle per page, errors, server memory (not in CI)")
    load.add_argument("--db", help="database URL (default: the bench's sample set, loaded once)")
    load.add_argument("--consumers", type=int, default=200_000)
    load.add_argument("--days", type=int, default=8)
    load.add_argument("--sessions", type=int, default=20)
    load.add_argument("--browsers", type=int, default=2, help="how many are Chromium pages")
    load.add_argument("--seconds", type=float, default=300)
    load.add_argument("--warmup", type=float, default=60, help="seconds left out of percentiles")
    load.add_argument("--port", type=int, default=8570)
    load.add_argument("--seed", type=int, default=1)
    load.add_argument("--think", type=float, nargs=2, default=(0.5, 2.0), metavar=("MIN", "MAX"),
                      help="seconds a user pauses between clicks (default 0.5 2)")
    load.add_argument("--log", type=Path, help="the server's output (default data/bench/)")
    load.add_argument("--json", type=Path)
    load.set_defaults(func=cmd_loadtest)


def cmd_generate(args: argparse.Namespace) -> int:
    """Write sample contract CSVs."""
    from lib.tools.sample import generate

    started = time.perf_counter()
    counts = generate(args.out, consumers=args.consumers, seed=args.seed, days=args.days,
                      progress=_print_progress)
    print(f"\nwrote {args.out} in {time.perf_counter() - started:.1f} s: "
          + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    """Load files; exit 1 when the load is rejected."""
    from lib.data.importer import load_paths

    result = load_paths(args.paths, url=args.db, skip_invalid=args.skip_invalid,
                        rejects_path=args.rejects, loaded_by=args.by, progress=_print_progress)
    print()
    print(result.report())
    return 0 if result.ok else 1


def cmd_kpis(args: argparse.Namespace) -> int:
    """Print the KPI object (JSON) or a readable table."""
    from lib.data.engine import get_engine
    from lib.figures.metrics import kpis
    from lib.figures.scope import Period, Scope
    from lib.view.formats import kpi_table_text

    if args.end < args.start:
        print("--to must not be before --from", file=sys.stderr)
        return 2
    scope = Scope.of(zones=args.zone, circles=args.circle, divisions=args.division,
                     areas=args.area, categories=args.category)
    values = kpis(get_engine(args.db), scope, Period(args.start, args.end))
    if args.json:
        print(json.dumps(values, ensure_ascii=False))
    else:
        print(kpi_table_text(values))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Make sure the database has data: generate and load the sample set when it is empty."""
    from lib.data.engine import get_engine
    from lib.data.importer import load_paths
    from lib.figures.lookups import has_data
    from lib.tools.sample import generate

    engine = get_engine(args.db)
    if has_data(engine):
        print("database already has data; nothing to do")
        return 0
    out = args.out
    if not (out / "consumers.csv").exists():
        generate(out, consumers=args.consumers, seed=1, progress=_print_progress)
    result = load_paths([out], url=args.db, progress=_print_progress)
    print()
    print(result.report())
    return 0 if result.ok else 1


def cmd_bench(args: argparse.Namespace) -> int:
    """Run the benchmark."""
    from lib.tools.bench import run_append, run_bench, run_browser

    if args.browser_only:
        return run_browser(consumers=args.consumers, days=args.days, url=args.db,
                           changes=args.runs if args.runs != 5 else 10, json_out=args.json_out)
    if args.append_only:
        return run_append(consumers=args.consumers, days=args.days, url=args.db,
                          runs=args.runs, baseline=args.baseline, json_out=args.json_out)
    return run_bench(consumers=args.consumers, days=args.days, url=args.db, runs=args.runs,
                     json_out=args.json_out)


def cmd_brief(args: argparse.Namespace) -> int:
    """Write the brief (lib.tools.brief); exit 2 with one line when it cannot be made."""
    from lib.tools.brief import command

    return command(args)


def cmd_rebuild(args: argparse.Namespace) -> int:
    """Rebuild every rollup in one transaction (loads wait for it)."""
    from lib.data.engine import get_engine
    from lib.data.load_apply import full_rebuild

    started = time.perf_counter()
    with get_engine(args.db).begin() as conn:
        full_rebuild(conn, _print_progress)
    print(f"\nrollups rebuilt in {time.perf_counter() - started:.1f} s")
    return 0


def cmd_archive(args: argparse.Namespace) -> int:
    """Archive old months of balances (lib.data.retention); exit 2 when there is nothing to."""
    from lib.data.audit import os_actor
    from lib.data.engine import get_engine
    from lib.data.retention import NothingHeld, archive

    try:
        with get_engine(args.db).begin() as conn:
            done = archive(conn, args.before, args.folder, os_actor(), _print_progress)
    except NothingHeld as exc:
        print(f"archive: {exc}", file=sys.stderr)
        return 2
    if not done.months:
        print(f"nothing to archive before {args.before}")
        return 0
    print(f"\narchived {', '.join(m.strftime('%Y-%m') for m in done.months)}: "
          f"{done.rows:,} rows in {', '.join(str(p) for p in done.files)}; "
          f"{done.accounts:,} accounts carried")
    return 0


def cmd_partition(args: argparse.Namespace) -> int:
    """Move a PostgreSQL database's plain balances table into monthly partitions."""
    from lib.data import partitions
    from lib.data.engine import get_engine, is_postgres
    from lib.data.load_apply import lock

    engine = get_engine(args.db)
    if not is_postgres(engine):
        print("partition: only PostgreSQL partitions balances", file=sys.stderr)
        return 2
    started = time.perf_counter()
    with engine.begin() as conn:
        lock(conn)
        copied = partitions.migrate(conn)
    if copied < 0:
        print("balances is already partitioned; nothing to do")
    else:
        print(f"balances partitioned: {copied:,} rows copied in "
              f"{time.perf_counter() - started:.1f} s")
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    """Watch an inbox folder (lib.tools.watch)."""
    from lib.tools.watch import watch

    return watch(args.inbox, url=args.db, once=args.once, interval=args.interval)


def cmd_loadtest(args: argparse.Namespace) -> int:
    """Run the load test (lib.tools.load_test)."""
    from lib.tools.load_test import run_load_test

    return run_load_test(args)


def _print_progress(fraction: float, message: str) -> None:
    sys.stderr.write(f"\r{fraction:6.1%}  {message[:90]:<90}")
    sys.stderr.flush()


if __name__ == "__main__":
    sys.exit(main())
