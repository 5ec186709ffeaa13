"""Load test (not in CI): concurrent sessions on one ``streamlit run`` server, through pages and
filters, with click-to-idle times per page, errors and the server's memory.

    python -m lib.cli loadtest [--consumers 200000 | --db URL] [--sessions 20] [--browsers 2]
        [--seconds 300] [--warmup 60] [--think MIN MAX] [--port 8570] [--json FILE]

Most sessions speak Streamlit's websocket protocol (``/_stcore/stream``, protobuf ``BackMsg``
and ``ForwardMsg``), as the browser does: a *visit* opens a new session on a link with a filter
(a zone, sometimes a category; filters are seeded from the URL on a session's first run), then
moves through pages in that session (``rerun_script`` with the page's URL path), pausing
``--think`` seconds (a random time between the two, default 0.5–2: a busy user) between
clicks. ``--browsers`` of the sessions are real Chromium pages (Playwright) that open the same
links and click the sidebar's page links. A step's time runs from the message sent
(or the click) to the server's ``script_finished``: the time to idle a user sees, less drawing.

Errors: an exception element or an error alert in a run, a run that does not finish within 60 s,
a closed connection, a page not found. Memory: the server's resident set (with its children)
before any session, after the warm-up and at the end. Percentiles leave out the warm-up.
Without ``--db`` the database is the benchmark's sample set of ``--consumers`` (generated once
under ``data/bench/``) loaded into ``data/bench/loadtest-<N>c-<D>d.db``, reused after.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lib.data.engine import DATA_DIR, ROOT
from lib.tools.bench_pages import app_pages
from lib.tools.display_soak import rss_mb
from lib.tools.server import start_dashboard

CHROMIUM = "/usr/bin/chromium"
STEP_TIMEOUT = 60.0
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
ERROR_ALERT = 1  # streamlit.proto.Alert.Format.ERROR
CATEGORIES = ("domestic", "commercial")
DEFAULT_PAGE = "overview"  # served at "/"


@dataclass
class Results:
    """Every step's (page, kind, seconds since start, milliseconds) and every error."""

    started: float = field(default_factory=time.perf_counter)
    steps: list[tuple[str, str, float, float]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    visits: int = 0

    def step(self, page: str, kind: str, ms: float) -> None:
        self.steps.append((page, kind, time.perf_counter() - self.started, ms))

    def error(self, who: str, what: str) -> None:
        self.errors.append(f"{time.perf_counter() - self.started:6.1f}s {who}: {what}"[:300])


# --- the database and the server --------------------------------------------------------------


def prepare_database(consumers: int, days: int, say) -> str:
    """The benchmark's sample set of this size loaded into a SQLite file (made once)."""
    from lib.tools.bench_load import sample_data

    workdir = DATA_DIR / "bench"
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"loadtest-{consumers}c-{days}d.db"
    url = f"sqlite:///{path}"
    if path.exists():
        say(f"reusing {path}")
        return url
    data = sample_data(workdir, consumers, days, say)
    say(f"loading {data['folder']} into {path} ...")
    done = subprocess.run([sys.executable, "-m", "lib.cli", "load", data["folder"], "--db", url],
                          cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        path.unlink(missing_ok=True)
        raise RuntimeError("the load failed: " + done.stdout[-500:])
    return url


def zone_codes(url: str) -> list[str]:
    """The database's zones, for the visits' filters."""
    from sqlalchemy import text

    from lib.data.engine import get_engine

    with get_engine(url).connect() as conn:
        return [r[0] for r in conn.execute(text(
            "SELECT DISTINCT zone_code FROM hierarchy ORDER BY zone_code"))]


def start_server(url: str, port: int, log: Path) -> tuple[subprocess.Popen, str]:
    """``streamlit run dashboard.py`` on the port (which must be free), logging to ``log``."""
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", port)) == 0:
            raise RuntimeError(f"port {port} is in use")
    return start_dashboard(url, port, log=log.open("wb"), wait_s=60)


# --- one visit's plan -------------------------------------------------------------------------


def plan_visit(rng: random.Random, pages: list[str], zones: list[str]) -> tuple[str, list[str]]:
    """A link's query string (a zone or none, sometimes a category) and 3–5 pages to go through."""
    params = []
    if zones and rng.random() < 0.7:
        params.append(f"zone={rng.choice(zones)}")
    if rng.random() < 0.3:
        params.append(f"category={rng.choice(CATEGORIES)}")
    if rng.random() < 0.2:
        params.append("lang=hi")
    return "&".join(params), rng.sample(pages, k=min(len(pages), rng.randint(3, 5)))


# --- websocket sessions -----------------------------------------------------------------------


async def _run(ws, query: str, page: str) -> list[str]:
    """One rerun: send it, read until script_finished; the problems seen."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = "" if page == DEFAULT_PAGE else page
    await ws.send(msg.SerializeToString())
    problems = []
    while True:
        fwd = ForwardMsg()
        fwd.ParseFromString(await asyncio.wait_for(ws.recv(), STEP_TIMEOUT))
        kind = fwd.WhichOneof("type")
        if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            el = fwd.delta.new_element
            what = el.WhichOneof("type")
            if what == "exception" or (what == "alert" and el.alert.format == ERROR_ALERT):
                problems.append(f"{what} on {page}: {(el.alert.body or el.exception.message)[:120]}")
        elif kind == "page_not_found":
            problems.append(f"page not found: {page}")
        elif kind == "script_finished":
            return problems


async def ws_user(name: str, base: str, pages: list[str], zones: list[str], results: Results,
                  until: float, seed: int, think: tuple[float, float]) -> None:
    """A websocket user: visit after visit until the time is up."""
    import websockets

    rng = random.Random(seed)
    stream = base.replace("http", "ws", 1) + "/_stcore/stream"
    while time.perf_counter() < until:
        query, route = plan_visit(rng, pages, zones)
        try:
            async with websockets.connect(stream, subprotocols=["streamlit"], max_size=None,
                                          open_timeout=STEP_TIMEOUT) as ws:
                results.visits += 1
                for i, page in enumerate(route):
                    started = time.perf_counter()
                    problems = await _run(ws, query, page)
                    results.step(page, "open" if i == 0 else "click",
                                 (time.perf_counter() - started) * 1000)
                    for p in problems:
                        results.error(name, p)
                    await asyncio.sleep(rng.uniform(*think))
                    if time.perf_counter() >= until:
                        break
        except Exception as exc:  # a timeout or a closed connection is an error of the run
            results.error(name, f"{type(exc).__name__}: {exc}")
            await asyncio.sleep(1)


# --- browser sessions -------------------------------------------------------------------------


def _finished_waiter(page):
    """An asyncio event set whenever the page's websocket receives ``script_finished``."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    event = asyncio.Event()

    def frame(payload) -> None:
        if isinstance(payload, (bytes, bytearray)):
            fwd = ForwardMsg()
            try:
                fwd.ParseFromString(bytes(payload))
            except Exception:
                return
            if fwd.WhichOneof("type") == "script_finished":
                event.set()

    page.on("websocket", lambda ws: ws.on("framereceived", frame))
    return event


async def browser_user(name: str, browser, base: str, pages: list[str], zones: list[str],
                       results: Results, until: float, seed: int,
                       think: tuple[float, float]) -> None:
    """A Chromium page: opens a link, then clicks the sidebar's page links."""
    rng = random.Random(seed)
    ctx = await browser.new_context(viewport={"width": 1366, "height": 768})
    page = await ctx.new_page()
    finished = _finished_waiter(page)
    try:
        while time.perf_counter() < until:
            query, route = plan_visit(rng, pages, zones)
            try:
                for i, target in enumerate(route):
                    finished.clear()
                    started = time.perf_counter()
                    path = "" if target == DEFAULT_PAGE else target
                    if i == 0:
                        await page.goto(f"{base}/{path}?{query}")
                    else:
                        await page.locator(f'[data-testid="stSidebarNav"] '
                                           f'a[href="{base}/{path}"]').first.click()
                    await asyncio.wait_for(finished.wait(), STEP_TIMEOUT)
                    results.step(target, "open" if i == 0 else "click",
                                 (time.perf_counter() - started) * 1000)
                    await page.wait_for_selector(IDLE, timeout=STEP_TIMEOUT * 1000)
                    bad = await page.locator('[data-testid="stException"], '
                                             '[data-testid="stAlertContentError"]').count()
                    if bad:
                        results.error(name, f"error element on {target}")
                    await asyncio.sleep(rng.uniform(*think))
                    if time.perf_counter() >= until:
                        break
                results.visits += 1
            except Exception as exc:
                results.error(name, f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
    finally:
        await ctx.close()


# --- the run ----------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0-100, inclusive method), or None for no values."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def summarise(results: Results, warmup: float) -> dict[str, Any]:
    """Per page and in all: steps, median, p95 and max in ms, after the warm-up."""
    kept = [s for s in results.steps if s[2] >= warmup]

    def figures(rows) -> dict[str, Any]:
        ms = sorted(r[3] for r in rows)
        return {"steps": len(ms), "p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95),
                "max_ms": ms[-1] if ms else None}

    pages = sorted({s[0] for s in kept})
    return {"pages": {p: figures([s for s in kept if s[0] == p]) for p in pages},
            "opens": figures([s for s in kept if s[1] == "open"]),
            "clicks": figures([s for s in kept if s[1] == "click"]),
            "all": figures(kept), "steps_in_warmup": len(results.steps) - len(kept)}


async def drive(base: str, pid: int, sessions: int, browsers: int, seconds: float,
                warmup: float, zones: list[str], seed: int,
                think: tuple[float, float]) -> dict[str, Any]:
    """Run the sessions for ``seconds``; sample the server's memory; return the raw figures."""
    from playwright.async_api import async_playwright

    pages = [Path(p).stem for p in app_pages()]
    results = Results()
    memory = {"start_mb": rss_mb(pid)}
    until = results.started + seconds
    async with async_playwright() as pw:
        browser = None
        if browsers:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        tasks = [browser_user(f"browser{i + 1}", browser, base, pages, zones, results, until,
                              seed + i, think) for i in range(browsers)]
        tasks += [ws_user(f"ws{i + 1}", base, pages, zones, results, until, seed + 100 + i,
                          think) for i in range(sessions - browsers)]

        async def sample_memory() -> None:
            await asyncio.sleep(warmup)
            memory["after_warmup_mb"] = rss_mb(pid)
            samples = memory["every_10s_mb"] = []
            while time.perf_counter() < until:
                samples.append(rss_mb(pid))
                await asyncio.sleep(10)
            memory["max_mb"] = max(samples, default=None)

        await asyncio.gather(sample_memory(), *tasks)
        if browser:
            await browser.close()
    memory["end_mb"] = rss_mb(pid)
    return {"results": results, "memory": memory}


def run_load_test(args) -> int:
    """The command: database, server, sessions, report; 0 when no step had an error."""
    def say(message: str) -> None:
        print(f"[loadtest {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    url = args.db or prepare_database(args.consumers, args.days, say)
    zones = zone_codes(url)
    log = Path(args.log or (DATA_DIR / "bench" / "loadtest-server.log"))
    log.parent.mkdir(parents=True, exist_ok=True)
    proc, base = start_server(url, args.port, log)
    load_before = os.getloadavg()
    try:
        say(f"{args.sessions} sessions ({args.browsers} in Chromium) for {args.seconds:.0f} s "
            f"on {base} ({len(zones)} zones) ...")
        raw = asyncio.run(drive(base, proc.pid, args.sessions, args.browsers, args.seconds,
                                args.warmup, zones, args.seed, tuple(args.think)))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    results: Results = raw["results"]
    report = {"config": {"sessions": args.sessions, "browsers": args.browsers,
                         "seconds": args.seconds, "warmup": args.warmup, "database": url,
                         "think_seconds": list(args.think),
                         "cores": os.cpu_count(), "load_average_before": load_before,
                         "load_average_after": os.getloadavg()},
              "visits": results.visits, "errors": results.errors, "memory": raw["memory"],
              **summarise(results, args.warmup)}
    print(render(report))
    if args.json:
        report["steps"] = [[page, kind, round(at, 2), round(ms, 1)]  # each step, for a timeline
                           for page, kind, at, ms in results.steps]
        Path(args.json).write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0 if not results.errors else 1


def render(report: dict[str, Any]) -> str:
    """The report as text: one line per page, then in all, errors and memory."""
    def ms(v) -> str:
        return "-" if v is None else f"{v:,.0f}"

    c, mem = report["config"], report["memory"]
    lines = [f"{c['sessions']} sessions ({c['browsers']} Chromium), {c['seconds']:.0f} s, "
             f"warm-up {c['warmup']:.0f} s, think {c['think_seconds'][0]:g}–"
             f"{c['think_seconds'][1]:g} s, {c['cores']} cores, load average before "
             f"{c['load_average_before'][0]:.2f}, after {c['load_average_after'][0]:.2f}",
             f"{'page':<18}{'steps':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"]
    rows = [*report["pages"].items(), ("(opens)", report["opens"]),
            ("(clicks)", report["clicks"]), ("(all)", report["all"])]
    for name, f in rows:
        lines.append(f"{name:<18}{f['steps']:>7}{ms(f['p50_ms']):>9}{ms(f['p95_ms']):>9}"
                     f"{ms(f['max_ms']):>9}")
    lines.append(f"visits {report['visits']}, errors {len(report['errors'])}")
    lines += [f"  {e}" for e in report["errors"][:20]]
    lines.append("server RSS MB: start {start_mb}, after warm-up {after_warmup_mb}, max {max_mb}, "
                 "end {end_mb}".format(**{k: mem.get(k) for k in
                                          ("start_mb", "after_warmup_mb", "max_mb", "end_mb")}))
    lines.append("  after the warm-up, every 10 s: "
                 + " ".join(f"{v:.0f}" for v in mem.get("every_10s_mb", [])))
    return "\n".join(lines)
