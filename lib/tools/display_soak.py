"""Soak test of the meeting-room display (not in CI): one server, several screens, many rotations.

Starts ``streamlit run dashboard.py`` (on the hand-worked fixture unless ``--db`` is given),
opens ``--screens`` Playwright pages on ``/display?seconds=...`` and counts slide changes on the
first; reports the server's resident memory and each page's JS heap (CDP
``Performance.getMetrics``) at the start, after 100 rotations and at the end.

    python -m lib.tools.display_soak --rotations 60 [--screens 3] [--seconds 5] [--db URL]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from lib.tools.server import start_dashboard, stop

CHROMIUM = "/usr/bin/chromium"
HEADING = '[data-testid="stHeading"]'


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (from /proc)."""
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return round(total / 1024, 1)


def _children(pid: int) -> list[int]:
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(k) for k in kids]


def heap_mb(cdp) -> float:
    """Used JS heap of one page, in MB."""
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return round(metrics.get("JSHeapUsedSize", 0) / 2**20, 1)


def _fixture_db(folder: Path) -> str:
    from lib.data.importer import load_paths
    from tests import fixtures

    url = f"sqlite:///{folder / 'soak.db'}"
    assert load_paths([fixtures.write_fixture(folder / "files")], url=url).ok
    return url


def soak(args: argparse.Namespace) -> dict:
    """Run the soak and return the figures."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        proc, base = start_dashboard(args.db or _fixture_db(Path(tmp)))
        report: dict = {"screens": args.screens, "seconds": args.seconds, "samples": []}
        try:
            with sync_playwright() as pw:
                # A wall screen is always in front: no timer throttling of background pages
                # (Streamlit's run_every timers run in the browser).
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                    "--disable-backgrounding-occluded-windows"])
                pages, cdps = [], []
                for _ in range(args.screens):
                    page = browser.new_page(viewport={"width": 1920, "height": 1080})
                    page.goto(f"{base}/display?seconds={args.seconds}&refresh=10")
                    page.wait_for_selector(HEADING, timeout=60_000)
                    cdp = page.context.new_cdp_session(page)
                    cdp.send("Performance.enable")
                    pages.append(page)
                    cdps.append(cdp)

                def sample(label: str, rotations: int) -> None:
                    row = {"at": label, "rotations": rotations, "server_rss_mb": rss_mb(proc.pid),
                           "js_heap_mb": [heap_mb(c) for c in cdps]}
                    report["samples"].append(row)
                    print(json.dumps(row), flush=True)

                sample("start", 0)
                last, done = pages[0].locator(HEADING).first.inner_text(), 0
                while done < args.rotations:
                    pages[0].wait_for_function(
                        f"() => document.querySelector('{HEADING}')?.innerText !== {last!r}",
                        timeout=(args.seconds * 4 + 30) * 1000)
                    last, done = pages[0].locator(HEADING).first.inner_text(), done + 1
                    if args.verbose:
                        print(f"{done} {time.strftime('%H:%M:%S')} {last}", flush=True)
                    if done == 100:
                        sample("after 100", done)
                sample("end", done)
                errors = sum(p.locator('[data-testid="stException"]').count() for p in pages)
                report["errors"] = errors
                browser.close()
        finally:
            stop(proc)
    return report


def main() -> None:
    """Parse the arguments and run the soak."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rotations", type=int, default=200)
    parser.add_argument("--screens", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--db", help="database URL (default: the fixture in a temporary folder)")
    parser.add_argument("--json", help="write the report here")
    parser.add_argument("--verbose", action="store_true", help="print each rotation")
    args = parser.parse_args()
    report = soak(args)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
