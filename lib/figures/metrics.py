"""The metrics layer: one function per question; a scope and a period in, a DataFrame out.

Every definition follows docs/data-contract.md. Figures are cut from the cells
(lib.figures.cells), which come from the rollup tables (lib.data.rollups) aggregated in SQL, so
a question never touches raw consumer or balance rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import func, or_, select
from sqlalchemy.engine import Engine

from lib.data.schema import (
    complaints,
    hierarchy,
)
from lib.figures.cells import (
    Cells,
    balance_cells,
    complaint_cells,
    complaint_day_cells,
    consumer_cells,
    day_cells,
    hierarchy_frame,
    period_cells,
    resolution_cells,
)
from lib.figures.memo import figure, part
from lib.figures.scope import Period, Scope
from lib.figures.sql import level_code, rows_frame

# The KPI keys, in the order the CLI and the tiles show them.
KPI_KEYS = (
    "consumers", "negative_balance", "arrears_inr", "negative_at_start", "negative_cleared",
    "otp_verified", "app_downloaded", "app_trained", "contacted", "verification_coverage",
    "app_coverage", "recharge_count", "recharge_inr", "app_recharge_share",
    "complaints_received", "complaints_resolved", "complaints_open", "resolution_hours_median",
)


RATIO_KEYS = ("verification_coverage", "app_coverage", "app_recharge_share")


RUPEE_KEYS = ("arrears_inr", "recharge_inr")


FLOAT_KEYS = RATIO_KEYS + RUPEE_KEYS + ("resolution_hours_median",)


COUNT_KEYS = tuple(k for k in KPI_KEYS if k not in FLOAT_KEYS)


def kpis(engine: Engine, scope: Scope, period: Period) -> dict:
    """The headline KPI object of the contract: JSON-ready (ints, floats, None)."""
    row = headline(engine, scope, period).iloc[0]
    return {key: _plain(row[key], key) for key in KPI_KEYS}


def _plain(value, key: str):
    if value is None or pd.isna(value):
        return None
    return float(value) if key in FLOAT_KEYS else int(value)


@part
def scoping_of(engine: Engine, scope: Scope, level: str | None) -> tuple[list, np.ndarray]:
    """The units of a level in scope (sorted codes; '*' without a level) and, for each row of
    hierarchy_frame, the position of its unit among them (-1: outside the scope)."""
    hier = hierarchy_frame(engine)
    inside = np.ones(len(hier), dtype=bool)
    for level_of_filter, codes in scope.unit_filters():
        inside &= hier[f"{level_of_filter}_code"].isin(codes).to_numpy()
    if level is None:
        return ["*"], np.where(inside, 0, -1)
    of_area = hier[f"{level}_code"].to_numpy(dtype=object)
    codes = sorted(set(of_area[inside]))
    position = {code: i for i, code in enumerate(codes)}
    unit = np.array([position[c] if ok else -1 for c, ok in zip(of_area, inside, strict=True)],
                    dtype=np.int64)
    return codes, unit


@part
def unit_names(engine: Engine, level: str) -> pd.DataFrame:
    """Every unit of a level: code, name, Hindi name (and the zone's CE in both languages, or
    the unit's zone)."""
    extra = ("chief_engineer", "chief_engineer_hi") if level == "zone" else ("zone_code",)
    out = (hierarchy_frame(engine).groupby(f"{level}_code", sort=True)
           .agg(name=(f"{level}_name", "min"), name_hi=(f"{level}_name_hi", "min"),
                **{col: (col, "min") for col in extra})
           .rename_axis("code").reset_index())
    return out.astype({"code": object})


def areas_in(engine: Engine, scope: Scope) -> frozenset[str]:
    """The area codes inside a scope (the same rule every figure is cut by)."""
    inside = scoping_of(engine, scope, None)[1] >= 0
    return frozenset(hierarchy_frame(engine)["area_code"].to_numpy()[inside])


def cut(cells: Cells, scoping: tuple[list, np.ndarray], scope: Scope,
         categories: bool = True) -> dict[str, np.ndarray]:
    """Each part summed over the cells in scope: an array per part, one value per unit (per
    unit and day, unit-major, for cells with days)."""
    codes, unit = scoping
    of_cell = unit[cells.area]
    keep = of_cell >= 0
    if categories and scope.categories and cells.category is not None:
        keep &= np.isin(cells.category, scope.categories)
    slot, size = of_cell[keep], len(codes)
    if cells.day is not None:
        slot, size = slot * cells.ndays + cells.day[keep], size * cells.ndays
    sums = np.zeros((size, len(cells.parts)), dtype=np.int64)
    np.add.at(sums, slot, cells.values[keep])
    return dict(zip(cells.parts, sums.T, strict=True))


def median_resolution(conn, scope, level, where, by: Sequence = ()) -> pd.DataFrame:
    """Median hours from opened to resolved per group, computed in SQL with window functions."""
    c = complaints
    group = ([level_code(level).label("g")] if level else []) + list(by)
    partition = [g for g in group]
    inner = (select(*group, c.c.resolution_seconds.label("s"),
                    func.row_number().over(partition_by=partition or None,
                                           order_by=c.c.resolution_seconds).label("rn"),
                    func.count().over(partition_by=partition or None).label("cnt"))
             .select_from(c.join(hierarchy, c.c.area_code == hierarchy.c.area_code))
             .where(*scope.hierarchy_conditions(), *where)).subquery()
    outer_group = [inner.c[g.name] for g in group]
    middle = or_(inner.c.rn == (inner.c.cnt + 1) // 2, inner.c.rn == (inner.c.cnt + 2) // 2)
    q = select(*outer_group, func.avg(inner.c.s)).where(middle)
    if outer_group:
        q = q.group_by(*outer_group)
    names = [g.name for g in group] + ["resolution_hours_median"]
    df = rows_frame(conn, q, names)
    df["resolution_hours_median"] = df["resolution_hours_median"].astype(float) / 3600.0
    if level is None and not by:
        df.insert(0, "g", "*")
        if df.empty:
            df.loc[0] = ["*", None]
    return df


def _ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """top / bottom, NaN where bottom is 0."""
    out = np.full(len(top), np.nan)
    np.divide(top, bottom, out=out, where=bottom > 0)
    return out


def _figures(cols: dict[str, np.ndarray], medians: np.ndarray, keys: dict) -> pd.DataFrame:
    """The KPI frame from summed parts: rupees from paise, the ratios, the medians."""
    out = {**keys, **{k: cols[k] for k in COUNT_KEYS}}
    out["arrears_inr"] = cols["arrears_paise"] / 100.0
    out["recharge_inr"] = cols["recharge_paise"] / 100.0
    out["verification_coverage"] = _ratio(cols["otp_ever"], cols["consumers"])
    out["app_coverage"] = _ratio(cols["app_ever"], cols["consumers"])
    out["app_recharge_share"] = _ratio(cols["app_paise"], cols["recharge_paise"])
    out["resolution_hours_median"] = medians
    return pd.DataFrame(out, columns=[*keys, *KPI_KEYS])


def _medians(engine: Engine, scoping: tuple[list, np.ndarray], period: Period,
             by_day: bool) -> np.ndarray:
    """Median resolution hours per unit (per unit and day, unit-major): the mean of the two
    middle values for an even count, as the contract's median; NaN where none was resolved."""
    cells = resolution_cells(engine, period)
    of_cell = scoping[1][cells["area"].to_numpy()]
    keep = of_cell >= 0
    slot, size = of_cell[keep], len(scoping[0])
    if by_day:
        ndays = len(period.days)
        slot, size = slot * ndays + cells["day"].to_numpy()[keep], size * ndays
    seconds = cells["seconds"].to_numpy()[keep]
    order = np.lexsort((seconds, slot))
    slot, seconds = slot[order], seconds[order]
    first = np.searchsorted(slot, np.arange(size))
    count = np.searchsorted(slot, np.arange(size), side="right") - first
    out = np.full(size, np.nan)
    has = count > 0
    low, high = first + (count - 1) // 2, first + count // 2
    out[has] = (seconds[low[has]] + seconds[high[has]]) / 2 / 3600.0
    return out


def _period_figures(engine: Engine, scope: Scope, period: Period,
                    level: str | None) -> pd.DataFrame:
    """Every KPI for the period, one row per unit of ``level`` in scope (or one row '*')."""
    split = bool(scope.categories)
    scoping = scoping_of(engine, scope, level)
    cols = {**cut(consumer_cells(engine, split), scoping, scope),
            **cut(period_cells(engine, period, split), scoping, scope),
            **cut(complaint_cells(engine, period), scoping, scope, categories=False)}
    codes = scoping[0]
    medians = _medians(engine, scoping, period, by_day=False)
    return _figures(cols, medians, {"code": np.array(codes, dtype=object)})


@figure
def headline(engine: Engine, scope: Scope, period: Period) -> pd.DataFrame:
    """One row with every KPI for the scope and period."""
    return _period_figures(engine, scope, period, None)


@figure
def by_unit(engine: Engine, scope: Scope, period: Period, level: str) -> pd.DataFrame:
    """Every KPI per unit of a level (zone, circle, division, area), with the unit's names."""
    level_code(level)  # an unknown level is an error, not an empty table
    figures = _period_figures(engine, scope, period, level)
    names = unit_names(engine, level)
    # both are sorted by code: join by position, not by a merge (the dearest step here)
    names = names[names["code"].isin(figures["code"])].reset_index(drop=True)
    return pd.concat([names, figures.drop(columns="code")], axis=1)


def negative_on(engine: Engine, scope: Scope, day: date, level: str | None) -> pd.DataFrame:
    """Negative-balance accounts and arrears on one day (latest snapshot as of that day).

    Columns: g (unit code, or '*' without a level), negative_balance, arrears_inr.
    """
    scoping = scoping_of(engine, scope, level)
    sums = cut(balance_cells(engine, day, bool(scope.categories)), scoping, scope)
    return pd.DataFrame({"g": np.array(scoping[0], dtype=object),
                         "negative_balance": sums["negative_balance"],
                         "arrears_inr": sums["arrears_paise"] / 100.0})


@figure
def daily(engine: Engine, scope: Scope, period: Period, level: str | None = None) -> pd.DataFrame:
    """Every KPI for each day of the period (from = to = that day), optionally per unit."""
    split, days = bool(scope.categories), period.days
    scoping = scoping_of(engine, scope, level)
    cols = {**cut(day_cells(engine, period, split), scoping, scope),
            **cut(complaint_day_cells(engine, period), scoping, scope, categories=False)}
    cols["consumers"] = np.repeat(cut(consumer_cells(engine, split), scoping, scope)["consumers"],
                                  len(days))
    codes = np.repeat(np.array(scoping[0], dtype=object), len(days))
    on = np.array(days * len(scoping[0]), dtype=object)
    medians = _medians(engine, scoping, period, by_day=True)
    keys = {"day": on} if level is None else {"code": codes, "day": on}
    return _figures(cols, medians, keys)
