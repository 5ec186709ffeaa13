"""Chief engineers: a card per zone, then one zone drilled down to circles, divisions and areas."""

import streamlit as st

from lib.figures import current
from lib.view import charts, drill, ui
from lib.view.formats import KPI_KINDS, fmt_short, fmt_value
from lib.view.labels import kpi_label, level_label, t
from lib.view.safe import md_text

CARD_KEYS = ("negative_balance", "arrears_inr", "otp_verified", "app_downloaded")
TILE_KEYS = ("negative_balance", "arrears_inr", "negative_cleared", "otp_verified",
             "app_downloaded", "verification_coverage", "app_coverage", "complaints_open")
COMPARE = ("negative_balance", "arrears_inr", "negative_cleared", "otp_verified",
           "app_downloaded", "score")
TABLE_KEYS = ("consumers", "negative_balance", "arrears_inr", "negative_cleared", "otp_verified",
              "app_downloaded", "verification_coverage", "complaints_open")

f = ui.current_filters()
lang = f.lang
ui.page_header("chief_engineers", f)

zones = ui.with_unit_name(current.league(f.scope, f.period, f.campaign_id, "zone"), lang)
if zones.empty:
    ui.no_data(lang)
    st.stop()
tree = current.hierarchy_frame()
here = drill.drill_from_url(tree, f.scope, lang)


def label(key: str) -> str:
    return t("kpi.target_achievement", lang) if key == "score" else kpi_label(key, lang)


def short(value, key: str) -> str:
    kind = KPI_KINDS.get(key, "pct")
    return fmt_short(value, lang, rupee=True) if kind == "inr" else fmt_value(value, kind, lang)


def card(row) -> None:
    """One zone: name, chief engineer, rank, headline figures and the button that opens it."""
    chosen = row.code == here.zone
    with st.container(border=True, height="stretch"):
        st.subheader(md_text(row.unit), anchor=False)
        st.caption(f"{t('officer.chief_engineer', lang)}: {md_text(row.chief_engineer)}")
        st.badge(t("ce.rank", lang, rank=row.rank, n=len(zones)), color="blue",
                 icon=":material/leaderboard:")
        for key in (*CARD_KEYS, "score"):
            with st.container(horizontal=True, horizontal_alignment="distribute"):
                st.markdown(label(key), width="content")
                st.markdown(f"**{short(getattr(row, key), key)}**", width="content")
        st.button(t("ce.opened" if chosen else "ce.open", lang), key=f"ce_open_{row.code}",
                  type="primary" if chosen else "secondary", on_click=drill.go,
                  args=(drill.Drill(row.code),), width="stretch",
                  icon=":material/south:" if chosen else ":material/account_tree:")


with st.expander(t("ce.cards", lang), expanded=here.zone is None, icon=":material/engineering:"):
    rows = list(zones.itertuples(index=False))
    for start in range(0, len(rows), 3):
        for col, row in zip(st.columns(3), rows[start:start + 3], strict=False):
            with col:
                card(row)

if here.zone is None:
    st.info(t("ce.pick_zone", lang), icon=":material/touch_app:")
    st.stop()

drill.breadcrumb(here, tree, lang)
scope = here.scope(f.scope)
name = drill.unit_names(tree, here.level, lang)[here.code]
st.subheader(t("ce.figures_of", lang, name=md_text(name)), anchor=False)
fig = current.tile_figures(scope, f.period, f.campaign_id)
ui.tiles([ui.kpi_tile(fig, k, lang) for k in TILE_KEYS])

child, notices = here.child_level, []
st.subheader(t("ce.units_of", lang, units=level_label(child, lang, plural=True),
               name=md_text(name)), anchor=False)
metric = drill.url_choice(st.segmented_control, t("ce.compare_by", lang),
                          {k: label(k) for k in COMPARE}, "ce_metric", "negative_balance",
                          notices, lang, required=True)
drill.show_notices(notices)
units = drill.unique_names(ui.with_unit_name(
    current.league(scope, f.period, f.campaign_id, child), lang))
if here.can_go_down:
    st.caption(t("msg.click_to_drill", lang))
key = f"ce_bars_{here.level}_{here.code}"
clicked = drill.on_bar_click(key, "drill", "unit", dict(zip(units["unit"], units["code"],
                                                            strict=True)), here)
ui.chart(charts.ranked_bars(
    units, "unit", metric, value_kind=KPI_KINDS.get(metric, "pct"), lang=lang,
    selectable=here.can_go_down, select_name="drill", title=label(metric)),
         lang, key=key, on_select=clicked if here.can_go_down else "ignore")
ui.table(units, {"rank": (t("ce.rank_col", lang), "int"),
                 "unit": (level_label(child, lang), "text"),
                 "code": (t("chart.code", lang), "text"),
                 **{k: (label(k), KPI_KINDS[k]) for k in TABLE_KEYS},
                 "score": (label("score"), "pct")}, lang, f"{child}-figures-{here.code}")
