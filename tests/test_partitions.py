"""Monthly partitions of ``balances`` on PostgreSQL, and the retention step: archiving old months
leaves every rollup and every rollup-based figure as a database that kept everything has them."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select, text

from lib.data import partitions
from lib.data.audit import Actor
from lib.data.engine import dispose_engine, get_engine
from lib.data.importer import load_paths
from lib.data.retention import NothingHeld, archive
from lib.data.schema import balances
from lib.figures.metrics import Period, Scope, daily, kpis
from lib.tools.sample import generate
from tests.test_rollups_incremental import (
    _folder,
    assert_equal_to_rebuild,
    stored_rows,
)

PG_ONLY = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
ME = Actor("retention test")


def _load(url: str, folder: Path) -> None:
    result = load_paths([folder], url=url)
    assert result.ok, result.problems


def _month_partitions(engine) -> list[str]:
    with engine.connect() as conn:
        assert partitions.partitioned(conn)
        return sorted(conn.execute(text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'balances'::regclass")).scalars())


HIER = [("Z1", "Zone 1", "CE", "C1", "Circle 1", "D1", "Div 1", "A1", "Area 1")]
CONSUMERS = [("100001", "A1", "domestic"), ("100002", "A1", "domestic"), ("100003", "A1", "commercial")]


@PG_ONLY
def test_a_load_crossing_a_month_creates_its_partition(db_url, tmp_path):
    """Feb, then a load of Feb 28 and Mar 1: March's partition is made; a day loaded twice and
    a correction to February beside new March rows keep the rollups a rebuild's; SQLite agrees."""
    loads = [
        _folder(tmp_path / "1", hierarchy=HIER, consumers=CONSUMERS,
                balances=[("100001", "2026-02-27", "-10"), ("100002", "2026-02-27", "5"),
                          ("100003", "2026-02-27", "-2000")]),
        _folder(tmp_path / "2", balances=[("100001", "2026-02-28", "3"), ("100002", "2026-03-01", "-7"),
                                          ("100003", "2026-03-01", "-1")]),
        _folder(tmp_path / "3", balances=[("100002", "2026-03-01", "-7")]),  # again: unchanged
        _folder(tmp_path / "4", balances=[("100001", "2026-02-28", "-4"),  # a correction ...
                                          ("100001", "2026-03-02", "9")]),  # ... and a new day
    ]
    engine = get_engine(db_url)
    _load(db_url, loads[0])
    assert _month_partitions(engine) == ["balances_2026_02"]
    for i, folder in enumerate(loads[1:], 2):
        _load(db_url, folder)
        assert_equal_to_rebuild(engine, f"load {i}")
    assert _month_partitions(engine) == ["balances_2026_02", "balances_2026_03"]
    lite_db = f"sqlite:///{tmp_path / 'lite2.db'}"
    for folder in loads:
        _load(lite_db, folder)
    assert stored_rows(engine) == stored_rows(get_engine(lite_db))
    with engine.connect() as conn:  # rows sit in their month's partition
        feb = conn.execute(text("SELECT count(*) FROM balances_2026_02")).scalar()
        mar = conn.execute(text("SELECT count(*) FROM balances_2026_03")).scalar()
    assert (feb, mar) == (4, 3)
    dispose_engine(lite_db)


@PG_ONLY
def test_a_plain_table_is_migrated_into_partitions(db_url, tmp_path):
    """A database made before partitioning keeps its plain table until ``partition``."""
    engine = get_engine(db_url)
    with engine.begin() as conn:  # as an older version made it
        conn.exec_driver_sql("DROP TABLE balances")
        conn.exec_driver_sql("CREATE TABLE balances (account_no varchar(20), as_of date, "
                             "balance_paise bigint NOT NULL, PRIMARY KEY (account_no, as_of))")
    _load(db_url, _folder(tmp_path / "1", hierarchy=HIER, consumers=CONSUMERS,
                          balances=[("100001", "2026-01-31", "-10"), ("100002", "2026-02-01", "5")]))
    with engine.begin() as conn:
        assert not partitions.partitioned(conn)
        before = stored_rows(engine)
        assert partitions.migrate(conn) == 2
        assert partitions.migrate(conn) == -1
    assert _month_partitions(engine) == ["balances_2026_01", "balances_2026_02"]
    assert stored_rows(engine) == before
    _load(db_url, _folder(tmp_path / "2", balances=[("100001", "2026-03-01", "1")]))
    assert _month_partitions(engine)[-1] == "balances_2026_03"
    assert_equal_to_rebuild(engine, "after the migration")


# --- retention ------------------------------------------------------------------------------


def _split(source: Path, out: Path, tail: int) -> list[Path]:
    """The sample as a history (every file, balances but the last ``tail`` days), then one
    folder per remaining day with that day's balances."""
    frame = pd.read_csv(source / "balances.csv", dtype=str)
    days = sorted(frame["as_of"].unique())
    history = out / "history"
    history.mkdir(parents=True)
    for path in source.glob("*.csv"):
        if path.name != "balances.csv":
            (history / path.name).write_bytes(path.read_bytes())
    frame[frame["as_of"] < days[-tail]].to_csv(history / "balances.csv", index=False)
    folders = [history]
    for day in days[-tail:]:
        folder = out / day
        folder.mkdir()
        frame[frame["as_of"] == day].to_csv(folder / "balances.csv", index=False)
        folders.append(folder)
    return folders


def _figures(engine, source: Path) -> str:
    """Headline KPIs for several scopes and periods, and a day series, as one JSON text."""
    h = pd.read_csv(source / "hierarchy.csv", dtype=str)
    c = pd.read_csv(source / "consumers.csv", dtype=str)
    scopes = [Scope.of(), Scope.of(zones=[h.zone_code.iloc[0]]),
              Scope.of(circles=[h.circle_code.iloc[-1]]), Scope.of(areas=[h.area_code.iloc[1]]),
              Scope.of(categories=[c.category.iloc[0]])]
    periods = [Period(date(2026, 2, 1), date(2026, 2, 28)), Period(date(2026, 2, 10), date(2026, 3, 2)),
               Period(date(2026, 3, 1), date(2026, 3, 5)), Period(date(2026, 2, 27), date(2026, 3, 9))]
    out = [kpis(engine, s, p) for s in scopes for p in periods]
    out.append(daily(engine, scopes[0], periods[1]).to_dict("records"))
    return json.dumps(out, sort_keys=True, default=str)


def test_archiving_old_months_leaves_every_figure_unchanged(db_url, tmp_path):
    """A sample of Feb 1 - Mar 5 loaded; February archived: rollups and figures unchanged, the
    month in a contract file; the next daily loads, a correction and a rebuild then give what a
    database that kept everything gives."""
    generate(tmp_path / "gen", consumers=600, seed=7, days=33)
    history, *days = _split(tmp_path / "gen", tmp_path / "split", tail=2)
    kept_url = f"sqlite:///{tmp_path / 'kept.db'}"
    engine, kept = get_engine(db_url), get_engine(kept_url)
    for url in (db_url, kept_url):
        _load(url, history)
    assert stored_rows(engine) == stored_rows(kept)
    rows_before, figures_before = stored_rows(engine), _figures(engine, tmp_path / "gen")
    with engine.connect() as conn:
        feb_rows = conn.execute(select(func.count()).select_from(balances)
                                .where(balances.c.as_of < date(2026, 3, 1))).scalar()
    with engine.begin() as conn:
        done = archive(conn, date(2026, 3, 1), tmp_path / "archive", ME)
    assert done.months == [date(2026, 2, 1)] and done.rows == feb_rows > 0
    with engine.connect() as conn:
        low = conn.execute(select(func.min(balances.c.as_of))).scalar()
        assert str(low)[:10] == "2026-03-01"
        if partitions.partitioned(conn):
            assert list(partitions.months(conn)) == [date(2026, 3, 1)]
    written = pd.read_csv(done.files[0], dtype=str)
    source = pd.read_csv(tmp_path / "gen" / "balances.csv", dtype=str)
    source = source[source["as_of"] < "2026-03-01"]
    def keyed(f: pd.DataFrame) -> list:
        return sorted(zip(f.account_no, f.as_of, f.balance_inr.map(Decimal), strict=True))

    assert keyed(written) == keyed(source)
    assert stored_rows(engine) == rows_before
    assert _figures(engine, tmp_path / "gen") == figures_before
    assert_equal_to_rebuild(engine, "a rebuild after archiving")
    with engine.begin() as conn:  # again: nothing left before March
        assert archive(conn, date(2026, 3, 1), tmp_path / "archive", ME).months == []
        with pytest.raises(NothingHeld):
            archive(conn, date(2026, 4, 1), tmp_path / "archive", ME)
    # the next days, then a correction to a day held, on both databases
    first = pd.read_csv(days[0] / "balances.csv", dtype=str)
    fix = first.head(40).assign(as_of="2026-03-02", balance_inr="-1234.50")
    fix_folder = tmp_path / "fix"
    fix_folder.mkdir()
    fix.to_csv(fix_folder / "balances.csv", index=False)
    for folder in [*days, fix_folder]:
        for url in (db_url, kept_url):
            _load(url, folder)
        assert stored_rows(engine) == stored_rows(kept), folder.name
    assert _figures(engine, tmp_path / "gen") == _figures(kept, tmp_path / "gen")
    assert_equal_to_rebuild(engine, "after the loads")
    # a February row cannot come back
    late = tmp_path / "late"
    late.mkdir()
    first.head(1).assign(as_of="2026-02-20").to_csv(late / "balances.csv", index=False)
    result = load_paths([late], url=db_url)
    assert not result.ok and "archived" in " ".join(p.reason for p in result.problems)
    dispose_engine(kept_url)


def test_accounts_last_seen_in_an_archived_month(db_url, tmp_path):
    """Accounts whose latest snapshot was archived enter the next days with it: appends that
    flip their sign, and a correction to a day held, give what the full history gives."""
    kept_url = f"sqlite:///{tmp_path / 'kept.db'}"
    loads = [_folder(tmp_path / "1", hierarchy=HIER, consumers=CONSUMERS,
                     balances=[("100001", "2026-02-26", "-10"), ("100002", "2026-02-27", "5"),
                               ("100003", "2026-02-27", "-2000"), ("100001", "2026-03-01", "3")]),
             _folder(tmp_path / "2", balances=[("100002", "2026-03-03", "-7"),
                                               ("100003", "2026-03-03", "1")]),
             _folder(tmp_path / "3", balances=[("100001", "2026-03-01", "-3"),
                                               ("100003", "2026-03-02", "-50")])]
    engine, kept = get_engine(db_url), get_engine(kept_url)
    for url in (db_url, kept_url):
        _load(url, loads[0])
    with engine.begin() as conn:
        assert archive(conn, date(2026, 3, 15), tmp_path / "archive", ME).accounts == 3
    assert stored_rows(engine) == stored_rows(kept)
    for folder in loads[1:]:
        for url in (db_url, kept_url):
            _load(url, folder)
        assert stored_rows(engine) == stored_rows(kept), folder.name
        assert_equal_to_rebuild(engine, folder.name)
    # a second archive folds March into the carried states
    april = [_folder(tmp_path / "4", balances=[("100001", "2026-04-02", "-1")]),
             _folder(tmp_path / "5", balances=[("100002", "2026-04-03", "2"),
                                               ("100003", "2026-04-03", "-9")])]
    for url in (db_url, kept_url):
        _load(url, april[0])
    with engine.begin() as conn:
        assert archive(conn, date(2026, 4, 1), tmp_path / "archive", ME).months == \
            [date(2026, 3, 1)]
    assert stored_rows(engine) == stored_rows(kept)
    for url in (db_url, kept_url):
        _load(url, april[1])
    assert stored_rows(engine) == stored_rows(kept)
    assert_equal_to_rebuild(engine, "after two archives")
    dispose_engine(kept_url)
