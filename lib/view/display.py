"""The meeting-room display: its URL parameters, the slide rotation and what each slide shows.

Everything the wall screen shows is in its URL (``/display?slides=kpis,league&seconds=20...``),
so a restarted screen comes back the same. The rotation is pure arithmetic on a tick counter
(one tick per slide interval). The figures come from ``lib.figures.current`` as one *snapshot*
per (scope, campaign, data version): a data-version check every ``refresh`` seconds takes a new
snapshot when a load has landed, and the slides draw from the snapshot, so a new load shows at
the next slide and the rotation keeps its place. The last good snapshot is kept per process
(``lib.figures.memo.keep``): while the database cannot be reached it stays on screen, marked.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

import altair as alt
import pandas as pd
from sqlalchemy.exc import SQLAlchemyError

from lib.data.contract import CATEGORIES
from lib.figures import current, memo
from lib.figures.scope import Period, Scope
from lib.view import charts
from lib.view.drill import top_units
from lib.view.formats import IST, fmt_date, fmt_int
from lib.view.labels import LANGS, in_language, kpi_label, level_label, t
from lib.view.safe import QUOTE_CHARS
from lib.view.ui import Tile, kpi_tile, with_unit_name

SLIDES = ("kpis", "league", "trend", "negative", "ce", "desks")
MIN_SECONDS, DEFAULT_SECONDS = 5, 20
MIN_REFRESH, DEFAULT_REFRESH = 10, 60
DEFAULT_STALE_HOURS = 26.0
SCOPE_KEYS = (("zone", "zones"), ("circle", "circles"), ("division", "divisions"),
              ("area", "areas"), ("category", "categories"))
KNOWN = {"slides", "seconds", "refresh", "lang", "campaign", "stale_hours",
         *(k for k, _ in SCOPE_KEYS)}
SHOWN_CHARS = QUOTE_CHARS  # an ignored value is cut to this many characters (the code length)
MAX_BARS = 12      # bars per chart: nothing scrolls at 1920×1080
TILE_KEYS = ("negative_balance", "arrears_inr", "negative_cleared", "otp_verified",
             "app_downloaded", "complaints_open")
TREND_KEYS = ("otp_verified", "app_downloaded", "negative_cleared", "recharge_count")
DESK_KEYS = ("complaints_received", "complaints_resolved", "complaints_open")
# The database is down or unreachable (SQLAlchemy's errors; a missing SQLite folder).
DB_ERRORS: tuple[type[BaseException], ...] = (SQLAlchemyError, OSError)


@dataclass(frozen=True)
class Params:
    """The display's URL parameters, checked; ``ignored`` holds (name, value) of the bad ones."""

    slides: tuple[str, ...] = SLIDES
    seconds: int = DEFAULT_SECONDS
    refresh: int = DEFAULT_REFRESH
    lang: str = "en"
    scope: Scope = field(default_factory=Scope)
    campaign: str | None = None
    stale_hours: float = DEFAULT_STALE_HOURS
    ignored: tuple[tuple[str, str], ...] = ()


def _values(query: Mapping[str, Sequence[str] | str], key: str) -> list[str]:
    """Every value of a parameter, repeated (``zone=A&zone=B``) or comma-separated."""
    raw = query.get(key, [])
    items = [raw] if isinstance(raw, str) else list(raw)
    return [part.strip() for item in items for part in item.split(",")]


def _number(values: list[str], lowest: float, integer: bool) -> float | int | None:
    try:
        number = int(values[-1]) if integer else float(values[-1])
    except (ValueError, IndexError):
        return None
    return number if number >= lowest and number == number and number != float("inf") else None


def parse_params(query: Mapping[str, Sequence[str] | str], units: Mapping[str, Collection[str]],
                 campaigns: Sequence[str]) -> Params:
    """Check the URL parameters; a bad value is left out (default used) and listed in ``ignored``.

    ``units`` maps each level (and "category") to its valid codes; ``campaigns`` lists the
    campaign ids, latest first (the default).
    """
    ignored: list[tuple[str, str]] = [(k, ",".join(_values(query, k))) for k in query
                                      if k not in KNOWN]
    out: dict[str, Any] = {}
    if "slides" in query:
        wanted = _values(query, "slides")
        ignored += [("slides", s) for s in wanted if s not in SLIDES]
        if [s for s in wanted if s in SLIDES]:
            out["slides"] = tuple(s for s in wanted if s in SLIDES)
    for key, lowest, integer in (("seconds", MIN_SECONDS, True), ("refresh", MIN_REFRESH, True),
                                 ("stale_hours", 1e-9, False)):
        if key in query:
            number = _number(_values(query, key), lowest, integer)
            if number is None:
                ignored.append((key, ",".join(_values(query, key))))
            else:
                out[key] = number
    for key, choices in (("lang", LANGS), ("campaign", campaigns)):
        if key in query:
            value = _values(query, key)[-1]
            if value in choices:
                out[key] = value
            else:
                ignored.append((key, value))
    out.setdefault("campaign", campaigns[0] if campaigns else None)
    scope: dict[str, tuple[str, ...]] = {}
    for key, plural in SCOPE_KEYS:
        wanted = [v for v in _values(query, key) if v]
        valid = units.get(key, CATEGORIES if key == "category" else ())
        ignored += [(key, v) for v in wanted if v not in valid]
        scope[plural] = tuple(v for v in wanted if v in valid)
    return Params(scope=Scope.of(**scope), ignored=tuple(ignored), **out)


def shown_value(value: str) -> str:
    """An ignored value as the foot line shows it: printable, at most ``SHOWN_CHARS`` long."""
    clean = re.sub(r"[^\S ]|[\x00-\x1f\x7f]", " ", value)
    return clean if len(clean) <= SHOWN_CHARS else clean[:SHOWN_CHARS - 1] + "…"


def ignored_line(params: Params) -> str | None:
    """The foot line naming the ignored parameters (plain text, each value quoted as code)."""
    if not params.ignored:
        return None
    names = " · ".join(f"{k}=`{shown_value(v)}`" for k, v in params.ignored)
    return f"{t('display.ignored', params.lang)} {names}"


# --- the rotation (pure) ----------------------------------------------------------------------

def slide_at(tick: int, slides: Sequence[str]) -> int:
    """Index of the slide shown at ``tick`` (tick 0 is the first slide; then one per interval)."""
    return tick % len(slides)


def next_slide(tick: int, slides: Sequence[str]) -> str:
    """The name of the slide that follows the one shown at ``tick``."""
    return slides[slide_at(tick + 1, slides)]


def tick_at(elapsed: float, seconds: int) -> int:
    """The tick reached ``elapsed`` seconds after the first slide (for a screen started then)."""
    return int(max(elapsed, 0) // seconds)


def indicator(tick: int, params: Params) -> str:
    """The slide indicator: "3 / 6 · Next: Negative balance and arrears"."""
    slides = params.slides
    position = f"{slide_at(tick, slides) + 1} / {len(slides)}"
    nxt = t("display.next", params.lang, name=t(f"display.slide.{next_slide(tick, slides)}",
                                                   params.lang))
    return f"{position} · {nxt}"


def unit_level(scope: Scope) -> str:
    """The level a slide ranks: zones for the whole DISCOM, else the units one level below the
    finest unit chosen or, for a viewer bound to a unit, below that unit."""
    levels = {level for level, _ in current.bounded(scope).unit_filters()}
    if levels & {"division", "area"}:
        return "area"
    return "division" if "circle" in levels else "circle" if "zone" in levels else "zone"


# --- the figures: one snapshot per data version -------------------------------------------------

@dataclass(frozen=True)
class Snapshot:
    """Every figure the display's slides show, read at one data version."""

    version: int
    period: Period | None
    figures: Mapping[str, pd.DataFrame]
    as_of: date | None
    loaded_at: datetime | None
    checked_at: datetime   # the last time the database answered (IST)


@dataclass(frozen=True)
class Screen:
    """What a refresh check found: the snapshot to show, and whether the check failed."""

    snapshot: Snapshot | None
    down: bool


def now_ist() -> datetime:
    """The wall-clock time in IST, naive (as the load log stores it)."""
    return datetime.now(IST).replace(tzinfo=None)


def period_for(campaign: str | None, campaigns: pd.DataFrame, as_of: date | None) -> Period | None:
    """The campaign's dates, ending at the latest data day when the campaign runs on."""
    if as_of is None:
        return None
    row = campaigns[campaigns["campaign_id"] == campaign]
    if row.empty:
        return Period(as_of - timedelta(days=6), as_of)
    start, end = row["start_date"].iloc[0], row["end_date"].iloc[0]
    return Period(start, min(end, as_of)) if start <= as_of else Period(start, end)


def _take(params: Params, version: int, now: datetime) -> Snapshot:
    """Read every slide's figures at ``version`` (the figures memo makes this one set per version)."""
    campaigns = current.campaign_list()
    as_of = current.data_as_of()
    period = period_for(params.campaign, campaigns, as_of)
    loaded_at = current.last_loaded_at()
    figures: dict[str, pd.DataFrame] = {}
    if period is not None:
        scope, level, camp = params.scope, unit_level(params.scope), params.campaign
        figures["tiles"] = current.tile_figures(scope, period, camp)
        wanted = set(params.slides)
        if "league" in wanted:
            figures["league"] = current.league(scope, period, camp, level)
        if "trend" in wanted:
            figures["trend"] = current.daily(scope, period)
        if "negative" in wanted:
            figures["negative"] = current.by_unit(scope, period, level)
        if "ce" in wanted:
            figures["ce"] = current.league(Scope.of(categories=scope.categories), period, camp)
        if "desks" in wanted:
            figures["desks"] = current.help_desks(scope, period)
    return Snapshot(version, period, figures, as_of, loaded_at, now)


def _key(params: Params) -> tuple:
    return ("display", params.scope, params.campaign, params.slides)


def refresh(params: Params, now: datetime) -> Screen:
    """Check the data version; take a new snapshot after a load; keep the last good one if down."""
    key = _key(params)
    last: Snapshot | None = memo.kept(key)
    try:
        version = current.version()
        snap = (replace(last, checked_at=now) if last is not None and last.version == version
                else _take(params, version, now))
    except DB_ERRORS:
        return Screen(last, down=True)
    memo.keep(key, snap)
    return Screen(snap, down=False)


def last_snapshot(params: Params) -> Snapshot | None:
    """The snapshot the last refresh check kept for these parameters."""
    return memo.kept(_key(params))


def is_stale(snap: Snapshot, now: datetime, hours: float) -> bool:
    """Whether the data is older than ``hours``: counted from the last load, else from the end of
    the latest data day."""
    since = snap.loaded_at or (datetime.combine(snap.as_of + timedelta(days=1), time())
                               if snap.as_of else None)
    return since is None or now - since > timedelta(hours=hours)


def freshness(snap: Snapshot, lang: str) -> str:
    """The corner line: "Data to 08 Feb 2026, loaded 09:12 IST"."""
    day = fmt_date(snap.as_of, lang) if snap.as_of else "–"
    loaded = f"{snap.loaded_at:%H:%M}" if snap.loaded_at else "–"
    return t("display.fresh", lang, date=day, time=loaded)


def both_languages(key: str, **kwargs: object) -> str:
    """A notice in English and Hindi at once (a room may read either)."""
    return " · ".join(t(key, lang, **kwargs) for lang in LANGS)


# --- the slides ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Slide:
    """One slide: a title, at most six tiles (with progress to target) and at most one chart."""

    title: str
    tiles: tuple[tuple[Tile, float | None], ...] = ()
    chart: alt.TopLevelMixin | None = None
    note: str | None = None


def _tiles(fig: pd.DataFrame, keys: Sequence[str], lang: str) -> tuple[tuple[Tile, float | None], ...]:
    out = []
    for key in keys:
        tile = kpi_tile(fig, key, lang)
        ach = fig.loc[key, "achievement"]
        out.append((tile, None if pd.isna(ach) else float(min(max(ach, 0.0), 1.0))))
    return tuple(out)


def _bars(units: pd.DataFrame, value: str, kind: str, title: str, lang: str,
          unit_col: str = "unit") -> tuple[alt.TopLevelMixin | None, str | None]:
    top = top_units(units, value, MAX_BARS)
    note = t("msg.top_n", lang, n=len(top)) + f" / {fmt_int(len(units), lang)}" \
        if len(top) < len(units) else None
    return charts.ranked_bars(top, unit_col, value, value_kind=kind, title=title, lang=lang,
                              large=True), note


def build_slide(name: str, snap: Snapshot, params: Params) -> Slide:
    """What slide ``name`` shows from the snapshot, in the display's language."""
    lang, figs = params.lang, snap.figures
    title = t(f"display.slide.{name}", lang)
    if "tiles" not in figs:
        return Slide(title, note=t("msg.no_data", lang))
    level = unit_level(params.scope)
    by_level = {"metric": t("kpi.target_achievement", lang), "level": level_label(level, lang)}
    if name == "kpis":
        return Slide(title, _tiles(figs["tiles"], TILE_KEYS, lang))
    if name == "league":
        chart, note = _bars(with_unit_name(figs["league"], lang), "score", "pct",
                            t("zones.by_level", lang, **by_level), lang)
        return Slide(title, chart=chart, note=note)
    if name == "trend":
        return Slide(title, chart=charts.trend(
            figs["trend"], "day", list(TREND_KEYS), {k: kpi_label(k, lang) for k in TREND_KEYS},
            title=t("overview.daily_activity", lang), lang=lang, large=True, height=640))
    if name == "negative":
        units = top_units(with_unit_name(figs["negative"], lang), "arrears_inr", MAX_BARS)
        chart = charts.bands_chart(units, "unit", "negative_balance", "arrears_inr", lang=lang,
                                   large=True) if units["negative_balance"].any() else None
        return Slide(title, _tiles(figs["tiles"], ("negative_balance", "arrears_inr"), lang),
                     chart)
    if name == "ce":
        ce = with_unit_name(figs["ce"], lang)
        ce = ce.assign(unit=[f"{n} ({u})" for n, u in zip(ce["chief_engineer"], ce["unit"],
                                                          strict=True)])
        chart, note = _bars(ce, "score", "pct", t("kpi.target_achievement", lang), lang)
        return Slide(title, chart=chart, note=note)
    desks = figs["desks"].assign(help_desk=in_language(figs["desks"], "help_desk", lang))
    chart, note = _bars(desks[desks["complaints_open"] > 0], "complaints_open", "int",
                        t("hd.open_by_desk", lang), lang, unit_col="help_desk")
    return Slide(title, _tiles(figs["tiles"], DESK_KEYS, lang), chart,
                 note if chart is not None else t("hd.none_open", lang))

