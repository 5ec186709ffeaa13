"""Data: upload the contract files, see what a load did, and how fresh each kind of data is.

Works on an empty database too (the frame draws no filters then)."""

from dataclasses import asdict

import pandas as pd
import streamlit as st

from lib.data.contract import FILES
from lib.data.importer import LoadResult, load_uploads
from lib.figures import current
from lib.view import ui
from lib.view.filters import current_lang
from lib.view.formats import fmt_int
from lib.view.labels import page_title, t

LAST_LOAD = "data_last_load"  # session key: (LoadResult, rejects CSV bytes or None)


def show_result(result: LoadResult, rejects: bytes | None, lang: str) -> None:
    """What the last load did: counts and warnings, or the rejection report (as tables)."""
    if result.ok:
        st.success(t("data.loaded", lang, n=fmt_int(result.rows_accepted, lang),
                     files=fmt_int(len(result.files), lang)), icon=":material/check_circle:")
        if result.rows_rejected:
            st.warning(t("data.skipped", lang, n=fmt_int(result.rows_rejected, lang)))
    else:
        st.error(t("data.rejected", lang, n=fmt_int(result.problem_count, lang)),
                 icon=":material/block:")
    files = pd.DataFrame(result.files, columns=["file", "kind", "rows", "accepted", "rejected",
                                                "duplicates"])
    if not files.empty:
        ui.table(files.assign(kind=[t(f"data.kind.{k}", lang) for k in files["kind"]]), {
            "file": (t("data.file", lang), "text"), "kind": (t("data.kind", lang), "text"),
            "rows": (t("data.rows", lang), "int"), "accepted": (t("data.accepted", lang), "int"),
            "rejected": (t("data.rejected_rows", lang), "int"),
            "duplicates": (t("data.duplicates", lang), "int")}, lang, "load-files")
    if result.warnings:
        st.markdown(f"**{t('data.warnings', lang)}**")
        ui.table(pd.DataFrame({"warning": result.warnings}),
                 {"warning": (t("data.warning", lang), "text")}, lang, "load-warnings")
    if result.problems:
        st.markdown(f"**{t('data.rejected_list' if result.ok else 'data.problems', lang)}**")
        ui.table(pd.DataFrame([asdict(p) for p in result.problems]), {
            "file": (t("data.file", lang), "text"), "line": (t("data.line", lang), "int"),
            "column": (t("data.column", lang), "text"), "value": (t("data.value", lang), "text"),
            "reason": (t("data.reason", lang), "text")}, lang, "load-problems")
        rest = result.problem_count - len(result.problems)
        if rest > 0:
            st.caption(t("data.more_problems", lang, n=fmt_int(rest, lang)))
    if rejects:
        st.download_button(t("data.download_rejects", lang), rejects, mime="text/csv",
                           file_name=result.rejects_path.name if result.rejects_path
                           else "rejects.csv", icon=":material/download:", key="rejects_csv")


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
who = st.text_input(t("data.loaded_by", lang), key="data_loaded_by", max_chars=80)
if st.button(t("data.load", lang), type="primary", disabled=not uploads,
             icon=":material/upload:"):
    bar = st.progress(0.0, text=t("msg.loading", lang))
    result = load_uploads([(u.name, u.getvalue()) for u in uploads], skip_invalid=skip,
                          loaded_by=who.strip() or None,
                          progress=lambda done, message: bar.progress(done, text=message))
    bar.empty()
    path = result.rejects_path
    st.session_state[LAST_LOAD] = (result, path.read_bytes() if path and path.exists() else None)
    current.clear()  # new figures, and the attempt in the load history
    if result.ok:
        st.rerun()  # redraw the frame, so the filters and "as of" show the new data
if LAST_LOAD in st.session_state:
    show_result(*st.session_state[LAST_LOAD], lang)

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
    ui.table(history.assign(status=[t(f"data.status.{s}", lang) for s in history["status"]],
                            message=[ui.load_summary(r, lang)
                                     for r in history.to_dict("records")]), {
        "load_id": (t("data.load_id", lang), "text"),
        "finished_at": (t("data.when", lang), "datetime"),
        "status": (t("data.status", lang), "text"),
        "message": (t("data.message", lang), "text"),
        "rows_accepted": (t("data.accepted", lang), "int"),
        "rows_rejected": (t("data.rejected_rows", lang), "int"),
        "loaded_by": (t("data.by", lang), "text"), "files": (t("data.file", lang), "text"),
    }, lang, "load-history")
