"""Small lookups: campaigns, the hierarchy for the filters, data freshness and the load log."""

from __future__ import annotations

import json
from datetime import date, datetime

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from lib.data.engine import get_meta
from lib.data.schema import (
    activities,
    balances,
    campaigns,
    complaints,
    consumers,
    hierarchy,
    loads,
    recharges,
    targets,
    users,
)
from lib.figures.memo import figure

# Per kind of data: its table and the column that says how recent it is.
FRESHNESS = {
    "hierarchy": (hierarchy, None),
    "consumers": (consumers, None),
    "balances": (balances, balances.c.as_of),
    "activities": (activities, activities.c.day),
    "recharges": (recharges, recharges.c.day),
    "complaints": (complaints, complaints.c.opened_day),
    "campaigns": (campaigns, campaigns.c.end_date),
    "targets": (targets, None),
    "users": (users, None),
}


@figure
def has_data(engine: Engine) -> bool:
    """Whether any consumer has been loaded."""
    with engine.connect() as conn:
        return conn.execute(select(consumers.c.account_no).limit(1)).first() is not None


@figure
def campaign_list(engine: Engine) -> pd.DataFrame:
    """Campaigns, latest first: campaign_id, name, name_hi, start_date, end_date."""
    cols = [campaigns.c.campaign_id, campaigns.c.name, campaigns.c.name_hi,
            campaigns.c.start_date, campaigns.c.end_date]
    with engine.connect() as conn:
        rows = conn.execute(select(*cols).order_by(campaigns.c.start_date.desc(),
                                                   campaigns.c.campaign_id)).all()
    return pd.DataFrame(rows, columns=[c.name for c in cols])


@figure
def hierarchy_frame(engine: Engine) -> pd.DataFrame:
    """Every area with its division, circle and zone codes and names (for the filters)."""
    cols = [hierarchy.c[name] for name in (
        "zone_code", "zone_name", "zone_name_hi", "chief_engineer", "circle_code", "circle_name",
        "circle_name_hi", "division_code", "division_name", "division_name_hi", "area_code",
        "area_name", "area_name_hi", "district")]
    with engine.connect() as conn:
        rows = conn.execute(select(*cols).order_by(hierarchy.c.zone_code, hierarchy.c.circle_code,
                                                   hierarchy.c.division_code,
                                                   hierarchy.c.area_code)).all()
    return pd.DataFrame(rows, columns=[c.name for c in cols])


@figure
def help_desk_names(engine: Engine) -> pd.DataFrame:
    """Each help desk's Hindi name (help_desk, help_desk_hi): the one on its latest complaint
    that carries one, so a desk renamed in a later load is shown by its new name everywhere."""
    c = complaints
    latest = func.row_number().over(partition_by=c.c.help_desk,
                                    order_by=(c.c.opened_at.desc(), c.c.ticket_id.desc()))
    named = (select(c.c.help_desk, c.c.help_desk_hi, latest.label("n"))
             .where(c.c.help_desk_hi.is_not(None)).subquery())
    with engine.connect() as conn:
        rows = conn.execute(select(named.c.help_desk, named.c.help_desk_hi)
                            .where(named.c.n == 1)).all()
    return pd.DataFrame(rows, columns=["help_desk", "help_desk_hi"])


@figure
def data_span(engine: Engine) -> tuple[date, date] | None:
    """The first and last day of balance snapshots: the days the figures have data for."""
    with engine.connect() as conn:
        day0 = get_meta(conn, "balance_day0", "")
        days = int(get_meta(conn, "balance_days", "0") or 0)
    if not day0 or days <= 0:
        return None
    first = date.fromisoformat(day0)
    return first, date.fromordinal(first.toordinal() + days - 1)


@figure
def data_as_of(engine: Engine) -> date | None:
    """The latest day of balance snapshots (the "as of" date of the figures)."""
    with engine.connect() as conn:
        day0 = get_meta(conn, "balance_day0", "")
        days = int(get_meta(conn, "balance_days", "0") or 0)
    if not day0:
        return None
    return date.fromordinal(date.fromisoformat(day0).toordinal() + days - 1)


@figure
def data_status(engine: Engine) -> pd.DataFrame:
    """Per kind of data: rows held, the latest day it covers, and when it was last loaded."""
    last_loaded = _last_loaded_by_kind(engine)
    rows = []
    with engine.connect() as conn:
        for kind, (table, col) in FRESHNESS.items():
            count = conn.execute(select(func.count()).select_from(table)).scalar() or 0
            latest = conn.execute(select(func.max(col))).scalar() if col is not None else None
            rows.append({"kind": kind, "rows": int(count), "latest_day": latest,
                         "last_loaded_at": last_loaded.get(kind)})
    return pd.DataFrame(rows)


def _last_loaded_by_kind(engine: Engine) -> dict:
    found: dict = {}
    with engine.connect() as conn:
        q = (select(loads.c.finished_at, loads.c.files).where(loads.c.status == "loaded")
             .order_by(loads.c.load_id.desc()).limit(500))
        for finished, files in conn.execute(q):
            for entry in json.loads(files or "[]"):
                kind = entry.get("kind")
                if kind and entry.get("accepted", 0) and kind not in found:
                    found[kind] = finished
    return found


@figure
def last_loaded_at(engine: Engine) -> datetime | None:
    """When the latest load that landed finished (IST)."""
    with engine.connect() as conn:
        return conn.execute(select(func.max(loads.c.finished_at))
                            .where(loads.c.status == "loaded")).scalar()


@figure
def load_history(engine: Engine, limit: int = 50) -> pd.DataFrame:
    """The latest loads: when, by whom, which files (and how many), status, row counts and,
    for a rejected load, its number of problems; ``message`` is the log's English line."""
    cols = [loads.c.load_id, loads.c.started_at, loads.c.finished_at, loads.c.loaded_by,
            loads.c.files, loads.c.status, loads.c.rows_accepted, loads.c.rows_rejected,
            loads.c.message]
    with engine.connect() as conn:
        rows = conn.execute(select(*cols).order_by(loads.c.load_id.desc()).limit(limit)).all()
    df = pd.DataFrame(rows, columns=[c.name for c in cols])
    files = [json.loads(v or "[]") for v in df["files"]]
    df["files"] = [", ".join(f.get("file", "") for f in fs) for fs in files]
    df["file_count"] = [len(fs) for fs in files]
    # a rejected load's problem count is in the message lib.data.load_apply.record_load wrote
    counts = df["message"].fillna("").str.extract(r"^rejected: ([0-9,]+) problem")[0]
    df["problem_count"] = pd.array([None if pd.isna(c) else int(c.replace(",", ""))
                                    for c in counts], dtype="Int64")
    return df
