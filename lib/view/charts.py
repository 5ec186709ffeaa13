"""Chart builders: a tidy DataFrame in, an ``alt.Chart`` (or layered chart) out; pure Altair.

Every builder takes column names and an already-translated title, returns None for an empty
frame (the page then shows ``t("msg.no_data")``), keeps every label horizontal, and fills the
container width (``st.altair_chart(chart)``; the default ``width="stretch"`` is right).
Tooltips show pre-formatted strings (Indian grouping, "02 Feb 2026"); bar-end labels use the
lakh/crore short form; axes use ``lib.view.formats.axis_label_expr``.

``value_kind`` is one of "int" (counts), "inr" (rupees), "pct" (a 0-1 ratio) or "hours".
Unit and category columns are shown as they are: pass display names (Hindi names when lang is
"hi"; vocabulary codes through ``lib.view.labels.vocab_label``), unique per chart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd

from lib.figures.memo import remembered
from lib.view import theme
from lib.view.chart_parts import (
    as_days,
    as_numbers,
    as_text,
    band_height,
    checked_kind,
    colors_for,
    field_ref,
    finished,
    full_formatter,
    ink_on,
    is_empty,
    label_slots,
    short_formatter,
    tooltips_for,
    unit_axis,
    value_axis,
    value_domain,
    value_labels,
)
from lib.view.formats import (
    axis_label_expr,
    date_label_expr,
    fmt_date,
    fmt_day,
    fmt_inr,
    fmt_int,
    fmt_pct,
    fmt_short,
)
from lib.view.labels import t

# --- builders --------------------------------------------------------------------------------

@remembered
def ranked_bars(df: pd.DataFrame, unit_col: str, value_col: str, *, value_kind: str = "int",
                title: str = "", lang: str = "en", highlight: str | Sequence[str] | None = None,
                selectable: bool = False, select_name: str = "unit", large: bool = False,
                color: str | None = None, value_title: str | None = None,
                unit_title: str | None = None, subtitle: str | None = None,
                extra_tooltip: Mapping[str, str] | None = None) -> alt.LayerChart | None:
    """Horizontal bars, one per unit (y), longest first, with the value at each bar's end.

    ``highlight``: unit name(s) drawn in the highlight colour. ``selectable``: adds a point
    selection ``select_name`` on ``unit_col``, so ``st.altair_chart(chart, on_select="rerun")``
    returns the clicked unit in ``event.selection[select_name]`` (a list of {unit_col: name}).
    ``extra_tooltip``: more columns for the tooltip, {column: translated title}, shown as is.
    """
    if is_empty(df, [value_col]):
        return None
    kind = checked_kind(value_kind)
    keep = [unit_col, value_col] + [c for c in (extra_tooltip or {}) if c not in (unit_col, value_col)]
    data = df[keep].copy()
    data[unit_col] = as_text(data[unit_col])
    data[value_col] = as_numbers(data[value_col])
    data["_tip"] = [full_formatter(kind, lang)(v) for v in data[value_col]]
    data["_label"] = [short_formatter(kind, lang)(v) for v in data[value_col]]
    s = theme.sizes(large)
    base_color = (color or theme.color_for(value_col, default=None, large=large)
                  or theme.color_for(kind, large=large))
    names = [] if highlight is None else [highlight] if isinstance(highlight, str) else list(highlight)
    lit = theme.highlight_for(base_color, large)
    data["_slot"] = label_slots(data[value_col])
    data["_ink"] = [ink_on(lit if u in names else base_color) for u in data[unit_col]]
    domain = value_domain(data[value_col])

    sort = alt.EncodingSortField(field=field_ref(value_col), op="max", order="descending")
    y = alt.Y(field=field_ref(unit_col), type="nominal", sort=sort,
              axis=unit_axis(large, title=unit_title))
    x = alt.X(field=field_ref(value_col), type="quantitative",
              scale=alt.Scale(domain=domain, nice=False),
              axis=value_axis(kind, lang, large, domain, data[value_col].max(),
                               title=value_title))
    tooltip = [alt.Tooltip(field=field_ref(unit_col), type="nominal", title=unit_title or t("chart.unit", lang)),
               alt.Tooltip(field="_tip", type="nominal", title=value_title or t("chart.value", lang)),
               *tooltips_for(extra_tooltip)]

    bar_color: Any = alt.value(base_color)
    if names:
        predicate = alt.FieldOneOfPredicate(field=field_ref(unit_col), oneOf=names)
        bar_color = alt.when(predicate).then(alt.value(lit)).otherwise(alt.value(base_color))

    bars = alt.Chart(data).mark_bar(cornerRadiusEnd=3, height={"band": 0.75}).encode(
        y=y, x=x, color=bar_color, tooltip=tooltip)
    opacity = None
    if selectable:
        selection = alt.selection_point(name=select_name, fields=[field_ref(unit_col)], on="click",
                                        clear="dblclick")
        opacity = alt.when(selection).then(alt.value(1.0)).otherwise(alt.value(theme.DIMMED_OPACITY))
        bars = bars.add_params(selection).encode(opacity=opacity)
    labels = value_labels(data, {"y": y, "x": x, "tooltip": tooltip}, large, opacity=opacity)
    chart = alt.layer(bars, *labels)
    return finished(chart, title, large, rows=2 * len(data), subtitle=subtitle,
                   width="container", height=band_height(data[unit_col].nunique(), s.bar_step))



@remembered
def trend(df: pd.DataFrame, day_col: str, value_cols: Sequence[str], labels: Mapping[str, str],
          *, value_kind: str = "int", title: str = "", lang: str = "en", large: bool = False,
          colors: Sequence[str] | None = None, subtitle: str | None = None,
          height: int | None = None) -> alt.LayerChart | None:
    """Day-by-day lines with points, one series per value column (folded to long form).

    ``labels``: value column -> translated series name (the legend). Colours follow the metric
    when the value columns are KPI keys (``theme.METRIC_COLORS``), else the categorical palette.
    """
    value_cols = list(value_cols)
    if is_empty(df, value_cols):
        return None
    kind = checked_kind(value_kind)
    data = df[[day_col, *value_cols]].copy()
    data[day_col] = as_days(data[day_col])
    data = data.dropna(subset=[day_col])
    if data.empty:
        return None
    long = data.melt(id_vars=[day_col], value_vars=value_cols, var_name="_series_key",
                     value_name="_value")
    long["_value"] = as_numbers(long["_value"])
    names = [labels.get(c, c) for c in value_cols]
    long["_series"] = [labels.get(c, c) for c in long["_series_key"]]
    long["_day"] = [fmt_date(d, lang) for d in long[day_col]]
    long["_tip"] = [full_formatter(kind, lang)(v) for v in long["_value"]]
    long = long.drop(columns="_series_key")
    s = theme.sizes(large)

    days = data[day_col].nunique()
    step = 1 if days <= 16 else 2 if days <= 31 else 7
    x = alt.X(field=field_ref(day_col), type="temporal",
              scale=alt.Scale(padding=s.point_size ** 0.5 + 4),  # first/last points not clipped
              axis=theme.axis(large, title=None, labelExpr=date_label_expr(lang), grid=False,
                              labelFlush=False,
                              tickCount=alt.TimeIntervalStep(interval="day", step=step)))
    y = alt.Y(field="_value", type="quantitative", scale=alt.Scale(zero=True),
              axis=value_axis(kind, lang, large))
    color = alt.Color(field="_series", type="nominal",
                      scale=alt.Scale(domain=names, range=colors_for(value_cols, colors, large)),
                      legend=theme.legend(large, title=None, columns=2 if len(value_cols) > 2 else 0)
                      if len(value_cols) > 1 else None)
    tooltip = [alt.Tooltip(field="_series", type="nominal", title=t("chart.series", lang)),
               alt.Tooltip(field="_day", type="nominal", title=t("chart.day", lang)),
               alt.Tooltip(field="_tip", type="nominal", title=t("chart.value", lang))]
    base = alt.Chart(long).encode(x=x, y=y, color=color)
    lines = base.mark_line(strokeWidth=s.line_width)
    points = base.mark_point(filled=True, size=s.point_size, opacity=1).encode(tooltip=tooltip)
    return finished(alt.layer(lines, points), title, large, rows=2 * len(long), subtitle=subtitle,
                   fit="fit", width="container", height=height or (420 if large else 300))


@remembered
def heatmap(df: pd.DataFrame, unit_col: str, day_col: str, value_col: str, *,
            value_kind: str = "int", title: str = "", lang: str = "en", large: bool = False,
            colors: Sequence[str] | None = None, show_values: bool | None = None,
            subtitle: str | None = None) -> alt.LayerChart | None:
    """Unit (y) by day (x) coloured cells, with the value in each cell.

    ``show_values``: write values in the cells (default: when there are at most 14 days).
    ``colors``: a light-to-dark scheme (default ``theme.SEQUENTIAL``; ``SEQUENTIAL_REDS`` etc.).
    """
    if is_empty(df, [value_col]):
        return None
    kind = checked_kind(value_kind)
    data = df[[unit_col, day_col, value_col]].copy()
    data[unit_col] = as_text(data[unit_col])
    data[day_col] = as_days(data[day_col])
    data[value_col] = as_numbers(data[value_col])
    data = data.dropna(subset=[day_col])
    if data.empty:
        return None
    days = sorted(data[day_col].unique())
    day_labels = [fmt_day(d, lang) for d in days]
    label_of = dict(zip(days, day_labels, strict=True))
    data["_col"] = [label_of[d] for d in data[day_col]]
    data["_day"] = [fmt_date(d, lang) for d in data[day_col]]
    data["_tip"] = [full_formatter(kind, lang)(v) for v in data[value_col]]
    data["_label"] = [short_formatter(kind, lang)(v) for v in data[value_col]]
    data[day_col] = data[day_col].dt.strftime("%Y-%m-%d")
    s = theme.sizes(large)
    vals = data[value_col].dropna()
    zero = kind != "hours"
    low = min(0.0, float(vals.min())) if zero and len(vals) else float(vals.min()) if len(vals) else 0.0
    mid = (low + float(vals.max())) / 2 if len(vals) else 0.0  # darker half of the scale

    x = alt.X(field="_col", type="ordinal", sort=day_labels,
              axis=theme.axis(large, title=None, orient="top", ticks=False, domain=False,
                              labelOverlap="greedy"))
    # Busiest unit first (sum over the days), computed here: layered charts cannot sort by sum.
    unit_order = [str(u) for u in data.groupby(unit_col, sort=False)[value_col].sum()
                  .sort_values(ascending=False, kind="stable").index]
    y = alt.Y(field=field_ref(unit_col), type="nominal", sort=unit_order, axis=unit_axis(large))
    tooltip = [alt.Tooltip(field=field_ref(unit_col), type="nominal", title=t("chart.unit", lang)),
               alt.Tooltip(field="_day", type="nominal", title=t("chart.day", lang)),
               alt.Tooltip(field="_tip", type="nominal", title=t("chart.value", lang))]
    scale = alt.Scale(range=list(colors or theme.SEQUENTIAL), zero=zero)
    cells = alt.Chart(data).mark_rect(stroke="white", strokeWidth=1).encode(
        x=x, y=y, tooltip=tooltip,
        color=alt.Color(field=field_ref(value_col), type="quantitative", scale=scale,
                        legend=theme.legend(large, title=None, orient="right", direction="vertical",
                                            gradientLength=160 if not large else 260,
                                            labelExpr=axis_label_expr(kind, lang))))
    layers: list[alt.Chart] = [cells]
    if show_values is None:
        show_values = len(days) <= 14
    if show_values:
        dark = alt.FieldGTPredicate(field=field_ref(value_col), gt=mid)
        text_color = alt.when(dark).then(alt.value("white")).otherwise(alt.value(theme.TEXT))
        layers.append(alt.Chart(data).mark_text(**theme.text_style(large, baseline="middle")).encode(
            x=x, y=y, text=alt.Text(field="_label", type="nominal"), color=text_color,
            tooltip=tooltip))
    return finished(alt.layer(*layers), title, large, rows=len(layers) * len(data),
                   subtitle=subtitle, width="container",
                   height=band_height(len(unit_order), s.bar_step + 6))


@remembered
def stacked_share(df: pd.DataFrame, cat_col: str, value_col: str, *, value_kind: str = "inr",
                  title: str = "", lang: str = "en", large: bool = False,
                  colors: Mapping[str, str] | None = None, subtitle: str | None = None,
                  ) -> alt.LayerChart | None:
    """Shares of a whole (e.g. recharge rupees by channel): one bar per category, largest first.

    Each bar is the category's share of the total; its label reads "45.6% · ₹12.3 lakh".
    ``colors``: category value -> colour (e.g. from ``theme.CHANNEL_COLORS`` by code); default
    one colour for all bars. Returns None when the frame is empty or the total is zero.
    """
    if is_empty(df, [value_col]):
        return None
    kind = checked_kind(value_kind)
    data = df[[cat_col, value_col]].copy()
    data[cat_col] = as_text(data[cat_col])
    data[value_col] = as_numbers(data[value_col]).fillna(0.0)
    total = float(data[value_col].sum())
    if total <= 0:
        return None
    data["_share"] = data[value_col] / total
    data["_share_tip"] = [fmt_pct(v, lang) for v in data["_share"]]
    data["_tip"] = [full_formatter(kind, lang)(v) for v in data[value_col]]
    data["_label"] = [f"{fmt_pct(sh, lang)} · {short_formatter(kind, lang)(v)}"
                      for sh, v in zip(data["_share"], data[value_col], strict=True)]
    s = theme.sizes(large)
    domain = value_domain(data["_share"])
    bar_colors = ([colors.get(c, theme.PRIMARY) for c in data[cat_col]] if colors else
                  [theme.color_for(value_col, default=None) or theme.PRIMARY] * len(data))
    data["_slot"] = label_slots(data["_share"], inside_share=0.6)  # the label is long
    data["_ink"] = [ink_on(c) for c in bar_colors]

    y = alt.Y(field=field_ref(cat_col), type="nominal",
              sort=alt.EncodingSortField(field="_share", op="max", order="descending"),
              axis=unit_axis(large))
    x = alt.X(field="_share", type="quantitative", scale=alt.Scale(domain=domain, nice=False),
              axis=value_axis("pct", lang, large, domain, data["_share"].max()))
    if colors:
        cats = [str(c) for c in data[cat_col]]
        color: Any = alt.Color(field=field_ref(cat_col), type="nominal", legend=None,
                               scale=alt.Scale(domain=cats, range=[colors.get(c, theme.PRIMARY) for c in cats]))
    else:
        color = alt.value(bar_colors[0])
    tooltip = [alt.Tooltip(field=field_ref(cat_col), type="nominal", title=t("chart.unit", lang)),
               alt.Tooltip(field="_tip", type="nominal", title=t("chart.amount", lang)
                           if kind == "inr" else t("chart.count", lang)),
               alt.Tooltip(field="_share_tip", type="nominal", title=t("chart.share", lang))]
    bars = alt.Chart(data).mark_bar(cornerRadiusEnd=3, height={"band": 0.75}).encode(
        y=y, x=x, color=color, tooltip=tooltip)
    labels = value_labels(data, {"y": y, "x": x, "tooltip": tooltip}, large)
    return finished(alt.layer(bars, *labels), title, large, rows=2 * len(data), subtitle=subtitle,
                   width="container", height=band_height(len(data), s.bar_step))


@remembered
def bands_chart(df: pd.DataFrame, band_label_col: str, count_col: str, amount_col: str, *,
                title: str = "", lang: str = "en", large: bool = False,
                count_title: str | None = None, amount_title: str | None = None,
                subtitle: str | None = None) -> alt.HConcatChart | None:
    """Dues bands: consumers (left) and arrears rupees (right), bands on the y-axis in row order,
    side by side in one chart of fixed width (the wall screen; pages use ``bands_panels``).

    Pass the rows in band order (1..5) with translated labels (``lib.view.labels.band_label``).
    """
    panels = _band_panels(df, band_label_col, count_col, amount_col, lang, large,
                          count_title, amount_title, width=720 if large else 220)
    if panels is None:
        return None
    chart = alt.hconcat(*panels, spacing=24 if large else 16).resolve_scale(y="shared")
    return finished(chart, title, large, rows=4 * len(df), subtitle=subtitle, fit="pad")


@remembered
def bands_panels(df: pd.DataFrame, band_label_col: str, count_col: str, amount_col: str, *,
                 lang: str = "en", count_title: str | None = None,
                 amount_title: str | None = None) -> tuple[alt.LayerChart, alt.LayerChart] | None:
    """The dues bands as two charts that each fill their column (a page's two columns):
    consumers with the band names, then arrears, rows level with each other."""
    panels = _band_panels(df, band_label_col, count_col, amount_col, lang, False,
                          count_title, amount_title, width="container")
    if panels is None:
        return None
    return tuple(finished(p, None, False, rows=2 * len(df)) for p in panels)  # type: ignore


TICKS = 4  # the dues bands' value axes: the scale is made nice to the same tick count


def _band_panels(df: pd.DataFrame, band_label_col: str, count_col: str, amount_col: str,
                 lang: str, large: bool, count_title: str | None, amount_title: str | None,
                 width: int | str) -> tuple[alt.LayerChart, alt.LayerChart] | None:
    if is_empty(df, [count_col, amount_col]):
        return None
    data = df[[band_label_col, count_col, amount_col]].copy()
    data[band_label_col] = as_text(data[band_label_col])
    data[count_col] = as_numbers(data[count_col])
    data[amount_col] = as_numbers(data[amount_col])
    data["_count_tip"] = [fmt_int(v, lang) for v in data[count_col]]
    data["_count_label"] = [fmt_short(v, lang) for v in data[count_col]]
    data["_amount_tip"] = [fmt_inr(v, lang) for v in data[amount_col]]
    data["_amount_label"] = [fmt_short(v, lang, rupee=True) for v in data[amount_col]]
    order = [str(b) for b in data[band_label_col]]
    s = theme.sizes(large)
    count_title = count_title or t("kpi.negative_balance", lang)
    amount_title = amount_title or t("kpi.arrears_inr", lang)
    tooltip = [alt.Tooltip(field=field_ref(band_label_col), type="nominal", title=t("band.title", lang)),
               alt.Tooltip(field="_count_tip", type="nominal", title=count_title),
               alt.Tooltip(field="_amount_tip", type="nominal", title=amount_title)]

    def panel(value_col: str, kind: str, label_col: str, color: str, heading: str,
              show_bands: bool) -> alt.LayerChart:
        data[f"{label_col}_slot"] = label_slots(data[value_col], inside_share=0.55)
        data[f"{label_col}ink_on"] = ink_on(color)
        y = alt.Y(field=field_ref(band_label_col), type="nominal", sort=order,
                  axis=unit_axis(large, labels=show_bands))
        # The axis ends at a labelled round value at or past the longest bar ("₹3.00 crore"
        # for bars up to ₹2.88 crore), so no bar runs past the last figure on the axis.
        x = alt.X(field=field_ref(value_col), type="quantitative",
                  scale=alt.Scale(domain=value_domain(data[value_col]), nice=TICKS),
                  axis=value_axis(kind, lang, large, tickCount=TICKS))
        bars = alt.Chart(data).mark_bar(color=color, cornerRadiusEnd=3, height={"band": 0.75}
                                        ).encode(y=y, x=x, tooltip=tooltip)
        text = value_labels(data, {"y": y, "x": x, "tooltip": tooltip}, large,
                            label_col=label_col, slot_col=f"{label_col}_slot",
                            ink_col=f"{label_col}ink_on")
        return alt.layer(bars, *text).properties(
            title=theme.title(heading, large), width=width,
            height=band_height(len(data), s.bar_step + 6))

    return (panel(count_col, "int", "_count_label", theme.on_display(theme.NEGATIVE, large),
                  count_title, True),
            panel(amount_col, "inr", "_amount_label", theme.on_display(theme.RECHARGE, large),
                  amount_title, False))


@remembered
def paired_bars(df: pd.DataFrame, unit_col: str, a_col: str, b_col: str, labels: Mapping[str, str],
                *, value_kind: str = "int", title: str = "", lang: str = "en",
                large: bool = False, colors: Sequence[str] | None = None,
                subtitle: str | None = None) -> alt.LayerChart | None:
    """Two bars per unit (e.g. negative at start vs cleared), units ordered by ``a_col``, largest first.

    ``labels``: {a_col: name, b_col: name} for the legend and tooltips. Colours follow the
    metrics when a_col/b_col are KPI keys (red for negative_at_start, green for negative_cleared).
    """
    if is_empty(df, [a_col, b_col]):
        return None
    kind = checked_kind(value_kind)
    data = df[[unit_col, a_col, b_col]].copy()
    data[unit_col] = as_text(data[unit_col])
    data[a_col] = as_numbers(data[a_col])
    data[b_col] = as_numbers(data[b_col])
    order = [str(u) for u in data.sort_values(a_col, ascending=False, kind="stable")[unit_col]]
    long = data.melt(id_vars=[unit_col], value_vars=[a_col, b_col], var_name="_key",
                     value_name="_value")
    names = [labels.get(a_col, a_col), labels.get(b_col, b_col)]
    long["_series"] = [labels.get(k, k) for k in long["_key"]]
    long["_tip"] = [full_formatter(kind, lang)(v) for v in long["_value"]]
    long["_label"] = [short_formatter(kind, lang)(v) for v in long["_value"]]
    long = long.drop(columns="_key")
    s = theme.sizes(large)
    domain = value_domain(long["_value"])
    series_colors = colors_for([a_col, b_col], colors)
    ink_of = {names[0]: ink_on(series_colors[0]), names[1]: ink_on(series_colors[1 % len(series_colors)])}
    long["_slot"] = label_slots(long["_value"])
    long["_ink"] = [ink_of[name] for name in long["_series"]]

    y = alt.Y(field=field_ref(unit_col), type="nominal", sort=order, axis=unit_axis(large))
    y_offset = alt.YOffset(field="_series", type="nominal", sort=names)
    x = alt.X(field="_value", type="quantitative", scale=alt.Scale(domain=domain, nice=False),
              axis=value_axis(kind, lang, large, domain, long["_value"].max()))
    color = alt.Color(field="_series", type="nominal",
                      scale=alt.Scale(domain=names, range=series_colors),
                      legend=theme.legend(large, title=None))
    tooltip = [alt.Tooltip(field=field_ref(unit_col), type="nominal", title=t("chart.unit", lang)),
               alt.Tooltip(field="_series", type="nominal", title=t("chart.series", lang)),
               alt.Tooltip(field="_tip", type="nominal", title=t("chart.value", lang))]
    bars = alt.Chart(long).mark_bar(cornerRadiusEnd=3).encode(
        y=y, yOffset=y_offset, x=x, color=color, tooltip=tooltip)
    text = value_labels(long, {"y": y, "yOffset": y_offset, "x": x, "tooltip": tooltip}, large)
    return finished(alt.layer(bars, *text), title, large, rows=2 * len(long), subtitle=subtitle,
                   width="container", height=band_height(2 * len(order), round(s.bar_step * 0.8))
                   + 8 * len(order))
