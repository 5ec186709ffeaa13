"""The frame: page config, language, shared filters and navigation. Run: streamlit run dashboard.py"""

from __future__ import annotations

import streamlit as st
from altair.utils.schemapi import disable_debug_mode

from lib.figures import current
from lib.view import ui
from lib.view.filters import language_switch, sidebar_filters
from lib.view.labels import page_title, t

# (catalogue key, script, icon, URL path) — the meeting-room display will join this list.
# URL paths equal the file names: in a freshly started server Streamlit routes the very first
# deep link by file name (see lib.view.ui.ensure_frame), so the two must agree.
PAGES = (
    ("overview", "pages/overview.py", ":material/dashboard:", "overview"),
    ("zones", "pages/zones.py", ":material/account_tree:", "zones"),
    ("chief_engineers", "pages/chief_engineers.py", ":material/engineering:", "chief_engineers"),
    ("negative_balance", "pages/negative_balance.py", ":material/money_off:", "negative_balance"),
    ("verification", "pages/verification.py", ":material/verified_user:", "verification"),
    ("recharges", "pages/recharges.py", ":material/payments:", "recharges"),
    ("help_desks", "pages/help_desks.py", ":material/support_agent:", "help_desks"),
    ("data", "pages/data.py", ":material/database:", "data"),
)


def run() -> None:
    """Build the frame and run the chosen page."""
    st.set_page_config(page_title="PVVNL smart-meter campaign", page_icon=":material/bolt:",
                       layout="wide")
    disable_debug_mode()  # no schema validation while building charts (see lib.view.ui.chart)
    ui.mark_frame()
    lang = language_switch()
    pages = [st.Page(script, title=page_title(key, lang), icon=icon, url_path=url,
                     default=(i == 0)) for i, (key, script, icon, url) in enumerate(PAGES)]
    page = st.navigation(pages)
    st.sidebar.caption(t("app.title", lang))
    if page.url_path != "data" and not current.has_data():
        ui.empty_database(lang)
        return
    if current.has_data():
        st.session_state["filters"] = sidebar_filters(lang)
    page.run()


run()
