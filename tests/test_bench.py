"""The benchmark on a small data set: every section ran and its figures are sane (no timing
assertions: this machine is shared), plus its pure helpers."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from lib.data.engine import DATA_DIR
from lib.tools import bench


@pytest.fixture(scope="module")
def small_run(tmp_path_factory) -> tuple[int, dict, str]:
    """One small benchmark (2,000 consumers, 3 days, one run each) in a temporary folder."""
    work = tmp_path_factory.mktemp("bench")
    printed = io.StringIO()
    status = bench.run_bench(consumers=2_000, days=3, runs=1, json_out=work / "out.json",
                             workdir=work, out=printed)
    assert not list(DATA_DIR.glob("bench/*2000c-3d*")), "wrote into data/ despite a workdir"
    assert (work / "2000c-3d" / "consumers.csv").exists() and (work / "bench-2000c-3d.db").exists()
    return status, json.loads((work / "out.json").read_text(encoding="utf-8")), printed.getvalue()


def test_every_section_is_in_the_json(small_run):
    _, report, _ = small_run
    for key in ("config", "machine", "generate", "load", "metrics", "pages",
                "pandas_vs_metrics", "checks", "targets", "errors", "ok"):
        assert key in report, key
    machine = report["machine"]
    assert machine["cores"] >= 1 and machine["python"] and machine["sqlite"]
    assert report["config"]["consumers"] == 2_000 and report["config"]["days"] == 3


def test_load_figures_are_sane(small_run):
    _, report, _ = small_run
    load, generated = report["load"], report["generate"]
    assert generated["rows"]["consumers"] == 2_000
    assert load["rows"] == generated["total_rows"]  # every generated row was accepted
    assert load["seconds"] > 0 and load["rows_per_s"] > 0
    assert load["max_rss_mb"] > 20  # a Python process with pandas: tens of MB at least
    assert sum(load["phases"].values()) == pytest.approx(load["seconds"], rel=0.05)
    assert any(name.startswith("reading balances") for name in load["phases"])


def test_every_metrics_function_is_timed_for_every_scope_and_period(small_run):
    _, report, _ = small_run
    rows = report["metrics"]
    functions = {r["function"] for r in rows}
    assert {"headline", "by_unit zone", "by_unit circle", "by_unit area", "daily",
            "daily per zone", "dues_bands", "recharge_channels", "help_desks",
            "negative_accounts", "league zone", "attention_list circle", "tile_figures",
            "achievement"} <= functions
    cells = {(r["scope"], r["period"]) for r in rows if r["function"] == "headline"}
    assert cells == {(s, p) for s in bench.SCOPES for p in bench.PERIODS}
    for r in rows:
        assert (r["ms"] is not None and r["ms"] > 0) or r.get("error"), r


def test_every_page_is_timed_after_a_filter_change(small_run):
    _, report, _ = small_run
    pages = report["pages"]
    assert [r["page"] for r in pages["pages"]] == bench.app_pages()
    for r in pages["pages"]:
        assert r["first_view_ms"] > 0 and r["cached_rerun_ms"] > 0
        assert len(r["filter_change_runs"]) == 1 and r["filter_change_ms"] > 0
        assert not r["errors"], r["errors"]
    assert pages["max_rss_mb"] >= pages["rss_after_imports_mb"] > 0


def test_pandas_and_the_metrics_layer_give_the_same_numbers(small_run):
    _, report, _ = small_run
    pv = report["pandas_vs_metrics"]
    assert pv["match"], pv["mismatches"]
    assert len(pv["cases"]) == len(bench.SCOPES) * len(bench.PERIODS)
    for case in pv["cases"]:
        assert case["pandas"] == pytest.approx(case["metrics"], abs=bench.RUPEE_TOLERANCE)
        assert case["pandas_ms"] > 0 and case["metrics_ms"] > 0
    assert pv["cases"][0]["pandas"]["consumers"] == 2_000  # whole DISCOM
    assert pv["pandas_memory"]["max_rss_mb"] > 0 and pv["memory_ratio"] > 0


def test_the_printed_table_has_each_section_and_the_targets(small_run):
    status, report, printed = small_run
    for heading in ("LOAD", "METRICS LAYER", "PAGES", "PANDAS vs METRICS LAYER", "TARGETS"):
        assert heading in printed
    assert "✓" in printed or "✗" in printed
    assert len(report["checks"]) == 6
    assert status == (0 if report["ok"] else 1)
    assert report["ok"] == (not report["errors"])


def test_the_sample_data_is_reused_and_the_database_is_fresh(tmp_path):
    first = bench.sample_data(tmp_path, 300, 2, lambda message: None)
    again = bench.sample_data(tmp_path, 300, 2, lambda message: None)
    assert not first["reused"] and again["reused"]
    assert again["total_rows"] == first["total_rows"]
    db = bench.fresh_database(None, tmp_path, 300, 2)
    Path(db.url.split("sqlite:///", 1)[1]).write_text("old")
    assert not Path(bench.fresh_database(None, tmp_path, 300, 2).url.split("sqlite:///")[1]).exists()


def test_load_phases_split_the_progress_lines():
    lines = [(1.0, "0.6%  reading hierarchy.csv: 316 rows"), (1.5, "reading balances.csv: 5 rows"),
             (2.5, "reading balances.csv: 9 rows"), (3.0, "checking hierarchy.csv"),
             (3.5, "writing"), (5.0, "rebuilding rollups"), (5.5, "rollups: 9 of 9 accounts"),
             (7.0, "loaded")]
    phases = bench.load_phases(lines, 7.25)
    assert phases == {"start-up": 1.0, "reading balances.csv": 2.0,
                      "checking hierarchy.csv": 0.5, "writing (upserts)": 1.5,
                      "rollups (and commit)": 2.0, "exit": 0.25}


def test_filter_sequence_never_repeats_a_selection_early():
    zones = ("A", "B", "C")
    seq = bench.filter_sequence(zones, 6)
    assert seq[:3] == [["A"], ["B"], ["C"]] and seq[3:] == [["A", "B"], ["A", "C"], ["B", "C"]]
    assert bench.filter_sequence((), 2) == [[], []]


def test_values_are_compared_exactly_except_rupees():
    same = {k: 1 for k in bench.PANDAS_KPIS}
    assert bench.compare_values(same, dict(same)) == []
    assert bench.compare_values(same, {**same, "arrears_inr": 1.004}) == []
    wrong = bench.compare_values(same, {**same, "negative_balance": 2, "recharge_inr": 1.5})
    assert len(wrong) == 2 and wrong[0].startswith("negative_balance")


def test_targets_by_tier():
    assert bench.tier(50_000) == bench.tier(1_000_000) == "1M"
    assert bench.tier(6_000_000) == "6M"
    check = bench.Check("x", 120.0, 100.0, "ms")
    assert check.ok is False and bench.Check("y", 12.0, 10.0, "x", True).ok is True
    assert bench.Check("z", None, 1.0, "ms").ok is None


def test_repeated_loads_go_to_extra_databases_that_are_dropped(tmp_path):
    data = bench.sample_data(tmp_path, 300, 2, lambda message: None)
    db = bench.fresh_database(None, tmp_path, 300, 2)
    load = bench.measure_load(data, db, tmp_path, 2,
                              lambda tag: bench.fresh_database(None, tmp_path, 300, 2, tag),
                              lambda message: None)
    assert load["runs"] == 2 and len(load["seconds_runs"]) == 2
    assert load["rows"] == data["total_rows"]
    assert db.path.exists() and not (tmp_path / "bench-300c-2d-run2.db").exists()
    db.drop()


def test_the_append_figure_times_the_last_day_onto_each_history(tmp_path):
    """``bench --append-only`` on a small set: the last day's balances, loaded onto 1 and onto
    DAYS-1 days of history, with a figure for each (this code; the baseline is optional)."""
    printed = io.StringIO()
    assert bench.run_append(consumers=500, days=3, runs=1, workdir=tmp_path, out=printed,
                            json_out=tmp_path / "append.json") == 0
    report = json.loads((tmp_path / "append.json").read_text(encoding="utf-8"))
    assert report["day_rows"] == 500  # one snapshot per consumer on the last day
    assert report["history_days"] == {"history-1": 1, "history-N": 2}
    assert set(report["seconds"]) == {"this history-1", "this history-N"}
    assert all(s > 0 for s in report["seconds"].values())
    assert "Append one day (500 balance rows)" in printed.getvalue()
    split = tmp_path / "500c-3d-append"
    days = {name: set(pd.read_csv(split / name / "balances.csv", dtype=str)["as_of"])
            for name in ("history-N", "history-1", "day")}
    assert len(days["history-N"]) == 2 and len(days["history-1"]) == len(days["day"]) == 1
    assert max(days["history-N"]) == min(days["history-1"]) < min(days["day"])
