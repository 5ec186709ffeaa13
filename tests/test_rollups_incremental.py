"""Day-by-day loads maintain the rollups incrementally, and the result is the full rebuild's,
row for row, on both databases; the figures read from them are checked by hand.

``full_rows`` rebuilds every rollup from the raw rows inside a transaction it rolls back, so
the incremental state under test stays as the loads left it.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select

import lib.data.rollups
from lib.data.engine import get_engine
from lib.data.importer import load_paths
from lib.data.rollups import as_date, read_span
from lib.data.schema import ROLLUP_TABLES
from lib.figures.metrics import Period, Scope, daily, kpis
from lib.tools.sample import generate

REAL_REBUILD = lib.data.rollups.rebuild_rollups

HIERARCHY = [("Z1", "Zone 1", "CE One", "C1", "Circle 1", "D1", "Division 1", "A1", "Area 1"),
             ("Z1", "Zone 1", "CE One", "C1", "Circle 1", "D2", "Division 2", "A2", "Area 2")]
H_HEADER = ["zone_code", "zone_name", "chief_engineer", "circle_code", "circle_name",
            "division_code", "division_name", "area_code", "area_name"]
HEADERS = {"hierarchy": H_HEADER, "consumers": ["account_no", "area_code", "category"],
           "balances": ["account_no", "as_of", "balance_inr"],
           "activities": ["activity_id", "account_no", "activity", "occurred_at"],
           "recharges": ["txn_id", "account_no", "paid_at", "amount_inr", "channel"]}


def _folder(path: Path, **files) -> Path:
    path.mkdir(parents=True)
    for kind, rows in files.items():
        with (path / f"{kind}.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADERS[kind])
            writer.writerows(rows)
    return path


def _rows(conn) -> dict:
    out = {}
    for table in ROLLUP_TABLES:
        rows = []
        for row in conn.execute(select(table)).all():
            rows.append(tuple(as_date(v) if c.name == "day" else v
                              for c, v in zip(table.columns, row, strict=True)))
        out[table.name] = sorted(rows)
    out["spans"] = (read_span(conn, "balance"), read_span(conn, "activity"))
    return out


def stored_rows(engine) -> dict:
    with engine.connect() as conn:
        return _rows(conn)


def full_rows(engine) -> dict:
    """The rollups a full rebuild gives, computed in a transaction that is rolled back."""
    with engine.connect() as conn:
        trans = conn.begin()
        try:
            REAL_REBUILD(conn)
            return _rows(conn)
        finally:
            trans.rollback()


def assert_equal_to_rebuild(engine, label: str) -> None:
    got, want = stored_rows(engine), full_rows(engine)
    for name in want:
        assert got[name] == want[name], (label, name)
    assert all(r[-1] > 0 for name in got if name != "spans" for r in got[name]), label


@pytest.fixture
def rebuilds(monkeypatch) -> list[int]:
    """Counts the full rebuilds the loads do."""
    calls: list[int] = []

    def counted(conn, progress=None):
        calls.append(1)
        REAL_REBUILD(conn, progress=progress)

    monkeypatch.setattr(lib.data.rollups, "rebuild_rollups", counted)
    return calls


def _load(url: str, folder: Path) -> None:
    result = load_paths([folder], url=url)
    assert result.ok, result.report()


def test_hand_made_days_equal_a_full_rebuild(db_url, tmp_path, rebuilds):
    """Accounts 100001 .. 100006 (001 .. 006 in the comments), loaded a day at a time."""
    engine = get_engine(db_url)
    t = tmp_path
    consumers = [("100001", "A1", "domestic"), ("100002", "A1", "domestic"),
                 ("100003", "A1", "commercial"), ("100004", "A2", "domestic"),
                 ("100005", "A2", "domestic")]
    _load(db_url, _folder(t / "d1", hierarchy=HIERARCHY, consumers=consumers, balances=[
        ("100001", "2026-02-01", "-500"), ("100002", "2026-02-01", "-3000"),
        ("100003", "2026-02-01", "100"), ("100004", "2026-02-01", "-200000")],
        activities=[("x1", "100001", "otp_verified", "2026-02-01 10:00")],
        recharges=[("t1", "100001", "2026-02-01 11:00", "200", "upi")]))
    assert len(rebuilds) == 1  # the first load of every kind
    assert_equal_to_rebuild(engine, "day 1")
    day2 = dict(balances=[("100001", "2026-02-02", "50"),  # negative to positive: cleared
                          ("100002", "2026-02-02", "-3100"), ("100003", "2026-02-02", "-10")],
                activities=[("x2", "100002", "contacted", "2026-02-02 09:00")],
                recharges=[("t2", "100001", "2026-02-02 12:00", "550", "smart_app")])
    _load(db_url, _folder(t / "d2", **day2))
    assert_equal_to_rebuild(engine, "day 2")
    _load(db_url, _folder(t / "d2-again", **day2))  # a day loaded twice
    assert_equal_to_rebuild(engine, "day 2 again")
    # an account appears (006, with its consumer row) and 005 gets its first snapshot
    _load(db_url, _folder(t / "d3", consumers=[("100006", "A2", "commercial")], balances=[
        ("100006", "2026-02-03", "-700"), ("100005", "2026-02-03", "-40"), ("100001", "2026-02-03", "60"),
        ("100002", "2026-02-03", "-3100"), ("100003", "2026-02-03", "-10"),
        ("100004", "2026-02-03", "-150000")],
        activities=[("x3", "100006", "app_downloaded", "2026-02-03 10:00")]))
    assert_equal_to_rebuild(engine, "day 3")
    # day 4, with a late correction of day 2 (002 was +5, not -3100) in the same file
    _load(db_url, _folder(t / "d4", balances=[
        ("100002", "2026-02-02", "5"), ("100001", "2026-02-04", "-20"), ("100002", "2026-02-04", "-3100"),
        ("100003", "2026-02-04", "20"), ("100004", "2026-02-04", "-150000"),
        ("100005", "2026-02-04", "-40"), ("100006", "2026-02-04", "-700")]))
    assert_equal_to_rebuild(engine, "day 4 and a correction")
    # two days at once; a recharge corrected, an activity moved to another account and day
    _load(db_url, _folder(t / "d5", balances=[
        ("100001", "2026-02-05", "-20"), ("100003", "2026-02-05", "20"), ("100004", "2026-02-06", "10"),
        ("100006", "2026-02-06", "-900")],
        activities=[("x2", "100003", "contacted", "2026-02-03 09:00")],
        recharges=[("t2", "100001", "2026-02-02 12:00", "600", "smart_app")]))
    assert_equal_to_rebuild(engine, "days 5-6")
    _load(db_url, _folder(t / "move", consumers=[("100003", "A2", "commercial")]))
    assert_equal_to_rebuild(engine, "003 moved to A2")
    # before the first day held: the day patterns grow at the front
    _load(db_url, _folder(t / "early", balances=[("100005", "2026-01-30", "-10")],
                          activities=[("x4", "100005", "otp_verified", "2026-01-31 10:00")]))
    assert_equal_to_rebuild(engine, "an earlier day")
    assert len(rebuilds) == 1  # every later load was incremental

    # The figures, worked out by hand from the rows above. On 06 Feb: 001 -20, 002 -3100,
    # 003 +20, 004 +10, 005 -40, 006 -900. On 01 Feb: 001, 002, 004 and 005 (-10 from 30 Jan)
    # negative, 003 positive, 006 no snapshot yet.
    got = kpis(engine, Scope(), Period(date(2026, 2, 2), date(2026, 2, 6)))
    assert got["consumers"] == 6
    assert got["negative_balance"] == 4  # 001, 002, 005, 006
    assert got["arrears_inr"] == pytest.approx(20 + 3100 + 40 + 900)
    assert got["negative_at_start"] == 4  # 001, 002, 004, 005
    assert got["negative_cleared"] == 1  # 004
    assert got["recharge_count"] == 1 and got["recharge_inr"] == pytest.approx(600)
    assert got["contacted"] == 1 and got["app_downloaded"] == 1 and got["otp_verified"] == 0
    assert got["verification_coverage"] == pytest.approx(2 / 6)  # 001, 005
    assert got["app_coverage"] == pytest.approx(1 / 6)  # 006
    # 02 Feb: 001 +50 and 002 +5 cleared; 003 -10, 004 -200000, 005 -10 negative
    day2_figures = kpis(engine, Scope(), Period(date(2026, 2, 2), date(2026, 2, 2)))
    assert (day2_figures["negative_balance"], day2_figures["negative_cleared"]) == (3, 2)
    assert day2_figures["arrears_inr"] == pytest.approx(10 + 200000 + 10)
    series = daily(engine, Scope.of(areas=["A2"]), Period(date(2026, 2, 1), date(2026, 2, 6)))
    # A2 holds 003 (moved), 004, 005, 006
    assert list(series["negative_balance"]) == [2, 3, 4, 3, 3, 2]


def _split_by_day(source: Path, out: Path) -> list[Path]:
    """The generated sample as one folder per day: the first day has the small files."""
    frames = {kind: pd.read_csv(source / f"{kind}.csv", dtype=str)
              for kind in ("balances", "activities", "recharges")}
    frames["balances"]["_day"] = frames["balances"]["as_of"]
    for kind, col in (("activities", "occurred_at"), ("recharges", "paid_at")):
        frames[kind]["_day"] = frames[kind][col].str[:10]
    days = sorted(set(frames["balances"]["_day"]))
    folders = []
    for i, day in enumerate(days):
        folder = out / f"day-{day}"
        folder.mkdir(parents=True)
        if i == 0:
            for small in ("hierarchy", "consumers", "campaigns", "targets", "complaints"):
                (folder / f"{small}.csv").write_bytes((source / f"{small}.csv").read_bytes())
        for kind, frame in frames.items():
            part = frame[(frame["_day"] == day) | ((i == 0) & (frame["_day"] < day))
                         | ((i == len(days) - 1) & (frame["_day"] > day))]
            if len(part):
                part.drop(columns="_day").to_csv(folder / f"{kind}.csv", index=False)
        folders.append(folder)
    return folders


def test_generated_days_equal_a_full_rebuild(db_url, tmp_path, rebuilds):
    """A generated sample loaded a day at a time, then a correction to an old day flipping
    signs: the rollups equal a full rebuild after every load."""
    generate(tmp_path / "gen", consumers=1_500, seed=5, days=7)
    folders = _split_by_day(tmp_path / "gen", tmp_path / "days")
    for folder in folders:
        _load(db_url, folder)
        assert_equal_to_rebuild(engine := get_engine(db_url), folder.name)
    # full rebuilds: the first load, and the first activities when day 1 has none
    assert len(rebuilds) == 1 + (not (folders[0] / "activities.csv").exists())
    first = len(rebuilds)
    fix = pd.read_csv(folders[2] / "balances.csv", dtype=str).head(40).copy()
    fix["balance_inr"] = [("-" if not v.startswith("-") else "") + v.lstrip("-")
                          for v in fix["balance_inr"]]
    correction = tmp_path / "fix"
    correction.mkdir()
    fix.to_csv(correction / "balances.csv", index=False)
    _load(db_url, correction)
    assert_equal_to_rebuild(engine, "a correction")
    assert len(rebuilds) == first


def _random_load(rng, state: dict, folder: Path) -> Path:
    """One random load on top of ``state``: days appended (some accounts silent, signs
    flipping), old days corrected, consumers added or moved, activities and recharges added
    or changed (another account, day, kind, amount)."""
    files: dict[str, list] = {}
    day = state["last"]
    if rng.random() < 0.8:  # append one to three days
        for _ in range(int(rng.integers(1, 4))):
            day += 1
            files.setdefault("balances", []).extend(
                (acc, f"2026-02-{day:02d}", str(int(rng.integers(-30_000, 3_000))))
                for acc in state["accounts"] if rng.random() < 0.7)
        state["last"] = day
    if rng.random() < 0.5:  # correct old days (or one before the first)
        for acc in rng.choice(state["accounts"], size=3):
            old = int(rng.integers(max(state["first"] - 1, 1), state["last"] + 1))
            state["first"] = min(state["first"], old)
            files.setdefault("balances", []).append(
                (acc, f"2026-02-{old:02d}", str(int(rng.integers(-200_000, 5_000)))))
    if rng.random() < 0.4:  # consumers: new ones, and one moved
        new = [f"{200000 + len(state['accounts']) + i}" for i in range(2)]
        moved = str(rng.choice(state["accounts"]))
        state["accounts"] += new
        files["consumers"] = [(a, str(rng.choice(["A1", "A2"])), str(rng.choice(
            ["domestic", "commercial"]))) for a in [*new, moved]]
    for kind, count in (("activities", 4), ("recharges", 3)):
        if rng.random() < 0.6:
            rows = []
            for _ in range(count):
                key = f"{kind[0]}{int(rng.integers(0, 12))}"  # a new id or a changed one
                acc = str(rng.choice(state["accounts"]))
                at = f"2026-02-{int(rng.integers(state['first'], state['last'] + 1)):02d} 10:00"
                rows.append((key, acc, str(rng.choice(["otp_verified", "contacted"])), at)
                            if kind == "activities" else
                            (key, acc, at, str(int(rng.integers(10, 900))), "upi"))
            files[kind] = list({r[0]: r for r in rows}.values())
    if "balances" in files:  # one row per (account, day): the last one written wins
        files["balances"] = list({r[:2]: r for r in files["balances"]}.values())
    return _folder(folder, **{k: v for k, v in files.items() if v})


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_loads_equal_a_full_rebuild(db_url, tmp_path, rebuilds, seed, monkeypatch):
    """Random day-by-day loads (appends, corrections, new and moved consumers, changed
    activities and recharges): after each one the rollups equal a full rebuild. The share of
    accounts beyond which a load rebuilds is lifted, so the incremental path does them all."""
    import numpy as np

    import lib.data.rollup_delta

    monkeypatch.setattr(lib.data.rollup_delta, "FULL_SHARE", 10.0)

    rng = np.random.default_rng(seed)
    engine = get_engine(db_url)
    accounts = [f"{200000 + i}" for i in range(12)]
    first = [(a, "2026-02-05", str(int(rng.integers(-9_000, 2_000)))) for a in accounts]
    _load(db_url, _folder(tmp_path / "first", hierarchy=HIERARCHY, balances=first,
                          consumers=[(a, ["A1", "A2"][i % 2], "domestic")
                                     for i, a in enumerate(accounts)],
                          activities=[("a0", accounts[0], "contacted", "2026-02-05 09:00")],
                          recharges=[("r0", accounts[1], "2026-02-05 09:00", "100", "upi")]))
    state = {"accounts": accounts, "first": 5, "last": 5}
    for i in range(8):
        folder = _random_load(rng, state, tmp_path / f"load-{i}")
        _load(db_url, folder)
        assert_equal_to_rebuild(engine, f"seed {seed} load {i}")
    # the first load; more only when a changed activity moved off the first or last day
    assert 1 <= len(rebuilds) <= 3


def test_appended_days_split_across_chunks_equal_a_full_rebuild(db_url, tmp_path, rebuilds,
                                                                 monkeypatch):
    """Three days appended for 700 accounts, read 1,000 rows at a time: a chunk ends inside an
    account's rows, which then start the next chunk; the rollups still equal a full rebuild."""
    import numpy as np

    monkeypatch.setattr(lib.data.rollups, "CHUNK_CELLS", 1)  # the floor: 1,000 rows a chunk
    rng = np.random.default_rng(7)
    engine = get_engine(db_url)
    accounts = [f"{300000 + i}" for i in range(700)]
    _load(db_url, _folder(tmp_path / "first", hierarchy=HIERARCHY,
                          consumers=[(a, ["A1", "A2"][i % 2], "domestic")
                                     for i, a in enumerate(accounts)],
                          balances=[(a, "2026-02-05", str(int(rng.integers(-900, 200))))
                                    for a in accounts[:-1]]))  # the last one: no state yet
    days = ["2026-02-06", "2026-02-07", "2026-02-08"]
    rows = [(a, d, str(int(rng.integers(-900, 200)))) for a in accounts for d in days
            if rng.random() < 0.9]  # some accounts miss a day: their state carries
    _load(db_url, _folder(tmp_path / "days", balances=rows))
    assert len(rebuilds) == 1  # the first load only
    assert_equal_to_rebuild(engine, "three days appended")
