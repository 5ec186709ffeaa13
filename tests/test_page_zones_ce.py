"""AppTests of the Zones & areas page and the Chief-engineers drill-down on the hand-made fixture,
plus the pure drill-state helpers of lib.view.drill."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib.data.engine import ROOT
from lib.data.importer import load_paths
from lib.figures import current
from lib.figures.metrics import Scope
from lib.view import drill
from tests import fixtures as F

APP = str(ROOT / "dashboard.py")
ZONES, CE = "pages/zones.py", "pages/chief_engineers.py"


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory) -> str:
    """A SQLite database holding the fixture, shared by this module's AppTests."""
    folder = tmp_path_factory.mktemp("zones_ce")
    url = f"sqlite:///{folder / 'app.db'}"
    result = load_paths([F.write_fixture(folder / "files")], url=url)
    assert result.ok, result.report()
    return url


@pytest.fixture
def app(fixture_db, monkeypatch):
    """Open a page of the dashboard with the given query parameters."""
    monkeypatch.setenv("DATABASE_URL", fixture_db)
    current.clear()

    def open_page(page: str, **params: str | list[str]) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        at.switch_page(page)
        at.run()
        assert not at.exception, at.exception
        return at

    yield open_page
    current.clear()


def param(at: AppTest, key: str) -> str | None:
    """A query parameter as the page left it (one value)."""
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def table(at: AppTest, index: int = 0) -> pd.DataFrame:
    return at.dataframe[index].value


def chart_data(at: AppTest, index: int = 0) -> pd.DataFrame:
    """The data of a chart on the page (sent as Arrow next to the Vega-Lite spec)."""
    import pyarrow as pa

    raw = at.get("vega_lite_chart")[index].proto.datasets[0].data.data
    return pa.ipc.open_stream(raw).read_pandas()


def chart_titles(at: AppTest) -> list[str]:
    import json

    out = []
    for chart in at.get("vega_lite_chart"):
        title = json.loads(chart.proto.spec).get("title") or {}
        out.append(title.get("text") if isinstance(title, dict) else title)
    return out


# --- Zones & areas ---------------------------------------------------------------------------


def test_zones_by_default_compare_negative_balance(app):
    at = app(ZONES)
    df = table(at).set_index("Zone")
    assert df.loc["Meerut Zone-I", "Negative-balance consumers"] == "4"
    assert df.loc["Meerut Zone-II", "Negative-balance consumers"] == "1"
    assert df.loc["Meerut Zone-I", "Arrears"] == "₹32,220"
    assert df.loc["Meerut Zone-II", "Arrears"] == "₹5,000"
    assert df.loc["Meerut Zone-I", "Consumers"] == "7"
    assert df.loc["Meerut Zone-I", "Chief engineer"] == "Munish Chopra"
    assert list(df.index) == ["Meerut Zone-I", "Meerut Zone-II"]  # sorted by the metric
    assert "Negative-balance consumers by zone" in chart_titles(at)
    assert "Negative-balance consumers day by day" in chart_titles(at)
    bars = chart_data(at, 0).set_index("unit")["negative_balance"]
    assert bars.to_dict() == {"Meerut Zone-I": 4, "Meerut Zone-II": 1}
    cells = chart_data(at, 1)
    z1 = cells[cells["unit"] == "Meerut Zone-I"].set_index("_col")["negative_balance"]
    assert z1.to_dict() == {"02 Feb": 6, "03 Feb": 5, "04 Feb": 4}  # 1 clears on 03, 6 on 04


def test_zones_level_and_metric_from_the_link(app):
    at = app(ZONES, level="area", metric="otp_verified")
    df = table(at).set_index("Area")
    assert set(df.index) == {"Ganganagar", "Shastri Nagar", "Begum Bridge", "Kazipur"}
    assert df.loc["Ganganagar", "OTP verified"] == "1"
    assert df.loc["Shastri Nagar", "OTP verified"] == "1"  # 04 Feb IST (UTC in the file)
    assert df.loc["Kazipur", "OTP verified"] == "1"
    assert df.index[-1] == "Begum Bridge"  # none verified: last
    assert "OTP verified by area" in chart_titles(at)
    assert at.segmented_control(key="level_pick_en").value == "area"
    assert at.selectbox(key="metric_pick_en").value == "otp_verified"


def test_zones_with_the_sidebar_scope(app):
    at = app(ZONES, level="division", zone="Z1")
    df = table(at).set_index("Division")
    assert list(df.index) == ["Meerut Division-I", "Meerut Division-II"]
    assert df.loc["Meerut Division-I", "Negative-balance consumers"] == "3"  # 2, 3, 4
    assert df.loc["Meerut Division-II", "Arrears"] == "₹1,000"


def test_zones_unknown_link_values_are_dropped_with_a_notice(app):
    at = app(ZONES, level="planet", metric="nonsense")
    assert at.segmented_control(key="level_pick_en").value == "zone"
    assert at.selectbox(key="metric_pick_en").value == "negative_balance"
    notices = [c.value for c in at.caption if c.value.startswith("⚠️")]
    assert any("level=planet" in n for n in notices) and any("metric=nonsense" in n for n in notices)
    assert "level" not in at.query_params and "metric" not in at.query_params


def test_zones_in_hindi(app):
    at = app(ZONES, lang="hi")
    df = table(at).set_index("ज़ोन")
    assert df.loc["मेरठ ज़ोन-प्रथम", "निगेटिव बैलेंस उपभोक्ता"] == "4"
    assert df.loc["मेरठ ज़ोन-द्वितीय", "बकाया राशि"] == "₹5,000"
    assert "ज़ोनवार निगेटिव बैलेंस उपभोक्ता" in chart_titles(at)


def test_zones_choosing_a_level_updates_the_link(app):
    at = app(ZONES)
    at.segmented_control(key="level_pick_en").set_value("circle").run()
    assert not at.exception
    assert param(at, "level") == "circle"
    assert list(table(at)["Circle"]) == ["Meerut Circle-I", "Meerut Circle-II"]


# --- Chief engineers ---------------------------------------------------------------------------


def test_ce_cards_without_a_zone(app):
    at = app(CE)
    texts = [m.value for m in at.markdown]
    headings = [s.value for s in at.subheader]  # anchor-less: no link named after the data
    assert "Meerut Zone-I" in headings and "Meerut Zone-II" in headings
    assert any("Rank 2 of 2" in x for x in texts) and any("Rank 1 of 2" in x for x in texts)
    captions = [c.value for c in at.caption]
    assert "Chief engineer: Munish Chopra" in captions
    assert "Chief engineer: Gurjeet Singh" in captions
    # Card figures in rank order: negative, arrears, OTP, app, target achievement (the mean of
    # OTP and negative-cleared achievement). Z2: OTP 1 of 2 (area target wins over the zone's
    # 5), cleared 1 of 2 -> 50%. Z1: OTP 2 of 8 (circle target), cleared 2 of 4 -> 37.5%.
    figures = [x for x in texts if x.startswith("**")]
    assert figures[:5] == ["**1**", "**₹5,000**", "**1**", "**1**", "**50.0%**"]  # Z2
    assert figures[5:10] == ["**4**", "**₹32,220**", "**2**", "**1**", "**37.5%**"]  # Z1
    assert not at.dataframe  # no drill yet
    assert any("Open a zone" in i.value for i in at.info)


def test_ce_open_button_drills_into_the_zone(app):
    at = app(CE)
    at.button(key="ce_open_Z1").click().run()
    assert not at.exception
    assert param(at, "ce") == "Z1"
    assert list(table(at)["Circle"]) == ["Meerut Circle-I"]
    assert at.button(key="ce_open_Z1").label == "Open below"


def test_ce_zone_shows_its_circles(app):
    at = app(CE, ce="Z1")
    df = table(at).set_index("Circle")
    assert list(df.index) == ["Meerut Circle-I"]
    assert df.loc["Meerut Circle-I", "Negative-balance consumers"] == "4"
    assert df.loc["Meerut Circle-I", "Arrears"] == "₹32,220"
    tiles = {m.label: m.value for m in at.metric[-8:]}
    assert tiles["Negative-balance consumers"] == "4"
    assert tiles["OTP verified"] == "2"
    assert "Meerut Zone-I: key figures" in [s.value for s in at.subheader]
    assert "Circles of Meerut Zone-I" in [s.value for s in at.subheader]
    crumbs = [b.label for b in at.button if b.key and b.key.startswith("crumb_")]
    assert crumbs == ["All zones", "Meerut Zone-I"]


def test_ce_circle_shows_its_divisions_then_areas(app):
    at = app(CE, ce="Z1", ce_circle="C1")
    df = table(at).set_index("Division")
    assert list(df.index) == ["Meerut Division-I", "Meerut Division-II"]
    assert df.loc["Meerut Division-I", "Negative-balance consumers"] == "3"
    assert df.loc["Meerut Division-II", "Negative-balance consumers"] == "1"

    at = app(CE, ce="Z1", ce_circle="C1", ce_division="D1")
    df = table(at).set_index("Area")
    assert list(df.index) == ["Ganganagar", "Shastri Nagar"]
    assert df.loc["Ganganagar", "Arrears"] == "₹31,200"  # 1,200 + 30,000
    assert df.loc["Shastri Nagar", "Arrears"] == "₹20"
    crumbs = [b.label for b in at.button if b.key and b.key.startswith("crumb_")]
    assert crumbs == ["All zones", "Meerut Zone-I", "Meerut Circle-I", "Meerut Division-I"]
    # areas are the finest level: the chart is not clickable
    assert "Click a bar" not in " ".join(c.value for c in at.caption)


def test_levels_without_targets_offer_no_target_achievement_or_rank(app):
    """Z1's divisions have no targets: "Target achievement" is not a choice, the table has no
    Rank and no achievement column, and the page says why. A link asking for it falls back to
    the default without calling the link wrong."""
    at = app(CE, ce="Z1", ce_circle="C1", ce_metric="score")
    compare = at.segmented_control(key="ce_metric_pick_en")
    assert "Target achievement" not in compare.options and compare.value == "negative_balance"
    assert "OTP verified" in compare.options
    assert "ce_metric" not in at.query_params
    columns = list(table(at).columns)
    assert "Rank" not in columns and "Target achievement" not in columns
    captions = [c.value for c in at.caption]
    assert "Divisions: no targets are set, so no target achievement or rank." in captions
    assert not any("ce_metric" in c for c in captions)  # no "ignored an unknown value"
    # Z2's circle C2: its division D3 holds area A4's target, so the choice is there
    at = app(CE, ce="Z2", ce_circle="C2")
    assert "Target achievement" in at.segmented_control(key="ce_metric_pick_en").options
    df = table(at)
    assert list(df["Rank"]) == ["1"] and list(df["Target achievement"]) == ["50.0%"]
    # a value that is no choice anywhere is still named
    at = app(CE, ce="Z1", ce_metric="furlongs")
    assert any("ce_metric" in c.value for c in at.caption)


def test_ce_breadcrumb_goes_back_up(app):
    at = app(CE, ce="Z1", ce_circle="C1", ce_division="D1")
    at.button(key="crumb_1").click().run()
    assert not at.exception
    assert param(at, "ce") == "Z1"
    assert "ce_circle" not in at.query_params and "ce_division" not in at.query_params
    assert list(table(at)["Circle"]) == ["Meerut Circle-I"]
    at.button(key="crumb_0").click().run()
    assert "ce" not in at.query_params
    assert not at.dataframe


def test_ce_drill_respects_the_sidebar_scope_and_drops_bad_codes(app):
    at = app(CE, ce="Z1", zone="Z2")  # the sidebar keeps Z2 only: Z1 is out of scope
    assert "ce" not in at.query_params
    assert any("ce=Z1" in c.value for c in at.caption)
    assert not at.dataframe

    at = app(CE, ce="Z1", ce_circle="C2")  # C2 is not in Z1
    assert param(at, "ce") == "Z1" and "ce_circle" not in at.query_params
    assert any("ce_circle=C2" in c.value for c in at.caption)
    assert list(table(at)["Circle"]) == ["Meerut Circle-I"]


def test_changing_the_sidebar_zone_while_drilled_says_nothing_about_links(app):
    """Drilled into Z1, choosing Z2 in the sidebar leaves the drill quietly: nobody edited a
    link, so no "ignored an unknown value in the link: ce=Z1"."""
    at = app(CE, ce="Z1", ce_circle="C1")
    at.multiselect(key="zone__en").set_value(["Z2"]).run()
    assert not at.exception
    assert "ce" not in at.query_params and "ce_circle" not in at.query_params
    assert not any("ce=" in c.value or "ce_circle=" in c.value for c in at.caption)
    assert not [x for x in at.toast if "link" in x.value]
    assert not at.dataframe  # back to the cards
    assert at.caption[0].value.endswith("Scope: Meerut Zone-II")


def test_the_scope_line_names_the_unit_drilled_into(app):
    at = app(CE, ce="Z1", ce_circle="C1", ce_division="D1")
    assert at.caption[0].value.endswith(
        "Scope: Meerut Zone-I › Meerut Circle-I › Meerut Division-I")
    at = app(CE, ce="Z1", lang="hi")
    assert at.caption[0].value.endswith("दायरा: मेरठ ज़ोन-प्रथम")
    assert app(CE).caption[0].value.endswith("Scope: All of PVVNL")  # the cards: every zone


def test_ce_category_filter_combines_with_the_drill(app):
    at = app(CE, ce="Z1", ce_circle="C1", category="domestic")
    df = table(at).set_index("Division")
    assert df.loc["Meerut Division-I", "Negative-balance consumers"] == "2"  # 2, 4
    assert df.loc["Meerut Division-II", "Negative-balance consumers"] == "1"  # 7


def test_ce_in_hindi(app):
    at = app(CE, ce="Z1", ce_circle="C1", ce_division="D1", lang="hi")
    df = table(at).set_index("क्षेत्र")
    assert df.loc["गंगानगर", "बकाया राशि"] == "₹31,200"
    crumbs = [b.label for b in at.button if b.key and b.key.startswith("crumb_")]
    assert crumbs[:2] == ["सभी ज़ोन", "मेरठ ज़ोन-प्रथम"]
    assert "मेरठ ज़ोन-प्रथम" in [s.value for s in at.subheader]


# --- lib.view.drill ---------------------------------------------------------------------------------

TREE = pd.DataFrame(
    [(z, zn, "zh", c, cn, None, d, dn, None, a, an, ahi)
     for z, zn, _ce, c, cn, d, dn, a, an, ahi in F.HIERARCHY],
    columns=["zone_code", "zone_name", "zone_name_hi", "circle_code", "circle_name",
             "circle_name_hi", "division_code", "division_name", "division_name_hi",
             "area_code", "area_name", "area_name_hi"])


def test_drill_state_round_trip():
    d = drill.Drill.from_params({"ce": "Z1", "ce_circle": "C1", "other": "x"})
    assert d == drill.Drill("Z1", "C1") and d.level == "circle" and d.child_level == "division"
    assert d.to_params() == {"ce": "Z1", "ce_circle": "C1"}
    assert d.down("D1") == drill.Drill("Z1", "C1", "D1") and d.down("D1").child_level == "area"
    assert not d.down("D1").can_go_down and d.down("D1").down("A1") == d.down("D1")
    assert d.up_to("zone") == drill.Drill("Z1") and d.up_to(None) == drill.Drill()
    assert drill.Drill().child_level == "zone" and drill.Drill.from_params({"ce": ""}).zone is None
    scope = Scope.of(categories=["domestic"])
    assert d.scope(scope) == Scope(zones=("Z1",), circles=("C1",), categories=("domestic",))


def test_drill_validation():
    ok, dropped = drill.validated(drill.Drill("Z1", "C1", "D2"), TREE, Scope())
    assert ok == drill.Drill("Z1", "C1", "D2") and not dropped
    ok, dropped = drill.validated(drill.Drill("Z1", "C2", "D3"), TREE, Scope())
    assert ok == drill.Drill("Z1") and dropped == [("ce_circle", "C2"), ("ce_division", "D3")]
    ok, dropped = drill.validated(drill.Drill("Z1"), TREE, Scope.of(zones=["Z2"]))
    assert ok == drill.Drill() and dropped == [("ce", "Z1")]
    ok, dropped = drill.validated(drill.Drill(None, "C1"), TREE, Scope())
    assert ok == drill.Drill() and dropped == [("ce_circle", "C1")]
    ok, dropped = drill.validated(drill.Drill("Z1", "C1", "D2"), TREE, Scope.of(areas=["A1"]))
    assert ok == drill.Drill("Z1", "C1") and dropped == [("ce_division", "D2")]


def test_breadcrumb_names_and_chart_clicks():
    trail = drill.crumbs(drill.Drill("Z1", "C1"), TREE, "hi")
    assert [name for name, _ in trail] == ["सभी ज़ोन", "zh", "Meerut Circle-I"]  # no Hindi: English
    assert trail[1][1] == drill.Drill("Z1")
    assert drill.picked({"drill": [{"unit": "Meerut Circle-I"}]}, "drill", "unit") == "Meerut Circle-I"
    assert drill.picked({"drill": {"unit": ["X"]}}, "drill", "unit") == "X"
    assert drill.picked({"drill": []}, "drill", "unit") is None
    assert drill.picked(None, "drill", "unit") is None


def test_top_units_and_unique_names():
    df = pd.DataFrame({"code": ["a", "b", "c"], "unit": ["Civil Lines", "Civil Lines", "Sadar"],
                       "v": [1.0, None, 3.0]})
    assert list(drill.unique_names(df)["unit"]) == ["Civil Lines (a)", "Civil Lines (b)", "Sadar"]
    assert list(drill.top_units(df, "v", 2)["code"]) == ["c", "a"]
    days = pd.DataFrame({"code": ["a", "b", "c"], "day": [1, 1, 1], "v": [1, 2, 3]})
    assert list(drill.for_units(days, df.head(1))["unit"]) == ["Civil Lines"]
