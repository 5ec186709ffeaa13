"""The Overview's tiles: each KPI now, the day before, and against the campaign target."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
from sqlalchemy.engine import Engine

from lib.figures.memo import figure
from lib.figures.metrics import KPI_KEYS, headline
from lib.figures.scope import Period, Scope
from lib.figures.targets import achievement


def previous_day(period: Period) -> Period:
    """The same period one day shorter (a single day: the day before) for "vs previous day"."""
    if period.end > period.start:
        return Period(period.start, period.end - timedelta(days=1))
    day = period.start - timedelta(days=1)
    return Period(day, day)


@figure
def tile_figures(engine: Engine, scope: Scope, period: Period,
                 campaign_id: str | None) -> pd.DataFrame:
    """One row per KPI: value, previous (same figure a day earlier), delta, target, achievement.

    Also a row ``negative_before``: negative-balance consumers on the day before the period.
    """
    now = headline(engine, scope, period).iloc[0]
    before = headline(engine, scope, previous_day(period)).iloc[0]
    rows = [{"key": k, "value": now[k], "previous": before[k]} for k in KPI_KEYS]
    df = pd.DataFrame(rows)
    df["delta"] = pd.to_numeric(df["value"], errors="coerce") - pd.to_numeric(df["previous"],
                                                                               errors="coerce")
    targets = achievement(engine, scope, campaign_id) if campaign_id else pd.DataFrame(
        columns=["metric", "target", "achievement"])
    df = df.merge(targets[["metric", "target", "achievement"]].rename(columns={"metric": "key"}),
                  on="key", how="left")
    # negative on the day before the period is the period's own "negative at start"
    extra = {"key": "negative_before", "value": int(now["negative_at_start"]),
             "previous": None, "delta": None, "target": None, "achievement": None}
    return pd.concat([df, pd.DataFrame([extra])], ignore_index=True).set_index("key")
