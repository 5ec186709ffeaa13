"""The meeting-room display: parameters, rotation, freshness, the database-down state (AppTest on
the hand-worked fixture), and a real browser at 1920×1080 (marked ``browser``)."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib.data.engine import ROOT
from lib.figures import current
from lib.view import display
from lib.view.display import SLIDES, Params, Snapshot, parse_params
from tests.test_app import fixture_db  # noqa: F401  (the module-scoped fixture database)
from tests.test_browser import ERRORS, _shot, browser, server  # noqa: F401  (browser fixtures)

APP = str(ROOT / "dashboard.py")
UNITS = {"zone": {"Z1", "Z2"}, "circle": {"C1", "C2"}, "division": {"D1"}, "area": {"A1"}}
DOWN_URL = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"


# --- pure functions ----------------------------------------------------------------------------

def test_rotation_order_and_timing():
    slides = ("kpis", "league", "trend")
    assert [display.slide_at(tick, slides) for tick in range(7)] == [0, 1, 2, 0, 1, 2, 0]
    assert [display.next_slide(tick, slides) for tick in range(4)] == [
        "league", "trend", "kpis", "league"]
    assert [display.tick_at(s, 20) for s in (0, 19.9, 20, 59.9, 60, -3)] == [0, 0, 1, 2, 3, 0]
    p = Params(slides=SLIDES)
    assert display.indicator(2, p) == "3 / 6 · Next: Negative balance and arrears"
    assert display.indicator(5, Params(lang="hi")) == "6 / 6 · अगला: मुख्य आँकड़े"


def test_defaults():
    p = parse_params({}, UNITS, ["CAMP2", "CAMP1"])
    assert (p.slides, p.seconds, p.refresh, p.lang, p.stale_hours) == (SLIDES, 20, 60, "en", 26)
    assert p.campaign == "CAMP2" and p.scope == display.Scope() and p.ignored == ()
    assert display.ignored_line(p) is None


def test_every_parameter():
    p = parse_params({"slides": ["trend,kpis"], "seconds": ["5"], "refresh": ["10"],
                      "lang": ["hi"], "zone": ["Z1"], "circle": ["C1"], "division": ["D1"],
                      "area": ["A1"], "category": ["domestic,commercial"],
                      "campaign": ["CAMP1"], "stale_hours": ["1.5"]}, UNITS, ["CAMP2", "CAMP1"])
    assert p.slides == ("trend", "kpis") and (p.seconds, p.refresh) == (5, 10)
    assert p.lang == "hi" and p.campaign == "CAMP1" and p.stale_hours == 1.5
    assert p.scope == display.Scope.of(zones=["Z1"], circles=["C1"], divisions=["D1"],
                                       areas=["A1"], categories=["domestic", "commercial"])
    assert p.ignored == ()
    assert parse_params({"zone": ["Z1", "Z2"]}, UNITS, []).scope.zones == ("Z1", "Z2")


def test_invalid_values_are_ignored_and_named():
    long = "x" * 60
    p = parse_params({"slides": ["kpis,nope"], "seconds": ["4"], "refresh": ["abc"],
                      "lang": ["fr"], "zone": ["Z9", "Z1"], "category": ["`**bold**`"],
                      "campaign": ["X"], "stale_hours": ["-1"], "colour": [long]},
                     UNITS, ["CAMP1"])
    assert p.slides == ("kpis",) and (p.seconds, p.refresh, p.stale_hours) == (20, 60, 26)
    assert p.lang == "en" and p.campaign == "CAMP1" and p.scope.zones == ("Z1",)
    assert dict(p.ignored) == {"colour": long, "slides": "nope", "seconds": "4",
                               "refresh": "abc", "lang": "fr", "zone": "Z9",
                               "category": "`**bold**`", "campaign": "X", "stale_hours": "-1"}
    line = display.ignored_line(p)
    assert line.startswith("Ignored in the link:") and "seconds=`4`" in line
    assert f"colour=`{'x' * 39}…`" in line  # cut to 40 characters
    assert parse_params({"slides": ["nope"]}, UNITS, []).slides == SLIDES  # none valid: all
    assert display.shown_value("a\nb\x00c") == "a b c"


def test_unit_level_and_period():
    assert display.unit_level(display.Scope()) == "zone"
    assert display.unit_level(display.Scope.of(categories=["domestic"])) == "zone"
    assert display.unit_level(display.Scope.of(zones=["Z1"])) == "circle"
    assert display.unit_level(display.Scope.of(circles=["C1"])) == "division"
    assert display.unit_level(display.Scope.of(areas=["A1"])) == "area"
    camps = pd.DataFrame({"campaign_id": ["C"], "start_date": [date(2026, 2, 1)],
                          "end_date": [date(2026, 2, 28)]})
    assert display.period_for("C", camps, date(2026, 2, 8)) == display.Period(
        date(2026, 2, 1), date(2026, 2, 8))  # a running campaign ends at the latest data day
    assert display.period_for(None, camps, date(2026, 2, 8)).start == date(2026, 2, 2)
    assert display.period_for("C", camps, None) is None


def test_stale_and_freshness():
    snap = Snapshot(1, None, {}, date(2026, 2, 8), datetime(2026, 2, 9, 9, 12),
                    datetime(2026, 2, 9, 9, 13))
    assert display.freshness(snap, "en") == "Data to 08 Feb 2026, loaded 09:12 IST"
    assert not display.is_stale(snap, datetime(2026, 2, 10, 11, 0), 26)
    assert display.is_stale(snap, datetime(2026, 2, 10, 11, 13), 26)
    unloaded = Snapshot(1, None, {}, date(2026, 2, 8), None, datetime(2026, 2, 9))
    assert display.is_stale(unloaded, datetime(2026, 2, 10, 2, 1), 26)  # from the day's end
    assert "Data is over 26 hours old" in display.both_languages("display.stale", hours="26")
    assert "26 घंटे" in display.both_languages("display.stale", hours="26")


# --- the page (AppTest) ------------------------------------------------------------------------

@pytest.fixture
def show(fixture_db, monkeypatch):  # noqa: F811
    """A function opening the display with the given query parameters (one run)."""
    monkeypatch.setenv("DATABASE_URL", fixture_db)
    current.clear()

    def make(**params: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        return at.switch_page("pages/display.py").run()  # straight to the display, as a screen

    return make


def _state(at: AppTest) -> dict:
    assert not at.exception, at.exception
    return {"header": [h.value for h in at.header], "metrics": [m.value for m in at.metric],
            "captions": [c.value for c in at.caption], "warnings": [w.value for w in at.warning],
            "text": [x.value for x in at.text], "charts": len(at.get("vega_lite_chart")),
            "sidebar": len(at.sidebar.children) if hasattr(at.sidebar, "children") else 0}


def test_slides_rotate_in_the_urls_order(show):
    at = show(slides="kpis,ce,desks")
    first = _state(at)
    assert first["header"] == ["Headline figures"]
    assert first["metrics"] == ["5", "₹37,220", "3", "3", "2", "2"]
    assert "1 / 3 · Next: Chief-engineer leaderboard" in first["captions"]
    assert "Data to 04 Feb 2026" in " ".join(first["captions"])
    assert not at.sidebar.get("multiselect") and not at.warning and not at.text
    second = _state(at.run())
    assert second["header"] == ["Chief-engineer leaderboard"] and second["metrics"] == []
    assert "2 / 3 · Next: Help-desk backlog" in second["captions"]
    third = _state(at.run())
    assert third["header"] == ["Help-desk backlog"] and third["metrics"] == ["4", "3", "2"]
    assert _state(at.run())["header"] == ["Headline figures"]


def test_every_slide_runs_in_both_languages(show):
    for lang in ("en", "hi"):
        at = show(lang=lang, zone="Z1")
        for _ in SLIDES:
            state = _state(at)
            assert not at.error and (state["metrics"] or state["charts"]), state
            at.run()


def test_invalid_parameters_keep_the_defaults_and_are_named_at_the_foot(show):
    at = show(seconds="1", lang="xx", zone="NOPE", slides="kpis,bogus", stale_hours="soon")
    state = _state(at)
    assert state["header"] == ["Headline figures"]
    assert state["metrics"][0] == "5"  # whole DISCOM
    foot = state["text"][-1]
    for named in ("seconds=`1`", "lang=`xx`", "zone=`NOPE`", "slides=`bogus`",
                  "stale_hours=`soon`"):
        assert named in foot
    assert "1 / 1 · Next: Headline figures" in state["captions"]


def test_markdown_in_a_value_is_shown_as_text(show):
    at = show(zone="**[x](javascript:alert(1))**")
    state = _state(at)
    assert "zone=`**[x](javascript:alert(1))**`" in state["text"][-1]
    assert not any("javascript" in m.value for m in at.markdown)


def test_stale_data_banner_in_both_languages(show):
    at = show(stale_hours="0.00001")  # the fixture was loaded more than 0.036 s ago
    warnings = _state(at)["warnings"]
    assert warnings and "Data is over 1e-05 hours old" in warnings[0]
    assert "घंटे से अधिक पुराना" in warnings[0]
    assert not _state(show())["warnings"]


def test_database_down_keeps_the_figures_marks_them_and_recovers(show, fixture_db, monkeypatch):  # noqa: F811
    at = show(slides="kpis")
    assert _state(at)["metrics"][0] == "5"
    monkeypatch.setenv("DATABASE_URL", DOWN_URL)  # the same process, the database gone
    down = _state(at.run())
    assert down["metrics"][0] == "5"  # the last good figures stay
    assert any("Not updated since" in w and "से अद्यतन नहीं" in w for w in down["warnings"])
    monkeypatch.setenv("DATABASE_URL", fixture_db)
    back = _state(at.run())
    assert back["metrics"][0] == "5" and not back["warnings"]


def test_a_new_load_shows_at_the_next_slide(show, monkeypatch):
    at = show(slides="kpis,trend")
    snap = display.last_snapshot(at.session_state["display_params"])
    assert snap is not None
    version = snap.version
    monkeypatch.setattr(current, "version", lambda: version + 1)
    _state(at.run())
    assert display.last_snapshot(at.session_state["display_params"]).version == version + 1
    assert at.session_state["display_tick"] == 1  # the place in the rotation is kept


# --- a real browser at 1920×1080 (marked browser) -------------------------------------------

CHROME = ('[data-testid="stSidebar"], [data-testid="stToolbar"], [data-testid="stHeader"], '
          '[data-testid="stMainMenu"], [data-testid="stSidebarNav"], '
          '[data-testid="stSidebarCollapsedControl"]')
SIZES = """() => {
  const px = el => parseFloat(getComputedStyle(el).fontSize);
  const texts = [...document.querySelectorAll('[data-testid="stMain"] *')]
    .filter(el => el.childNodes.length && [...el.childNodes].some(
      n => n.nodeType === 3 && n.textContent.trim()) && el.getClientRects().length);
  const svgText = [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg text')];
  return {
    kpi: [...document.querySelectorAll('[data-testid="stMetricValue"] *')]
      .filter(el => el.textContent.trim() && !el.children.length).map(px),
    smallest: Math.min(...texts.map(px)),
    chart: svgText.map(el => parseFloat(el.getAttribute('font-size') || px(el))),
    scroll: document.scrollingElement.scrollHeight, inner: innerHeight,
    mainScroll: [...document.querySelectorAll('[data-testid="stMain"], section')]
      .map(el => el.scrollHeight - el.clientHeight),
  };
}"""


def _heading(pg) -> str:
    return pg.locator('[data-testid="stHeading"]').first.inner_text()


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "hi"])
def test_display_at_1920x1080(server, browser, lang):  # noqa: F811
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    pg = ctx.new_page()
    try:
        pg.goto(f"{server}/display?seconds=5&refresh=10&lang={lang}")
        pg.wait_for_selector('[data-testid="stMetricValue"]', timeout=60_000)
        pg.wait_for_timeout(1500)
        assert pg.locator(ERRORS).count() == 0, pg.locator(ERRORS).first.inner_text()
        for el in pg.locator(CHROME).all():
            assert not el.is_visible(), el.get_attribute("data-testid")
        assert pg.locator('[data-testid="stWidgetLabel"], button, input').count() == 0
        sizes = pg.evaluate(SIZES)
        assert sizes["kpi"] and min(sizes["kpi"]) >= 64, sizes
        assert sizes["smallest"] >= 16, sizes
        assert sizes["scroll"] <= sizes["inner"], sizes
        _shot(pg, f"display-{lang}-1-kpis")
        seen, charts = [_heading(pg)], 0
        for step in range(2, 7 if lang == "en" else 4):
            pg.wait_for_function(f"() => document.querySelector('[data-testid=\"stHeading\"]')"
                                 f".innerText !== {seen[-1]!r}", timeout=20_000)
            pg.wait_for_timeout(1500)
            seen.append(_heading(pg))
            sizes = pg.evaluate(SIZES)
            assert not sizes["chart"] or min(sizes["chart"]) >= 20, sizes
            charts += bool(sizes["chart"])
            assert sizes["smallest"] >= 16, sizes
            assert sizes["scroll"] <= sizes["inner"], sizes
            assert pg.locator(ERRORS).count() == 0
            _shot(pg, f"display-{lang}-{step}")
        assert len(set(seen)) == len(seen), seen
        assert charts >= 2, "no chart text measured"
    finally:
        ctx.close()
