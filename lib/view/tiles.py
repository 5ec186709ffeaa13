"""KPI tiles as text (no Streamlit): the Overview's tiles, shared by the page and the PDF brief."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.view.formats import (
    KPI_KINDS,
    fmt_day,
    fmt_delta,
    fmt_int,
    fmt_pct,
    fmt_short,
    fmt_value,
    is_missing,
)
from lib.view.labels import kpi_help, kpi_label, t

# KPIs for which a rise is bad: their change is coloured "inverse" (a fall is green).
BAD_WHEN_UP = frozenset({"negative_balance", "arrears_inr", "complaints_open",
                         "complaints_received", "resolution_hours_median"})

# The Overview's tiles, in order: (KPI key, whether a rise is bad).
OVERVIEW_TILES: tuple[tuple[str, bool], ...] = tuple((k, k in BAD_WHEN_UP) for k in (
    "negative_balance", "arrears_inr", "negative_cleared", "otp_verified", "app_downloaded",
    "verification_coverage", "app_coverage", "complaints_open", "recharge_count",
    "recharge_inr", "app_recharge_share", "complaints_resolved"))


@dataclass(frozen=True)
class Tile:
    """One KPI tile: label, formatted value, optional delta text (with what it is) and help."""

    label: str
    value: str
    delta: str | None = None
    help: str | None = None
    delta_color: str = "normal"  # "inverse" where a rise is bad, "off" for no change
    note: str | None = None      # e.g. progress to target
    delta_description: str | None = None  # what the delta compares ("change since 03 Feb")
    delta_arrow: str = "auto"    # "off" for a change that rounds to zero


def _value_text(value: object, kind: str, lang: str) -> str:
    return fmt_short(value, lang, rupee=True) if kind == "inr" else fmt_value(value, kind, lang)


def target_note(row: pd.Series, lang: str) -> str | None:
    """ "Campaign 02 Feb–04 Feb: 30.0% of target (10)" (whole campaign), or None without a target."""
    if is_missing(row.get("achievement")) or is_missing(row.get("target")):
        return None
    note = t("tile.campaign_target", lang, start=fmt_day(row["campaign_start"], lang),
             end=fmt_day(row["campaign_end"], lang), pct=fmt_pct(row["achievement"], lang),
             target=fmt_int(row["target"], lang))
    every = bool(row.get("target_all_categories", False))
    return note + (f" · {t('tile.all_categories', lang)}" if every else "")


def kpi_tile(figures: pd.DataFrame, key: str, lang: str, *, inverse: bool | None = None,
             note: str | None = None) -> Tile:
    """A tile for one KPI of ``lib.figures.tiles.tile_figures``: value for the period, the
    labelled change of its last two days, and the campaign's progress to target if it has one."""
    row = figures.loc[key]
    kind = KPI_KINDS[key]
    if note is None:
        note = target_note(row, lang)
    inverse = key in BAD_WHEN_UP if inverse is None else inverse
    base = Tile(kpi_label(key, lang), _value_text(row["value"], kind, lang),
                help=kpi_help(key, lang), note=note)
    if is_missing(row.get("delta")):
        return base
    last, before = fmt_day(row["last_day"], lang), fmt_day(row["previous_day"], lang)
    delta = fmt_delta(row["delta"], kind, lang)
    zero = delta[:1] not in "+-"
    if row["stock"]:
        description = t("tile.change_since", lang, day=before)
        explain = t("tile.help_stock", lang, before=before, last=last)
    else:
        description = t("tile.day_vs_day", lang, before=before)
        explain = t("tile.help_flow", lang, before=before, last=last,
                    v_last=_value_text(row["last"], kind, lang),
                    v_before=_value_text(row["previous"], kind, lang))
    return Tile(base.label, base.value, delta, f"{base.help}\n\n{explain}",
                "off" if zero else ("inverse" if inverse else "normal"), note, description,
                "off" if zero else "auto")


def overview_tiles(figures: pd.DataFrame, lang: str) -> list[Tile]:
    """The Overview's twelve tiles (negative balance notes the day before the period)."""
    before = t("msg.day_before_period", lang,
               value=fmt_int(figures.loc["negative_before", "value"], lang))
    return [kpi_tile(figures, key, lang, inverse=inverse,
                     note=before if key == "negative_balance" else None)
            for key, inverse in OVERVIEW_TILES]
