"""What the chart builders share: value kinds, formatters, axes, bar-end labels and sizes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd

from lib.view import theme
from lib.view.formats import (
    IST,
    axis_label_expr,
    fmt_hours,
    fmt_inr,
    fmt_int,
    fmt_pct,
    fmt_short,
)

VALUE_KINDS = ("int", "inr", "pct", "hours")


# --- helpers --------------------------------------------------------------------------------

def checked_kind(value_kind: str) -> str:
    kind = "int" if value_kind == "count" else value_kind
    if kind not in VALUE_KINDS:
        raise ValueError(f"unknown value_kind {value_kind!r}; expected one of {VALUE_KINDS}")
    return kind


def full_formatter(value_kind: str, lang: str) -> Callable[[object], str]:
    """Formatter for tooltips: full Indian-grouped numbers ("12,34,567", "₹12,34,567", "23.5%")."""
    kind = checked_kind(value_kind)
    return {
        "int": lambda v: fmt_int(v, lang),
        "inr": lambda v: fmt_inr(v, lang),
        "pct": lambda v: fmt_pct(v, lang),
        "hours": lambda v: fmt_hours(v, lang),
    }[kind]


def short_formatter(value_kind: str, lang: str) -> Callable[[object], str]:
    """Formatter for labels on marks: lakh/crore short forms ("2.24 crore", "₹7.88 lakh")."""
    kind = checked_kind(value_kind)
    return {
        "int": lambda v: fmt_short(v, lang),
        "inr": lambda v: fmt_short(v, lang, rupee=True),
        "pct": lambda v: fmt_pct(v, lang),
        "hours": lambda v: fmt_hours(v, lang),
    }[kind]


def field_ref(name: str) -> str:
    """A column name as a Vega-Lite field reference (dots and brackets are not paths here)."""
    return name.replace("\\", "\\\\").replace(".", "\\.").replace("[", "\\[").replace("]", "\\]")


def is_empty(df: pd.DataFrame | None, value_cols: Sequence[str]) -> bool:
    if df is None or df.empty:
        return True
    return all(pd.to_numeric(df[c], errors="coerce").isna().all() for c in value_cols)


def as_numbers(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce").astype("float64")


def as_text(series: pd.Series) -> pd.Series:
    """Unit / category names as text (codes may be numbers; sort lists compare as strings)."""
    return series.map(lambda v: "—" if v is None or (isinstance(v, float) and v != v) else str(v))


def as_days(series: pd.Series) -> pd.Series:
    """Days as naive datetimes (midnight); aware timestamps are first converted to IST."""
    days = pd.to_datetime(series)
    if days.dt.tz is not None:
        days = days.dt.tz_convert(IST).dt.tz_localize(None)
    return days.dt.normalize()


def value_domain(values: pd.Series) -> list[float]:
    """Scale domain from 0 to the longest bar (value labels sit inside long bars, see below)."""
    vals = values.dropna()
    lo = min(0.0, float(vals.min())) if len(vals) else 0.0
    hi = max(0.0, float(vals.max())) if len(vals) else 1.0
    if hi == lo == 0:
        hi = 1.0
    return [lo, hi]


# A value label goes inside the end of a bar at least this share of the longest bar (in light
# text), else just after the bar: so labels never run past the plot, however narrow the column.
INSIDE_SHARE = 0.45
SLOTS = (  # slot, align, dx, inside
    ("in+", "right", -6, True), ("out+", "left", 5, False),
    ("in-", "left", 6, True), ("out-", "right", -5, False),
)


def label_slots(values: pd.Series, inside_share: float = INSIDE_SHARE) -> list[str]:
    """Where each bar's value label goes: inside/outside, positive/negative bar ("in+", ...)."""
    vals = as_numbers(values)
    top = float(vals.abs().max()) if vals.notna().any() else 0.0
    slots = []
    for v in vals:
        if pd.isna(v):
            slots.append("none")
            continue
        inside = top > 0 and abs(v) >= inside_share * top
        slots.append(("in" if inside else "out") + ("-" if v < 0 else "+"))
    return slots


def ink_on(color: str) -> str:
    """Text colour readable on a bar of ``color``: white on dark colours, else the text colour."""
    hex_ = color.lstrip("#")
    if len(hex_) != 6:
        return "white"
    r, g, b = (int(hex_[i:i + 2], 16) / 255 for i in (0, 2, 4))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "white" if luminance < 0.6 else theme.TEXT


def value_labels(data: pd.DataFrame, encodings: Mapping[str, Any], large: bool, *,
                  label_col: str = "_label", slot_col: str = "_slot", ink_col: str = "_ink",
                  opacity: Any = None) -> list[alt.Chart]:
    """Text layers for bar-end value labels, one per slot present (see ``label_slots``).

    ``slot_col`` holds each row's slot, ``ink_col`` the text colour for labels inside the bar.
    """
    layers = []
    for slot, align, dx, inside in SLOTS:
        if not (data[slot_col] == slot).any():
            continue
        color: Any = (alt.Color(field=ink_col, type="nominal", scale=None) if inside
                      else alt.value(theme.palette(large).text))
        enc = dict(encodings, text=alt.Text(field=label_col, type="nominal"), color=color)
        if opacity is not None:
            enc["opacity"] = opacity
        layers.append(
            alt.Chart(data).transform_filter(alt.FieldEqualPredicate(field=slot_col, equal=slot))
            .mark_text(**theme.text_style(large, align=align, dx=dx, baseline="middle",
                                          fontWeight=600 if inside else 400))
            .encode(**enc))
    return layers


def value_axis(value_kind: str, lang: str, large: bool, domain: Sequence[float] | None = None,
                data_max: float | None = None, **kwargs: Any) -> alt.Axis:
    props: dict[str, Any] = {"labelExpr": axis_label_expr(checked_kind(value_kind), lang),
                             "tickCount": 5, "title": None}
    if checked_kind(value_kind) in ("int", "count"):
        props["tickMinStep"] = 1  # counts: never a tick at 0.5 consumers
    if checked_kind(value_kind) == "pct" and domain is not None:
        # Ratios: ticks at round percentages; not past 100 % unless a value is (targets beaten).
        top = domain[1] if (data_max or 0.0) > 1.0 else min(domain[1], 1.0)
        step = 0.25 if top > 0.5 else 0.1 if top > 0.2 else 0.05
        if top / step <= 12:  # beyond that (ratios far above 1) Vega's own ticks do better
            props["values"] = [round(i * step, 4) for i in range(int(top / step + 1e-9) + 1)]
    props.update(kwargs)
    return theme.axis(large, **props)


def unit_axis(large: bool, **kwargs: Any) -> alt.Axis:
    s = theme.sizes(large)
    props: dict[str, Any] = {"labelAngle": 0, "labelLimit": s.label_limit, "title": None,
                             "ticks": False, "domain": False, "labelOverlap": False}
    props.update(kwargs)
    return theme.axis(large, **props)


def finished(chart: alt.TopLevelMixin, title: str | None, large: bool, *, rows: int,
            subtitle: str | None = None, fit: str | None = "fit-x", **props: Any) -> Any:
    """Title, container width, renderer and autosize on the top-level chart.

    Small charts render as SVG (text re-renders once the web font arrives); above ~2,000 marks
    Streamlit's default canvas renderer is kept, which stays fast.
    """
    if title:
        props["title"] = theme.title(title, large, subtitle=subtitle)
    # Devanagari vowel signs and the reph rise above the headline: room at the top edge.
    props.setdefault("padding", {"top": 6, "left": 0, "right": 0, "bottom": 0})
    if fit:
        props["autosize"] = alt.AutoSizeParams(type=fit, contains="padding")
    if rows <= 2000:
        props["usermeta"] = theme.USERMETA
    if large:
        props["background"] = theme.palette(large).background
    return chart.properties(**props)


def band_height(n: int, step: int) -> int:
    """Height in px for ``n`` bands of ``step`` px (a fixed height, so "fit-x" needs no step)."""
    return max(1, n) * step


def colors_for(keys: Sequence[str], colors: Sequence[str] | None,
               large: bool = False) -> list[str]:
    if colors is not None:
        return list(colors)
    picked = [theme.color_for(k, default=None, large=large) for k in keys]
    if None in picked or len(set(picked)) < len(picked):
        return [theme.on_display(theme.CATEGORICAL[i % len(theme.CATEGORICAL)], large)
                for i in range(len(keys))]
    return [c for c in picked if c is not None]


def tooltips_for(extra: Mapping[str, str] | None) -> list[alt.Tooltip]:
    return [alt.Tooltip(field=field_ref(col), type="nominal", title=label)
            for col, label in (extra or {}).items()]
