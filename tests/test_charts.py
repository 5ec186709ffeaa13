"""Chart builders (lib.view.charts) and the theme (lib.view.theme), inspected through ``to_dict()``."""

from __future__ import annotations

import ast
import json
import tomllib
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from lib.view import charts, theme
from lib.view.labels import band_label

ROOT = Path(__file__).resolve().parent.parent
UNITS = pd.DataFrame({
    "unit": ["मेरठ ज़ोन-प्रथम", "Muzaffarnagar", "Saharanpur"],
    "value": [1_234_567, 788_000, 22_400_000],
    "start": [5000, 3200, 8000],
    "cleared": [1200, 800, 3000],
    "ce": ["मुनीश चोपड़ा", "गुरजीत सिंह", "—"],
})
DAYS = pd.DataFrame({
    "day": [date(2026, 2, d) for d in range(2, 8)],
    "otp_verified": [1200, 3400, 5600, 4300, 7000, 8100],
    "app_downloaded": [800, 2000, 2500, 3000, 4100, 1_234_567],
})


def _spec(chart) -> dict:
    spec = chart.to_dict()
    json.dumps(spec)  # serialisable for Streamlit
    return spec


def _rows(spec: dict) -> list[dict]:
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


def _views(spec: dict) -> list[dict]:
    """Every unit view (mark + encoding) in a layered / concatenated spec."""
    out = []
    stack = [spec]
    while stack:
        node = stack.pop()
        if "mark" in node:
            out.append(node)
        for key in ("layer", "hconcat", "vconcat", "concat"):
            stack.extend(node.get(key, []))
    return out


def _mark_type(view: dict) -> str:
    return view["mark"]["type"] if isinstance(view["mark"], dict) else view["mark"]


def _axes(spec: dict) -> list[dict]:
    return [enc["axis"] for view in _views(spec) for enc in view.get("encoding", {}).values()
            if isinstance(enc, dict) and isinstance(enc.get("axis"), dict)]


def _tooltip_fields(view: dict) -> list[str]:
    return [tip["field"] for tip in view["encoding"].get("tooltip", [])]


def _assert_readable(spec: dict, large: bool = False) -> None:
    sizes = theme.sizes(large)
    for axis in _axes(spec):
        assert axis.get("labelAngle", 0) == 0
        assert axis["labelFontSize"] >= (20 if large else 13)
        assert axis["labelFont"] == theme.FONT
    titles = [spec["title"]] if "title" in spec else []
    for title in titles:
        assert title["fontSize"] >= (20 if large else 16)
    assert sizes.label >= (20 if large else 13)


# --- ranked_bars -------------------------------------------------------------------------------

def test_ranked_bars_units_on_y_sorted_descending_with_formatted_tooltip():
    chart = charts.ranked_bars(UNITS, "unit", "value", value_kind="int", title="Consumers",
                               lang="en")
    spec = _spec(chart)
    bars = next(v for v in _views(spec) if _mark_type(v) == "bar")
    text = next(v for v in _views(spec) if _mark_type(v) == "text")
    enc = bars["encoding"]
    assert enc["y"]["field"] == "unit" and enc["y"]["type"] == "nominal"
    assert enc["x"]["field"] == "value" and enc["x"]["type"] == "quantitative"
    assert enc["y"]["sort"]["order"] == "descending"
    assert enc["y"]["sort"]["field"] == "value"
    assert enc["y"]["axis"]["labelAngle"] == 0
    assert enc["y"]["axis"]["labelLimit"] >= 200
    assert "labelExpr" in enc["x"]["axis"] and "lakh" in enc["x"]["axis"]["labelExpr"]
    assert text["encoding"]["text"]["field"] == "_label"
    assert text["encoding"]["y"] == enc["y"]  # labels sit at the end of their own bar
    assert _tooltip_fields(bars) == ["unit", "_tip"]
    rows = {row["unit"]: row for row in _rows(spec)}
    assert rows["मेरठ ज़ोन-प्रथम"]["_tip"] == "12,34,567"
    assert rows["Saharanpur"]["_label"] == "2.24 crore"
    assert rows["Muzaffarnagar"]["_label"] == "7.88 lakh"
    assert spec["width"] == "container"
    assert spec["title"]["text"] == "Consumers"
    assert all("params" not in view for view in [spec, *spec["layer"]])  # not selectable
    _assert_readable(spec)


def test_value_labels_go_inside_long_bars_and_after_short_ones():
    spec = _spec(charts.ranked_bars(UNITS, "unit", "value", value_kind="int", title="t"))
    rows = {row["unit"]: row for row in _rows(spec)}
    assert rows["Saharanpur"]["_slot"] == "in+"       # the longest bar: label inside its end
    assert rows["Muzaffarnagar"]["_slot"] == "out+"   # a short bar: label just after it
    assert rows["Saharanpur"]["_ink"] == "white"      # light text on the dark blue bar
    texts = [v for v in _views(spec) if _mark_type(v) == "text"]
    by_slot = {v["transform"][0]["filter"]["equal"]: v for v in texts}
    assert set(by_slot) == {"in+", "out+"}
    assert by_slot["in+"]["mark"]["align"] == "right"
    assert by_slot["in+"]["encoding"]["color"] == {"field": "_ink", "type": "nominal", "scale": None}
    assert by_slot["out+"]["mark"]["align"] == "left"
    bars = next(v for v in _views(spec) if _mark_type(v) == "bar")
    assert bars["encoding"]["x"]["scale"]["domain"] == [0.0, 22_400_000.0]  # no wasted headroom


def test_pct_axis_ticks_stop_at_100_percent_unless_exceeded():
    def ticks(values):
        df = pd.DataFrame({"u": [f"u{i}" for i in range(len(values))], "v": values})
        spec = _spec(charts.ranked_bars(df, "u", "v", value_kind="pct", title="t"))
        bar = next(v for v in _views(spec) if _mark_type(v) == "bar")
        return bar["encoding"]["x"]["axis"].get("values")
    assert ticks([0.2, 0.9]) == [0.0, 0.25, 0.5, 0.75]
    assert ticks([0.5, 1.3]) == [0.0, 0.25, 0.5, 0.75, 1.0, 1.25]  # targets beaten
    assert ticks([0.05, 0.3]) == [0.0, 0.1, 0.2, 0.3]
    assert ticks([0.5, 40.0]) is None  # far above 1: Vega picks the ticks


def test_ranked_bars_rupees_in_hindi():
    spec = _spec(charts.ranked_bars(UNITS, "unit", "value", value_kind="inr",
                                    title="बकाया राशि", lang="hi"))
    rows = {row["unit"]: row for row in _rows(spec)}
    assert rows["Saharanpur"]["_tip"] == "₹2,24,00,000"
    assert rows["Saharanpur"]["_label"] == "₹2.24 करोड़"
    bars = next(v for v in _views(spec) if _mark_type(v) == "bar")
    assert "करोड़" in bars["encoding"]["x"]["axis"]["labelExpr"]
    assert bars["encoding"]["tooltip"][1]["title"] == "मान"


def test_ranked_bars_selectable_adds_a_point_selection():
    spec = _spec(charts.ranked_bars(UNITS, "unit", "value", value_kind="int", title="t",
                                    lang="en", selectable=True, select_name="zone"))
    params = [p for view in [spec, *spec.get("layer", [])] for p in view.get("params", [])]
    assert len(params) == 1
    assert params[0]["name"] == "zone"
    assert params[0]["select"]["type"] == "point"
    assert params[0]["select"]["fields"] == ["unit"]
    bars = next(v for v in _views(spec) if _mark_type(v) == "bar")
    assert bars["encoding"]["opacity"]["condition"][0]["param"] == "zone"


def test_ranked_bars_highlight_and_extra_tooltip():
    spec = _spec(charts.ranked_bars(UNITS, "unit", "value", value_kind="int", title="t",
                                    lang="en", highlight="Muzaffarnagar",
                                    extra_tooltip={"ce": "Chief engineer"}))
    bars = next(v for v in _views(spec) if _mark_type(v) == "bar")
    condition = bars["encoding"]["color"]["condition"][0]
    assert condition["test"] == {"field": "unit", "oneOf": ["Muzaffarnagar"]}
    assert condition["value"] == theme.HIGHLIGHT
    assert bars["encoding"]["color"]["value"] == theme.color_for("int")
    assert _tooltip_fields(bars) == ["unit", "_tip", "ce"]
    assert {row["ce"] for row in _rows(spec)} == {"मुनीश चोपड़ा", "गुरजीत सिंह", "—"}


def test_ranked_bars_large_variant():
    spec = _spec(charts.ranked_bars(UNITS, "unit", "value", value_kind="pct", title="t",
                                    lang="en", large=True))
    _assert_readable(spec, large=True)
    assert spec["title"]["fontSize"] >= 20


def test_numeric_unit_codes_become_text():
    df = pd.DataFrame({"code": [101, 102], "v": [1, 2]})
    spec = _spec(charts.ranked_bars(df, "code", "v", title="t"))
    assert {row["code"] for row in _rows(spec)} == {"101", "102"}


# --- trend -------------------------------------------------------------------------------------

def test_trend_folds_series_with_dates_and_indian_numbers():
    labels = {"otp_verified": "OTP verified", "app_downloaded": "App downloads"}
    spec = _spec(charts.trend(DAYS, "day", ["otp_verified", "app_downloaded"], labels,
                              value_kind="int", title="Day by day", lang="en"))
    views = _views(spec)
    assert {_mark_type(v) for v in views} == {"line", "point"}
    line = next(v for v in views if _mark_type(v) == "line")
    enc = line["encoding"]
    assert enc["x"]["field"] == "day" and enc["x"]["type"] == "temporal"
    assert enc["y"]["field"] == "_value"
    assert enc["color"]["field"] == "_series"
    assert enc["color"]["scale"]["domain"] == ["OTP verified", "App downloads"]
    assert enc["color"]["scale"]["range"] == [theme.METRIC_COLORS["otp_verified"],
                                              theme.METRIC_COLORS["app_downloaded"]]
    assert "'Feb'" in enc["x"]["axis"]["labelExpr"]
    points = next(v for v in views if _mark_type(v) == "point")
    assert _tooltip_fields(points) == ["_series", "_day", "_tip"]
    rows = _rows(spec)
    assert len(rows) == 12
    last = next(r for r in rows if r["_series"] == "App downloads" and r["_day"] == "07 Feb 2026")
    assert last["_tip"] == "12,34,567"
    assert spec["width"] == "container"
    _assert_readable(spec)


def test_trend_hindi_month_names():
    spec = _spec(charts.trend(DAYS, "day", ["otp_verified"], {"otp_verified": "ओटीपी"},
                              value_kind="int", title="t", lang="hi", large=True))
    line = next(v for v in _views(spec) if _mark_type(v) == "line")
    assert "फ़र॰" in line["encoding"]["x"]["axis"]["labelExpr"]
    assert any("फ़र॰" in r["_day"] for r in _rows(spec))
    assert line["encoding"]["color"]["legend"] is None  # one series: no legend
    _assert_readable(spec, large=True)


# --- heatmap -----------------------------------------------------------------------------------

def test_heatmap_units_by_days_with_text():
    df = pd.DataFrame([(u, date(2026, 2, d), (i + 1) * d * 100_000)
                       for i, u in enumerate(["A", "B"]) for d in range(2, 5)],
                      columns=["unit", "day", "v"])
    spec = _spec(charts.heatmap(df, "unit", "day", "v", value_kind="int", title="Heat",
                                lang="en"))
    views = _views(spec)
    rect = next(v for v in views if _mark_type(v) == "rect")
    text = next(v for v in views if _mark_type(v) == "text")
    assert rect["encoding"]["y"]["field"] == "unit"
    assert rect["encoding"]["y"]["sort"] == ["B", "A"]  # busiest first
    assert rect["encoding"]["x"]["field"] == "_col"
    assert rect["encoding"]["x"]["sort"] == ["02 Feb", "03 Feb", "04 Feb"]
    assert rect["encoding"]["color"]["field"] == "v"
    assert rect["encoding"]["color"]["scale"]["range"] == list(theme.SEQUENTIAL)
    assert text["encoding"]["text"]["field"] == "_label"
    rows = {(r["unit"], r["_day"]): r for r in _rows(spec)}
    assert rows[("B", "04 Feb 2026")]["_label"] == "8.00 lakh"
    assert rows[("A", "02 Feb 2026")]["_tip"] == "2,00,000"
    _assert_readable(spec)


def test_heatmap_hides_cell_text_for_long_periods():
    df = pd.DataFrame({"unit": "A", "day": pd.date_range("2026-01-01", periods=30), "v": 1.0})
    spec = _spec(charts.heatmap(df, "unit", "day", "v", value_kind="int", title="t"))
    assert {_mark_type(v) for v in _views(spec)} == {"rect"}


# --- stacked_share -----------------------------------------------------------------------------

def test_stacked_share_bars_per_category_with_shares():
    df = pd.DataFrame({"channel": ["UPPCL Smart App", "UPI", "Cash counter"],
                       "amount": [4_500_000, 9_000_000, 1_500_000]})
    colors = {"UPPCL Smart App": theme.CHANNEL_COLORS["smart_app"],
              "UPI": theme.CHANNEL_COLORS["upi"], "Cash counter": theme.CHANNEL_COLORS["counter"]}
    spec = _spec(charts.stacked_share(df, "channel", "amount", value_kind="inr",
                                      title="Recharges by channel", lang="en", colors=colors))
    bars = next(v for v in _views(spec) if _mark_type(v) == "bar")
    assert bars["encoding"]["y"]["field"] == "channel"
    assert bars["encoding"]["x"]["field"] == "_share"
    assert bars["encoding"]["y"]["sort"]["order"] == "descending"
    assert bars["encoding"]["color"]["scale"]["range"] == list(colors.values())
    rows = {r["channel"]: r for r in _rows(spec)}
    assert rows["UPI"]["_share_tip"] == "60.0%"
    assert rows["UPI"]["_tip"] == "₹90,00,000"
    assert rows["UPPCL Smart App"]["_label"] == "30.0% · ₹45.00 lakh"
    _assert_readable(spec)


def test_stacked_share_zero_total_is_none():
    df = pd.DataFrame({"channel": ["UPI"], "amount": [0]})
    assert charts.stacked_share(df, "channel", "amount", title="t") is None


# --- bands_chart -------------------------------------------------------------------------------

def test_bands_chart_counts_and_rupees_side_by_side_in_band_order():
    df = pd.DataFrame({"band": [band_label(b, "hi") for b in range(1, 6)],
                       "n": [12000, 8000, 3000, 400, 12],
                       "amt": [6e6, 2.4e7, 3.5e7, 1.6e7, 2.2e6]})
    spec = _spec(charts.bands_chart(df, "band", "n", "amt", title="बकाया श्रेणी", lang="hi"))
    assert len(spec["hconcat"]) == 2
    order = list(df["band"])
    left, right = spec["hconcat"]
    for panel in (left, right):
        bar = next(v for v in _views(panel) if _mark_type(v) == "bar")
        assert bar["encoding"]["y"]["field"] == "band"
        assert bar["encoding"]["y"]["sort"] == order
    left_bar = next(v for v in _views(left) if _mark_type(v) == "bar")
    right_bar = next(v for v in _views(right) if _mark_type(v) == "bar")
    assert left_bar["encoding"]["x"]["field"] == "n"
    assert right_bar["encoding"]["x"]["field"] == "amt"
    assert "करोड़" in right_bar["encoding"]["x"]["axis"]["labelExpr"]
    rows = {r["band"]: r for r in _rows(spec)}
    assert rows["₹1,000 तक"]["_count_tip"] == "12,000"
    assert rows["₹5,001–25,000"]["_amount_label"] == "₹3.50 करोड़"
    assert rows["₹5,001–25,000"]["_amount_tip"] == "₹3,50,00,000"
    assert left["title"]["text"] == "निगेटिव बैलेंस उपभोक्ता"
    _assert_readable(spec)


def test_bands_panels_fill_their_columns_and_axes_end_past_the_longest_bar():
    """The page's dues bands are two charts of width "container" (each fills half the page,
    not a fixed 220 px), and each value scale is made nice to its 4 ticks, so the axis ends at
    a labelled round figure at or past the longest bar (₹2.88 crore -> ₹3.00 crore)."""
    df = pd.DataFrame({"band": [band_label(b, "en") for b in range(1, 6)],
                       "n": [8017, 4289, 1584, 542, 94],
                       "amt": [3.6e6, 1.01e7, 1.92e7, 2.88e7, 2.26e7]})
    panels = charts.bands_panels(df, "band", "n", "amt", lang="en")
    assert len(panels) == 2
    for panel, field in zip(panels, ("n", "amt"), strict=True):
        spec = _spec(panel)
        assert spec["width"] == "container" and spec["autosize"]["type"] == "fit-x"
        bar = next(v for v in _views(spec) if _mark_type(v) == "bar")
        x = bar["encoding"]["x"]
        assert x["field"] == field
        assert x["scale"]["nice"] == 4 and x["axis"]["tickCount"] == 4
        assert x["scale"]["domain"][1] == df[field].max()  # nice widens it to a round end
    left, right = (_spec(p) for p in panels)
    assert next(v for v in _views(left) if _mark_type(v) == "bar")["encoding"]["y"]["axis"].get(
        "labels", True)
    assert next(v for v in _views(right) if _mark_type(v) == "bar")["encoding"]["y"]["axis"][
        "labels"] is False  # the band names once, on the left
    assert charts.bands_panels(df.iloc[0:0], "band", "n", "amt") is None


# --- paired_bars -------------------------------------------------------------------------------

def test_paired_bars_grouped_horizontal():
    labels = {"start": "Negative at start", "cleared": "Negative cleared"}
    spec = _spec(charts.paired_bars(UNITS, "unit", "start", "cleared", labels,
                                    value_kind="int", title="Cleared", lang="en"))
    bars = next(v for v in _views(spec) if _mark_type(v) == "bar")
    enc = bars["encoding"]
    assert enc["y"]["field"] == "unit"
    assert enc["y"]["sort"] == ["Saharanpur", "मेरठ ज़ोन-प्रथम", "Muzaffarnagar"]  # by start
    assert enc["yOffset"]["field"] == "_series"
    assert enc["color"]["scale"]["domain"] == ["Negative at start", "Negative cleared"]
    rows = [r for r in _rows(spec) if r["unit"] == "Saharanpur"]
    assert {r["_series"]: r["_tip"] for r in rows} == {"Negative at start": "8,000",
                                                       "Negative cleared": "3,000"}
    _assert_readable(spec)


def test_paired_bars_metric_colours():
    df = UNITS.rename(columns={"start": "negative_at_start", "cleared": "negative_cleared"})
    spec = _spec(charts.paired_bars(df, "unit", "negative_at_start", "negative_cleared",
                                    {"negative_at_start": "a", "negative_cleared": "b"},
                                    title="t"))
    bars = next(v for v in _views(spec) if _mark_type(v) == "bar")
    assert bars["encoding"]["color"]["scale"]["range"] == [theme.NEGATIVE, theme.POSITIVE]


# --- empty input -------------------------------------------------------------------------------

EMPTY = pd.DataFrame({"unit": [], "day": [], "value": [], "a": [], "b": []})
ALL_NAN = pd.DataFrame({"unit": ["A"], "day": [date(2026, 2, 2)], "value": [None], "a": [None],
                        "b": [None]})


@pytest.mark.parametrize("df", [EMPTY, ALL_NAN], ids=["empty", "all-missing"])
def test_every_builder_returns_none_without_data(df):
    assert charts.ranked_bars(df, "unit", "value", title="t") is None
    assert charts.trend(df, "day", ["value"], {"value": "v"}, title="t") is None
    assert charts.heatmap(df, "unit", "day", "value", title="t") is None
    assert charts.stacked_share(df, "unit", "value", title="t") is None
    assert charts.bands_chart(df, "unit", "a", "b", title="t") is None
    assert charts.paired_bars(df, "unit", "a", "b", {"a": "A", "b": "B"}, title="t") is None


def test_unknown_value_kind_is_rejected():
    with pytest.raises(ValueError):
        charts.ranked_bars(UNITS, "unit", "value", value_kind="furlongs", title="t")


# --- purity and theme --------------------------------------------------------------------------

@pytest.mark.parametrize("module", ["charts.py", "chart_parts.py", "theme.py"])
def test_chart_modules_do_not_import_streamlit(module):
    tree = ast.parse((ROOT / "lib" / "view" / module).read_text("utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom)}
    assert "streamlit" not in imported


def test_theme_sizes_are_readable():
    assert theme.NORMAL.label >= 13 and theme.NORMAL.title >= 16
    assert min(theme.LARGE.label, theme.LARGE.title, theme.LARGE.mark_text,
               theme.LARGE.legend, theme.LARGE.axis_title) >= 20
    assert theme.FONT.startswith("Noto Sans Devanagari")
    assert theme.highlight_for(theme.RECHARGE) != theme.HIGHLIGHT


def test_streamlit_config_matches_theme_and_ships_fonts():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["server"]["enableStaticServing"] is True
    assert config["server"]["headless"] is True
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["toolbarMode"] == "minimal"
    th = config["theme"]
    assert th["base"] == "light"
    assert th["primaryColor"].upper() == theme.PRIMARY.upper()
    assert th["textColor"].upper() == theme.TEXT.upper()
    assert th["font"] == theme.FONT
    assert [c.upper() for c in th["chartCategoricalColors"]] == [c.upper() for c in theme.CATEGORICAL]
    families = {face["family"] for face in th["fontFaces"]}
    assert families == {"Noto Sans Devanagari", "Noto Sans"}
    for face in th["fontFaces"]:
        assert face["url"].startswith("app/static/")
        path = ROOT / "static" / face["url"].removeprefix("app/static/")
        assert path.is_file() and path.stat().st_size > 100_000, path
        assert path.read_bytes()[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"wOF2", b"wOFF")
    weights = sorted(f["weight"] for f in th["fontFaces"] if f["family"] == "Noto Sans Devanagari")
    assert weights == [400, 700]
    assert "SIL OPEN FONT LICENSE" in (ROOT / "static" / "fonts" / "OFL.txt").read_text("utf-8")
