"""The metrics layer against figures worked out by hand, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date

import pytest

from lib.data.importer import load_paths
from lib.figures.breakdowns import dues_bands, help_desks, negative_accounts, recharge_channels
from lib.figures.metrics import KPI_KEYS, Period, Scope, by_unit, daily, kpis
from lib.figures.targets import achievement, league
from lib.tools.cli import main as cli_main
from tests import fixtures as F

PERIOD = Period(date(2026, 2, 2), date(2026, 2, 4))


@pytest.fixture
def loaded(db_url, tmp_path):
    """The hand-made fixture loaded into a fresh database of each backend."""
    result = load_paths([F.write_fixture(tmp_path / "fixture")], url=db_url)
    assert result.ok, result.report()
    from lib.data.engine import get_engine

    return get_engine(db_url)


def assert_kpis(actual: dict, expected: dict) -> None:
    assert set(actual) == set(KPI_KEYS)
    for key in KPI_KEYS:
        if isinstance(expected[key], float):
            assert actual[key] == pytest.approx(expected[key], abs=1e-9), key
        else:
            assert actual[key] == expected[key], key
            assert type(actual[key]) is int, key


def test_every_kpi_whole_discom(loaded):
    assert_kpis(kpis(loaded, Scope(), PERIOD), F.EXPECTED)


def test_every_kpi_one_zone_one_category(loaded):
    scope = Scope.of(zones=["Z1"], categories=["domestic"])
    assert_kpis(kpis(loaded, scope, PERIOD), F.EXPECTED_Z1_DOMESTIC)


def test_kpis_before_any_data_are_zero_or_null(loaded):
    values = kpis(loaded, Scope(), Period(date(2025, 1, 1), date(2025, 1, 2)))
    assert values["consumers"] == 10
    assert values["negative_balance"] == 0 and values["otp_verified"] == 0
    assert values["app_recharge_share"] is None and values["resolution_hours_median"] is None
    assert values["verification_coverage"] == 0.0


def test_empty_scope_gives_zeros_and_nulls(loaded):
    values = kpis(loaded, Scope.of(areas=["NO-SUCH-AREA"]), PERIOD)
    assert values["consumers"] == 0 and values["negative_balance"] == 0
    assert values["verification_coverage"] is None
    assert values["complaints_open"] == 0


def test_carry_forward_after_last_snapshot(loaded):
    later = kpis(loaded, Scope(), Period(date(2026, 2, 5), date(2026, 3, 1)))
    assert later["negative_balance"] == 5 and later["arrears_inr"] == 37220.0
    # negative on 04 Feb (the day before) and still negative: nothing cleared
    assert later["negative_at_start"] == 5 and later["negative_cleared"] == 0


def test_by_zone(loaded):
    zones = by_unit(loaded, Scope(), PERIOD, "zone").set_index("code")
    assert zones.loc["Z1", "name_hi"] == "मेरठ ज़ोन-प्रथम"
    assert zones.loc["Z1", "chief_engineer"] == "Munish Chopra"
    # Z1: accounts 1-7; Z2: 8-10 (worked from the fixture rows)
    assert zones.loc["Z1", "consumers"] == 7 and zones.loc["Z2", "consumers"] == 3
    assert zones.loc["Z1", "negative_balance"] == 4 and zones.loc["Z2", "negative_balance"] == 1
    assert zones.loc["Z1", "arrears_inr"] == 32220.0 and zones.loc["Z2", "arrears_inr"] == 5000.0
    assert zones.loc["Z1", "negative_cleared"] == 2 and zones.loc["Z2", "negative_cleared"] == 1
    assert zones.loc["Z2", "app_coverage"] == pytest.approx(2 / 3)
    assert zones.loc["Z1", "resolution_hours_median"] == 13.0
    assert zones["consumers"].sum() == F.EXPECTED["consumers"]


def test_by_area_lists_every_area_even_without_figures(loaded):
    areas = by_unit(loaded, Scope.of(zones=["Z1"]), PERIOD, "area").set_index("code")
    assert list(areas.index) == ["A1", "A2", "A3"]
    assert areas.loc["A1", "name_hi"] == "गंगानगर"
    assert areas.loc["A2", "recharge_count"] == 0


def test_daily_series(loaded):
    days = daily(loaded, Scope(), Period(date(2026, 2, 1), date(2026, 2, 5))).set_index("day")
    # negative on each day, by hand: 01: 1,2,3,6,8,9; 02: +4,+7; 03: -1; 04: -6,-9
    assert days["negative_balance"].tolist() == [6, 8, 7, 5, 5]
    assert days["negative_cleared"].tolist() == [0, 0, 1, 2, 0]
    assert days["negative_at_start"].tolist() == [0, 6, 8, 7, 5]
    assert days["otp_verified"].tolist() == [1, 1, 1, 2, 1]
    assert days["complaints_open"].tolist() == [1, 1, 2, 2, 1]
    assert days["verification_coverage"].tolist() == pytest.approx([0.1, 0.2, 0.2, 0.4, 0.5])
    assert days.loc[date(2026, 2, 4), "recharge_inr"] == 150210.5


def test_dues_bands(loaded):
    bands = dues_bands(loaded, Scope(), date(2026, 2, 4)).set_index("band")
    assert bands["negative_balance"].tolist() == [2, 2, 0, 1, 0]
    assert bands["arrears_inr"].tolist() == [1020.0, 6200.0, 0.0, 30000.0, 0.0]
    on_first = dues_bands(loaded, Scope(), date(2026, 2, 1)).set_index("band")
    assert on_first.loc[5, "negative_balance"] == 1  # ₹1,50,000.50 is above ₹1 lakh


def test_recharge_channels(loaded):
    ch = recharge_channels(loaded, Scope(), PERIOD).set_index("channel")
    assert ch.loc["smart_app", "recharge_count"] == 2 and ch.loc["smart_app", "recharge_inr"] == 1600
    assert ch.loc["counter", "recharge_inr"] == 150000.5
    assert ch["share"].sum() == pytest.approx(1.0)


def test_help_desks(loaded):
    desks = help_desks(loaded, Scope(), PERIOD).set_index("help_desk")
    assert desks.loc["Ganganagar help desk", "complaints_received"] == 2
    assert desks.loc["Ganganagar help desk", "resolution_hours_median"] == 13.0
    assert desks.loc["Kazipur help desk", "complaints_open"] == 1


def test_negative_accounts_of_one_area(loaded):
    accounts = negative_accounts(loaded, "A1", date(2026, 2, 4))
    assert accounts["account_no"].tolist() == ["0000000003", "0000000002"]
    assert accounts["meter_no"].tolist() == ["SM-A1-003", "0071234567"]  # leading zero kept
    assert accounts["balance_inr"].tolist() == [-30000.0, -1200.0]
    assert accounts["days_negative"].tolist() == [4, 4]
    assert accounts["contacted"].tolist() == [True, True]


def test_target_achievement_finest_level_wins(loaded):
    whole = achievement(loaded, Scope(), "CAMP1").set_index("metric")
    # otp: circle C1 (8) wins over zone Z1 (10); area A4 (2) wins over zone Z2 (5)
    assert whole.loc["otp_verified", "target"] == 10
    assert whole.loc["otp_verified", "achievement"] == pytest.approx(0.3)
    assert whole.loc["negative_cleared", "target"] == 6
    z1 = achievement(loaded, Scope.of(zones=["Z1"]), "CAMP1").set_index("metric")
    assert z1.loc["otp_verified", "target"] == 8 and z1.loc["otp_verified", "actual"] == 2
    # one area: the zone's target is not the area's
    a1 = achievement(loaded, Scope.of(areas=["A1"]), "CAMP1").set_index("metric")
    assert a1["target"].isna().all()


def test_league_ranks_zones(loaded):
    table = league(loaded, Scope(), PERIOD, "CAMP1", "zone")
    assert table["code"].tolist() == ["Z2", "Z1"]
    assert table["score"].tolist() == pytest.approx([0.5, 0.375])
    assert table["negative_change"].tolist() == [-1, 0]
    assert table["rank"].tolist() == [1, 2]


def test_units_without_a_target_have_no_rank(loaded):
    """Z1's divisions (D1, D2) have no target of their own, nor any below them: no score, no
    rank (never a rank by another metric). Z2's circle C2 holds D3, whose area A4 has one."""
    divisions = league(loaded, Scope.of(zones=["Z1"], circles=["C1"]), PERIOD, "CAMP1", "division")
    assert divisions["score"].isna().all() and divisions["rank"].isna().all()
    d3 = league(loaded, Scope.of(circles=["C2"]), PERIOD, "CAMP1", "division")
    assert d3["rank"].tolist() == [1] and d3["score"].notna().all()


def test_kpis_command_json(loaded, db_url, capsys):
    code = cli_main(["kpis", "--db", db_url, "--from", "2026-02-02", "--to", "2026-02-04",
                     "--zone", "Z1", "--category", "domestic", "--json"])
    assert code == 0
    values = json.loads(capsys.readouterr().out)
    assert_kpis(values, F.EXPECTED_Z1_DOMESTIC)


def test_kpis_command_table_is_indian_formatted(loaded, db_url, capsys):
    assert cli_main(["kpis", "--db", db_url, "--from", "2026-02-02", "--to", "2026-02-04"]) == 0
    out = capsys.readouterr().out
    assert "₹37,220.00" in out and "₹1,51,810.50" in out and "24.0 h" in out


def test_daily_for_a_scope_without_resolved_complaints(loaded):
    days = daily(loaded, Scope.of(areas=["A2"]), PERIOD).set_index("day")
    assert days["complaints_open"].tolist() == [0, 1, 1]  # c3 opened 03 Feb, still open
    assert days["complaints_resolved"].tolist() == [0, 0, 0]


def test_figures_follow_a_new_load(loaded, db_url, tmp_path):
    """Remembered figures are keyed by the data version, so a landed load shows at once."""
    assert kpis(loaded, Scope(), PERIOD)["negative_balance"] == 5
    more = tmp_path / "more"
    more.mkdir()
    (more / "balances.csv").write_text("account_no,as_of,balance_inr\n0000000010,2026-02-04,-50\n")
    assert load_paths([more], url=db_url).ok
    assert kpis(loaded, Scope(), PERIOD)["negative_balance"] == 6
    assert kpis(loaded, Scope(), PERIOD)["arrears_inr"] == 37270.0


def test_a_filter_change_asks_the_database_only_for_the_data_version(loaded):
    """Once a period's cells are remembered, another scope's figures are cut from them: the
    only statement run is the data-version read, and the answers equal the hand-worked ones."""
    from sqlalchemy import event

    from lib.figures.memo import forget_figures

    forget_figures()
    kpis(loaded, Scope(), PERIOD)  # the first view builds the period's cells
    by_unit(loaded, Scope(), PERIOD, "zone")
    daily(loaded, Scope(), PERIOD)
    forget_figures(keep_parts=True)  # as if the next scope had never been asked for
    statements: list[str] = []

    def seen(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(loaded, "before_cursor_execute", seen)
    try:
        zone = kpis(loaded, Scope.of(zones=["Z1"]), PERIOD)
        units = by_unit(loaded, Scope.of(zones=["Z1"]), PERIOD, "circle")
        days = daily(loaded, Scope.of(zones=["Z1"]), PERIOD)
    finally:
        event.remove(loaded, "before_cursor_execute", seen)
    queries = [s for s in statements if s.strip().upper() != "BEGIN"]  # SQLite's own BEGIN
    assert queries
    assert all(s.lstrip().startswith("SELECT meta.value") for s in queries), queries
    assert zone["consumers"] == units["consumers"].sum() == days["consumers"].iloc[0]
    assert zone["recharge_count"] == days["recharge_count"].sum()
