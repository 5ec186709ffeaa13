"""KPI tiles as text (no Streamlit): the Overview's tiles, shared by the page and the PDF brief."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.view.formats import KPI_KINDS, fmt_delta, fmt_int, fmt_pct, fmt_short, fmt_value
from lib.view.labels import kpi_help, kpi_label, t

# The Overview's tiles, in order: (KPI key, whether a rise is bad).
OVERVIEW_TILES: tuple[tuple[str, bool], ...] = (
    ("negative_balance", True), ("arrears_inr", True), ("negative_cleared", False),
    ("otp_verified", False), ("app_downloaded", False), ("verification_coverage", False),
    ("app_coverage", False), ("complaints_open", True), ("recharge_count", False),
    ("recharge_inr", False), ("app_recharge_share", False), ("complaints_resolved", False),
)


@dataclass(frozen=True)
class Tile:
    """One KPI tile: label, formatted value, optional delta text and help."""

    label: str
    value: str
    delta: str | None = None
    help: str | None = None
    delta_color: str = "normal"  # "inverse" where a rise is bad (arrears, open complaints)
    note: str | None = None      # e.g. progress to target


def kpi_tile(figures: pd.DataFrame, key: str, lang: str, *, inverse: bool = False,
             note: str | None = None) -> Tile:
    """A tile for one KPI of ``lib.figures.tiles.tile_figures``: short value, delta vs the previous
    day, and progress to target where a target exists."""
    row = figures.loc[key]
    kind = KPI_KINDS[key]
    value = (fmt_short(row["value"], lang, rupee=True) if kind == "inr"
             else fmt_value(row["value"], kind, lang))
    if note is None and pd.notna(row["achievement"]):
        note = (t("msg.of_target", lang, pct=fmt_pct(row["achievement"], lang))
                + f" ({fmt_int(row['target'], lang)})")
    return Tile(kpi_label(key, lang), value, fmt_delta(row["delta"], kind, lang),
                kpi_help(key, lang), "inverse" if inverse else "normal", note)


def overview_tiles(figures: pd.DataFrame, lang: str) -> list[Tile]:
    """The Overview's twelve tiles (negative balance notes the day before the period)."""
    before = t("msg.day_before_period", lang,
               value=fmt_int(figures.loc["negative_before", "value"], lang))
    return [kpi_tile(figures, key, lang, inverse=inverse,
                     note=before if key == "negative_balance" else None)
            for key, inverse in OVERVIEW_TILES]
