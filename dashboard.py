"""The frame: page config, language, shared filters and navigation. Run: streamlit run dashboard.py"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import streamlit as st
from altair.utils.schemapi import disable_debug_mode

from lib.figures import current
from lib.view import access, ui
from lib.view.errors import shown_as_message
from lib.view.filters import current_lang, language_switch, sidebar_filters
from lib.view.labels import page_title, t

# (catalogue key, script, icon, URL path).
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
    ("display", "pages/display.py", ":material/tv:", "display"),
)
# The tab icon is a file of ours: a ":material/…:" icon would be fetched from a font server.
ICON = str(Path(__file__).resolve().parent / "static" / "favicon.png")
DISPLAY = "display"  # the meeting-room display: no chrome, no sidebar, navigation hidden
DIRECTORS_ONLY = ("data",)  # upload, load history and audit trail
OVERVIEW = "overview"  # the default page: served at "/", and at "/overview" too


def _pages(lang: str, director: bool) -> dict[str, st.Page]:
    """The navigation; for anyone but a director, the director-only pages are a hidden refusal
    (so their URL answers "no access" and their script never runs)."""
    pages = {}
    for i, (key, script, icon, url) in enumerate(PAGES):
        if key in DIRECTORS_ONLY and not director:
            pages[key] = st.Page(partial(access.director_only_page, lang),
                                 title=page_title(key, lang), icon=icon, url_path=url,
                                 visibility="hidden")
        else:
            pages[key] = st.Page(script, title=page_title(key, lang), icon=icon, url_path=url,
                                 default=(i == 0))
    return pages


def _no_access(lang: str) -> None:
    """An unidentified or unlisted visitor: every URL answers the "no access" page (no
    navigation, no figure, and no "page not found" for a link they were sent)."""
    st.set_page_config(page_title=t("access.title", lang), page_icon=ICON, layout="wide")
    refusal = partial(access.no_access_page, lang)
    st.navigation([st.Page(refusal, title=t("access.title", lang), url_path=url,
                           default=(i == 0)) for i, (_, _, _, url) in enumerate(PAGES)],
                  position="hidden").run()


def run() -> None:
    """Build the frame and run the chosen page."""
    disable_debug_mode()  # no schema validation while building charts (see lib.view.ui.chart)
    ui.mark_frame()
    grant = access.identify()  # before any figure: every query is bounded by it
    if grant is None:
        _no_access(current_lang())
        return
    pages = _pages(current_lang(), grant.is_director)
    if ui.is_requested(pages[DISPLAY], list(pages.values())):
        # The wall screen: its own parameters (lib.view.display), no sidebar, no page menu.
        st.set_page_config(page_title=page_title(DISPLAY, current_lang()),
                           page_icon=ICON, layout="wide",
                           initial_sidebar_state="collapsed")
        st.navigation(list(pages.values()), position="hidden").run()
        return
    st.set_page_config(page_title="PVVNL smart-meter campaign", page_icon=ICON,
                       layout="wide")
    lang = language_switch()
    pages = _pages(lang, grant.is_director)
    missing = ui.unknown_path(list(pages.values()))
    if missing is not None:  # the default page runs instead, without Streamlit's own dialog
        ui.run_default_page(pages[OVERVIEW])
    page = st.navigation(list(pages.values()))
    if missing not in (None, OVERVIEW):
        ui.page_not_found(missing, pages[OVERVIEW], lang)
        return
    st.sidebar.caption(t("app.title", lang))
    access.sidebar_identity(grant, lang)
    if page.url_path != "data" and not current.has_data():
        ui.empty_database(lang)
        return
    if current.has_data():
        current.keep_first_view_built()  # so the first look after a load costs nobody
        st.session_state["filters"] = sidebar_filters(lang)
    page.run()


def main() -> None:
    """Run the frame; an unexpected error shows one line in the chosen language, never a
    traceback (the details go to the server log)."""
    with shown_as_message(current_lang(), "the dashboard"):
        run()


main()
