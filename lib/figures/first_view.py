"""The first view after a load, built ahead: the Overview's figures for the whole DISCOM.

Figures are remembered per process and data version (``lib.figures.memo``), so after a load
the first person to open the dashboard would pay for the period's cells (0.3–0.9 s at 1M
consumers). A thread per database in each dashboard process watches the data version and,
when it moves, asks for the default view's figures exactly as the Overview does, so they are
remembered before anyone asks. The loading process cannot do it: what it remembers is its own.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from datetime import date, timedelta

import pandas as pd
from sqlalchemy.engine import Engine

from lib.data.engine import data_version, in_use
from lib.figures import access, lookups, metrics, targets, tiles
from lib.figures.scope import Period, Scope

log = logging.getLogger(__name__)

# Seconds between a dashboard process's looks for a new data version; 0 turns it off (the
# test suite does, so no thread queries behind a test's back).
EVERY_ENV = "DASHBOARD_FIRST_VIEW_SECONDS"
EVERY_SECONDS = 10.0

# database URL -> [the engine watched, the data version last built for it]
_watched: dict[str, list] = {}
_lock = threading.Lock()


def campaign_dates(campaigns: pd.DataFrame, campaign_id: str | None) -> tuple[date, date] | None:
    """A campaign's first and last day (None for no campaign or an unknown one)."""
    row = campaigns[campaigns["campaign_id"] == campaign_id]
    if row.empty:
        return None
    return row["start_date"].iloc[0], row["end_date"].iloc[0]


def recent_week(as_of: date | None) -> tuple[date, date]:
    """The data's last seven days (the default period when there is no campaign)."""
    end = as_of or date.today()
    return end - timedelta(days=6), end


def default_campaign(campaigns: pd.DataFrame) -> str | None:
    """The campaign a page opens on: the latest."""
    return campaigns["campaign_id"].iloc[0] if len(campaigns) else None


def default_view(engine: Engine) -> tuple[str | None, Period]:
    """The campaign and period a page opens on, before anyone picks."""
    campaigns = lookups.campaign_list(engine)
    campaign_id = default_campaign(campaigns)
    dates = campaign_dates(campaigns, campaign_id) or recent_week(lookups.data_as_of(engine))
    return campaign_id, Period(*dates)


def build(engine: Engine) -> None:
    """Ask for the Overview's figures of the default view for the whole DISCOM, with the
    arguments the page passes (``lib.figures.current``), so they are remembered."""
    if not lookups.has_data(engine):
        return
    access.users_list(engine)  # every run's first question: who is looking
    for lookup in (lookups.hierarchy_frame, lookups.data_span, lookups.data_as_of):
        lookup(engine)
    campaign_id, period = default_view(engine)
    scope = Scope()
    tiles.tile_figures(engine, scope, period, campaign_id)
    metrics.daily(engine, scope, period, None)
    targets.league(engine, scope, period, campaign_id, "zone")
    targets.attention_list(engine, scope, period, campaign_id, "circle")


def built_for(engine: Engine) -> int | None:
    """The data version whose first view this process has built (None: not yet)."""
    with _lock:
        entry = _watched.get(str(engine.url))
    return entry[1] if entry and entry[0] is engine else None


def every_seconds() -> float:
    """Seconds between looks for a new data version (``DASHBOARD_FIRST_VIEW_SECONDS``)."""
    try:
        return max(float(os.environ.get(EVERY_ENV, EVERY_SECONDS)), 0.0)
    except ValueError:
        return EVERY_SECONDS


def _built(engine: Engine, version: int | None) -> None:
    """Note the data version built for ``engine`` (if it is still the one watched)."""
    with _lock:
        entry = _watched.get(str(engine.url))
        if entry and entry[0] is engine:
            entry[1] = version


def keep_built(engine: Engine, every: float | None = None) -> None:
    """Start, once per database in this process, the thread that builds the first view of
    every later data version (the run that starts it is building the current one itself).
    It ends when the engine is disposed."""
    every = every_seconds() if every is None else every
    if not every:
        return
    url = str(engine.url)
    with _lock:
        if url in _watched and _watched[url][0] is engine:
            return
        _watched[url] = [engine, None]
    with contextlib.suppress(Exception):  # a database that is down: built once it is back
        _built(engine, data_version(engine))
    threading.Thread(target=_watch, args=(engine, every), name="first-view", daemon=True).start()


def _watch(engine: Engine, every: float) -> None:
    url = str(engine.url)
    try:
        while in_use(engine):
            try:
                version = data_version(engine)
                if version != built_for(engine):
                    started = time.perf_counter()
                    build(engine)
                    _built(engine, version)
                    log.info("first view of data version %s built in %.2f s", version,
                             time.perf_counter() - started)
            except Exception as exc:  # a database that is down: try again next time
                log.warning("first view not built: %s", exc)
            time.sleep(every)
    finally:
        with _lock:
            if _watched.get(url, [None])[0] is engine:
                del _watched[url]
