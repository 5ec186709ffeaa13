"""Recharges: how many, how much, through which channel, and how much through the Smart App."""

import streamlit as st

from lib.figures import current
from lib.view import charts, drill, theme, ui
from lib.view.formats import fmt_int
from lib.view.labels import channel_label, kpi_label, level_label, t

f = ui.current_filters()
lang = f.lang
notices: list[str] = []
ui.page_header("recharges", f)

fig = ui.tile_figures_or_stop(f)

ui.tiles([ui.kpi_tile(fig, "recharge_count", lang), ui.kpi_tile(fig, "recharge_inr", lang),
          ui.kpi_tile(fig, "app_recharge_share", lang)], per_row=3)

st.subheader(t("topic.day_by_day", lang))
days = current.daily(f.scope, f.period)
left, right = st.columns(2)
for col, key, kind in ((left, "recharge_count", "int"), (right, "recharge_inr", "inr")):
    with col:
        ui.chart(charts.trend(days, "day", [key], {key: kpi_label(key, lang)}, value_kind=kind,
                              title=kpi_label(key, lang), lang=lang), lang)
with st.expander(t("topic.chart_data", lang)):
    ui.table(days, {"day": (t("chart.day", lang), "date"),
                    "recharge_count": (kpi_label("recharge_count", lang), "int"),
                    "recharge_inr": (kpi_label("recharge_inr", lang), "inr"),
                    "app_recharge_share": (kpi_label("app_recharge_share", lang), "pct")},
             lang, "recharges-daily")

st.subheader(t("rch.channels", lang))
channels = current.recharge_channels(f.scope, f.period)
channels = channels.assign(label=[channel_label(c, lang) for c in channels["channel"]])
colors = {channel_label(c, lang): color for c, color in theme.CHANNEL_COLORS.items()}
ui.chart(charts.stacked_share(channels, "label", "recharge_inr", value_kind="inr",
                              title=t("rch.channel_share", lang), lang=lang, colors=colors), lang)
ui.table(channels.sort_values("recharge_inr", ascending=False)
         if channels["recharge_count"].any() else channels.iloc[0:0], {
    "label": (t("rch.channel", lang), "text"),
    "recharge_count": (kpi_label("recharge_count", lang), "int"),
    "recharge_inr": (kpi_label("recharge_inr", lang), "inr"),
    "share": (t("chart.share", lang), "pct"),
}, lang, "recharge-channels")

st.subheader(t("topic.by_unit", lang))
level, units = ui.level_and_units(f, notices)
drill.show_notices(notices)
if len(units) > drill.TOP_N:
    st.caption(t("topic.top_of", lang, n=drill.TOP_N, total=fmt_int(len(units), lang)))
left, right = st.columns(2)
for col, key, kind in ((left, "recharge_inr", "inr"), (right, "app_recharge_share", "pct")):
    with col:
        top = drill.top_units(units, key)
        ui.chart(charts.ranked_bars(top, "unit", key, value_kind=kind, title=kpi_label(key, lang),
                                    lang=lang) if units["recharge_count"].sum() else None, lang)
ui.table(units.sort_values("recharge_inr", ascending=False), {
    "unit": (level_label(level, lang), "text"),
    "code": (t("chart.code", lang), "text"),
    "consumers": (kpi_label("consumers", lang), "int"),
    "recharge_count": (kpi_label("recharge_count", lang), "int"),
    "recharge_inr": (kpi_label("recharge_inr", lang), "inr"),
    "app_recharge_share": (kpi_label("app_recharge_share", lang), "pct"),
}, lang, f"recharges-by-{level}")
