"""Streamlit building blocks shared by the pages: header, tiles, charts, tables, downloads.

Pages stay layouts: they get figures from lib.figures.current, charts from lib.view.charts, and place them
with these helpers. Nothing from the data is rendered as HTML.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lib.data.contract import LEVELS
from lib.figures import current
from lib.figures.memo import remembered, remembered_per_object
from lib.figures.scope import Scope
from lib.view import charts, theme
from lib.view.drill import top_units, unique_names, url_choice
from lib.view.exports import csv_bytes, plain_values, xlsx_bytes
from lib.view.filters import Filters, context_caption
from lib.view.formats import (
    fmt_date,
    fmt_int,
    format_frame,
)
from lib.view.labels import in_language, level_label, page_title, t
from lib.view.safe import quoted
from lib.view.scope_words import scope_words
from lib.view.tiles import Tile, kpi_tile, overview_tiles  # noqa: F401 (pages call ui.kpi_tile)

NUMERIC_KINDS = ("int", "inr", "inr_short", "pct", "hours", "num")
# Columns that say which row is which: pinned, so they stay in view when a wide table scrolls.
KEY_COLUMNS = ("rank", "unit", "day", "account_no", "help_desk", "label", "load_id")


_FRAME = threading.local()


def mark_frame() -> None:
    """Note that the frame (dashboard.py) is running this script run."""
    _FRAME.run = _run_token()


def _run_token() -> object | None:
    ctx = get_script_run_ctx()
    return None if ctx is None else ctx.parallel_coordinator  # a new object every run


def ensure_frame() -> None:
    """Make sure the page runs inside the frame (dashboard.py), not on its own.

    With a ``pages/`` folder beside the entry script, Streamlit's older pages-folder mode runs a
    page script alone when a freshly started server (or AppTest) opens a page directly.
    Switching that mode off and rerunning hands the run to the frame and its st.navigation.
    """
    if getattr(_FRAME, "run", None) is not _run_token():
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()


def is_requested(page: st.Page, pages: Sequence[st.Page]) -> bool:
    """Whether this run is for ``page``: the frame asks before it builds the navigation (the
    meeting-room display builds it hidden and draws no sidebar). Mirrors how st.navigation
    picks the page: by the page hash the browser sent, else by the URL path."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return False
    manager = ctx.pages_manager
    wanted = manager.intended_page_script_hash
    if wanted and wanted in {p._script_hash for p in pages}:
        return wanted == page._script_hash
    return manager.intended_page_name == page.url_path


def unknown_path(pages: Sequence[st.Page]) -> str | None:
    """The URL path this run asked for when it names none of ``pages`` (None otherwise).

    Streamlit would show its own English "Page not found" dialog over the default page;
    the frame asks first (as ``is_requested`` does) and says so in the page's language."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return None
    manager = ctx.pages_manager
    if manager.intended_page_script_hash:  # a page of the menu (an old hash falls back quietly)
        return None
    wanted = manager.intended_page_name or ""
    return None if wanted in {"", *(p.url_path for p in pages)} else wanted


def run_default_page(default: st.Page) -> None:
    """Have st.navigation pick ``default`` for this run (no dialog of its own)."""
    ctx = get_script_run_ctx()
    if ctx is not None:
        ctx.pages_manager.set_script_intent(default._script_hash, "")


def page_not_found(path: str, overview: st.Page, lang: str) -> None:
    """The notice for a URL path that names no page, with a link to the Overview."""
    st.title(t("msg.page_not_found_title", lang))
    st.warning(t("msg.page_not_found", lang, path=quoted("/" + path)),
               icon=":material/link_off:")
    st.page_link(overview, label=t("msg.go_to_overview", lang), icon=":material/dashboard:")


def current_filters() -> Filters:
    """The filters the frame drew for this rerun."""
    ensure_frame()
    return st.session_state["filters"]


def with_unit_name(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Add a ``unit`` column, and show a zone's chief engineer, in the page's language (the
    Hindi name where the data has one and the language is Hindi, else the English)."""
    if df.empty:
        return df.assign(unit=pd.Series(dtype=str))
    out = df.assign(unit=in_language(df, "name", lang))
    if "chief_engineer" in df:
        out["chief_engineer"] = in_language(df, "chief_engineer", lang)
    return out


def page_header(key: str, filters: Filters, *, needs_data: bool = True,
                scope: Scope | None = None) -> None:
    """Page title and the data / period / scope line; a period without data stops the page.
    ``scope`` is what the page shows when it is narrower than the sidebar's (a drill-down)."""
    st.title(page_title(key, filters.lang))
    st.caption(context_caption(filters if scope is None else replace(filters, scope=scope)))
    if needs_data:
        stop_without_data(filters)


def stop_without_data(f: Filters) -> None:
    """A period wholly outside the data's days says "no data for this period" and stops the page
    (nothing else is drawn, so no figure of another period is shown)."""
    span = current.data_span()
    if span is None or (f.period.start <= span[1] and f.period.end >= span[0]):
        return
    lang = f.lang
    st.info(t("msg.no_data_period", lang, start=fmt_date(f.period.start, lang),
              end=fmt_date(f.period.end, lang), first=fmt_date(span[0], lang),
              last=fmt_date(span[1], lang)), icon=":material/info:")
    st.stop()


def tiles(items: Sequence[Tile], per_row: int = 4, name: str = "kpi") -> None:
    """KPI tiles in rows of at most ``per_row`` that wrap to fewer where the page is narrow
    (each tile keeps lib.view.theme.TILE_MIN_WIDTH, so no value or label is cut)."""
    key = f"tiles-{name}"
    st.html(f"<style>{theme.tiles_css(key, per_row)}</style>")  # constants only
    with st.container(horizontal=True, key=key):
        for i, tile in enumerate(items):
            with st.container(key=f"{key}-{i}"):
                st.metric(tile.label, tile.value, delta=tile.delta, help=tile.help, border=True,
                          delta_color=tile.delta_color, delta_arrow=tile.delta_arrow,
                          delta_description=tile.delta_description)
                if tile.note:
                    st.caption(tile.note)


def chart(figure: alt.TopLevelMixin | None, lang: str, *, key: str | None = None,
          on_select: str = "ignore", selection_mode: str | None = None):
    """Show a chart, or "no data for this selection" when the builder returned None.

    The builders' charts are valid by construction (lib.view.charts is tested against the schema),
    so the spec goes out unvalidated: Altair's validation costs more than the page's queries.
    """
    if figure is None:
        no_data(lang)
        return None
    spec = _spec(figure)
    if on_select == "ignore":
        return st.vega_lite_chart(spec, width="stretch", key=key)
    return st.vega_lite_chart(spec, width="stretch", key=key, on_select=on_select,
                              selection_mode=selection_mode)


@remembered_per_object
def _spec(figure: alt.TopLevelMixin) -> dict:
    """The chart's Vega-Lite spec (lib.view.charts hands out the same chart again)."""
    return figure.to_dict(validate=False)


def open_bars(df: pd.DataFrame, unit_col: str, value_col: str, title: str, lang: str,
              none_message: str) -> None:
    """Bars of the units with a positive ``value_col`` (top 25, said so), or a success note."""
    positive = df[df[value_col] > 0]
    top = top_units(positive, value_col)
    if len(top) < len(positive):
        st.caption(t("topic.top_of", lang, n=len(top), total=fmt_int(len(positive), lang)))
    if top.empty:
        st.success(none_message, icon=":material/check_circle:")
    else:
        chart(charts.ranked_bars(top, unit_col, value_col, lang=lang, title=title), lang)


def tile_figures_or_stop(f: Filters) -> pd.DataFrame:
    """The tiles' figures for the filters; a scope without consumers says so and stops the page."""
    figures = current.tile_figures(f.scope, f.period, f.campaign_id)
    if figures.loc["consumers", "value"] == 0:
        no_data(f.lang)
        st.stop()
    return figures


def level_and_units(f: Filters, notices: list[str]) -> tuple[str, pd.DataFrame]:
    """The "show by" level picked on the page (kept in the URL) and every KPI per unit of it."""
    level = url_choice(st.segmented_control, t("filter.level", f.lang),
                       {lv: level_label(lv, f.lang) for lv in LEVELS}, "level", "zone", notices,
                       f.lang, required=True)
    units = unique_names(with_unit_name(current.by_unit(f.scope, f.period, level), f.lang))
    return level, units


def no_data(lang: str) -> None:
    """The friendly message for a scope without data."""
    st.info(t("msg.no_data", lang), icon=":material/info:")


def table(df: pd.DataFrame, columns: Mapping[str, tuple[str, str]], lang: str, name: str,
          *, height: int | None = None, rows_shown: int | None = None,
          values_csv: bool = False) -> None:
    """A table with translated headers and Indian number formats, plus CSV / Excel downloads.

    ``columns`` maps a frame column to (header, kind); kind is one of lib.view.formats's kinds
    ("int", "inr", "pct", "date", "hours", ...) or "text". Key columns (KEY_COLUMNS: rank, unit,
    day, account number, ...) are pinned: they stay in view when a wide table scrolls. With
    ``rows_shown``, a longer table shows its first rows on screen (with a note) while the
    downloads hold every row. With ``values_csv`` (a list people work from: the accounts), the
    Excel download comes first and the CSV holds plain values (rupees with paise) instead of
    the text shown, with a note on opening it in Excel.
    """
    if df is None or df.empty:
        no_data(lang)
        return
    cols = [c for c in columns if c in df.columns]
    raw = df[cols]
    kinds = {c: columns[c][1] for c in cols if columns[c][1] != "text"}
    headers = {c: columns[c][0] for c in cols}
    cut = rows_shown is not None and len(raw) > rows_shown
    screen = raw.head(rows_shown) if cut else raw
    pinned = {headers[c]: st.column_config.Column(pinned=True) for c in cols if c in KEY_COLUMNS}
    st.dataframe(_formatted(screen, kinds, lang).rename(columns=headers), hide_index=True,
                 width="stretch", height=height or "auto", column_config=pinned)
    if cut:
        st.caption(t("table.rows_shown", lang, n=fmt_int(rows_shown, lang),
                     total=fmt_int(len(raw), lang)))
    if values_csv:
        shown = lambda: plain_values(raw, kinds).rename(columns=headers)  # noqa: E731
    else:
        shown = lambda: _formatted(raw, kinds, lang).rename(columns=headers)  # noqa: E731
    downloads(shown, raw.rename(columns=headers), name, lang,
              formats={headers[c]: k for c, k in kinds.items()}, excel_first=values_csv)
    if values_csv:
        st.caption(t("download.values_note", lang))


@remembered
def _formatted(raw: pd.DataFrame, kinds: dict[str, str], lang: str) -> pd.DataFrame:
    """The table's text, formatted once per distinct table (cell-by-cell formatting is slow)."""
    return format_frame(raw, kinds, lang)


@remembered
def audit_scope(scope: Scope) -> str:
    """How the audit trail names a scope: English names with the codes ("Meerut Zone-I (zone
    MZ1)"); remembered per scope, since every table's download buttons ask on every rerun."""
    return f"{scope_words(current.hierarchy_frame(), scope, 'en')} ({scope.codes_text()})"


def downloads(shown: Callable[[], pd.DataFrame], raw: pd.DataFrame, name: str, lang: str,
              *, formats: Mapping[str, str] | None = None, excel_first: bool = False) -> None:
    """CSV (``shown()``: by default the formatted text, UTF-8 with BOM) and Excel (numbers kept
    as numbers, ``formats`` giving each column's kind) downloads, Excel first if asked; each
    one clicked is written to the audit trail."""
    # Files are built only when clicked (callables), so tables cost nothing per rerun. The
    # click runs them in a worker thread without this session: who and what are named now.
    who, filters = current.actor(), st.session_state.get("filters")
    where = f" · {audit_scope(filters.scope)} · {filters.period.start}–{filters.period.end}" \
        if filters else ""

    def audited(ext: str, build: Callable[[], bytes]) -> Callable[[], bytes]:
        def made() -> bytes:
            current.record("export", f"{name}.{ext} ({len(raw):,} rows){where}", who)
            return build()
        return made

    def csv_button() -> None:
        st.download_button(t("download.csv", lang), audited("csv", lambda: csv_bytes(shown())),
                           file_name=f"{name}.csv",
                           mime="text/csv", key=f"csv_{name}", icon=":material/download:",
                           on_click="ignore")

    def excel_button() -> None:
        st.download_button(t("download.excel", lang),
                           audited("xlsx", lambda: xlsx_bytes(raw, name, formats)),
                           file_name=f"{name}.xlsx", key=f"xlsx_{name}", on_click="ignore",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/table_view:", type="primary" if excel_first else "secondary")

    # files are built only when clicked (callables), so tables cost nothing per rerun
    with st.container(horizontal=True):
        for button in ((excel_button, csv_button) if excel_first else (csv_button, excel_button)):
            button()


def load_summary(row: Mapping, lang: str) -> str:
    """A load history row in words of the catalogue, with Indian grouping: "2,03,062 rows from
    8 files; 12 invalid rows skipped" or "nothing loaded: 3 problems"."""
    if row["status"] != "loaded":
        problems = row.get("problem_count")
        return (t("data.history_rejected_plain", lang) if problems is None or pd.isna(problems)
                else t("data.history_rejected", lang, n=fmt_int(problems, lang)))
    files = int(row["file_count"])
    text = t("data.history_loaded_one" if files == 1 else "data.history_loaded", lang,
             n=fmt_int(row["rows_accepted"], lang), files=fmt_int(files, lang))
    if row["rows_rejected"]:
        text += "; " + t("data.history_skipped", lang, n=fmt_int(row["rows_rejected"], lang))
    return text


def empty_database(lang: str) -> None:
    """What an empty database shows: where to load data, and the sample-data command."""
    st.title(t("app.title", lang))
    st.info(t("msg.empty_db", lang), icon=":material/database:")
    st.code("python -m lib.cli demo", language="bash")
    st.page_link("pages/data.py", label=page_title("data", lang), icon=":material/upload:")
