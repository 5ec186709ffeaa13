"""Target achievement, league tables and the "needs attention" list.

Rule (contract): achievement = the metric over the campaign's period ÷ the targets set for the
units in scope. A unit's own target counts only when the unit lies wholly inside the scope, and
where finer units below it have targets, the finest level wins (a zone target and its areas'
targets are never added together).
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine

from lib.data.contract import LEVELS, TARGET_METRICS
from lib.data.schema import campaigns, targets
from lib.figures.cells import hierarchy_frame
from lib.figures.memo import figure, part
from lib.figures.metrics import areas_in, by_unit, headline, negative_on
from lib.figures.scope import Period, Scope

PARENT = {"circle": "zone", "division": "circle", "area": "division"}
CHILD = {"zone": "circle", "circle": "division", "division": "area"}


@part
def campaign_period(engine: Engine, campaign_id: str) -> Period:
    """The campaign's own dates."""
    with engine.connect() as conn:
        row = conn.execute(select(campaigns.c.start_date, campaigns.c.end_date)
                           .where(campaigns.c.campaign_id == campaign_id)).one_or_none()
    if row is None:
        raise KeyError(f"unknown campaign {campaign_id!r}")
    return Period(row[0], row[1])


@part
def _index(engine: Engine) -> _Tree:
    return _Tree(hierarchy_frame(engine)[[f"{lv}_code" for lv in LEVELS]])


@part
def _campaign_targets(engine: Engine, campaign_id: str) -> pd.DataFrame:
    with engine.connect() as conn:
        q = select(targets.c.level, targets.c.code, targets.c.metric, targets.c.target).where(
            targets.c.campaign_id == campaign_id)
        return pd.DataFrame(conn.execute(q).all(), columns=["level", "code", "metric", "target"])


class _Tree:
    """The hierarchy as plain dicts: each unit's areas and its child units."""

    def __init__(self, tree: pd.DataFrame) -> None:
        self.areas: dict[tuple[str, str], set[str]] = {}
        self.children: dict[tuple[str, str], set[str]] = {}
        for row in tree.itertuples(index=False):
            codes = {lv: getattr(row, f"{lv}_code") for lv in LEVELS}
            for lv in LEVELS:
                self.areas.setdefault((lv, codes[lv]), set()).add(row.area_code)
                if lv in CHILD:
                    self.children.setdefault((lv, codes[lv]), set()).add(codes[CHILD[lv]])


def target_for(index: _Tree, own: dict[tuple[str, str], int],
               areas: frozenset[str]) -> int | None:
    """Sum of targets for a set of areas by the finest-level-wins rule (None: no target set)."""

    def walk(level: str, code: str) -> int | None:
        mine = index.areas[(level, code)]
        if not mine & areas:
            return None
        whole = mine <= areas
        if level == "area":
            return own.get(("area", code)) if whole else None
        below = [v for c in sorted(index.children.get((level, code), ()))
                 if (v := walk(CHILD[level], c)) is not None]
        if below:
            return sum(below)
        return own.get((level, code)) if whole else None

    zones = sorted({code for (lv, code) in index.areas if lv == "zone"})
    found = [v for z in zones if (v := walk("zone", z)) is not None]
    return sum(found) if found else None


@figure
def achievement(engine: Engine, scope: Scope, campaign_id: str) -> pd.DataFrame:
    """Per target metric: actual over the campaign period, target for the scope, and their ratio."""
    period = campaign_period(engine, campaign_id)
    actual = headline(engine, scope, period).iloc[0]
    index, by_metric = _index(engine), _targets_by_metric(engine, campaign_id)
    areas = areas_in(engine, scope)
    rows = []
    for metric in TARGET_METRICS:
        own = by_metric.get(metric, {})
        target = target_for(index, own, areas) if own else None
        value = int(actual[metric])
        rows.append({"metric": metric, "actual": value, "target": target,
                     "achievement": value / target if target else None})
    df = pd.DataFrame(rows)
    df["target"] = pd.array(df["target"], dtype="Int64")
    df["achievement"] = pd.array(df["achievement"], dtype="Float64")
    return df


@part
def _targets_by_metric(engine: Engine, campaign_id: str | None
                       ) -> dict[str, dict[tuple[str, str], int]]:
    """The campaign's targets as {metric: {(level, code): target}}."""
    out: dict[str, dict[tuple[str, str], int]] = {}
    if campaign_id:
        tg = _campaign_targets(engine, campaign_id)
        for lv, code, metric, t in tg.itertuples(index=False):
            out.setdefault(metric, {})[(lv, code)] = int(t)
    return out


@figure
def league(engine: Engine, scope: Scope, period: Period, campaign_id: str | None,
           level: str = "zone") -> pd.DataFrame:
    """Units ranked by mean target achievement over the campaign, with change since the start.

    Units without any target (``score`` missing) come last with no ``rank``.

    Columns: rank, code, name, name_hi, [chief_engineer], the period KPIs, for each target
    metric its campaign actual/target/achievement, ``score`` (mean achievement), the change in
    negative-balance consumers and arrears since the day before the period, and ``attention``
    (behind target or arrears rising).
    """
    units = by_unit(engine, scope, period, level)
    if units.empty:
        return units
    index, by_metric = _index(engine), _targets_by_metric(engine, campaign_id)
    campaign = by_unit(engine, scope, campaign_period(engine, campaign_id), level) \
        if campaign_id else units
    campaign = campaign.set_index("code")
    unit_areas = {code: areas_in(engine, scope.narrowed(level, code)) for code in units["code"]}
    scores = []
    for metric in TARGET_METRICS:
        own = by_metric.get(metric, {})
        actual, target, ratio = [], [], []
        for code in units["code"]:
            areas = unit_areas[code]
            t = target_for(index, own, areas) if own else None
            a = int(campaign.at[code, metric]) if code in campaign.index else 0
            actual.append(a)
            target.append(t)
            ratio.append(a / t if t else None)
        units[f"{metric}_campaign"] = actual
        units[f"{metric}_target"] = pd.array(target, dtype="Int64")
        units[f"{metric}_achievement"] = pd.array(ratio, dtype="Float64")
        scores.append(units[f"{metric}_achievement"])
    units["score"] = pd.concat(scores, axis=1).mean(axis=1, skipna=True)
    before = negative_on(engine, scope, period.start - timedelta(days=1), level)
    before = before.rename(columns={"g": "code", "negative_balance": "negative_before",
                                    "arrears_inr": "arrears_before"})
    units = units.merge(before, on="code", how="left")
    units[["negative_before", "arrears_before"]] = units[["negative_before",
                                                          "arrears_before"]].fillna(0)
    units["negative_change"] = (units["negative_balance"] - units["negative_before"]).astype("int64")
    units["arrears_change"] = units["arrears_inr"] - units["arrears_before"]
    units["attention"] = (units["score"] < 1.0).fillna(False) | (units["arrears_change"] > 0)
    units = units.sort_values(["score", "negative_cleared"], ascending=[False, False],
                              na_position="last").reset_index(drop=True)
    # Only a unit with a target has a rank: one without is listed last, unranked (a rank by
    # negative cleared would pass for a rank by target achievement).
    scored = int(units["score"].notna().sum())
    units.insert(0, "rank", pd.array([*range(1, scored + 1), *[None] * (len(units) - scored)],
                                     dtype="Int64"))
    return units


def needs_attention(league_table: pd.DataFrame, limit: int = 5) -> pd.DataFrame:
    """The units furthest behind target, then those whose arrears rose, at most ``limit``."""
    if league_table.empty:
        return league_table
    flagged = league_table[league_table["attention"]].copy()
    flagged["_behind"] = 1 - flagged["score"].fillna(1.0)
    return (flagged.sort_values(["_behind", "arrears_change"], ascending=[False, False])
            .drop(columns="_behind").head(limit).reset_index(drop=True))


@figure
def attention_list(engine: Engine, scope: Scope, period: Period, campaign_id: str | None,
                   level: str = "circle", limit: int = 5) -> pd.DataFrame:
    """The ``limit`` units of a level most in need of attention (see ``needs_attention``)."""
    return needs_attention(league(engine, scope, period, campaign_id, level), limit)
