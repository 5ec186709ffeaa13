"""Overview: the director's one screen."""

from functools import partial

import streamlit as st

from lib.figures import current
from lib.tools import brief
from lib.view import charts, ui
from lib.view.labels import kpi_label, t

f = ui.current_filters()
lang = f.lang
ui.page_header("overview", f)

fig = ui.tile_figures_or_stop(f)

ui.tiles(ui.overview_tiles(fig, lang))

# The brief of what is on screen, built only when a button is clicked (same code as the CLI),
# outside this session: so the viewer's bound and name go with it.
bounded, who = current.bounded(f.scope), current.actor()
with st.container(horizontal=True):
    for kind, mime, icon in (("pdf", "application/pdf", ":material/picture_as_pdf:"),
                             ("png", "image/png", ":material/image:")):
        st.download_button(t(f"brief.{kind}", lang),
                           partial(brief.for_dashboard, bounded, f.period, f.campaign_id, lang, kind,
                                   who),
                           file_name=brief.file_name(f.scope, f.period, lang, kind), mime=mime,
                           key=f"brief_{kind}", on_click="ignore", icon=icon)

st.subheader(t("overview.trend", lang))
days = current.daily(f.scope, f.period)
left, right = st.columns(2)
with left:
    ui.chart(charts.trend(days, "day", ["negative_balance"],
                          {"negative_balance": kpi_label("negative_balance", lang)},
                          value_kind="int", title=kpi_label("negative_balance", lang),
                          lang=lang), lang)
with right:
    series = ["otp_verified", "app_downloaded", "negative_cleared", "recharge_count"]
    ui.chart(charts.trend(days, "day", series, {k: kpi_label(k, lang) for k in series},
                          value_kind="int", title=t("overview.daily_activity", lang),
                          lang=lang), lang)

st.subheader(t("overview.league", lang))
league = ui.with_unit_name(current.league(f.scope, f.period, f.campaign_id, "zone"), lang)
ui.chart(charts.ranked_bars(league, "unit", "score", value_kind="pct",
                            title=t("kpi.target_achievement", lang), lang=lang), lang)
ui.table(league, {
    "rank": (t("overview.rank", lang), "int"),
    "unit": (t("level.zone", lang), "text"),
    "chief_engineer": (t("officer.chief_engineer", lang), "text"),
    "score": (t("kpi.target_achievement", lang), "pct"),
    "otp_verified_achievement": (kpi_label("otp_verified", lang), "pct"),
    "app_downloaded_achievement": (kpi_label("app_downloaded", lang), "pct"),
    "negative_cleared_achievement": (kpi_label("negative_cleared", lang), "pct"),
    "negative_change": (t("overview.negative_change", lang), "int"),
    "arrears_change": (t("overview.arrears_change", lang), "inr"),
}, lang, "zone-league")

st.subheader(t("overview.attention", lang))
attention = ui.with_unit_name(current.needs_attention(f.scope, f.period, f.campaign_id), lang)
if attention.empty:
    st.success(t("overview.all_on_track", lang))
else:
    ui.table(attention, {
        "unit": (t("level.circle", lang), "text"),
        "score": (t("kpi.target_achievement", lang), "pct"),
        "arrears_change": (t("overview.arrears_change", lang), "inr"),
        "negative_balance": (kpi_label("negative_balance", lang), "int"),
    }, lang, "needs-attention")
