# ruff: noqa: F811  (the shared pytest fixtures are imported by name)
"""Real-browser checks of issue #11: no outside requests, tiles that fit, screenshots per size."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.test_browser import SHOTS, _settle, browser, server  # noqa: F401 (pytest fixtures)

pytestmark = pytest.mark.browser

SIZES = ((1366, 768), (1920, 1080))
# the tile's parts whose text must not be cut
TILE_PARTS = ('[data-testid="stMetricValue"], [data-testid="stMetricLabel"], '
              '[data-testid="stMetric"] [data-testid^="stMetricDelta"], '
              '[data-testid="stMetric"] [data-testid="stMetricDelta"] ~ *')


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


@pytest.mark.parametrize("lang", ["en", "hi"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_tiles_fit_at_both_sizes(server, browser, size, lang):
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
    pg = ctx.new_page()
    try:
        for name, path in (("overview", "/"), ("negative_balance", "/negative_balance")):
            pg.goto(f"{server}{path}?lang={lang}")
            _settle(pg)
            cut = pg.eval_on_selector_all(TILE_PARTS, """els => els
                .filter(e => e.scrollWidth > e.clientWidth + 1)
                .map(e => e.innerText)""")
            SHOTS.mkdir(parents=True, exist_ok=True)
            pg.screenshot(path=str(SHOTS / f"{name}-{lang}-{size[0]}x{size[1]}.png"),
                          full_page=True)
            assert cut == [], (name, cut)
    finally:
        ctx.close()
