"""Help desks: complaints received, resolved and still open, per desk and by unit.

Complaints belong to areas, not consumers: the category filter does not narrow them."""

import streamlit as st

from lib.figures import current
from lib.view import charts, drill, ui
from lib.view.formats import KPI_KINDS
from lib.view.labels import in_language, kpi_label, level_label, t

KEYS = ["complaints_received", "complaints_resolved", "complaints_open", "resolution_hours_median"]
COUNTS = KEYS[:3]

f = ui.current_filters()
lang = f.lang
ui.page_header("help_desks", f)
notices: list[str] = []
if f.scope.categories:
    st.caption(t("hd.category_note", lang))

fig = current.tile_figures(f.scope, f.period, f.campaign_id)
desks = current.help_desks(f.scope, f.period)
if desks.empty and not fig.loc[COUNTS, "value"].any():
    ui.no_data(lang)
    st.stop()
ui.tiles([ui.kpi_tile(fig, "complaints_received", lang),
          ui.kpi_tile(fig, "complaints_resolved", lang),
          ui.kpi_tile(fig, "complaints_open", lang),
          ui.kpi_tile(fig, "resolution_hours_median", lang)])

st.subheader(t("topic.day_by_day", lang))
days = current.daily(f.scope, f.period)
ui.chart(charts.trend(days, "day", COUNTS, {k: kpi_label(k, lang) for k in COUNTS},
                      value_kind="int", title=t("hd.daily", lang), lang=lang), lang)
with st.expander(t("topic.chart_data", lang)):
    ui.table(days, {"day": (t("chart.day", lang), "date"),
                    **{k: (kpi_label(k, lang), KPI_KINDS[k]) for k in KEYS}},
             lang, "complaints-daily")

st.subheader(t("hd.per_desk", lang))
zones = ui.with_unit_name(current.by_unit(f.scope, f.period, "zone"), lang)
desks = desks.assign(help_desk=in_language(desks, "help_desk", lang),
                     zone=desks["zone_code"].map(dict(zip(zones["code"], zones["unit"],
                                                          strict=True))))
ui.open_bars(desks, "help_desk", "complaints_open", t("hd.open_by_desk", lang), lang,
             t("hd.none_open", lang))
ui.table(desks, {"help_desk": (t("org.help_desk", lang), "text"),
                 "zone": (t("level.zone", lang), "text"),
                 **{k: (kpi_label(k, lang), KPI_KINDS[k]) for k in KEYS}}, lang, "help-desks")

st.subheader(t("topic.by_unit", lang))
level, units = ui.level_and_units(f, notices)
drill.show_notices(notices)
ui.open_bars(units, "unit", "complaints_open", kpi_label("complaints_open", lang), lang,
             t("hd.none_open", lang))
ui.table(units.sort_values(["complaints_open", "complaints_received"], ascending=False), {
    "unit": (level_label(level, lang), "text"), "code": (t("chart.code", lang), "text"),
    **{k: (kpi_label(k, lang), KPI_KINDS[k]) for k in KEYS},
}, lang, f"complaints-by-{level}")
