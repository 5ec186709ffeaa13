"""The cached query boundary the pages call: each figure is cached under the database URL and
its data version, so a landed load (which bumps the version) is seen by every dashboard
process at its next rerun, with no long TTL and no stale figures behind a load balancer.
"""

from __future__ import annotations

import importlib
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from lib.db import data_version, database_url, get_engine
from lib.metrics import Period, Scope

VERSION_TTL_S = 2  # one tiny meta read per process every two seconds at most


@st.cache_data(ttl=VERSION_TTL_S, show_spinner=False)
def _version(url: str) -> int:
    return data_version(get_engine(url))


@st.cache_data(max_entries=1024, show_spinner=False)
def _call(function: str, url: str, version: int, args: tuple) -> Any:
    module, name = function.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)(get_engine(url), *args)


def _cached(function: str, *args: Any) -> Any:
    url = database_url()
    return _call(function, url, _version(url), args)


def clear() -> None:
    """Forget every cached figure (after a load in this process, so it shows at once)."""
    from lib.memo import clear_all
    from lib.metrics import forget_figures

    _version.clear()
    _call.clear()
    forget_figures()
    clear_all()


def version() -> int:
    """The data version the figures on screen come from."""
    return _version(database_url())


def has_data() -> bool:
    """Whether any consumer has been loaded."""
    return _cached("lib.lookups.has_data")


def headline(scope: Scope, period: Period) -> pd.DataFrame:
    """One row with every KPI (see lib.metrics.headline)."""
    return _cached("lib.metrics.headline", scope, period)


def by_unit(scope: Scope, period: Period, level: str) -> pd.DataFrame:
    """Every KPI per unit of a level (see lib.metrics.by_unit)."""
    return _cached("lib.metrics.by_unit", scope, period, level)


def daily(scope: Scope, period: Period, level: str | None = None) -> pd.DataFrame:
    """Every KPI day by day, optionally per unit (see lib.metrics.daily)."""
    return _cached("lib.metrics.daily", scope, period, level)


def achievement(scope: Scope, campaign_id: str) -> pd.DataFrame:
    """Target achievement per target metric (see lib.targets.achievement)."""
    return _cached("lib.targets.achievement", scope, campaign_id)


def league(scope: Scope, period: Period, campaign_id: str | None, level: str = "zone") -> pd.DataFrame:
    """Units ranked by target achievement (see lib.targets.league)."""
    return _cached("lib.targets.league", scope, period, campaign_id, level)


def dues_bands(scope: Scope, day: date) -> pd.DataFrame:
    """Negative-balance consumers and arrears by dues band (see lib.breakdown.dues_bands)."""
    return _cached("lib.breakdown.dues_bands", scope, day)


def recharge_channels(scope: Scope, period: Period) -> pd.DataFrame:
    """Recharges per channel (see lib.breakdown.recharge_channels)."""
    return _cached("lib.breakdown.recharge_channels", scope, period)


def help_desks(scope: Scope, period: Period) -> pd.DataFrame:
    """Complaints per help desk (see lib.breakdown.help_desks)."""
    return _cached("lib.breakdown.help_desks", scope, period)


def negative_accounts(area_code: str, day: date, categories: tuple[str, ...] = ()) -> pd.DataFrame:
    """One area's negative-balance accounts (see lib.breakdown.negative_accounts)."""
    return _cached("lib.breakdown.negative_accounts", area_code, day, categories)


def campaign_list() -> pd.DataFrame:
    """Campaigns, latest first."""
    return _cached("lib.lookups.campaign_list")


def hierarchy_frame() -> pd.DataFrame:
    """Every area with its division, circle and zone."""
    return _cached("lib.lookups.hierarchy_frame")


def data_as_of() -> date | None:
    """The latest day of balance snapshots."""
    return _cached("lib.lookups.data_as_of")


def data_status() -> pd.DataFrame:
    """Rows and freshness per kind of data."""
    return _cached("lib.lookups.data_status")


def load_history() -> pd.DataFrame:
    """The latest loads."""
    return _cached("lib.lookups.load_history")


def tile_figures(scope: Scope, period: Period, campaign_id: str | None) -> pd.DataFrame:
    """The Overview's tiles (see lib.summary.tile_figures)."""
    return _cached("lib.summary.tile_figures", scope, period, campaign_id)


def needs_attention(scope: Scope, period: Period, campaign_id: str | None,
                    level: str = "circle") -> pd.DataFrame:
    """Units furthest behind target or with rising arrears (see lib.targets.attention_list)."""
    return _cached("lib.targets.attention_list", scope, period, campaign_id, level)
