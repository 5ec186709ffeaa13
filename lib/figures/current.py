"""The figures of the configured database, at its current data version: what pages call.

Each function binds the engine (``lib.data.engine.get_engine``) to one figure function; the
figure functions remember their results themselves (``lib.figures.memo``), keyed on the data
version, so a landed load is seen by every dashboard process at its next rerun.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy.engine import Engine

from lib.data.engine import data_version, get_engine
from lib.figures import breakdowns, lookups, memo, metrics, targets, tiles
from lib.figures.scope import Period, Scope


def _engine() -> Engine:
    return get_engine()


def clear() -> None:
    """Forget every remembered figure and view (after a load in this process)."""
    memo.clear_all()


def version() -> int:
    """The data version of the configured database."""
    return data_version(_engine())


def has_data() -> bool:
    """Whether any consumer has been loaded."""
    return lookups.has_data(_engine())


def headline(scope: Scope, period: Period) -> pd.DataFrame:
    """One row with every KPI."""
    return metrics.headline(_engine(), scope, period)


def by_unit(scope: Scope, period: Period, level: str) -> pd.DataFrame:
    """Every KPI per unit of a level."""
    return metrics.by_unit(_engine(), scope, period, level)


def daily(scope: Scope, period: Period, level: str | None = None) -> pd.DataFrame:
    """Every KPI day by day, optionally per unit."""
    return metrics.daily(_engine(), scope, period, level)


def achievement(scope: Scope, campaign_id: str) -> pd.DataFrame:
    """Target achievement per target metric."""
    return targets.achievement(_engine(), scope, campaign_id)


def league(scope: Scope, period: Period, campaign_id: str | None, level: str = "zone") -> pd.DataFrame:
    """Units ranked by target achievement."""
    return targets.league(_engine(), scope, period, campaign_id, level)


def needs_attention(scope: Scope, period: Period, campaign_id: str | None,
                    level: str = "circle") -> pd.DataFrame:
    """Units furthest behind target or with rising arrears."""
    return targets.attention_list(_engine(), scope, period, campaign_id, level)


def tile_figures(scope: Scope, period: Period, campaign_id: str | None) -> pd.DataFrame:
    """The Overview's tiles."""
    return tiles.tile_figures(_engine(), scope, period, campaign_id)


def dues_bands(scope: Scope, day: date) -> pd.DataFrame:
    """Negative-balance consumers and arrears by dues band."""
    return breakdowns.dues_bands(_engine(), scope, day)


def recharge_channels(scope: Scope, period: Period) -> pd.DataFrame:
    """Recharges per channel."""
    return breakdowns.recharge_channels(_engine(), scope, period)


def help_desks(scope: Scope, period: Period) -> pd.DataFrame:
    """Complaints per help desk."""
    return breakdowns.help_desks(_engine(), scope, period)


def negative_accounts(area_code: str, day: date, categories: tuple[str, ...] = ()) -> pd.DataFrame:
    """One area's negative-balance accounts."""
    return breakdowns.negative_accounts(_engine(), area_code, day, categories)


def campaign_list() -> pd.DataFrame:
    """Campaigns, latest first."""
    return lookups.campaign_list(_engine())


def hierarchy_frame() -> pd.DataFrame:
    """Every area with its division, circle and zone."""
    return lookups.hierarchy_frame(_engine())


def data_as_of() -> date | None:
    """The latest day of balance snapshots."""
    return lookups.data_as_of(_engine())


def data_span() -> tuple[date, date] | None:
    """The first and last day of balance snapshots."""
    return lookups.data_span(_engine())


def data_status() -> pd.DataFrame:
    """Rows and freshness per kind of data."""
    return lookups.data_status(_engine())


def load_history() -> pd.DataFrame:
    """The latest loads."""
    return lookups.load_history(_engine())
