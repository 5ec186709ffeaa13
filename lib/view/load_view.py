"""The Data page's tables: what a load did, the load history and the audit trail."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from lib.data.importer import LoadResult
from lib.data.reasons import KINDS, code_of
from lib.view import ui
from lib.view.formats import fmt_date, fmt_datetime_ist, fmt_int
from lib.view.labels import has, t


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
        ui.table(pd.DataFrame({"warning": [reason_text(w, *code_of(w), lang)
                                           for w in result.warnings]}),
                 {"warning": (t("data.warning", lang), "text")}, lang, "load-warnings")
    if result.problems:
        st.markdown(f"**{t('data.rejected_list' if result.ok else 'data.problems', lang)}**")
        ui.table(pd.DataFrame({
            "file": [p.file for p in result.problems], "line": [p.line for p in result.problems],
            "column": [p.column for p in result.problems],
            "value": [p.value for p in result.problems],
            "reason": [reason_text(p.reason, p.code, p.values, lang) for p in result.problems]}), {
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


def reason_text(english: str, code: str | None, values: Mapping[str, object], lang: str) -> str:
    """A reason or warning of the importer in the page's language, from its code and values
    (numbers in Indian grouping, dates in the page's format); the English when it has no code
    (an unexpected error's text)."""
    if not code or not has(f"reason.{code}"):
        return str(english)
    return t(f"reason.{code}", lang, **{k: _shown(k, v, lang) for k, v in values.items()})


def _shown(name: str, value: object, lang: str) -> str:
    """One value of a reason as the page shows it (lib.data.reasons.KINDS says what it is)."""
    kind = KINDS.get(name)
    if kind == "int" and isinstance(value, int):
        return fmt_int(value, lang)
    if kind == "date":
        return fmt_date(value, lang)
    if kind == "timestamp":
        return fmt_datetime_ist(value, lang)
    if kind in ("level", "role") and lang != "en":  # in English, the words the file is written in
        key = ("reason.discom" if value == "discom" else f"level.{value}" if kind == "level"
               else f"access.role.{value}")
        return t(key, lang) if has(key) else str(value)
    if kind == "and":
        return f" {t('reason.and', lang)} ".join(map(str, value))
    if kind == "list":
        return ", ".join(map(str, value))
    if kind == "pairs":
        return ", ".join(t("reason.repeat_pair", lang, line=fmt_int(a, lang),
                           earlier=fmt_int(b, lang)) for a, b in value)
    if kind == "filetype":
        return t(f"reason.filetype.{value}", lang)
    return str(value)


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
