"""Meeting-room display: slides that rotate by themselves on a wall screen, nobody touching it.

Every setting is in the URL (lib.view.display.parse_params); the frame (dashboard.py) runs this
page with the navigation hidden and no sidebar.
"""

import streamlit as st

from lib.figures import current
from lib.view import display, theme, ui
from lib.view.labels import t

ui.ensure_frame()
st.html(f"<style>{theme.display_css()}</style>")  # constants only (lib.view.theme)


def _params() -> display.Params:
    """The URL's parameters against the codes in the database (none while it is down)."""
    query = {key: st.query_params.get_all(key) for key in st.query_params}
    try:
        tree, campaigns = current.hierarchy_frame(), current.campaign_list()["campaign_id"]
    except display.DB_ERRORS:
        last = st.session_state.get("display_params")
        return last or display.parse_params(query, {}, [])
    units = {lv: set(tree[f"{lv}_code"]) for lv in ("zone", "circle", "division", "area")}
    st.session_state["display_params"] = display.parse_params(query, units, list(campaigns))
    return st.session_state["display_params"]


params = _params()
lang = params.lang


@st.fragment(run_every=params.refresh)
def freshness() -> None:
    """The data-version check: a new snapshot after a load, the corner line, the banners."""
    now = display.now_ist()
    screen = display.refresh(params, now)
    snap = screen.snapshot
    with st.container(horizontal=True, horizontal_alignment="distribute"):
        st.markdown(f"**{t('app.org_short', lang)} · {t('app.title', lang)}**", width="content")
        if snap is not None:
            st.caption(display.freshness(snap, lang), width="content")
    if screen.down:
        when = f"{snap.checked_at:%H:%M}" if snap else "–"
        st.warning(display.both_languages("display.down", time=when) if snap
                   else display.both_languages("display.no_figures"), icon=":material/cloud_off:")
    elif snap is not None and display.is_stale(snap, now, params.stale_hours):
        st.warning(display.both_languages("display.stale", hours=f"{params.stale_hours:g}"),
                   icon=":material/schedule:")


@st.fragment(run_every=params.seconds)
def slides() -> None:
    """One slide per interval, in the URL's order; the figures of the latest snapshot."""
    tick = st.session_state["display_tick"] = st.session_state.get("display_tick", -1) + 1
    snap = display.last_snapshot(params)
    name = params.slides[display.slide_at(tick, params.slides)]
    with st.container(horizontal=True, horizontal_alignment="distribute",
                      vertical_alignment="bottom"):
        st.header(t(f"display.slide.{name}", lang), width="content", anchor=False)
        st.caption(display.indicator(tick, params), width="content")
    if snap is None:
        return
    slide = display.build_slide(name, snap, params)
    for start in range(0, len(slide.tiles), 3):
        for col, (tile, share) in zip(st.columns(3), slide.tiles[start:start + 3], strict=False):
            with col:
                st.metric(tile.label, tile.value, delta=tile.delta, border=True,
                          delta_color=tile.delta_color)
                if share is not None:
                    st.progress(share, text=tile.note)
    if slide.chart is not None or not slide.tiles:
        ui.chart(slide.chart, lang)
    if slide.note:
        st.caption(slide.note)


freshness()
slides()
if (line := display.ignored_line(params)) is not None:
    st.text(line)  # plain text: a value from the URL is never rendered as Markdown
