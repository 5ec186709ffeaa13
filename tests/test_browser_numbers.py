# ruff: noqa: F811  (the shared pytest fixtures are imported by name)
"""Real-browser checks of issue #11: no outside requests, tiles that fit, screenshots per size."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from lib.data.importer import load_paths
from lib.tools.sample import generate
from tests.test_browser import (  # noqa: F401 (pytest fixtures)
    SHOTS,
    _settle,
    browser,
    need_chromium,
    serve,
    server,
)

pytestmark = pytest.mark.browser

SIZES = ((1366, 768), (1920, 1080))
# every element of a tile (value, label, badge, its description): none may be cut. The text
# sits in inner elements (stMarkdownContainer, stCaptionContainer) that truncate with "…".
TILE_PARTS = '[data-testid="stMetric"], [data-testid="stMetric"] *'


def test_the_page_asks_only_its_own_server(server, browser):
    ctx = browser.new_context(viewport={"width": 1366, "height": 768})
    pg = ctx.new_page()
    hosts: set[str] = set()
    pg.on("request", lambda r: hosts.add(urlparse(r.url).netloc)
          if urlparse(r.url).scheme in ("http", "https", "ws", "wss") else None)
    try:
        for path in ("/", "/negative_balance?lang=hi"):
            pg.goto(server + path)
            _settle(pg)
        pg.wait_for_timeout(1500)
    finally:
        ctx.close()
    assert hosts == {urlparse(server).netloc}, hosts


# Every page with tiles (the Chief engineers' tiles show once a zone is open).
TILE_PAGES = (("overview", "/"), ("negative_balance", "/negative_balance"),
              ("verification", "/verification"), ("recharges", "/recharges"),
              ("help_desks", "/help_desks"), ("chief_engineers", "/chief_engineers?ce=MZ1"))


@pytest.fixture(scope="module")
def sample_server(tmp_path_factory):
    """The dashboard on the sample data (20,000 consumers): real-sized figures such as
    "₹8.42 crore", which the hand-made fixture's small numbers never reach."""
    need_chromium()
    folder = tmp_path_factory.mktemp("sample")
    generate(folder / "files", consumers=20_000, seed=1)
    url = f"sqlite:///{folder / 'sample.db'}"
    assert load_paths([folder / "files"], url=url).ok
    yield from serve(url)


@pytest.mark.parametrize("lang", ["en", "hi"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_tiles_fit_at_both_sizes(sample_server, browser, size, lang):
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
    pg = ctx.new_page()
    try:
        for name, path in TILE_PAGES:
            pg.goto(f"{sample_server}{path}{'&' if '?' in path else '?'}lang={lang}")
            _settle(pg)
            tiles = pg.locator('[data-testid="stMetric"]').count()
            cut = pg.eval_on_selector_all(TILE_PARTS, """els => els
                .filter(e => e.scrollWidth > e.clientWidth + 1)
                .map(e => e.getAttribute("data-testid") + ": " + e.innerText)""")
            SHOTS.mkdir(parents=True, exist_ok=True)
            pg.screenshot(path=str(SHOTS / f"{name}-{lang}-{size[0]}x{size[1]}.png"),
                          full_page=True)
            assert tiles >= 3 and cut == [], (name, tiles, cut)
    finally:
        ctx.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_overview_tiles_wrap_to_fit(sample_server, browser, size):
    """Twelve tiles: four to a row where they fit (1920), three at 1366 with the sidebar open."""
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
    pg = ctx.new_page()
    try:
        pg.goto(sample_server + "/")
        _settle(pg)
        tops = pg.eval_on_selector_all('[data-testid="stMetric"]',
                                       "els => els.map(e => Math.round(e.getBoundingClientRect().top))")
    finally:
        ctx.close()
    per_row = tops.count(tops[0])
    assert (len(tops), per_row) == (12, 4 if size[0] >= 1920 else 3)


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_the_overview_league_fits_at_1920(sample_server, browser, lang):
    """At 1920 every column of the zone league is in view (no sideways scroll); at 1366 it
    scrolls, with rank and zone pinned (tests/test_numbers.py)."""
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    pg = ctx.new_page()
    try:
        pg.goto(f"{sample_server}/?lang={lang}")
        _settle(pg)
        pg.wait_for_selector('[data-testid="stDataFrame"] .dvn-scroller')
        widths = pg.eval_on_selector_all('[data-testid="stDataFrame"] .dvn-scroller',
                                         "els => els.map(e => [e.scrollWidth, e.clientWidth])")
    finally:
        ctx.close()
    league = widths[0]
    assert league[0] <= league[1] + 1, widths


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_an_unknown_page_path_says_so_and_links_to_the_overview(server, browser, lang):
    """/no_such_page: a notice in the page's language naming the path and a link to the
    Overview, instead of the Overview opening silently (and no English dialog of Streamlit's);
    /overview is the Overview."""
    from lib.view.labels import t

    ctx = browser.new_context(viewport={"width": 1366, "height": 768})
    pg = ctx.new_page()
    try:
        # A freshly started server routes its very first run by file name (pages/ folder mode,
        # see lib.view.ui.ensure_frame) and Streamlit shows its own dialog for that one run.
        pg.goto(server + "/")
        _settle(pg)
        pg.goto(f"{server}/no_such_page?lang={lang}")
        pg.wait_for_selector('[data-testid="stAlertContentWarning"]', timeout=60_000)
        pg.wait_for_timeout(800)
        notice = pg.locator('[data-testid="stAlertContentWarning"]').inner_text()
        assert "/no_such_page" in notice and t("msg.page_not_found", lang, path="")[:12] in notice
        assert pg.get_by_role("dialog").count() == 0
        assert pg.locator('[data-testid="stMetricValue"]').count() == 0  # not the Overview
        SHOTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(SHOTS / f"page-not-found-{lang}.png"))
        pg.get_by_role("link", name=t("msg.go_to_overview", lang)).click()
        _settle(pg)
        assert pg.locator('[data-testid="stMetricValue"]').first.inner_text() == "5"

        pg.goto(f"{server}/overview?lang={lang}")
        _settle(pg)  # the tiles, and no "Page not found"
        assert pg.get_by_role("dialog").count() == 0
    finally:
        ctx.close()
