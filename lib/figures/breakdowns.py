"""Breakdowns behind the topic pages: dues bands, recharge channels, help desks, and the
negative-balance account list a field team works through."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import func, or_, select
from sqlalchemy.engine import Engine

from lib.data.contract import CHANNELS, DUES_BANDS
from lib.data.schema import (
    activities,
    balances,
    complaints,
    consumers,
    hierarchy,
    r_balance_daily,
    r_recharge_daily,
)
from lib.figures.cells import complaint_counts
from lib.figures.lookups import help_desk_names
from lib.figures.memo import figure
from lib.figures.metrics import median_resolution
from lib.figures.scope import Period, Scope
from lib.figures.sql import day_index, int_sum, rows_frame, scoped_query

ACCOUNT_LIST_LIMIT = 5_000  # one area's list; a field team cannot work through more at once
ACCOUNT_ROWS_SHOWN = 1_000  # on screen (most arrears first); the downloads hold the whole list


@figure
def dues_bands(engine: Engine, scope: Scope, day: date) -> pd.DataFrame:
    """Negative-balance consumers and arrears on ``day`` by dues band (all five bands listed)."""
    out = pd.DataFrame({"band": [b[0] for b in DUES_BANDS], "negative_balance": 0,
                        "arrears_inr": 0.0})
    with engine.connect() as conn:
        idx = day_index(conn, "balance")
        if idx.day0 is None or day < idx.day0:
            return out
        t = r_balance_daily
        q = scoped_query(t, scope, None, [int_sum(t.c.n), int_sum(t.c.arrears_paise)], by=[t.c.band],
                    where=[t.c.day == min(day, idx.last)])
        found = rows_frame(conn, q, ["band", "negative_balance", "arrears_inr"])
    found["arrears_inr"] = found["arrears_inr"] / 100.0
    out = out[["band"]].merge(found, on="band", how="left").fillna(0)
    out["negative_balance"] = out["negative_balance"].astype("int64")
    return out


@figure
def recharge_channels(engine: Engine, scope: Scope, period: Period) -> pd.DataFrame:
    """Recharge count and rupees per channel in the period, with each channel's rupee share."""
    t = r_recharge_daily
    with engine.connect() as conn:
        q = scoped_query(t, scope, None, [int_sum(t.c.n), int_sum(t.c.amount_paise)], by=[t.c.channel],
                    where=[t.c.day.between(period.start, period.end)])
        found = rows_frame(conn, q, ["channel", "recharge_count", "recharge_inr"])
    out = pd.DataFrame({"channel": list(CHANNELS)}).merge(found, on="channel", how="left")
    out["recharge_count"] = out["recharge_count"].fillna(0).astype("int64")
    out["recharge_inr"] = out["recharge_inr"].fillna(0) / 100.0
    total = out["recharge_inr"].sum()
    out["share"] = out["recharge_inr"] / total if total else None
    return out


@figure
def help_desks(engine: Engine, scope: Scope, period: Period) -> pd.DataFrame:
    """Per help desk (with its Hindi name where the data has one): complaints received,
    resolved, open at the end, and median resolution hours."""
    c = complaints
    desk = c.c.help_desk.label("help_desk")
    with engine.connect() as conn:
        q = scoped_query(c, scope, None, [func.min(hierarchy.c.zone_code), *complaint_counts(period)],
                    by=[desk], categories=False)
        counts = rows_frame(conn, q, ["help_desk", "zone_code", "complaints_received",
                                  "complaints_resolved", "complaints_open"])
        medians = median_resolution(conn, scope, None,
                                     [c.c.resolved_day.between(period.start, period.end)],
                                     by=[desk])
    out = counts.merge(medians, on="help_desk", how="left").merge(
        help_desk_names(engine), on="help_desk", how="left")
    out = out[(out["complaints_received"] + out["complaints_resolved"] + out["complaints_open"]) > 0]
    return out.sort_values(["complaints_open", "complaints_received", "help_desk"],
                           ascending=[False, False, True]).reset_index(drop=True)


@figure
def negative_accounts(engine: Engine, area_code: str, day: date,
                      categories: tuple[str, ...] = ()) -> pd.DataFrame:
    """The negative-balance accounts of one area on ``day``, most arrears first.

    Columns: account_no, meter_no (None where the data has none), category, balance_inr
    (rupees with paise), days_negative (since the first negative
    snapshot after the last non-negative one), contacted / otp_verified / app_downloaded
    (ever, up to ``day``).
    """
    # One area holds a few thousand accounts: per-account index lookups on the balances
    # primary key (account_no, as_of) beat grouping the area's whole history. Each account's
    # balance is looked up once (a materialised CTE), and the rest only for the listed ones.
    b, c, a = balances, consumers, activities
    mine = [b.c.account_no == c.c.account_no, b.c.as_of <= day]
    balance = (select(b.c.balance_paise).where(*mine).order_by(b.c.as_of.desc()).limit(1)
               .scalar_subquery())
    in_area = [c.c.area_code == area_code]
    if categories:
        in_area.append(c.c.category.in_(categories))
    now = (select(c.c.account_no, c.c.meter_no, c.c.category, balance.label("balance_paise"))
           .where(*in_area).cte("now").prefix_with("MATERIALIZED"))
    last_ok = (select(func.max(b.c.as_of))
               .where(b.c.account_no == now.c.account_no, b.c.as_of <= day,
                      b.c.balance_paise >= 0).scalar_subquery())
    listed = (select(now.c.account_no, now.c.meter_no, now.c.category, now.c.balance_paise,
                     last_ok.label("ok_day"))
              .where(now.c.balance_paise < 0)
              .order_by(now.c.balance_paise, now.c.account_no).limit(ACCOUNT_LIST_LIMIT)
              .subquery("listed"))
    since = (select(func.min(b.c.as_of))
             .where(b.c.account_no == listed.c.account_no, b.c.as_of <= day,
                    or_(listed.c.ok_day.is_(None), b.c.as_of > listed.c.ok_day))
             .scalar_subquery())

    def ever(kind: str):
        return (select(a.c.account_no).where(a.c.account_no == listed.c.account_no,
                                             a.c.activity == kind, a.c.day <= day).exists())

    q = (select(listed.c.account_no, listed.c.meter_no, listed.c.category, listed.c.balance_paise,
                since,
                ever("contacted"), ever("otp_verified"), ever("app_downloaded"))
         .order_by(listed.c.balance_paise, listed.c.account_no))
    with engine.connect() as conn:
        df = rows_frame(conn, q, ["account_no", "meter_no", "category", "balance_inr", "since",
                              "contacted", "otp_verified", "app_downloaded"])
    df["balance_inr"] = df["balance_inr"] / 100.0
    df["days_negative"] = [(day - s).days + 1 for s in df["since"]]
    for col in ("contacted", "otp_verified", "app_downloaded"):
        df[col] = df[col].astype(bool)
    return df[["account_no", "meter_no", "category", "balance_inr", "days_negative", "contacted",
               "otp_verified", "app_downloaded"]]
