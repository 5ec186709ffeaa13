"""The figures of the configured database, at its current data version: what pages call.

Each function binds the engine (``lib.data.engine.get_engine``) to one figure function; the
figure functions remember their results themselves (``lib.figures.memo``), keyed on the data
version, so a landed load is seen by every dashboard process at its next rerun.

Every scope passes through ``_bounded`` first: the viewer's own unit is ANDed into the SQL
(``lib.figures.access``), so nothing a page asks for can reach beyond it.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from sqlalchemy.engine import Engine

from lib.data import audit
from lib.data.audit import Actor
from lib.data.engine import data_version, get_engine
from lib.figures import access, breakdowns, first_view, lookups, memo, metrics, targets, tiles
from lib.figures.access import Grant
from lib.figures.scope import Period, Scope


def _engine() -> Engine:
    return get_engine()


def _bounded(scope: Scope) -> Scope:
    return access.bounded(_engine, scope)


def viewer() -> Grant:
    """Who is looking (raises access.NoAccess for nobody)."""
    return access.viewer(_engine)


def bounded(scope: Scope) -> Scope:
    """The scope limited to what the viewer may see (for code that reads figures itself)."""
    return _bounded(scope)


def users() -> pd.DataFrame:
    """The users list (empty: local mode)."""
    return access.users_list(_engine())


def actor() -> Actor:
    """The viewer as the audit names them: the signed-in user, or in local mode the
    operating-system user of the dashboard."""
    grant = viewer()
    if grant.local:
        return audit.os_actor(" (local mode)")
    return Actor(grant.name or grant.email or "", grant.email, grant.role)


def record(action: str, detail: str, who: Actor | None = None) -> None:
    """Write who (by default the viewer) did what to the audit trail: an export or a brief.

    A download is built after the script run, in a worker thread that knows no session, so
    its caller names ``who`` while the run still does."""
    audit.record_now(_engine(), who or actor(), action, detail)


def audit_trail() -> pd.DataFrame:
    """The latest loads, exports and briefs with who made them (directors only)."""
    access.director_only(_engine)
    return audit.trail(_engine())


def clear() -> None:
    """Forget every remembered figure and view (after a load in this process)."""
    memo.clear_all()


def keep_first_view_built() -> None:
    """Have this process build the Overview's default figures whenever a load lands."""
    first_view.keep_built(_engine())


def version() -> int:
    """The data version of the configured database."""
    return data_version(_engine())


def has_data() -> bool:
    """Whether any consumer has been loaded."""
    return lookups.has_data(_engine())


def headline(scope: Scope, period: Period) -> pd.DataFrame:
    """One row with every KPI."""
    return metrics.headline(_engine(), _bounded(scope), period)


def by_unit(scope: Scope, period: Period, level: str) -> pd.DataFrame:
    """Every KPI per unit of a level."""
    return metrics.by_unit(_engine(), _bounded(scope), period, level)


def daily(scope: Scope, period: Period, level: str | None = None) -> pd.DataFrame:
    """Every KPI day by day, optionally per unit."""
    return metrics.daily(_engine(), _bounded(scope), period, level)


def achievement(scope: Scope, campaign_id: str) -> pd.DataFrame:
    """Target achievement per target metric."""
    return targets.achievement(_engine(), _bounded(scope), campaign_id)


def league(scope: Scope, period: Period, campaign_id: str | None, level: str = "zone") -> pd.DataFrame:
    """Units ranked by target achievement."""
    return targets.league(_engine(), _bounded(scope), period, campaign_id, level)


def needs_attention(scope: Scope, period: Period, campaign_id: str | None,
                    level: str = "circle") -> pd.DataFrame:
    """Units furthest behind target or with rising arrears."""
    return targets.attention_list(_engine(), _bounded(scope), period, campaign_id, level)


def tile_figures(scope: Scope, period: Period, campaign_id: str | None) -> pd.DataFrame:
    """The Overview's tiles."""
    return tiles.tile_figures(_engine(), _bounded(scope), period, campaign_id)


def dues_bands(scope: Scope, day: date) -> pd.DataFrame:
    """Negative-balance consumers and arrears by dues band."""
    return breakdowns.dues_bands(_engine(), _bounded(scope), day)


def recharge_channels(scope: Scope, period: Period) -> pd.DataFrame:
    """Recharges per channel."""
    return breakdowns.recharge_channels(_engine(), _bounded(scope), period)


def help_desks(scope: Scope, period: Period) -> pd.DataFrame:
    """Complaints per help desk."""
    return breakdowns.help_desks(_engine(), _bounded(scope), period)


def negative_accounts(area_code: str, day: date, categories: tuple[str, ...] = ()) -> pd.DataFrame:
    """One area's negative-balance accounts (none for an area outside the viewer's scope)."""
    grant = viewer()
    tree = access.visible_areas(lookups.hierarchy_frame(_engine()), grant)
    if area_code not in set(tree["area_code"]):
        return breakdowns.negative_accounts(_engine(), "", day, categories)
    return breakdowns.negative_accounts(_engine(), area_code, day, categories)


def campaign_list() -> pd.DataFrame:
    """Campaigns, latest first."""
    return lookups.campaign_list(_engine())


def hierarchy_frame() -> pd.DataFrame:
    """Every area the viewer may see, with its division, circle and zone."""
    return access.visible_areas(lookups.hierarchy_frame(_engine()), viewer())


def data_as_of() -> date | None:
    """The latest day of balance snapshots."""
    return lookups.data_as_of(_engine())


def data_span() -> tuple[date, date] | None:
    """The first and last day of balance snapshots."""
    return lookups.data_span(_engine())


def data_status() -> pd.DataFrame:
    """Rows and freshness per kind of data (directors only)."""
    access.director_only(_engine)
    return lookups.data_status(_engine())


def last_loaded_at() -> datetime | None:
    """When the latest load that landed finished (for the display's freshness line)."""
    return lookups.last_loaded_at(_engine())


def load_history() -> pd.DataFrame:
    """The latest loads (directors only)."""
    access.director_only(_engine)
    return lookups.load_history(_engine())
