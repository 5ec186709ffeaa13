"""The Data page's tables: what a load did, the load history and the audit trail."""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd
import streamlit as st

from lib.data.importer import LoadResult
from lib.view import ui
from lib.view.formats import fmt_int
from lib.view.labels import t


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


def history_table(history: pd.DataFrame, lang: str) -> None:
    """The latest loads: when, status, what they did in words, and who made them."""
    summaries = [ui.load_summary(r, lang) for r in history.to_dict("records")]
    statuses = [t(f"data.status.{s}", lang) for s in history["status"]]
    ui.table(history.assign(status=statuses, message=summaries), {
        "load_id": (t("data.load_id", lang), "text"),
        "finished_at": (t("data.when", lang), "datetime"),
        "status": (t("data.status", lang), "text"),
        "message": (t("data.message", lang), "text"),
        "rows_accepted": (t("data.accepted", lang), "int"),
        "rows_rejected": (t("data.rejected_rows", lang), "int"),
        "loaded_by": (t("data.by", lang), "text"), "files": (t("data.file", lang), "text"),
    }, lang, "load-history")


def audit_table(trail: pd.DataFrame, lang: str) -> None:
    """Who loaded, exported or printed what, and when."""
    actions = [t(f"data.action.{a}", lang) for a in trail["action"]]
    roles = [t(f"access.role.{r}", lang) if r else "" for r in trail["role"]]
    ui.table(trail.assign(action=actions, role=roles), {
        "at": (t("data.when", lang), "datetime"), "who": (t("data.who", lang), "text"),
        "email": (t("data.email", lang), "text"), "role": (t("data.role", lang), "text"),
        "action": (t("data.action", lang), "text"),
        "detail": (t("data.detail", lang), "text")}, lang, "audit-trail")
