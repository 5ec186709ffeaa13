"""The rollups give exactly the answers of the raw-row definitions, on both databases.

The reference below reads the raw tables into pandas (small data only) and follows the
contract's definitions literally, sharing no code with lib.data.rollups or lib.figures.metrics.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from sqlalchemy import select

from lib.data import schema
from lib.data.engine import get_engine
from lib.data.importer import load_paths
from lib.data.schema import activities, balances, complaints, consumers, hierarchy, recharges
from lib.figures.metrics import KPI_KEYS, Period, Scope, by_unit, daily, kpis
from lib.tools.sample import generate
from tests import fixtures as F


def _table(engine, table) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(select(table)).mappings().all(),
                            columns=[c.name for c in table.columns])


def reference_kpis(raw: dict[str, pd.DataFrame], scope: Scope, period: Period) -> dict:
    """Every KPI computed from raw rows, straight from the contract's definitions."""
    h = raw["hierarchy"]
    for values, col in ((scope.zones, "zone_code"), (scope.circles, "circle_code"),
                        (scope.divisions, "division_code"), (scope.areas, "area_code")):
        if values:
            h = h[h[col].isin(values)]
    areas = set(h["area_code"])
    c = raw["consumers"][raw["consumers"]["area_code"].isin(areas)]
    if scope.categories:
        c = c[c["category"].isin(scope.categories)]
    accounts = set(c["account_no"])
    b = raw["balances"][raw["balances"]["account_no"].isin(accounts)]

    def latest(day):
        rows = b[b["as_of"] <= day].sort_values("as_of").groupby("account_no").tail(1)
        return rows.set_index("account_no")["balance_paise"]

    start, end = period.start, period.end
    at_end, at_start = latest(end), latest(start - timedelta(days=1))
    neg_start = set(at_start[at_start < 0].index)
    a = raw["activities"][raw["activities"]["account_no"].isin(accounts)]
    in_period = a[(a["day"] >= start) & (a["day"] <= end)]
    ever = a[a["day"] <= end]
    r = raw["recharges"][raw["recharges"]["account_no"].isin(accounts)]
    r = r[(r["day"] >= start) & (r["day"] <= end)]
    t = raw["complaints"][raw["complaints"]["area_code"].isin(areas)]
    resolved = t[(t["resolved_day"] >= start) & (t["resolved_day"] <= end)]
    n = len(accounts)
    total = r["amount_paise"].sum()
    out = {
        "consumers": n,
        "negative_balance": int((at_end < 0).sum()),
        "arrears_inr": float(-at_end[at_end < 0].sum()) / 100,
        "negative_at_start": len(neg_start),
        "negative_cleared": int(sum(1 for x in neg_start if at_end.get(x, -1) >= 0)),
        "verification_coverage": (ever[ever["activity"] == "otp_verified"]["account_no"].nunique()
                                  / n if n else None),
        "app_coverage": (ever[ever["activity"] == "app_downloaded"]["account_no"].nunique() / n
                         if n else None),
        "recharge_count": len(r),
        "recharge_inr": float(total) / 100,
        "app_recharge_share": (float(r[r["channel"] == "smart_app"]["amount_paise"].sum()) / total
                               if total else None),
        "complaints_received": int(((t["opened_day"] >= start) & (t["opened_day"] <= end)).sum()),
        "complaints_resolved": len(resolved),
        "complaints_open": int(((t["opened_day"] <= end)
                                & (t["resolved_day"].isna() | (t["resolved_day"] > end))).sum()),
        "resolution_hours_median": (float(resolved["resolution_seconds"].median()) / 3600
                                    if len(resolved) else None),
    }
    for kind in ("otp_verified", "app_downloaded", "app_trained", "contacted"):
        out[kind] = in_period[in_period["activity"] == kind]["account_no"].nunique()
    return out


def _compare(actual: dict, expected: dict, label: str) -> None:
    for key in KPI_KEYS:
        e, a = expected[key], actual[key]
        if e is None or (isinstance(e, float) and pd.isna(e)):
            assert a is None, (label, key, a)
        else:
            assert a == pytest.approx(e, rel=1e-12, abs=1e-9), (label, key, a, e)


def _raw(engine) -> dict[str, pd.DataFrame]:
    raw = {t.name: _table(engine, t) for t in (hierarchy, consumers, balances, activities,
                                               recharges, complaints)}
    raw["complaints"]["resolved_day"] = raw["complaints"]["resolved_day"].astype(object)
    return raw


SCOPES = [
    Scope(),
    Scope.of(categories=["domestic"]),
    Scope.of(zones=["MZ1"]),
    Scope.of(zones=["MZ1", "GZ1"], categories=["commercial", "industrial"]),
]
PERIODS = [
    Period(date(2026, 2, 2), date(2026, 2, 7)),
    Period(date(2026, 2, 1), date(2026, 2, 1)),
    Period(date(2026, 2, 4), date(2026, 2, 4)),
    Period(date(2026, 1, 28), date(2026, 2, 3)),
    Period(date(2026, 2, 6), date(2026, 2, 20)),
]


def test_rollups_match_raw_rows_on_generated_data(db_url, tmp_path):
    folder = tmp_path / "gen"
    generate(folder, consumers=3_000, seed=7, days=8)
    assert load_paths([folder], url=db_url).ok
    engine = get_engine(db_url)
    raw = _raw(engine)
    zone_codes = set(raw["hierarchy"]["zone_code"])
    area = sorted(raw["hierarchy"]["area_code"])[5]
    scopes = [s for s in SCOPES if set(s.zones) <= zone_codes] + [Scope.of(areas=[area])]
    assert len(scopes) >= 3
    for scope in scopes:
        for period in PERIODS:
            _compare(kpis(engine, scope, period), reference_kpis(raw, scope, period),
                     f"{scope} {period}")


def test_daily_series_match_raw_rows(db_url, tmp_path):
    assert load_paths([F.write_fixture(tmp_path / "fx")], url=db_url).ok
    engine = get_engine(db_url)
    raw = _raw(engine)
    period = Period(date(2026, 1, 31), date(2026, 2, 6))
    series = daily(engine, Scope(), period).set_index("day")
    for day in period.days:
        expected = reference_kpis(raw, Scope(), Period(day, day))
        got = {k: (None if pd.isna(series.loc[day, k]) else series.loc[day, k]) for k in KPI_KEYS}
        _compare(got, expected, str(day))


def test_units_and_their_days_match_raw_rows(db_url, tmp_path):
    """Per-unit figures and per-unit days, cut from the cached cells, equal the raw-row answers
    for each unit on its own (with a category filter, which splits the cells by category)."""
    folder = tmp_path / "gen"
    generate(folder, consumers=2_000, seed=11, days=6)
    assert load_paths([folder], url=db_url).ok
    engine = get_engine(db_url)
    raw = _raw(engine)
    zone = sorted(raw["hierarchy"]["zone_code"])[0]
    period = Period(date(2026, 2, 2), date(2026, 2, 5))
    for scope in (Scope.of(zones=[zone]), Scope.of(zones=[zone], categories=["domestic"])):
        units = by_unit(engine, scope, period, "circle")
        circles = sorted(set(raw["hierarchy"].loc[raw["hierarchy"]["zone_code"] == zone,
                                                  "circle_code"]))
        assert list(units["code"]) == circles
        days = daily(engine, scope, period, "circle").set_index(["code", "day"])
        for row in units.to_dict("records"):
            narrowed = scope.narrowed("circle", row["code"])
            _compare({k: None if pd.isna(row[k]) else row[k] for k in KPI_KEYS},
                     reference_kpis(raw, narrowed, period),
                     f"{narrowed} {period}")
            for day in (period.start, period.end):
                got = {k: days.loc[(row["code"], day), k] for k in KPI_KEYS}
                _compare({k: None if pd.isna(v) else v for k, v in got.items()},
                         reference_kpis(raw, narrowed, Period(day, day)), f"{narrowed} {day}")


def test_a_load_is_seen_at_once_by_remembered_figures(db_url, tmp_path):
    """The figures and the cells they are cut from are remembered per data version: the next
    question after a load gets the new answer without anything being cleared by hand."""
    fixture = F.write_fixture(tmp_path / "fx")
    assert load_paths([fixture], url=db_url).ok
    engine = get_engine(db_url)
    period = Period(date(2026, 2, 1), date(2026, 2, 7))
    before = kpis(engine, Scope(), period)
    extra = tmp_path / "more"
    extra.mkdir()
    account = sorted(_table(engine, consumers)["account_no"])[0]
    (extra / "recharges.csv").write_text(
        "txn_id,account_no,paid_at,amount_inr,channel\n"
        f"T-NEW-1,{account},2026-02-03 10:00:00,250.00,smart_app\n", encoding="utf-8")
    assert load_paths([extra], url=db_url).ok
    after = kpis(engine, Scope(), period)
    assert after["recharge_count"] == before["recharge_count"] + 1
    assert after["recharge_inr"] == pytest.approx(before["recharge_inr"] + 250.0)


def test_a_date_years_away_is_refused_not_rolled_up_day_by_day(db_url, tmp_path):
    """A mistyped year inside the accepted dates (2016 for 2026) must not make ten years of
    daily rows: the load is refused, nothing changes, and the report says which dates."""
    assert load_paths([F.write_fixture(tmp_path / "fx")], url=db_url).ok
    engine = get_engine(db_url)
    before = {t.name: len(_table(engine, t)) for t in (balances, schema.r_balance_daily)}
    account = sorted(_table(engine, consumers)["account_no"])[0]
    extra = tmp_path / "typo"
    extra.mkdir()
    (extra / "balances.csv").write_text("account_no,as_of,balance_inr\n"
                                        f"{account},2016-02-03,-10.00\n", encoding="utf-8")
    result = load_paths([extra], url=db_url)
    assert not result.ok
    assert "2016-02-03" in result.report() and "mistyped year" in result.report()
    assert {t.name: len(_table(engine, t)) for t in (balances, schema.r_balance_daily)} == before
