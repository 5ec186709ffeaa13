"""Data: upload the contract files, see what a load did, and how fresh each kind of data is.

Works on an empty database too (the frame draws no filters then)."""

import streamlit as st

from lib.data.contract import FILES
from lib.data.importer import load_uploads
from lib.figures import current
from lib.view import load_view, ui
from lib.view.filters import current_lang
from lib.view.labels import page_title, t
from lib.view.safe import md_text

LAST_LOAD = "data_last_load"  # session key: (LoadResult, rejects CSV bytes or None)


ui.ensure_frame()
filters = st.session_state.get("filters")
lang = filters.lang if filters else current_lang()
if filters:
    ui.page_header("data", filters, needs_data=False)
else:
    st.title(page_title("data", lang))

st.subheader(t("data.upload", lang))
st.caption(t("data.upload_help", lang, files=", ".join(FILES)))
uploads = st.file_uploader(t("data.files", lang), type=["csv", "xlsx"],
                           accept_multiple_files=True, key="data_files")
skip = st.checkbox(t("data.skip_invalid", lang), help=t("data.skip_invalid_help", lang),
                   key="data_skip_invalid")
who = current.actor()  # the signed-in user, never a typed name
st.caption(t("data.recorded_as", lang, who=md_text(who.label)))
if st.button(t("data.load", lang), type="primary", disabled=not uploads,
             icon=":material/upload:", key="data_load"):
    bar = st.progress(0.0, text=t("msg.loading", lang))
    result = load_uploads([(u.name, u.getvalue()) for u in uploads], skip_invalid=skip,
                          loaded_by=who,
                          progress=lambda done, message: bar.progress(done, text=message))
    bar.empty()
    path = result.rejects_path
    st.session_state[LAST_LOAD] = (result, path.read_bytes() if path and path.exists() else None)
    current.clear()  # new figures, and the attempt in the load history
    if result.ok:
        st.rerun()  # redraw the frame, so the filters and "as of" show the new data
if LAST_LOAD in st.session_state:
    load_view.show_result(*st.session_state[LAST_LOAD], lang)

st.caption(t("data.demo_hint", lang))
st.code("python -m lib.cli demo", language="bash")

st.subheader(t("data.freshness", lang))
status = current.data_status()
ui.table(status.assign(kind=[t(f"data.kind.{k}", lang) for k in status["kind"]]), {
    "kind": (t("data.kind", lang), "text"), "rows": (t("data.rows", lang), "int"),
    "latest_day": (t("data.latest_day", lang), "date"),
    "last_loaded_at": (t("data.last_loaded_at", lang), "datetime")}, lang, "data-freshness")

st.subheader(t("data.history", lang))
history = current.load_history()
if history.empty:
    st.info(t("data.no_loads", lang), icon=":material/history:")
else:
    load_view.history_table(history, lang)

st.subheader(t("data.audit", lang))
trail = current.audit_trail()
if trail.empty:
    st.info(t("data.no_audit", lang), icon=":material/history:")
else:
    load_view.audit_table(trail, lang)
