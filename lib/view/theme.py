"""One look for every chart: palette, fonts and sizes, declared once as data.

Pure Altair (no streamlit import). Sizes are set on the axes, titles, legends and marks of each
chart rather than in a top-level ``config``, so charts stay composable (layer, concat) and keep
their look under ``st.altair_chart(theme="streamlit")``. ``PRIMARY`` and ``CATEGORICAL`` are
repeated in ``.streamlit/config.toml`` (a test keeps them equal); ``FONT`` names the faces that
config serves from ``static/fonts``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt

FONT = "Noto Sans Devanagari, Noto Sans, sans-serif"

# Base colours.
PRIMARY = "#1B4F9C"      # UPPCL blue: Streamlit primaryColor, default bars
TEXT = "#1F2933"
MUTED = "#6B7280"
GRID = "#E5E7EB"
BACKGROUND = "#FFFFFF"
HIGHLIGHT = "#F59E0B"    # amber: the selected / highlighted unit
HIGHLIGHT_ALT = "#111827"  # near-black: the highlight on orange/amber bars (see highlight_for)
DIMMED_OPACITY = 0.35    # other units while one is selected

# One colour per metric (KPI key or family); charts of the same metric look the same everywhere.
NEGATIVE = "#C62828"
POSITIVE = "#2E7D32"
VERIFICATION = "#6A3D9A"
APP = "#00838F"
RECHARGE = "#C76A00"
COMPLAINT = "#8D5B4C"
METRIC_COLORS: dict[str, str] = {
    "consumers": PRIMARY,
    "negative_balance": NEGATIVE,
    "arrears_inr": NEGATIVE,
    "negative_at_start": NEGATIVE,
    "negative_cleared": POSITIVE,
    "otp_verified": VERIFICATION,
    "verification_coverage": VERIFICATION,
    "app_downloaded": APP,
    "app_trained": "#4DB6AC",
    "app_coverage": APP,
    "contacted": "#5C6BC0",
    "recharge_count": RECHARGE,
    "recharge_inr": RECHARGE,
    "app_recharge_share": APP,
    "complaints_received": COMPLAINT,
    "complaints_resolved": POSITIVE,
    "complaints_open": NEGATIVE,
    "resolution_hours_median": COMPLAINT,
}
# Default colour by value kind, when the metric is not known.
KIND_COLORS: dict[str, str] = {"int": PRIMARY, "inr": RECHARGE, "pct": APP, "hours": COMPLAINT}

# Recharge channels and complaint categories keep their colour across pages.
CHANNEL_COLORS: dict[str, str] = {
    "smart_app": APP, "upi": PRIMARY, "counter": RECHARGE, "bank": VERIFICATION, "other": MUTED,
}
COMPLAINT_COLORS: dict[str, str] = {
    "recharge": RECHARGE, "billing": PRIMARY, "meter": VERIFICATION, "app": APP,
    "supply": NEGATIVE, "other": MUTED,
}

# Categorical series (colour-blind friendly order, starting with the primary blue).
CATEGORICAL: tuple[str, ...] = (
    PRIMARY, RECHARGE, APP, NEGATIVE, VERIFICATION, POSITIVE, "#F2B705", "#8D5B4C",
    "#5C6BC0", "#9E9E9E",
)
# Sequential schemes for heatmaps: light to dark.
SEQUENTIAL: tuple[str, ...] = (
    "#EEF4FB", "#D6E4F5", "#B7D0EC", "#93B7E0", "#6D9CD2", "#4A80C2", "#2F66AE", "#1B4F9C",
    "#123C7C", "#0B2A5B",
)
SEQUENTIAL_REDS: tuple[str, ...] = (
    "#FDF0EE", "#FBD9D3", "#F6B9AE", "#F09483", "#E76E5B", "#D94C3A", "#C62828", "#A51F1F",
    "#841818", "#631111",
)
SEQUENTIAL_GREENS: tuple[str, ...] = (
    "#EEF7EE", "#D5ECD5", "#B5DDB6", "#8FCB91", "#69B76C", "#4AA24E", "#2E7D32", "#256A29",
    "#1B5620", "#124116",
)


@dataclass(frozen=True)
class Sizes:
    """Font sizes (px) and bar geometry for one screen size."""

    label: int        # axis tick labels, unit names
    axis_title: int
    title: int
    subtitle: int
    mark_text: int    # value labels at bar ends, heatmap cells
    legend: int
    bar_step: int     # px per bar (band step)
    label_limit: int  # px before a unit name is truncated with "…"
    line_width: int
    point_size: int


NORMAL = Sizes(label=13, axis_title=14, title=17, subtitle=14, mark_text=13, legend=13,
               bar_step=28, label_limit=260, line_width=3, point_size=60)
# The meeting-room screen, read from across the room.
LARGE = Sizes(label=20, axis_title=20, title=28, subtitle=20, mark_text=20, legend=20,
              bar_step=42, label_limit=380, line_width=5, point_size=160)

# The meeting-room display (``large``): a dark, high-contrast look, read from 4-6 m. Colours are
# the Okabe-Ito colour-blind-safe set lightened for a dark ground; "bad" is orange and "good" sky
# blue, never a red/green pair.
DARK_BACKGROUND = "#0B1220"
DARK_SURFACE = "#16213A"
DARK_TEXT = "#F5F7FA"
DARK_MUTED = "#C3CDD9"
DARK_GRID = "#2E3B52"
DISPLAY_COLORS: dict[str, str] = {
    PRIMARY: "#A5B4FC", NEGATIVE: "#E69F00", POSITIVE: "#56B4E9", VERIFICATION: "#CC79A7",
    APP: "#3CC7A8", "#4DB6AC": "#3CC7A8", RECHARGE: "#F0E442", COMPLAINT: "#D9A679",
    "#5C6BC0": "#A5B4FC", MUTED: "#9AA5B1",
}
DISPLAY_HIGHLIGHT = "#FFFFFF"
DISPLAY_BANNER = "#FFD166"  # stale / offline banners: dark ink on amber


@dataclass(frozen=True)
class Palette:
    """Ground and ink colours of one look (the pages', or the meeting-room display's)."""

    background: str
    text: str
    muted: str
    grid: str


LIGHT = Palette(BACKGROUND, TEXT, MUTED, GRID)
DARK = Palette(DARK_BACKGROUND, DARK_TEXT, DARK_MUTED, DARK_GRID)

# Embed options: SVG text re-renders when the web font arrives (canvas would keep the fallback).
USERMETA: dict[str, Any] = {"embedOptions": {"renderer": "svg"}}


def sizes(large: bool = False) -> Sizes:
    """Sizes for a normal screen, or the meeting-room display when ``large``."""
    return LARGE if large else NORMAL


def palette(large: bool = False) -> Palette:
    """Ground and ink colours: the pages' light look, or the display's dark one when ``large``."""
    return DARK if large else LIGHT


def on_display(color: str | None, large: bool = True) -> str | None:
    """A colour as the dark meeting-room display shows it (unchanged when not ``large``)."""
    if color is None or not large:
        return color
    return DISPLAY_COLORS.get(color.upper(), color)


def color_for(key: str | None, default: str | None = PRIMARY, large: bool = False) -> str | None:
    """Colour of a metric (KPI key) or value kind ("int", "inr", "pct", "hours")."""
    if key is None:
        return on_display(default, large)
    return on_display(METRIC_COLORS.get(key) or KIND_COLORS.get(key) or default, large)


def highlight_for(base: str, large: bool = False) -> str:
    """The highlight colour that stands out against bars of colour ``base``."""
    if large:
        return DISPLAY_HIGHLIGHT
    return HIGHLIGHT_ALT if base.upper() in (RECHARGE, HIGHLIGHT, "#F2B705") else HIGHLIGHT


def axis(large: bool = False, **kwargs: Any) -> alt.Axis:
    """An axis in the house style: readable sizes, horizontal labels; kwargs override."""
    s, p = sizes(large), palette(large)
    props: dict[str, Any] = {
        "labelFont": FONT, "labelFontSize": s.label, "labelColor": p.text, "labelAngle": 0,
        "titleFont": FONT, "titleFontSize": s.axis_title, "titleColor": p.text,
        "titleFontWeight": 600, "gridColor": p.grid, "domainColor": p.muted, "tickColor": p.muted,
        "labelPadding": 6, "labelOverlap": True,
    }
    props.update(kwargs)
    return alt.Axis(**props)


def legend(large: bool = False, **kwargs: Any) -> alt.Legend:
    """A legend in the house style (top by default); kwargs override."""
    s, p = sizes(large), palette(large)
    props: dict[str, Any] = {
        "labelFont": FONT, "labelFontSize": s.legend, "labelColor": p.text, "labelLimit": 400,
        "titleFont": FONT, "titleFontSize": s.legend, "titleColor": p.text, "orient": "top",
        "symbolSize": 200 if large else 120, "symbolStrokeWidth": 3,
    }
    props.update(kwargs)
    return alt.Legend(**props)


def title(text: str | Sequence[str], large: bool = False,
          subtitle: str | Sequence[str] | None = None) -> alt.TitleParams:
    """A chart title, left-aligned, with an optional subtitle."""
    s, p = sizes(large), palette(large)
    props: dict[str, Any] = {
        "text": text, "anchor": "start", "font": FONT, "fontSize": s.title, "fontWeight": 600,
        "color": p.text, "offset": 10, "limit": 0,
    }
    if subtitle:
        props.update(subtitle=subtitle, subtitleFont=FONT, subtitleFontSize=s.subtitle,
                     subtitleColor=p.muted)
    return alt.TitleParams(**props)


def text_style(large: bool = False, **kwargs: Any) -> dict[str, Any]:
    """Keyword arguments for ``mark_text`` in the house style (value labels)."""
    props: dict[str, Any] = {"font": FONT, "fontSize": sizes(large).mark_text,
                             "color": palette(large).text}
    props.update(kwargs)
    return props


def vega_config(large: bool = False) -> dict[str, Any]:
    """The same style as a Vega-Lite ``config`` dict (for ``st.vega_lite_chart`` or a theme)."""
    s = sizes(large)
    return {
        "font": FONT,
        "background": BACKGROUND,
        "view": {"stroke": None},
        "axis": {"labelFontSize": s.label, "titleFontSize": s.axis_title, "labelAngle": 0,
                 "labelColor": TEXT, "titleColor": TEXT, "gridColor": GRID},
        "legend": {"labelFontSize": s.legend, "titleFontSize": s.legend, "orient": "top"},
        "title": {"fontSize": s.title, "anchor": "start", "color": TEXT},
        "text": {"fontSize": s.mark_text},
        "range": {"category": list(CATEGORICAL), "ramp": list(SEQUENTIAL)},
        "mark": {"color": PRIMARY},
    }


def display_css() -> str:
    """The meeting-room display's look where Streamlit has no option: no header, a dark ground,
    type for a room (figures 76 px, no text under 18 px). Constants only, never data."""
    p = DARK
    return f"""
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stStatusWidget"] {{ display: none !important; }}
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {{
  background: {p.background}; color: {p.text}; }}
[data-testid="stMainBlockContainer"] {{ max-width: none; padding: 20px 40px 8px 40px; }}
[data-testid="stMarkdownContainer"] p {{ color: {p.text}; font-size: 26px; }}
[data-testid="stHeading"] h2, [data-testid="stHeading"] h2 * {{
  color: {p.text}; font-size: 44px; padding: 0; }}
[data-testid="stCaptionContainer"], .stApp [data-testid="stCaptionContainer"] * {{
  color: {p.muted}; font-size: 26px; }}
[data-testid="stText"], [data-testid="stText"] * {{ color: {p.muted}; font-size: 20px; }}
[data-testid="stMetric"] {{ background: {DARK_SURFACE}; border-color: {p.grid}; padding: 16px 24px; }}
[data-testid="stMetricLabel"], .stApp [data-testid="stMetricLabel"] * {{
  font-size: 30px; color: {p.muted}; }}
[data-testid="stMetricValue"], .stApp [data-testid="stMetricValue"] * {{
  font-size: 76px; line-height: 1.15; color: {p.text}; }}
[data-testid="stMetricDelta"] {{ font-size: 26px; }}
.stApp [data-testid="stMetricDelta"] * {{ font-size: 26px; color: inherit; }}
[data-testid="stAlertContainer"] {{ background: {DISPLAY_BANNER}; }}
.stApp [data-testid="stAlertContainer"] p, .stApp [data-testid="stAlertContainer"] * {{
  color: {p.background}; font-size: 28px; font-weight: 600; }}
"""


# The narrowest a KPI tile may be (its value, label and badge fit: "₹8.42 करोड़", "Negative-balance
# consumers", "-₹22.55 lakh since 06 Feb"). Rows hold as many tiles as fit, at most `per_row`.
TILE_MIN_WIDTH = "16.5rem"


def tiles_css(name: str, per_row: int) -> str:
    """A tile row that wraps: each tile at least TILE_MIN_WIDTH wide and at most ``per_row`` to
    a row (a basis just over 1/(per_row+1) of the row), so 12 tiles are 4 × 3 at 1920 px and
    3 × 4 at 1366 px with the sidebar open. Streamlit gives a keyed container the class
    ``st-key-<key>``; its children are the tiles. Constants only, never data."""
    basis = f"max({TILE_MIN_WIDTH}, calc({100 / (per_row + 1):.4f}% + 1px))"
    return f".st-key-{name} > * {{ flex: 1 1 {basis} !important; }}"
