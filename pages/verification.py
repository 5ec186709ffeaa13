"""Verification & app: mobile numbers confirmed by OTP, UPPCL Smart App downloads and training,
day by day and by unit."""

import streamlit as st

from lib.data.contract import LEVELS
from lib.figures import current
from lib.view import charts, drill, ui
from lib.view.formats import KPI_KINDS, fmt_int
from lib.view.labels import kpi_label, level_label, t

COUNTS = ["otp_verified", "app_downloaded", "app_trained"]
COVERAGE = ["verification_coverage", "app_coverage"]
RANK_BY = ["verification_coverage", "app_coverage", "otp_verified", "app_downloaded"]

f = ui.current_filters()
lang = f.lang
ui.page_header("verification", f)
notices: list[str] = []

fig = ui.tile_figures_or_stop(f)
ui.tiles([ui.kpi_tile(fig, key, lang) for key in COUNTS + COVERAGE], per_row=5)

st.subheader(t("topic.day_by_day", lang))
days = current.daily(f.scope, f.period)
left, right = st.columns(2)
with left:
    ui.chart(charts.trend(days, "day", COUNTS, {k: kpi_label(k, lang) for k in COUNTS},
                          value_kind="int", title=t("ver.daily_counts", lang), lang=lang,
                          height=340), lang)
with right:
    ui.chart(charts.trend(days, "day", COVERAGE, {k: kpi_label(k, lang) for k in COVERAGE},
                          value_kind="pct", title=t("ver.daily_coverage", lang), lang=lang,
                          height=340), lang)
with st.expander(t("topic.chart_data", lang)):
    ui.table(days, {"day": (t("chart.day", lang), "date"),
                    **{k: (kpi_label(k, lang), KPI_KINDS[k]) for k in COUNTS + COVERAGE}},
             lang, "verification-daily")

st.subheader(t("topic.by_unit", lang))
left, middle, right = st.columns([3, 2, 2])
with left:
    level = drill.url_choice(st.segmented_control, t("filter.level", lang),
                             {lv: level_label(lv, lang) for lv in LEVELS}, "level", "zone",
                             notices, lang, required=True)
with middle:
    metric = drill.url_choice(st.selectbox, t("topic.rank_by", lang),
                              {k: kpi_label(k, lang) for k in RANK_BY}, "metric", RANK_BY[0],
                              notices, lang)
units = drill.unique_names(ui.with_unit_name(current.by_unit(f.scope, f.period, level), lang))
order = "top"
if len(units) > drill.TOP_N:
    with right:
        order = drill.url_choice(st.segmented_control, t("topic.show", lang),
                                 {o: t(f"msg.{o}_n", lang, n=drill.TOP_N) for o in ("top", "bottom")},
                                 "order", "top", notices, lang, required=True)
drill.show_notices(notices)
shown = (units.nsmallest(drill.TOP_N, metric) if order == "bottom"
         else drill.top_units(units, metric))
if len(shown) < len(units):
    st.caption(t("topic.top_of" if order == "top" else "topic.bottom_of", lang, n=len(shown),
                 total=fmt_int(len(units), lang)))
ui.chart(charts.ranked_bars(shown, "unit", metric, value_kind=KPI_KINDS[metric],
                            title=kpi_label(metric, lang), lang=lang), lang)
ui.table(units.sort_values(metric, ascending=order == "bottom"), {
    "unit": (level_label(level, lang), "text"), "code": (t("chart.code", lang), "text"),
    "consumers": (kpi_label("consumers", lang), "int"),
    **{k: (kpi_label(k, lang), KPI_KINDS[k]) for k in COUNTS + COVERAGE},
}, lang, f"verification-by-{level}")
