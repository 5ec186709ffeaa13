"""Chief engineers: a card per zone, then one zone drilled down to circles, divisions and areas."""

import streamlit as st

from lib.figures import current
from lib.view import charts, drill, ui
from lib.view.formats import KPI_KINDS, fmt_short, fmt_value, is_missing
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
tree = current.hierarchy_frame()
link_notices: list[str] = []
here = drill.drill_from_url(tree, f.scope, lang, link_notices)
ui.page_header("chief_engineers", f, scope=here.scope(f.scope))  # the scope drilled into
drill.show_notices(link_notices)

zones = ui.with_unit_name(current.league(f.scope, f.period, f.campaign_id, "zone"), lang)
if zones.empty:
    ui.no_data(lang)
    st.stop()


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
        if not is_missing(row.rank):  # a zone without a target has no rank
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
units = drill.unique_names(ui.with_unit_name(
    current.league(scope, f.period, f.campaign_id, child), lang))
targets = drill.has_targets(units)  # no unit of this level has a target: no achievement, no rank
metric = drill.url_choice(st.segmented_control, t("ce.compare_by", lang),
                          {k: label(k) for k in COMPARE if targets or k != "score"}, "ce_metric",
                          "negative_balance", notices, lang, required=True,
                          unavailable=() if targets else ("score",))
drill.show_notices(notices)
if not targets:
    st.caption(t("ce.no_targets", lang, units=level_label(child, lang, plural=True)))
if here.can_go_down:
    st.caption(t("msg.click_to_drill", lang))
key = f"ce_bars_{here.level}_{here.code}"
clicked = drill.on_bar_click(key, "drill", "unit", dict(zip(units["unit"], units["code"],
                                                            strict=True)), here)
ui.chart(charts.ranked_bars(
    units, "unit", metric, value_kind=KPI_KINDS.get(metric, "pct"), lang=lang,
    selectable=here.can_go_down, select_name="drill", title=label(metric)),
         lang, key=key, on_select=clicked if here.can_go_down else "ignore")
# in rank order; without targets, in the order of the metric compared (as the bars)
ui.table(units if targets else drill.top_units(units, metric, len(units)),
         {**({"rank": (t("ce.rank_col", lang), "int")} if targets else {}),
          "unit": (level_label(child, lang), "text"),
          "code": (t("chart.code", lang), "text"),
          **{k: (label(k), KPI_KINDS[k]) for k in TABLE_KEYS},
          **({"score": (label("score"), "pct")} if targets else {})},
         lang, f"{child}-figures-{here.code}")
