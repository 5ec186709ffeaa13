"""Zones & areas: one metric compared across the units of any level, and every metric in a table."""

import streamlit as st

from lib.data.contract import LEVELS
from lib.figures import current
from lib.figures.metrics import KPI_KEYS
from lib.view import charts, drill, ui
from lib.view.formats import KPI_KINDS
from lib.view.labels import kpi_label, level_label, t

f = ui.current_filters()
lang = f.lang
ui.page_header("zones", f)

notices: list[str] = []
left, right = st.columns([2, 3])
with left:
    level = drill.url_choice(st.segmented_control, t("filter.level", lang),
                             {lv: level_label(lv, lang, plural=True) for lv in LEVELS}, "level",
                             drill.first_level(f.scope), notices, lang, required=True)
with right:
    metric = drill.url_choice(st.selectbox, t("filter.metric", lang),
                              {k: kpi_label(k, lang) for k in KPI_KEYS}, "metric",
                              "negative_balance", notices, lang)
drill.show_notices(notices)

units = drill.unique_names(ui.with_unit_name(current.by_unit(f.scope, f.period, level), lang))
if units.empty:
    ui.no_data(lang)
    st.stop()

kind, name = KPI_KINDS[metric], kpi_label(metric, lang)
unit_word, units_word = level_label(level, lang), level_label(level, lang, plural=True)
top = drill.top_units(units, metric)
if len(top) < len(units):
    st.caption(t("zones.top_caption", lang, n=len(top), total=len(units),
                 units=units_word.lower(), metric=name))

ui.chart(charts.ranked_bars(
    top, "unit", metric, value_kind=kind, lang=lang,
    title=t("zones.by_level", lang, metric=name, level=unit_word.lower())), lang)

days = drill.for_units(current.daily(f.scope, f.period, level), top)
ui.chart(charts.heatmap(
    days, "unit", "day", metric, value_kind=kind, lang=lang, colors=drill.heat_colors(metric),
    title=t("zones.day_by_day", lang, metric=name)), lang)

st.subheader(t("zones.all_metrics", lang, level=unit_word.lower()))
columns = {"unit": (unit_word, "text"), "code": (t("chart.code", lang), "text")}
if level == "zone":
    columns["chief_engineer"] = (t("officer.chief_engineer", lang), "text")
columns |= {k: (kpi_label(k, lang), KPI_KINDS[k]) for k in KPI_KEYS}
ui.table(units.sort_values(metric, ascending=False, na_position="last"), columns, lang,
         f"{level}-figures")
