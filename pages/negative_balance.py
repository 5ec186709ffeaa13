"""Negative balance: how many consumers owe, how much, whether it is coming down, and one
area's list of accounts for the field team."""

from dataclasses import replace

import streamlit as st

from lib.figures import current
from lib.figures.breakdowns import ACCOUNT_LIST_LIMIT, ACCOUNT_ROWS_SHOWN
from lib.view import charts, drill, ui
from lib.view.formats import fmt_date, fmt_inr, fmt_int
from lib.view.labels import band_label, category_label, kpi_label, level_label, t

f = ui.current_filters()
lang = f.lang
ui.page_header("negative_balance", f)
notices: list[str] = []

fig = ui.tile_figures_or_stop(f)
ui.tiles([ui.kpi_tile(fig, "negative_balance", lang),
          ui.kpi_tile(fig, "arrears_inr", lang),
          replace(ui.kpi_tile(fig, "negative_at_start", lang), delta=None),  # fixed by the period
          ui.kpi_tile(fig, "negative_cleared", lang)])

st.subheader(t("topic.day_by_day", lang))
days = current.daily(f.scope, f.period)
for col, key, kind in zip(st.columns(2), ("negative_balance", "arrears_inr"), ("int", "inr"),
                          strict=True):
    with col:
        ui.chart(charts.trend(days, "day", [key], {key: kpi_label(key, lang)}, value_kind=kind,
                              title=kpi_label(key, lang), lang=lang), lang)
with st.expander(t("topic.chart_data", lang)):
    ui.table(days, {"day": (t("chart.day", lang), "date"),
                    **{k: (kpi_label(k, lang), "inr" if k == "arrears_inr" else "int")
                       for k in ("negative_balance", "arrears_inr", "negative_cleared")}},
             lang, "negative-balance-daily")

st.subheader(t("nb.bands", lang, date=fmt_date(f.period.end, lang)))
bands = current.dues_bands(f.scope, f.period.end)
bands = bands.assign(label=[band_label(b, lang) for b in bands["band"]])
panels = charts.bands_panels(bands, "label", "negative_balance", "arrears_inr", lang=lang) \
    if bands["negative_balance"].any() else None
if panels is None:
    ui.no_data(lang)
else:
    for col, panel in zip(st.columns(2), panels, strict=True):  # each fills its half
        with col:
            ui.chart(panel, lang)
ui.table(bands, {"label": (t("band.title", lang), "text"),
                 "negative_balance": (kpi_label("negative_balance", lang), "int"),
                 "arrears_inr": (kpi_label("arrears_inr", lang), "inr")}, lang, "dues-bands")

st.subheader(t("nb.start_vs_cleared", lang))
level, units = ui.level_and_units(f, notices)
top = drill.top_units(units, "negative_at_start")
if len(top) < len(units):
    st.caption(t("topic.top_of", lang, n=len(top), total=fmt_int(len(units), lang)))
pair = ("negative_at_start", "negative_cleared")
ui.chart(charts.paired_bars(top, "unit", *pair, {k: kpi_label(k, lang) for k in pair}, lang=lang)
         if top[list(pair)].any().any() else None, lang)
ui.table(units.sort_values("negative_balance", ascending=False), {
    "unit": (level_label(level, lang), "text"), "code": (t("chart.code", lang), "text"),
    **{k: (kpi_label(k, lang), "inr" if k == "arrears_inr" else "int")
       for k in ("consumers", *pair, "negative_balance", "arrears_inr", "contacted")},
}, lang, f"negative-balance-by-{level}")

st.subheader(t("nb.accounts", lang))
st.caption(t("nb.accounts_help", lang))
areas = drill.unique_names(ui.with_unit_name(current.by_unit(f.scope, f.period, "area"), lang))
areas = areas.set_index("code")
options = {c: t("nb.area_option", lang, name=u, n=fmt_int(n, lang))
           for c, u, n in zip(areas.index, areas["unit"], areas["negative_balance"], strict=True)}
area = drill.url_choice(st.selectbox, t("level.area", lang), options, "account_area",
                        areas.index[0], notices, lang)
drill.show_notices(notices)
accounts = current.negative_accounts(area, f.period.end, f.scope.categories)
if not accounts.empty:
    st.caption(t("nb.accounts_summary", lang, n=fmt_int(areas.loc[area, "negative_balance"], lang),
                 total=fmt_inr(areas.loc[area, "arrears_inr"], lang),
                 date=fmt_date(f.period.end, lang)))
if len(accounts) >= ACCOUNT_LIST_LIMIT:
    st.warning(t("nb.accounts_limit", lang, n=fmt_int(ACCOUNT_LIST_LIMIT, lang)))
yes_no = {True: t("topic.yes", lang), False: t("topic.no", lang)}
flags = ("contacted", "otp_verified", "app_downloaded")
ui.table(accounts.assign(category=[category_label(c, lang) for c in accounts["category"]],
                         meter_no=accounts["meter_no"].fillna(""),  # blank where none is known
                         **{c: accounts[c].map(yes_no) for c in flags}), {
    "account_no": (t("nb.account_no", lang), "text"),
    "meter_no": (t("nb.meter_no", lang), "text"),
    "category": (t("filter.category", lang), "text"),
    "balance_inr": (t("nb.balance", lang), "inr"),
    "days_negative": (t("nb.days_negative", lang), "int"),
    "contacted": (kpi_label("contacted", lang), "text"),
    "otp_verified": (kpi_label("otp_verified", lang), "text"),
    "app_downloaded": (t("nb.app", lang), "text"),
}, lang, f"negative-accounts-{area}-{f.period.end:%Y-%m-%d}", rows_shown=ACCOUNT_ROWS_SHOWN,
         values_csv=True)
