"""Speed as a director feels it: Debian's Chromium (Playwright) against ``streamlit run``.

    python -m lib.cli bench --browser-only [--consumers N --days D | --db URL] [--runs CHANGES]

Per page (the Overview, the Negative balance page), at 1920×1080: the page is opened, then the
sidebar's zone filter is changed ``CHANGES`` times (10 by default), each time to a scope not seen
before (zones added one by one, then removed from the front), so every change is a filter
change a director makes, not a repeat. A change is timed in the page's own clock, from the
pointer pressing the option (or a chip's remove button) to the page being idle again: the script
run finished, no element stale, every chart drawn.

Then the first view after a load: a server that has shown the Overview sees the data version
move (as when a load lands), waits, and a new visitor opens the Overview; timed from the
navigation to idle, with the first-view thread on (``lib.figures.first_view``) and off.

Without ``--db`` the database is the benchmark's sample set, loaded once into a SQLite file
(as the load test does). The first-view figure bumps the data version of a copy (SQLite) or
of the database itself (PostgreSQL; it only makes every process read its figures again).
"""

from __future__ import annotations

import os
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lib.data.engine import dispose_engine, get_engine, get_meta, set_meta
from lib.tools.load_test import percentile, prepare_database
from lib.tools.server import start_dashboard, stop

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1920, "height": 1080}
PAGES = ("overview", "negative_balance")
TIMEOUT_MS = 120_000
SELECT_ALL = "Select all"  # Streamlit's own first option of a multiselect

# Counts script runs started, and notes when the pointer went down and when the last run
# finished, in the page's clock.
WATCH = """() => {
  if (window.__bench) return;
  const b = window.__bench = {runs: 0, t0: null, done: null, ran: null};
  const app = document.querySelector('[data-testid="stApp"]');
  new MutationObserver(() => {
    const state = app.getAttribute('data-test-script-state');
    if (state === 'running') b.runs += 1;
    if (state === 'notRunning') b.ran = performance.now();
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  document.addEventListener('pointerdown', () => { b.t0 = performance.now(); }, true);
}"""

# Idle: the run that followed ``runs`` finished, nothing stale, every chart drawn.
IDLE = """(runs) => {
  const b = window.__bench;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (b && b.runs <= runs) return false;
  if (document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')) return false;
  for (const c of document.querySelectorAll('[data-testid="stVegaLiteChart"]'))
    if (!c.querySelector('svg, canvas')) return false;
  if (b) b.done = performance.now();
  return true;
}"""

# Idle after a navigation (the watch is not installed yet): the first run finished.
OPENED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!document.querySelector('[data-testid="stMetricValue"], [data-testid="stDataFrame"]'))
    return false;
  if (document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')) return false;
  for (const c of document.querySelectorAll('[data-testid="stVegaLiteChart"]'))
    if (!c.querySelector('svg, canvas')) return false;
  return performance.now();
}"""


def _summary(values: list[float]) -> dict[str, Any]:
    return {"n": len(values), "median_ms": statistics.median(values) if values else None,
            "p95_ms": percentile(values, 95), "max_ms": max(values) if values else None,
            "all_ms": [round(v, 1) for v in values]}


def _zone_names(page) -> list[str]:
    """The zone filter's options, as shown (Streamlit's "Select all" left out)."""
    box = _zone_box(page)
    box.locator("input").click()
    page.wait_for_selector('[role="option"]', timeout=TIMEOUT_MS)
    names = [n for n in page.locator('[role="option"]').all_inner_texts() if n != SELECT_ALL]
    page.keyboard.press("Escape")
    return names


def _zone_box(page):
    return page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first


def _plan(names: list[str], changes: int) -> list[tuple[str, str]]:
    """("add" | "remove", zone) steps whose every scope is new: add zones one by one, then
    remove them from the front."""
    adds = max(1, min(len(names), (changes + 2) // 2 + 1))
    steps = [("add", n) for n in names[:adds]]
    steps += [("remove", n) for n in names[:adds - 1]]
    return steps[:changes]


def _timed_change(page, action: str, zone: str) -> tuple[float, float]:
    """Milliseconds from the pointer going down on the option or chip to idle, and of them
    to the script run's end (the server's part, with the messages' way)."""
    runs = page.evaluate("() => window.__bench.runs")
    box = _zone_box(page)
    if action == "add":
        box.locator("input").click()
        page.locator('[role="option"]', has_text=zone).first.wait_for(timeout=TIMEOUT_MS)
        page.locator('[role="option"]', has_text=zone).first.click()
    else:
        box.locator(f'button[aria-label="Remove {zone}"]').click()
    page.wait_for_function(IDLE, arg=runs, timeout=TIMEOUT_MS, polling="raf")
    if action == "add":
        page.keyboard.press("Escape")  # close the list (no rerun)
    return page.evaluate("() => [window.__bench.done - window.__bench.t0, "
                         "window.__bench.ran - window.__bench.t0]")


def measure_changes(browser, base: str, pages: tuple[str, ...], changes: int,
                    say: Callable[[str], None]) -> list[dict[str, Any]]:
    """Per page: the open's time to idle and each zone change's."""
    out = []
    for name in pages:
        ctx = browser.new_context(viewport=VIEWPORT)
        page = ctx.new_page()
        path = "" if name == "overview" else name
        page.goto(f"{base}/{path}")
        opened = page.wait_for_function(OPENED, timeout=TIMEOUT_MS, polling="raf").json_value()
        page.evaluate(WATCH)
        steps, times, runs = _plan(_zone_names(page), changes), [], []
        for action, zone in steps:
            total, ran = _timed_change(page, action, zone)
            times.append(total)
            runs.append(ran)
        errors = page.locator('[data-testid="stException"], '
                              '[data-testid="stAlertContentError"]').count()
        say(f"{name}: open {opened:.0f} ms; {len(times)} zone changes, median "
            f"{statistics.median(times):.0f} ms")
        out.append({"page": name, "open_ms": round(opened, 1), "changes": _summary(times),
                    "to_run_end": _summary(runs),
                    "steps": [f"{a} {z}" for a, z in steps], "error_elements": errors})
        ctx.close()
    return out


def _open_overview(browser, base: str) -> float:
    ctx = browser.new_context(viewport=VIEWPORT)
    page = ctx.new_page()
    page.goto(base + "/")
    ms = page.wait_for_function(OPENED, timeout=TIMEOUT_MS, polling="raf").json_value()
    ctx.close()
    return float(ms)


def _bump_version(url: str) -> None:
    """What a landed load does to every remembered figure: the data version moves."""
    with get_engine(url).begin() as conn:
        set_meta(conn, "data_version", str(int(get_meta(conn, "data_version", "0") or 0) + 1))
    dispose_engine(url)


def measure_first_view(browser, url: str, runs: int, say: Callable[[str], None],
                       every: float = 2.0) -> dict[str, Any]:
    """A new visitor's Overview after a load, with the first-view thread on and off."""
    result: dict[str, Any] = {}
    for mode, seconds in (("built ahead", every), ("not built", 0.0)):
        proc, base = start_dashboard(url, env={"DASHBOARD_FIRST_VIEW_SECONDS": str(seconds)})
        try:
            _open_overview(browser, base)  # the process has shown the Overview once
            times = []
            for _ in range(runs):
                _bump_version(url)
                time.sleep(every * 2 + 3)  # the thread looks every ``every`` s, then builds
                times.append(_open_overview(browser, base))
        finally:
            stop(proc)
        result[mode] = _summary(times)
        say(f"first view after a load, {mode}: median {statistics.median(times):.0f} ms")
    return result


def run_browser_bench(url: str | None, consumers: int, days: int, changes: int,
                      say: Callable[[str], None], workdir: Path) -> dict[str, Any]:
    """The browser figures: zone changes per page, and the first view after a load."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise SystemExit("the browser figure needs Chromium: apt-get install -y chromium")
    url = url or prepare_database(consumers, days, say)
    first_url = url
    if url.startswith("sqlite:///"):  # the version is bumped on a copy
        copy = workdir / "browser-first-view.db"
        shutil.copyfile(url.removeprefix("sqlite:///"), copy)
        first_url = f"sqlite:///{copy}"
    report: dict[str, Any] = {"database": url, "viewport": VIEWPORT, "cores": os.cpu_count()}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            proc, base = start_dashboard(url)
            try:
                report["pages"] = measure_changes(browser, base, PAGES, changes, say)
            finally:
                stop(proc)
            report["first_view"] = measure_first_view(browser, first_url, 3, say)
        finally:
            browser.close()
    return report


def render_browser(report: dict[str, Any]) -> str:
    """The browser figures as a text table."""
    lines = [f"Real browser (Chromium {report['viewport']['width']}×"
             f"{report['viewport']['height']}), {report['database']}",
             f"{'page':<18}{'open':>8}{'changes':>9}{'median':>9}{'p95':>8}{'max':>8}"
             f"{'run end':>10}"]
    for r in report["pages"]:
        c = r["changes"]
        lines.append(f"{r['page']:<18}{r['open_ms']:>6.0f}ms{c['n']:>9}{c['median_ms']:>7.0f}ms"
                     f"{c['p95_ms']:>6.0f}ms{c['max_ms']:>6.0f}ms"
                     f"{r['to_run_end']['median_ms']:>8.0f}ms")
    lines.append("(run end: the median time from the pointer to the script run's end; the rest "
                 "is the browser drawing)")
    lines.append("first view after a load (Overview, new visitor, navigation to idle):")
    for mode, c in report["first_view"].items():
        lines.append(f"  {mode:<14} median {c['median_ms']:.0f} ms  (runs: "
                     f"{', '.join(f'{v:.0f}' for v in c['all_ms'])})")
    return "\n".join(lines)
