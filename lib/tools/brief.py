"""The campaign brief: the Overview's figures on at most two A4 pages, as PDF (and PNG of page 1).

Figures are gathered with the same functions as the Overview (``tile_figures``, ``league``,
``attention_list``, ``daily``) into a small ``Brief``; ``lib.tools.brief_html`` turns it into
HTML (every data value escaped); headless Chromium prints it (``render``). The PDF's creation
date is the brief's "made" time, so the same arguments and time give the same bytes.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy.engine import Engine

from lib.data import audit
from lib.data.audit import Actor
from lib.data.contract import CATEGORIES, TARGET_METRICS
from lib.data.engine import get_engine
from lib.figures import lookups, metrics, targets, tiles
from lib.figures.scope import Period, Scope
from lib.view.formats import IST, fmt_date, fmt_datetime_ist, fmt_day, fmt_delta, fmt_int, fmt_pct
from lib.view.labels import in_language, kpi_help, kpi_label, level_label, t
from lib.view.scope_words import UNIT_KEYS, scope_words
from lib.view.svg_charts import Series
from lib.view.theme import METRIC_COLORS
from lib.view.tiles import OVERVIEW_TILES, Tile, overview_tiles

MADE_AT_ENV = "PVVNL_BRIEF_MADE_AT"  # an ISO time to print instead of now (tests compare bytes)
CHROMIUM = "/usr/bin/chromium"
PNG_WIDTH = 1080
A4_WIDTH_PX = 210 / 25.4 * 96
LEAGUE_ROWS = 16  # more units than this: the first and last eight
MARKED = 3        # top and bottom three are marked
CHILD = {"zone": "circle", "circle": "division", "division": "area", "area": "area"}
FIELD_WORK = ("otp_verified", "app_downloaded", "negative_cleared", "recharge_count")


class BriefError(Exception):
    """A brief that cannot be made, with a one-line reason for the user."""


@dataclass(frozen=True)
class Table:
    """A table's headers and formatted rows; ``marks`` holds "top", "bottom" or "" per row."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    marks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Brief:
    """Everything the brief prints, already formatted in its language."""

    lang: str
    title: str
    org: str
    lines: tuple[str, ...]           # scope, period, as of, made
    tiles: tuple[Tile, ...]
    league_title: str
    league: Table
    marks_text: tuple[str, str]      # "Top 3", "Bottom 3"
    trend_title: str
    days: tuple[str, ...]
    charts: tuple[tuple[str, tuple[Series, ...]], ...]
    attention_title: str
    attention: Table | None
    on_track: str
    definitions_title: str
    definitions: tuple[tuple[str, str], ...]
    freshness: tuple[str, ...]
    made_at: datetime = field(compare=False, default=datetime(2026, 1, 1, tzinfo=IST))


@dataclass(frozen=True)
class Files:
    """The brief's PDF and, when asked for, the PNG of its first page."""

    pdf: bytes
    png: bytes | None = None


def made_now() -> datetime:
    """Now in IST, or the time in ``PVVNL_BRIEF_MADE_AT`` when set (so tests can pin it)."""
    pinned = os.environ.get(MADE_AT_ENV)
    if pinned:
        return datetime.fromisoformat(pinned).astimezone(IST)
    return datetime.now(IST)


def default_campaign(engine: Engine) -> str | None:
    """The latest campaign, as the sidebar starts with."""
    campaigns = lookups.campaign_list(engine)
    return None if campaigns.empty else str(campaigns["campaign_id"].iloc[0])


def check(engine: Engine, scope: Scope, period: Period, campaign_id: str | None) -> None:
    """Raise ``BriefError`` for an empty database, unknown units or campaign, or no data."""
    if not lookups.has_data(engine):
        raise BriefError("the database has no data: load files with 'python -m lib.cli load DIR' "
                         "or run 'python -m lib.cli demo'")
    tree = lookups.hierarchy_frame(engine)
    for level, plural in UNIT_KEYS:
        unknown = sorted(set(getattr(scope, plural)) - set(tree[f"{level}_code"]))
        if unknown:
            raise BriefError(f"unknown {level} code(s): {', '.join(unknown)}")
    bad = sorted(set(scope.categories) - set(CATEGORIES))
    if bad:
        raise BriefError(f"unknown category: {', '.join(bad)} (one of {', '.join(CATEGORIES)})")
    if not metrics.areas_in(engine, scope):
        raise BriefError("the chosen units do not overlap: no area lies in all of them")
    as_of = lookups.data_as_of(engine)
    if as_of is not None and period.start > as_of:
        raise BriefError(f"the period starts after the data ends ({as_of.isoformat()})")
    if campaign_id is not None:
        known = set(lookups.campaign_list(engine)["campaign_id"])
        if campaign_id not in known:
            raise BriefError(f"unknown campaign {campaign_id!r}")


def league_level(scope: Scope) -> str:
    """One level below the finest level chosen (zones for the whole DISCOM; areas stay areas)."""
    chosen = [lv for lv, plural in UNIT_KEYS if getattr(scope, plural)]
    return CHILD[chosen[-1]] if chosen else "zone"


def gather(engine: Engine, scope: Scope, period: Period, campaign_id: str | None, lang: str,
           made_at: datetime) -> Brief:
    """Every figure of the brief, formatted, from the Overview's own figure functions."""
    tree = lookups.hierarchy_frame(engine)
    as_of = lookups.data_as_of(engine)
    level = league_level(scope)
    below = "circle" if level == "zone" else level  # the Overview lists circles for the DISCOM
    league = targets.league(engine, scope, period, campaign_id, level)
    attention = targets.attention_list(engine, scope, period, campaign_id, below)
    fig = tiles.tile_figures(engine, scope, period, campaign_id)
    days = metrics.daily(engine, scope, period)
    lines = (t("msg.scope", lang, scope=scope_words(tree, scope, lang)),
             t("msg.period", lang, start=fmt_date(period.start, lang),
               end=fmt_date(period.end, lang)),
             t("msg.as_of", lang, date=fmt_date(as_of, lang)),
             t("brief.made", lang, when=fmt_datetime_ist(made_at, lang)))
    return Brief(
        lang=lang, title=t("brief.title", lang), org=t("app.org", lang), lines=lines,
        tiles=tuple(overview_tiles(fig, lang)),
        league_title=t("brief.league", lang, units=level_label(level, lang, plural=True)),
        league=league_table(league, level, lang),
        marks_text=marks_text(len(league), lang),
        trend_title=t("overview.trend", lang),
        days=tuple(fmt_day(d, lang) for d in days["day"]),
        charts=day_charts(days, lang),
        attention_title=f"{t('overview.attention', lang)}: {level_label(below, lang, plural=True)}",
        attention=attention_table(attention, below, lang) if not attention.empty else None,
        on_track=t("overview.all_on_track", lang),
        definitions_title=t("brief.definitions", lang), definitions=definitions(lang),
        freshness=freshness(engine, lang), made_at=made_at)


def _unit_names(df: pd.DataFrame, lang: str) -> list[str]:
    return [str(n) for n in in_language(df, "name", lang)]


def marks_for(count: int) -> tuple[str, ...]:
    """"top" for the first three ranks, "bottom" for the last three (fewer when units are few)."""
    k = min(MARKED, count // 2)
    return tuple("top" if i < k else "bottom" if i >= count - k else "" for i in range(count))


def marks_text(count: int, lang: str) -> tuple[str, str]:
    """The badges' words: "Top 3" and "Bottom 3" (fewer when the units are few)."""
    k = min(MARKED, count // 2)
    return t("msg.top_n", lang, n=k), t("msg.bottom_n", lang, n=k)


def league_table(league: pd.DataFrame, level: str, lang: str) -> Table:
    """Rank, unit, target achievement (overall and per target metric), negative balance, change."""
    headers = (t("overview.rank", lang), level_label(level, lang), t("kpi.target_achievement", lang),
               *(kpi_label(m, lang) for m in TARGET_METRICS), kpi_label("negative_balance", lang),
               t("overview.arrears_change", lang))
    rows, names = [], _unit_names(league, lang)
    for name, (_, r) in zip(names, league.iterrows(), strict=True):
        rows.append((fmt_int(r["rank"], lang), name, fmt_pct(r["score"], lang),
                     *(fmt_pct(r[f"{m}_achievement"], lang) for m in TARGET_METRICS),
                     fmt_int(r["negative_balance"], lang), fmt_delta(r["arrears_change"], "inr", lang)))
    ranked = int(league["rank"].notna().sum())  # units without a target have no rank
    marks = (*marks_for(ranked), *[""] * (len(rows) - ranked))
    if len(rows) > LEAGUE_ROWS:
        half = LEAGUE_ROWS // 2
        gap = tuple("…" if i < 2 else "" for i in range(len(headers)))
        rows, marks = [*rows[:half], gap, *rows[-half:]], (*marks[:half], "", *marks[-half:])
    return Table(headers, tuple(rows), tuple(marks))


def attention_table(attention: pd.DataFrame, level: str, lang: str) -> Table:
    """The units furthest behind, each with the figure that puts it on the list."""
    headers = (level_label(level, lang), t("brief.why", lang), t("kpi.target_achievement", lang),
               t("overview.arrears_change", lang), kpi_label("negative_balance", lang))
    rows = []
    for name, (_, r) in zip(_unit_names(attention, lang), attention.iterrows(), strict=True):
        behind = pd.notna(r["score"]) and r["score"] < 1
        why = (f"{t('kpi.target_achievement', lang)} {fmt_pct(r['score'], lang)}" if behind else
               f"{t('overview.arrears_change', lang)} {fmt_delta(r['arrears_change'], 'inr', lang)}")
        rows.append((name, why, fmt_pct(r["score"], lang),
                     fmt_delta(r["arrears_change"], "inr", lang),
                     fmt_int(r["negative_balance"], lang)))
    return Table(headers, tuple(rows))


def day_charts(days: pd.DataFrame, lang: str) -> tuple[tuple[str, tuple[Series, ...]], ...]:
    """The Overview's two day-by-day charts: negative balance, and field work and recharges."""

    def series(key: str) -> Series:
        values = tuple(None if pd.isna(v) else float(v) for v in days[key])
        return Series(kpi_label(key, lang), METRIC_COLORS[key], values)

    return ((kpi_label("negative_balance", lang), (series("negative_balance"),)),
            (t("overview.daily_activity", lang), tuple(series(k) for k in FIELD_WORK)))


def definitions(lang: str) -> tuple[tuple[str, str], ...]:
    """Each figure's label and one-line definition, from the app's help texts."""
    keys = [k for k, _ in OVERVIEW_TILES]
    return tuple((kpi_label(k, lang), kpi_help(k, lang)) for k in keys) + (
        (t("kpi.target_achievement", lang), kpi_help("target_achievement", lang)),)


def freshness(engine: Engine, lang: str) -> tuple[str, ...]:
    """When the data was last loaded, and the latest day each kind of dated data covers."""
    status = lookups.data_status(engine)
    loaded = [v for v in status["last_loaded_at"] if v is not None and not pd.isna(v)]
    out = [t("msg.data_updated", lang, when=fmt_datetime_ist(max(loaded), lang))] if loaded else []
    days = [f"{t(f'data.kind.{r.kind}', lang)} {fmt_date(r.latest_day, lang)}"
            for r in status.itertuples() if r.latest_day is not None and not pd.isna(r.latest_day)
            and r.kind != "campaigns"]
    if days:
        out.append(f"{t('data.latest_day', lang)}: " + " · ".join(days))
    return tuple(out)


def build(engine: Engine, scope: Scope, period: Period, campaign_id: str | None, lang: str,
          *, made_at: datetime | None = None, png: bool = False) -> Files:
    """Check the request, gather the figures and print the brief (PDF, and PNG of page 1)."""
    from lib.tools.brief_html import to_html

    check(engine, scope, period, campaign_id)
    brief = gather(engine, scope, period, campaign_id, lang, made_at or made_now())
    pdf, image = render(to_html(brief), png=png)
    return Files(pin_pdf_dates(pdf, brief.made_at), image)


def for_dashboard(scope: Scope, period: Period, campaign_id: str | None, lang: str,
                  kind: str, who: Actor) -> bytes:
    """The brief's PDF (``kind="pdf"``) or PNG for the configured database (the Overview's
    buttons), recorded in the audit trail as made by ``who``. ``scope`` must come bounded by
    the viewer (``current.bounded``): the click runs this outside the viewer's session."""
    engine = get_engine()
    audit.record_now(engine, who, "brief", f"{file_name(scope, period, lang, kind)} · "
                     f"{scope.codes_text()} · {period.start}–{period.end} · "
                     f"campaign {campaign_id or '-'}")
    files = build(engine, scope, period, campaign_id, lang, png=kind == "png")
    return files.png if kind == "png" and files.png is not None else files.pdf


def file_name(scope: Scope, period: Period, lang: str, ext: str) -> str:
    """A file name saying what the brief is about: brief-Z1-2026-02-02-2026-02-04-hi.pdf."""
    codes = [c for _, plural in UNIT_KEYS for c in getattr(scope, plural)][:3]
    safe = [re.sub(r"[^A-Za-z0-9_-]", "", c) for c in codes] or ["PVVNL"]
    return f"brief-{'-'.join(safe)}-{period.start}-{period.end}-{lang}.{ext}"


def pin_pdf_dates(pdf: bytes, made_at: datetime) -> bytes:
    """Set the PDF's CreationDate and ModDate to the made time (same length: offsets hold)."""
    stamp = made_at.astimezone(UTC).strftime("(D:%Y%m%d%H%M%S+00'00')").encode()
    return re.sub(rb"\(D:\d{14}[+\-Z][^)]*\)",
                  lambda m: stamp if len(m.group(0)) == len(stamp) else m.group(0), pdf)


def render(html: str, *, png: bool = False) -> tuple[bytes, bytes | None]:
    """Print HTML to an A4 PDF in headless Chromium (and screenshot page 1 ~1080 px wide)."""
    from playwright.sync_api import Error, sync_playwright

    exe = shutil.which("chromium") or CHROMIUM
    if not Path(exe).exists():
        raise BriefError("Chromium is not installed (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory(prefix="brief-") as tmp:
        page_file = Path(tmp) / "brief.html"
        page_file.write_text(html, "utf-8")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=exe, args=[
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
                try:
                    return _print(browser, page_file.as_uri(), png)
                finally:
                    browser.close()
        except Error as exc:
            raise BriefError(f"Chromium could not print the brief: {str(exc).splitlines()[0]}") \
                from None


def _print(browser, url: str, png: bool) -> tuple[bytes, bytes | None]:
    """Open the page with only file:// requests allowed, check it fits, print and screenshot."""
    context = browser.new_context(viewport={"width": round(A4_WIDTH_PX), "height": 1123},
                                  device_scale_factor=PNG_WIDTH / A4_WIDTH_PX)
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        ("file:", "data:")) else route.abort())
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    overflow = page.evaluate("[...document.querySelectorAll('.page')]"
                             ".filter(p => p.scrollHeight > p.clientHeight + 1).length")
    if overflow:
        raise BriefError("the brief does not fit on two pages")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    image = page.locator(".page").first.screenshot(type="png") if png else None
    context.close()
    return pdf, image


def parse_day(text: str, option: str) -> date:
    """A YYYY-MM-DD day from the command line, or ``BriefError`` saying which option is wrong."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BriefError(f"{option} {text!r} is not a date (YYYY-MM-DD)") from None


def command(args) -> int:
    """``python -m lib.cli brief``: write the PDF (and PNG); a bad request exits 2, no file."""
    import sys

    try:
        start, end = parse_day(args.start, "--from"), parse_day(args.end, "--to")
        if end < start:
            raise BriefError("--to must not be before --from")
        scope = Scope.of(zones=args.zone, circles=args.circle, divisions=args.division,
                         areas=args.area, categories=args.category)
        engine = get_engine(args.db)
        campaign = args.campaign or default_campaign(engine)
        files = build(engine, scope, Period(start, end), campaign, args.lang,
                      png=args.png is not None)
        audit.record_now(engine, audit.os_actor(" (command line)"), "brief",
                         f"{args.out.name} · {start}–{end} · campaign {campaign or '-'}")
    except BriefError as exc:
        print(f"python -m lib.cli brief: {exc}", file=sys.stderr)
        return 2
    args.out.write_bytes(files.pdf)
    if args.png is not None and files.png is not None:
        args.png.write_bytes(files.png)
    print(f"wrote {args.out}" + (f" and {args.png}" if args.png else ""))
    return 0
