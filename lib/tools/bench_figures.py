"""The benchmark's figures: every metrics-layer function the pages call, timed uncached, and
the Overview's headline KPIs the pandas way beside the metrics layer, each in a child process."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lib.tools.bench_common import (
    MB,
    PERIODS,
    SCOPES,
    Picks,
    child_call,
    clear_memos,
    median,
    proc_status_mb,
    timed,
)
from lib.tools.bench_load import Database

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

# The KPIs compared with pandas: the Overview's headline figures a typical app would compute.
PANDAS_KPIS = ("consumers", "negative_balance", "arrears_inr", "negative_at_start",
               "negative_cleared", "otp_verified", "app_downloaded", "recharge_count",
               "recharge_inr", "complaints_received", "complaints_resolved", "complaints_open")
RUPEE_TOLERANCE = 0.01  # pandas sums float rupees, the metrics layer integer paise


# --- 2. the metrics layer ---------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One timed call of a metrics-layer function."""

    function: str
    scope: str
    period: str
    call: Callable[[], Any]


def metric_cases(engine: Engine, p: Picks) -> list[Case]:
    """Every function the pages call × scope × period (with the arguments the pages pass)."""
    from lib.figures import breakdowns, metrics, targets, tiles

    cases = []
    for s in SCOPES:
        scope = p.scope(s)
        for q in PERIODS:
            period = p.period(q)
            calls = {
                "headline": partial(metrics.headline, engine, scope, period),
                "by_unit zone": partial(metrics.by_unit, engine, scope, period, "zone"),
                "by_unit circle": partial(metrics.by_unit, engine, scope, period, "circle"),
                "by_unit area": partial(metrics.by_unit, engine, scope, period, "area"),
                "daily": partial(metrics.daily, engine, scope, period),
                "daily per zone": partial(metrics.daily, engine, scope, period, "zone"),
                "dues_bands": partial(breakdowns.dues_bands, engine, scope, period.end),
                "recharge_channels": partial(breakdowns.recharge_channels, engine, scope, period),
                "help_desks": partial(breakdowns.help_desks, engine, scope, period),
                "league zone": partial(targets.league, engine, scope, period, p.campaign_id,
                                       "zone"),
                "attention_list circle": partial(targets.attention_list, engine, scope, period,
                                                 p.campaign_id, "circle"),
                "tile_figures": partial(tiles.tile_figures, engine, scope, period,
                                        p.campaign_id),
            }
            cases.extend(Case(name, s, q, call) for name, call in calls.items())
        cases.append(Case("achievement", s, "campaign",
                          partial(targets.achievement, engine, scope, p.campaign_id)))
    for q in PERIODS:  # one area's list is what the page shows; the scope is that area
        cases.append(Case("negative_accounts", "area", q,
                          partial(breakdowns.negative_accounts, engine, p.area, p.period(q).end)))
    return cases


def measure_metrics(url: str, p: Picks, runs: int, say: Callable[[str], None]) -> list[dict]:
    """Median ms of every metrics-layer case on a fresh engine: no Streamlit cache, and the
    app's in-process memos emptied before every call."""
    from lib.data.engine import dispose_engine, get_engine
    from lib.figures.metrics import headline

    dispose_engine(url)
    engine = get_engine(url)
    headline(engine, p.scope("discom"), p.period("day"))  # open the pool's connection once
    clear_memos()
    cases = metric_cases(engine, p)
    say(f"timing {len(cases)} metrics-layer calls x {runs} runs ...")
    out = []
    for case in cases:
        row = {"function": case.function, "scope": case.scope, "period": case.period}
        try:
            times, result = timed(case.call, runs, before=clear_memos)
        except Exception as exc:  # a crash is a finding: report it and time the rest
            out.append({**row, "ms": None, "ms_runs": [],
                        "error": f"{type(exc).__name__}: {exc}"})
            continue
        out.append({**row, "ms": median(times), "ms_runs": [round(t, 2) for t in times],
                    "rows": len(result) if hasattr(result, "__len__") else None})
    dispose_engine(url)
    return out


# --- 4. pandas vs the metrics layer (children) -------------------------------------------------


def read_frames(folder: Path) -> dict:
    """The CSVs as a typical app reads them (once, then kept, like st.cache_resource): the
    columns the KPIs need, account numbers as text, timestamps parsed and their day derived."""
    import pandas as pd

    def read(name: str, columns: list[str], dates: tuple[str, ...] = ()) -> pd.DataFrame:
        df = pd.read_csv(folder / f"{name}.csv", usecols=columns,
                         dtype={c: str for c in columns if c not in dates and c not in
                                ("balance_inr", "amount_inr")})
        for col in dates:
            df[col] = pd.to_datetime(df[col])
        return df

    frames = {
        "hierarchy": read("hierarchy", ["zone_code", "circle_code", "division_code", "area_code"]),
        "consumers": read("consumers", ["account_no", "area_code", "category"]),
        "balances": read("balances", ["account_no", "as_of", "balance_inr"], ("as_of",)),
        "activities": read("activities", ["account_no", "activity", "occurred_at"],
                           ("occurred_at",)),
        "recharges": read("recharges", ["account_no", "paid_at", "amount_inr"], ("paid_at",)),
        "complaints": read("complaints", ["area_code", "opened_at", "resolved_at"],
                           ("opened_at", "resolved_at")),
    }
    # Sorted by day once, so "latest snapshot as of d" is the last row per account.
    frames["balances"] = frames["balances"].sort_values("as_of", kind="stable",
                                                        ignore_index=True)
    frames["activities"]["day"] = frames["activities"]["occurred_at"].dt.normalize()
    frames["recharges"]["day"] = frames["recharges"]["paid_at"].dt.normalize()
    frames["complaints"]["opened_day"] = frames["complaints"]["opened_at"].dt.normalize()
    frames["complaints"]["resolved_day"] = frames["complaints"]["resolved_at"].dt.normalize()
    return frames


def pandas_kpis(frames: dict, zones: list[str], areas: list[str], start: date, end: date) -> dict:
    """The headline KPIs per rerun the pandas way: filter the frames to the scope, then group."""
    import pandas as pd

    h = frames["hierarchy"]
    scoped = bool(zones or areas)
    if zones:
        h = h[h["zone_code"].isin(zones)]
    if areas:
        h = h[h["area_code"].isin(areas)]
    cons = frames["consumers"]
    if scoped:
        cons = cons[cons["area_code"].isin(h["area_code"])]

    def in_scope(df: pd.DataFrame) -> pd.DataFrame:
        return df[df["account_no"].isin(cons["account_no"])] if scoped else df

    bal = in_scope(frames["balances"])
    first, last = pd.Timestamp(start), pd.Timestamp(end)

    def latest(day: pd.Timestamp) -> pd.DataFrame:
        return bal[bal["as_of"] <= day].drop_duplicates("account_no", keep="last")

    now = latest(last)
    negative = now[now["balance_inr"] < 0]
    before = latest(first - pd.Timedelta(days=1))
    owed_before = before.loc[before["balance_inr"] < 0, "account_no"]
    cleared = now[now["account_no"].isin(owed_before) & (now["balance_inr"] >= 0)]

    acts = in_scope(frames["activities"])
    acts = acts[acts["day"].between(first, last)]
    rech = in_scope(frames["recharges"])
    rech = rech[rech["day"].between(first, last)]
    comp = frames["complaints"]
    if scoped:
        comp = comp[comp["area_code"].isin(h["area_code"])]
    still_open = (comp["opened_day"] <= last) & (comp["resolved_day"].isna()
                                                  | (comp["resolved_day"] > last))
    return {
        "consumers": len(cons),
        "negative_balance": len(negative),
        "arrears_inr": round(float(-negative["balance_inr"].sum()), 2),
        "negative_at_start": len(owed_before),
        "negative_cleared": len(cleared),
        "otp_verified": acts.loc[acts["activity"] == "otp_verified", "account_no"].nunique(),
        "app_downloaded": acts.loc[acts["activity"] == "app_downloaded", "account_no"].nunique(),
        "recharge_count": len(rech),
        "recharge_inr": round(float(rech["amount_inr"].sum()), 2),
        "complaints_received": int(comp["opened_day"].between(first, last).sum()),
        "complaints_resolved": int(comp["resolved_day"].between(first, last).sum()),
        "complaints_open": int(still_open.sum()),
    }


def kpis_child(spec: dict) -> dict:
    """In the child: compute the headline KPIs per case ``runs`` times, the pandas way or
    through the metrics layer, with memory before and after."""
    import pandas as pd  # noqa: F401  (both ways import the same libraries: same baseline)

    from lib.data.engine import get_engine
    from lib.figures.memo import forget_figures
    from lib.figures.metrics import kpis
    from lib.figures.scope import Period, Scope

    gc.collect()
    out: dict[str, Any] = {"way": spec["way"], "rss_baseline_mb": proc_status_mb("VmRSS")}
    if spec["way"] == "pandas":
        started = time.perf_counter()
        frames = read_frames(Path(spec["folder"]))
        out["read_s"] = time.perf_counter() - started
        out["frames_mb"] = sum(df.memory_usage(deep=True).sum() for df in frames.values()) / MB

        def compute(c: dict) -> dict:
            return pandas_kpis(frames, c["zones"], c["areas"], c["start"], c["end"])

        def between() -> None:
            pass
    else:
        engine = get_engine(spec["url"])

        def compute(c: dict) -> dict:
            values = kpis(engine, Scope.of(zones=c["zones"], areas=c["areas"]),
                          Period(c["start"], c["end"]))
            return {k: values[k] for k in PANDAS_KPIS}

        def between() -> None:
            # a rerun for another scope: the period's cells stay, as the frames do for pandas
            forget_figures(keep_parts=True)
    gc.collect()
    out["rss_loaded_mb"] = proc_status_mb("VmRSS")
    cases = []
    for c in spec["cases"]:
        c = {**c, "start": date.fromisoformat(c["start"]), "end": date.fromisoformat(c["end"])}
        # The first call is the cold one (for the metrics layer, the period's cells are built
        # too); the timed reruns then find the pandas frames and the cells warm alike.
        clear_memos()
        first = timed(lambda c=c: compute(c), 1)[0][0]
        times, values = timed(lambda c=c: compute(c), spec["runs"], before=between)
        cases.append({"scope": c["scope"], "period": c["period"], "ms": median(times),
                      "ms_runs": times, "first_ms": first, "values": values})
    out["cases"] = cases
    gc.collect()
    out["rss_end_mb"] = proc_status_mb("VmRSS")
    out["hwm_mb"] = proc_status_mb("VmHWM")
    return out


def compare_values(pandas_values: dict, metric_values: dict) -> list[str]:
    """Every KPI where the two ways disagree, as 'key: pandas X != metrics Y'."""
    wrong = []
    for key in PANDAS_KPIS:
        a, b = pandas_values.get(key), metric_values.get(key)
        if key.endswith("_inr"):
            same = a is not None and b is not None and abs(float(a) - float(b)) <= RUPEE_TOLERANCE
        else:
            same = a == b
        if not same:
            wrong.append(f"{key}: pandas {a} != metrics {b}")
    return wrong


def measure_pandas_vs_metrics(db: Database, data: dict, p: Picks, runs: int, workdir: Path,
                              say: Callable[[str], None]) -> dict:
    """Run both ways in children with the same cases; compare their numbers, time and memory."""
    cases = [{"scope": s, "period": q, **p.scope_codes(s),
              "start": p.period(q).start.isoformat(), "end": p.period(q).end.isoformat()}
             for s in SCOPES for q in PERIODS]
    spec = {"cases": cases, "runs": runs, "url": db.url, "folder": data["folder"]}
    say("pandas way (child process): reading the CSVs, then the headline KPIs per rerun ...")
    pd_res, pd_out = child_call("kpis", {**spec, "way": "pandas"}, workdir)
    say("metrics layer (child process): the same KPIs ...")
    mx_res, mx_out = child_call("kpis", {**spec, "way": "metrics"}, workdir)
    for res, report, way in ((pd_res, pd_out, "pandas"), (mx_res, mx_out, "metrics")):
        if res.status != 0 or "cases" not in report:
            raise RuntimeError(f"the {way} child failed (exit {res.status}):\n{res.tail()}")
    rows, mismatches = [], []
    for a, b in zip(pd_out["cases"], mx_out["cases"], strict=True):
        wrong = compare_values(a["values"], b["values"])
        mismatches += [f"{a['scope']}/{a['period']}: {w}" for w in wrong]
        rows.append({"scope": a["scope"], "period": a["period"], "pandas_ms": a["ms"],
                     "metrics_ms": b["ms"], "speedup": a["ms"] / b["ms"] if b["ms"] else None,
                     "pandas_first_ms": a.get("first_ms"), "metrics_first_ms": b.get("first_ms"),
                     "match": not wrong, "pandas": a["values"], "metrics": b["values"]})
    speedups = [r["speedup"] for r in rows if r["speedup"]]
    pandas_mem = {"max_rss_mb": pd_res.max_rss_mb, "baseline_mb": pd_out["rss_baseline_mb"],
                  "holding_frames_mb": pd_out["rss_loaded_mb"] - pd_out["rss_baseline_mb"],
                  "frames_deep_mb": pd_out["frames_mb"], "end_rss_mb": pd_out["rss_end_mb"]}
    metrics_mem = {"max_rss_mb": mx_res.max_rss_mb, "baseline_mb": mx_out["rss_baseline_mb"],
                   "holding_mb": mx_out["rss_end_mb"] - mx_out["rss_baseline_mb"],
                   "end_rss_mb": mx_out["rss_end_mb"]}
    return {"cases": rows, "match": not mismatches, "mismatches": mismatches,
            "pandas_read_s": pd_out["read_s"], "pandas_memory": pandas_mem,
            "metrics_memory": metrics_mem,
            "speedup_min": min(speedups) if speedups else None,
            "speedup_median": median(speedups),
            "memory_ratio": pd_res.max_rss_mb / mx_res.max_rss_mb if mx_res.max_rss_mb else None}
