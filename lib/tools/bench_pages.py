"""The benchmark's pages: every page of the app run in AppTest in a child process (the server
process), timed as a zone filter change triggers it, with the figures each rerun waited for."""

from __future__ import annotations

import ast
import itertools
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lib.data.engine import ROOT
from lib.tools.bench_common import (
    Picks,
    child_call,
    clear_memos,
    median,
    proc_status_mb,
    timed,
)
from lib.tools.bench_load import Database


def app_pages() -> list[str]:
    """The page scripts of the app, read from dashboard.PAGES (importing it would run the app)."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PAGES"
                                                for t in node.targets):
            # the meeting-room display has no sidebar to change; its figures are the pages' own
            return [entry[1] for entry in ast.literal_eval(node.value)
                    if entry[1] != "pages/display.py"]
    raise RuntimeError("dashboard.py has no PAGES list")


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
