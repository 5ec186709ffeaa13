"""Real-browser tests: `streamlit run` on the fixture, driven by Playwright in Debian's Chromium.

Screenshots land in ``artifacts/screenshots/`` (git-ignored). The tests fail on any Streamlit
error element. Run alone with ``python -m pytest -m browser``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

from lib.data.engine import ROOT
from lib.data.importer import load_paths
from lib.tools.server import start_dashboard, stop
from tests import fixtures as F

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "artifacts" / "screenshots"
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


def need_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs it (apt-get install -y chromium)")
        pytest.skip("Chromium not installed (apt-get install -y chromium)")


def serve(url: str, port: int | None = None, log=subprocess.PIPE, **extra: str):
    """`streamlit run dashboard.py` on the database at ``url`` (more environment: ``extra``);
    yields its base URL."""
    try:
        proc, base = start_dashboard(url, port, env=extra, log=log)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield base
    finally:
        stop(proc)


running_dashboard = contextmanager(serve)  # the same, as a ``with`` block


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`streamlit run dashboard.py` on a fixture database; yields its base URL."""
    need_chromium()
    folder = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{folder / 'browser.db'}"
    assert load_paths([F.write_fixture(folder / "files")], url=url).ok
    yield from serve(url)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium under Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1600, "height": 1000})
    pg = ctx.new_page()
    yield pg
    ctx.close()


def _settle(pg, selector: str = '[data-testid="stMetricValue"]') -> None:
    pg.wait_for_selector(selector, timeout=60_000)
    pg.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                         timeout=60_000)
    pg.wait_for_timeout(800)
    assert pg.locator(ERRORS).count() == 0, pg.locator(ERRORS).first.inner_text()
    assert pg.get_by_text("Page not found").count() == 0


def _shot(pg, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"))


def test_overview_shows_the_fixture_figures(server, page):
    page.goto(server + "/")
    _settle(page)
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert values[:4] == ["5", "₹37,220", "3", "3"]
    _shot(page, "overview-en")


def test_reset_returns_to_the_whole_discom(server, page):
    page.goto(server + "/?zone=Z2")
    _settle(page)
    assert page.locator('[data-testid="stMetricValue"]').first.inner_text() == "1"
    page.get_by_role("button", name="Reset").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stMetricValue\"]').innerText === '5'",
        timeout=30_000)
    assert "zone=" not in page.url


def test_chief_engineer_drill_down_by_clicking_bars(server, page):
    page.goto(server + "/chief_engineers?ce=Z1")
    _settle(page, '[data-testid="stVegaLiteChart"] svg .mark-rect path')
    _shot(page, "chief-engineers-zone")
    page.locator('[data-testid="stVegaLiteChart"] svg .mark-rect path').first.click()
    page.wait_for_function("() => location.search.includes('ce_circle=C1')", timeout=30_000)
    _settle(page, '[data-testid="stVegaLiteChart"] svg .mark-rect path')
    assert page.get_by_text("Meerut Division-I").first.is_visible()
    page.locator('[data-testid="stVegaLiteChart"] svg .mark-rect path').first.click()
    page.wait_for_function("() => location.search.includes('ce_division=')", timeout=30_000)
    _settle(page, '[data-testid="stVegaLiteChart"] svg')
    _shot(page, "chief-engineers-areas")


def test_switch_to_hindi(server, page):
    page.goto(server + "/chief_engineers")
    _settle(page, "h1")
    page.locator('[data-testid="stSidebar"] button', has_text="हिन्दी").click()
    page.wait_for_function("() => location.search.includes('lang=hi')", timeout=30_000)
    page.get_by_role("heading", name="मुख्य अभियंता").first.wait_for(timeout=30_000)
    _settle(page, "h1")
    campaign = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input').first
    assert campaign.input_value() == "स्मार्ट मीटर उपभोक्ता जागरूकता अभियान"  # not the English name
    _shot(page, "chief-engineers-hi")
    page.goto(server + "/?lang=hi")
    _settle(page)
    assert page.get_by_text("निगेटिव बैलेंस उपभोक्ता").first.is_visible()
    _shot(page, "overview-hi")


def test_account_list_downloads_as_csv_with_bom(server, page):
    page.goto(server + "/negative_balance?account_area=A1")
    _settle(page, "h1")
    buttons = page.locator('[data-testid="stDownloadButton"]', has_text="Download CSV")
    # On a loaded machine the account list's table can arrive after the script reports idle:
    # wait until the count of download buttons stops changing.
    seen = -1
    for _ in range(30):
        if buttons.count() == seen:
            break
        seen = buttons.count()
        page.wait_for_timeout(500)
    buttons.last.scroll_into_view_if_needed()
    with page.expect_download(timeout=30_000) as info:
        buttons.last.click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    # plain values for programs: the balance with paise, no ₹ or grouping; the meter number
    assert "0000000003,SM-A1-003," in text and ",-30000.00," in text and "₹" not in text
