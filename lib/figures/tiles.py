"""The tiles' figures: each KPI for the period, its last two days, and against the campaign target."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
from sqlalchemy.engine import Engine

from lib.figures.memo import figure
from lib.figures.metrics import KPI_KEYS, daily, headline
from lib.figures.scope import Period, Scope
from lib.figures.targets import achievement, campaign_period

# Figures of a day (a stock): the period's value is its last day's. Every other KPI is a flow
# (counted over days): the period's value is the sum, and a day's value is that day's count.
STOCK_KEYS = frozenset({"consumers", "negative_balance", "arrears_inr", "negative_at_start",
                        "verification_coverage", "app_coverage", "complaints_open"})

# Fixed by the period's start: no day-to-day change to show.
NO_CHANGE_KEYS = frozenset({"consumers", "negative_at_start"})


def last_two_days(period: Period) -> Period:
    """The period's last day and the day before it (before the period for a one-day period)."""
    return Period(period.end - timedelta(days=1), period.end)


@figure
def tile_figures(engine: Engine, scope: Scope, period: Period,
                 campaign_id: str | None) -> pd.DataFrame:
    """One row per KPI: value, last / previous (the day series' last two days), delta, target.

    ``delta`` = the figure on the period's last day minus the figure on the day before, exactly
    as ``metrics.daily`` gives them (the charts' last two points): for a stock the change since
    the day before, for a flow the last day's count against the day before's. ``stock`` says
    which. ``target`` and ``achievement`` are for the whole campaign (``campaign_start``,
    ``campaign_end``), counting every category (``target_all_categories``
    when a category filter is on). Also a row ``negative_before``: negative-balance consumers on the day
    before the period.
    """
    now = headline(engine, scope, period).iloc[0]
    days = daily(engine, scope, last_two_days(period))
    last, before = days.iloc[-1], days.iloc[-2]
    rows = [{"key": k, "value": now[k], "last": last[k], "previous": before[k],
             "stock": k in STOCK_KEYS} for k in KPI_KEYS]
    df = pd.DataFrame(rows)
    df["delta"] = (pd.to_numeric(df["last"], errors="coerce")
                   - pd.to_numeric(df["previous"], errors="coerce"))
    df.loc[df["key"].isin(NO_CHANGE_KEYS), "delta"] = None
    df["last_day"], df["previous_day"] = period.end, period.end - timedelta(days=1)
    targets = achievement(engine, scope, campaign_id) if campaign_id else pd.DataFrame(
        columns=["metric", "target", "achievement"])
    df = df.merge(targets[["metric", "target", "achievement"]].rename(columns={"metric": "key"}),
                  on="key", how="left")
    campaign = campaign_period(engine, campaign_id) if campaign_id else None
    df["campaign_start"] = campaign.start if campaign else None
    df["campaign_end"] = campaign.end if campaign else None
    df["target_all_categories"] = bool(scope.categories)  # targets belong to areas, not categories
    # negative on the day before the period is the period's own "negative at start"
    extra = {"key": "negative_before", "value": int(now["negative_at_start"]), "stock": True}
    return pd.concat([df, pd.DataFrame([extra])], ignore_index=True).set_index("key")
