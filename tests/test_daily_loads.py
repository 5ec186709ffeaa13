"""Day-by-day loads give the figures one full load gives: every KPI, on 5 scopes × 5 periods,
on both databases. The day-by-day loads include a day loaded twice, a correction to an old
day and a hierarchy change that moves an area to another division; the full load is the
final state of every file, loaded once into a SQLite file of its own."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from lib.data.engine import dispose_engine, get_engine
from lib.data.importer import load_paths
from lib.figures.metrics import KPI_KEYS, Period, Scope, by_unit, kpis
from lib.tools.sample import generate
from tests.test_rollups_incremental import _split_by_day

DAYS = 6


def _load(url: str, folder: Path) -> None:
    result = load_paths([folder], url=url)
    assert result.ok, result.report()


def _moved_hierarchy(source: Path) -> tuple[pd.DataFrame, str, str, str]:
    """The hierarchy with one area moved to another division of its circle: (the new
    hierarchy, the area, its old division, its new one)."""
    tree = pd.read_csv(source / "hierarchy.csv", dtype=str, keep_default_na=False)
    for _, group in tree.groupby("circle_code"):
        divisions = sorted(group["division_code"].unique())
        if len(divisions) >= 2:
            break
    else:
        pytest.fail("the sample has no circle with two divisions")
    old, new = divisions[0], divisions[1]
    area = tree.loc[tree["division_code"] == old, "area_code"].iloc[0]
    target = tree[tree["division_code"] == new].iloc[0]
    moved = tree["area_code"] == area
    for col in [c for c in tree.columns if c.startswith(("division", "executive", "subdivision",
                                                         "sdo"))]:
        tree.loc[moved, col] = target[col]
    return tree, area, old, new


def _corrected(folder: Path) -> pd.DataFrame:
    """Forty balances of an old day with their sign flipped (a late correction)."""
    fix = pd.read_csv(folder / "balances.csv", dtype=str).head(40).copy()
    fix["balance_inr"] = [v[1:] if v.startswith("-") else "-" + v for v in fix["balance_inr"]]
    return fix


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("daily") / "gen"
    generate(folder, consumers=1_200, seed=11, days=DAYS)
    return folder


def test_day_by_day_loads_equal_one_full_load(db_url, tmp_path, sample):
    days = _split_by_day(sample, tmp_path / "days")
    tree, area, old_division, new_division = _moved_hierarchy(sample)
    fix = _corrected(days[1])

    # Day by day, into the database under test.
    for i, folder in enumerate(days):
        _load(db_url, folder)
        if i == 2:
            _load(db_url, folder)  # the same day loaded twice
        if i == 3:
            step = tmp_path / "fix"
            step.mkdir()
            fix.to_csv(step / "balances.csv", index=False)
            tree.to_csv(step / "hierarchy.csv", index=False)
            _load(db_url, step)  # a correction to day 2 and an area moved, in one load

    # The same final state in one load, into a SQLite file of its own.
    whole = tmp_path / "whole"
    shutil.copytree(sample, whole)
    tree.to_csv(whole / "hierarchy.csv", index=False)
    balances = pd.read_csv(whole / "balances.csv", dtype=str)
    balances = pd.concat([balances, fix]).drop_duplicates(["account_no", "as_of"], keep="last")
    balances.to_csv(whole / "balances.csv", index=False)
    reference = f"sqlite:///{tmp_path / 'reference.db'}"
    _load(reference, whole)

    first = date(2026, 2, 1)
    last = first + timedelta(days=DAYS - 1)
    day2 = first + timedelta(days=1)  # the corrected day
    periods = [Period(day2, day2), Period(first + timedelta(days=1), first + timedelta(days=3)),
               Period(first, last), Period(last, last), Period(last - timedelta(days=2), last)]
    zone, circle = tree.loc[tree["area_code"] == area, ["zone_code", "circle_code"]].iloc[0]
    scopes = [Scope(), Scope.of(zones=[zone]), Scope.of(circles=[circle]),
              Scope.of(divisions=[new_division], categories=["domestic"]),
              Scope.of(areas=[area])]
    got_engine, want_engine = get_engine(db_url), get_engine(reference)
    try:
        for scope in scopes:
            for period in periods:
                got, want = kpis(got_engine, scope, period), kpis(want_engine, scope, period)
                for key in KPI_KEYS:
                    assert got[key] == pytest.approx(want[key], nan_ok=True), (scope, period, key)
        # the moved area counts for its new division, not its old one
        for period in periods:
            got = by_unit(got_engine, Scope.of(circles=[circle]), period, "division")
            want = by_unit(want_engine, Scope.of(circles=[circle]), period, "division")
            cols = ["code", *KPI_KEYS]
            pd.testing.assert_frame_equal(
                got[cols].sort_values("code").reset_index(drop=True),
                want[cols].sort_values("code").reset_index(drop=True), check_dtype=False)
        # counted from the files themselves: the new division holds the moved area's consumers
        people = pd.read_csv(sample / "consumers.csv", dtype=str)
        for division in (new_division, old_division):
            areas = set(tree.loc[tree["division_code"] == division, "area_code"])
            assert kpis(got_engine, Scope.of(divisions=[division]), periods[2])["consumers"] \
                == people["area_code"].isin(areas).sum()
        assert kpis(got_engine, Scope.of(areas=[area]), periods[2])["consumers"] \
            == (people["area_code"] == area).sum() > 0
    finally:
        dispose_engine(reference)
