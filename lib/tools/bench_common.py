"""What the benchmark's parts share: the scopes and periods it asks about, timing and memory
figures, child processes (wall time, max RSS, time-stamped stderr) and the units measured on."""

from __future__ import annotations

import codecs
import json
import os
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
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO

from lib.data.engine import ROOT

if TYPE_CHECKING:
    from lib.figures.scope import Period, Scope

MB = 1024 * 1024
SCOPES = ("discom", "zone", "area")
PERIODS = ("day", "campaign")


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


def run_child(argv: list[str], log: Path, env: dict[str, str] | None = None,
              root: Path = ROOT) -> ChildResult:
    """Run ``python argv`` from the project root (or another checkout's ``root``, to time
    another commit's code side by side); its stdout and stderr go to ``log``.

    The child is reaped with ``wait4`` so its max RSS is its own (RUSAGE_CHILDREN would give
    the largest of every child so far); stderr lines are time-stamped as they arrive, since
    the load reports its progress there.
    """
    child_env = {**os.environ, **(env or {}),
                 "PYTHONPATH": os.pathsep.join(filter(None, [str(root),
                                                             os.environ.get("PYTHONPATH")]))}
    log.parent.mkdir(parents=True, exist_ok=True)
    lines: list[tuple[float, str]] = []
    log.write_text("", encoding="utf-8")
    # Append mode: the child writes stdout through the same file, its stderr comes via us.
    with log.open("a", encoding="utf-8") as out:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, *argv], cwd=root, env=child_env, stdout=out,
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


def _read_stderr(stream: IO[bytes], started: float, lines: list[tuple[float, str]], out: TextIO) -> None:
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
    """Run one role of lib.tools.bench in a child process; return how it ran and what it reported."""
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

    def period(self, name: str) -> Period:
        """The Period called ``name`` ("day": the campaign's last day with data; "campaign")."""
        from lib.figures.scope import Period

        return Period(self.day, self.day) if name == "day" else Period(self.start, self.end)

    def scope(self, name: str) -> Scope:
        """The Scope called ``name`` (whole DISCOM, the largest zone, the largest area)."""
        from lib.figures.scope import Scope

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
