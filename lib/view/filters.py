"""The shared sidebar filters: language, campaign, dates, zone → circle → division → area and
consumer category. Every widget is bound to the URL, so a copied link opens the same view;
values a hand-edited URL gets wrong are dropped with a small notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from lib.data.contract import CATEGORIES, date_window
from lib.figures import current
from lib.figures.first_view import campaign_dates, default_campaign, recent_week
from lib.figures.scope import Period, Scope
from lib.view.formats import fmt_date, fmt_day
from lib.view.labels import LANG_NAMES, LANGS, category_label, in_language, t
from lib.view.safe import md_text, quoted
from lib.view.scope_words import UNIT_KEYS, scope_words, unit_options

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MAX_PERIOD_DAYS = 400  # the longest period a page computes (a campaign is weeks long)


@dataclass(frozen=True)
class Filters:
    """What every page shows: language, campaign, period and scope."""

    lang: str
    campaign_id: str | None
    period: Period
    scope: Scope
    as_of: date | None
    period_source: str = ""  # "campaign": the campaign's dates; "recent": the data's last week


def current_lang() -> str:
    """The language chosen in the URL (``lang=hi``), English otherwise."""
    value = st.session_state.get("lang") or st.query_params.get("lang", "en")
    return value if value in LANGS else "en"


def language_switch() -> str:
    """The English / हिन्दी switch, kept in the URL as ``?lang=hi``."""
    notices: list[str] = []
    _seed("lang", list(LANGS), notices, single=True, default="en")
    lang = _keyed(st.sidebar.segmented_control, "lang", "pick",
                  t("filter.language", current_lang()), LANGS, format_func=LANG_NAMES.get)
    if lang not in LANGS:  # a click on the chosen button unselects it: keep the language
        lang = st.session_state["lang"] = current_lang()
    _publish("lang", [] if lang == "en" else [lang])
    _show(notices)
    return lang


def sidebar_filters(lang: str) -> Filters:
    """Draw the shared filters in the sidebar and return what they select."""
    notices: list[str] = []
    campaigns = current.campaign_list()
    tree = current.hierarchy_frame()
    as_of = current.data_as_of()
    sb = st.sidebar
    sb.header(t("filter.title", lang))

    campaign_ids = campaigns["campaign_id"].tolist()
    names = dict(zip(campaigns["campaign_id"], in_language(campaigns, "name", lang), strict=True))
    _seed("campaign", campaign_ids, notices, single=True, default=default_campaign(campaigns))
    campaign_id = _keyed(sb.selectbox, "campaign", lang, t("filter.campaign", lang), campaign_ids,
                         format_func=lambda c: names.get(c, c),
                         then=lambda: _campaign_changed(campaigns))
    _publish("campaign", [campaign_id] if campaign_id and campaign_id != default_campaign(campaigns) else [])
    dates = campaign_dates(campaigns, campaign_id)
    default = dates or recent_week(as_of)
    _seed_dates(default, notices, as_of)
    first, last = date_window()
    picked = _keyed(sb.date_input, "dates", "pick", t("filter.date_range", lang),
                    format="DD/MM/YYYY", min_value=first, max_value=last)
    period = _period_from(picked, default)
    if (period.end - period.start).days >= MAX_PERIOD_DAYS:  # picked in the widget: keep its end, say so
        period = Period(period.end - timedelta(days=MAX_PERIOD_DAYS - 1), period.end)
        notices.append(t("msg.period_cut", lang, days=MAX_PERIOD_DAYS))
    _publish("dates", [] if (period.start, period.end) == tuple(default)
             else [period.start.isoformat(), period.end.isoformat()])

    scope_args: dict[str, tuple[str, ...]] = {}
    narrowed = tree
    for level, plural in UNIT_KEYS:
        options = _unit_options(narrowed, level, lang)
        _seed(level, list(options), notices)
        if any(c not in options for c in st.session_state.get(level, [])):
            # a narrower choice above removed these units from the list
            st.session_state[level] = [c for c in st.session_state[level] if c in options]
        chosen = _keyed(sb.multiselect, level, lang, t(f"filter.{level}", lang), list(options),
                        format_func=lambda c, o=options: o.get(c, c),
                        placeholder=t("filter.all", lang))
        _publish(level, chosen)
        scope_args[plural] = tuple(chosen)
        if chosen:
            narrowed = narrowed[narrowed[f"{level}_code"].isin(chosen)]
    _seed("category", list(CATEGORIES), notices)
    cats = _keyed(sb.multiselect, "category", lang, t("filter.category", lang), list(CATEGORIES),
                  format_func=lambda c: category_label(c, lang), placeholder=t("filter.all", lang))
    _publish("category", cats)
    sb.button(t("filter.reset", lang), on_click=reset_filters, width="stretch")
    _show(notices)
    source = ("campaign" if dates else "recent") \
        if (period.start, period.end) == tuple(default) else ""
    scope = current.bounded(Scope.of(categories=cats, **scope_args))  # the viewer's own unit
    return Filters(lang, campaign_id, period, scope, as_of, source)


def _keyed(widget, key: str, suffix: str, *args, then=None, **kwargs):
    """A widget whose value lives under ``key`` in session state, the widget under key__suffix.

    The value survives runs that do not draw the widget (Streamlit drops a widget's own state
    then). Widgets showing translated names take the language as suffix: Streamlit keeps a
    keyed widget's identity when its labels change, and the browser would go on showing the
    old language's name of the chosen option.
    """
    widget_key = f"{key}__{suffix}"
    st.session_state[widget_key] = st.session_state.get(key)

    def changed() -> None:
        st.session_state[key] = st.session_state[widget_key]
        if then:
            then()

    return widget(*args, key=widget_key, on_change=changed, **kwargs)


def _seed(key: str, allowed: list[str], notices: list[str], *, single: bool = False,
          default: str | None = None) -> None:
    """On a session's first run, start the widget from the URL, noting values it cannot take."""
    if key in st.session_state:
        return
    wanted = st.query_params.get_all(key)
    valid = [v for v in wanted if v in allowed]
    notices.extend(t("msg.invalid_url_value", current_lang(), name=key, value=quoted(v))
                   for v in wanted if v not in allowed)
    if single:
        st.session_state[key] = valid[0] if valid else default
    else:
        st.session_state[key] = list(dict.fromkeys(valid))


def _seed_dates(default: tuple[date, date], notices: list[str], as_of: date | None) -> None:
    """On a session's first run, start the period from the URL, dropping a bad range whole."""
    if "dates" in st.session_state:
        return
    wanted = st.query_params.get_all("dates")
    if not wanted:
        st.session_state["dates"] = tuple(default)
        return
    period, reason = url_period(wanted, as_of)
    if period is None:
        notices.append(t("msg.invalid_url_period", current_lang(), reason=t(reason, current_lang()),
                         value=quoted(",".join(wanted))))
    st.session_state["dates"] = period or tuple(default)


def url_period(values: list[str], as_of: date | None) -> tuple[tuple[date, date] | None, str]:
    """The period two URL dates name, or None and the catalogue key of why it is dropped.

    Both dates must be real ISO dates in the contract's window, at most MAX_PERIOD_DAYS apart
    and not after the data ends: a bad range is dropped whole, never turned into another one.
    """
    if len(values) != 2:
        return None, "msg.period_two_dates"
    picked = []
    first, last = date_window()
    for value in values:
        try:
            day = date.fromisoformat(value) if _ISO_DAY.fullmatch(value) else None
        except ValueError:  # 2026-99-01
            day = None
        if day is None or not first <= day <= last:
            return None, "msg.period_bad_date"
        picked.append(day)
    start, end = min(picked), max(picked)
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        return None, "msg.period_too_long"
    if as_of is not None and start > as_of:
        return None, "msg.period_after_data"
    return (start, end), ""


def _publish(key: str, values: list[str]) -> None:
    """Mirror a filter into the URL (codes, so a link works in either language)."""
    if values:
        if st.query_params.get_all(key) != values:
            st.query_params[key] = values
    elif key in st.query_params:
        del st.query_params[key]


def _show(notices: list[str]) -> None:
    for notice in notices:
        st.toast(notice, icon=":material/link_off:")
        st.sidebar.caption("⚠️ " + notice)


def _unit_options(tree: pd.DataFrame, level: str, lang: str) -> dict[str, str]:
    """Codes of a level → display names (Hindi where the data has them)."""
    return unit_options(tree, level, lang)


def _campaign_changed(campaigns: pd.DataFrame) -> None:
    """Choosing a campaign sets the period to its dates."""
    dates = campaign_dates(campaigns, st.session_state.get("campaign"))
    if dates:
        st.session_state["dates"] = dates


def _period_from(picked, default: tuple[date, date]) -> Period:
    """A Period from the date widget (which returns one date while a range is half-picked)."""
    if isinstance(picked, date):
        picked = (picked,)
    picked = tuple(p for p in (picked or ()) if p)
    if not picked:
        return Period(*default)
    start, end = picked[0], picked[-1]
    return Period(min(start, end), max(start, end))


def reset_filters() -> None:
    """Back to the whole DISCOM and the latest campaign (language kept)."""
    campaigns = current.campaign_list()
    if not campaigns.empty:
        st.session_state["campaign"] = default_campaign(campaigns)
        st.session_state["dates"] = campaign_dates(campaigns, default_campaign(campaigns))
    else:
        st.session_state.pop("dates", None)
    for key in ("zone", "circle", "division", "area", "category"):
        st.session_state[key] = []


def scope_text(filters: Filters) -> str:
    """A short description of the scope ("All of PVVNL" or the chosen units and categories)."""
    return scope_words(current.hierarchy_frame(), filters.scope, filters.lang)


def context_caption(filters: Filters) -> str:
    """The line every page shows: how far the data goes, the period shown and why (the
    campaign's dates, the data's last week), and the scope: "Data to 08 Feb 2026 · showing
    02 Feb – 07 Feb 2026 (campaign) · Scope: All of PVVNL"."""
    lang = filters.lang
    start, end = filters.period.start, filters.period.end
    shown = t("msg.showing", lang,
              start=fmt_day(start, lang) if start.year == end.year else fmt_date(start, lang),
              end=fmt_date(end, lang))
    if filters.period_source:
        shown += f" ({t(f'msg.period_{filters.period_source}', lang)})"
    data_to = t("msg.data_to", lang, date=fmt_date(filters.as_of, lang)) if filters.as_of else ""
    scope = t("msg.scope", lang, scope=md_text(scope_text(filters)))
    return " · ".join(p for p in (data_to, shown, scope) if p)
